"""Background work for people and incidents (django-tasks; `safer db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def suggest_matches_for_person(person_id: int) -> int:
    """Look for one person in partner organisations' records (incidents/matching.py); returns
    how many new suggestions it made. A person erased before the task runs is skipped."""
    from safer.incidents.actions import do_suggest_matches

    return len(do_suggest_matches([person_id], acting_user=None))
