"""Background work for people and incidents: matching a person just recorded, importing an
uploaded extract (django-tasks; `safer db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def suggest_matches_for_person(person_id: int) -> int:
    """Look for one person in partner organisations' records (incidents/matching.py); returns
    how many new suggestions it made. A person erased before the task runs is skipped."""
    from safer.incidents.actions import do_suggest_matches

    return len(do_suggest_matches([person_id], acting_user=None))


@task()
def import_incident_extract(import_id: int) -> str:
    """Import an uploaded extract, saving its progress for the page's progress bar."""
    from safer.incidents.actions import do_record_import_progress, run_incident_import
    from safer.incidents.models import IncidentImport

    record = IncidentImport.objects.select_related("recorded_by").get(pk=import_id)

    def progress(percent: int, message: str) -> None:
        do_record_import_progress(record, percent, message)

    def opener() -> object:
        return record.upload.open("rb")

    done = run_incident_import(record, opener, progress=progress)  # type: ignore[arg-type]
    return str(done.status)
