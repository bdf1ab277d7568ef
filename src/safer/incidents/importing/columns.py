"""The columns of the incident extract CSV format (docs/recording-standard.md), in the order
the documentation lists them. Plain Python, so tools outside Safer can use it."""

from __future__ import annotations

INCIDENT_COLUMNS = (
    "incident_reference",
    "category",
    "occurred_on",
    "location",
    "postcode",
    "area",
    "summary",
    "asb_category",
    "abuse_types",
    "relationship",
    "hate_strands",
    "alcohol_involved",
    "drugs_involved",
    "outcome",
)
PERSON_COLUMNS = (
    "person_reference",
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "role",
)
COLUMNS = INCIDENT_COLUMNS + PERSON_COLUMNS
