"""Background work for crime data: importing a file uploaded on the import page (django-tasks;
`safer db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_police_upload(upload_id: int) -> str:
    """Import every CSV of an uploaded police.uk file, saving its progress for the page."""
    from safer.crimedata.actions import run_police_upload
    from safer.crimedata.models import PoliceUpload

    record = PoliceUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    return str(run_police_upload(record).status)
