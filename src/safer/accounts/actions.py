"""Every write to users and their roles goes through here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from safer.accounts.enums import Role
from safer.accounts.models import RoleGrant, User
from safer.partnership.models import Organisation


@transaction.atomic
def do_create_user(
    username: str,
    *,
    first_name: str,
    last_name: str,
    email: str,
    organisation: Organisation,
    roles: Iterable[Role],
    password: str | None,
    job_title: str = "",
    acting_user: User | None,
) -> User:
    """Create a user in an organisation with their roles; no password means they cannot sign in."""
    roles = list(roles)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=organisation,
        job_title=job_title,
        is_staff=Role.ADMINISTRATOR in roles,
        is_superuser=Role.ADMINISTRATOR in roles,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in roles)
    return user
