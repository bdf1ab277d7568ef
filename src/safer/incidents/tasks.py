"""The background import of an uploaded incident extract (django-tasks; `safer db_worker`)."""

from __future__ import annotations

from django_tasks import task

from safer.incidents.actions import do_record_import_progress, run_incident_import
from safer.incidents.models import IncidentImport


@task()
def import_incident_extract(import_id: int) -> str:
    record = IncidentImport.objects.select_related("recorded_by").get(pk=import_id)

    def progress(percent: int, message: str) -> None:
        do_record_import_progress(record, percent, message)

    def opener() -> object:
        return record.upload.open("rb")

    done = run_incident_import(record, opener, progress=progress)  # type: ignore[arg-type]
    return str(done.status)
