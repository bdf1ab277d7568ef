# People and incidents are deliberately not in the admin site: the admin would read them
# without the access layer and without the audit log.
