"""Demo records for the local demo: two organisations, each with a person and an incident, and
a live sharing agreement between them; and a few hundred realistic incidents over the
agreement's three years across the 14 areas (`do_create_demo_incidents`), recorded through the
real actions (checked, flagged, audited) by the demo police and Preston council case workers, so
the agreement's incident measures compute from them. Refused outside a demo, like the demo
accounts."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from safer.accounts.actions import do_create_sharing_agreement
from safer.accounts.enums import DataCategory, LegalBasis
from safer.accounts.models import SharingAgreement, User
from safer.incidents.actions import do_record_incident, do_record_person
from safer.incidents.enums import (
    AbuseType,
    AsbCategory,
    ContactMethod,
    Ethnicity,
    Gender,
    IncidentCategory,
    InvolvementRole,
    Relationship,
    VulnerabilityMarker,
)
from safer.incidents.generate import Place, Planner, lancashire_places
from safer.incidents.models import Incident, Person
from safer.partnership.models import CspArea, Organisation

DEMO_AGREEMENT = "Safer Lancashire information sharing protocol (demo)"


@transaction.atomic
def do_create_demo_records() -> bool:
    """Create the demo agreement and records once; False if they are already there."""
    if not settings.SAFER_DEMO:
        raise ImproperlyConfigured("Demo records are only created in a local demo (SAFER_DEMO=1).")
    if SharingAgreement.objects.filter(title=DEMO_AGREEMENT).exists():
        return False
    police = User.objects.get(username="case-worker")
    council = User.objects.get(username="council-case-worker")
    today = timezone.localdate()
    do_create_sharing_agreement(
        title=DEMO_AGREEMENT,
        parties=Organisation.objects.filter(
            slug__in=[
                "lancashire-constabulary",
                "preston-city-council",
                "lancashire-probation-trust",
            ]
        ),
        purpose=(
            "Sharing information about victims and perpetrators of domestic abuse and "
            "anti-social behaviour to reduce crime and disorder and keep victims safe."
        ),
        legal_basis=LegalBasis.CDA_1998_S115,
        data_categories=[
            DataCategory.IDENTITY,
            DataCategory.CONTACT,
            DataCategory.INCIDENTS,
            DataCategory.VULNERABILITY,
        ],
        starts_on=today - timedelta(days=60),
        review_on=today + timedelta(days=305),
        acting_user=None,
    )
    _case(
        police,
        ("Grace", "Okafor"),
        date(1986, 5, 14),
        IncidentCategory.DOMESTIC_ABUSE,
        "Assault by an ex-partner at her home; the third report this year.",
        "Deepdale, Preston",
        abuse_types=[AbuseType.PHYSICAL, AbuseType.COERCIVE_CONTROL],
        relationship=Relationship.EX_PARTNER,
        agency_reference="LC-2026-0001",
    )
    janet = _case(
        council,
        ("Janet", "Holden"),
        date(1949, 11, 2),
        IncidentCategory.ASB,
        "Repeated youths gathering and throwing stones at her windows.",
        "Ribbleton, Preston",
        asb_category=AsbCategory.PERSONAL,
        agency_reference="PCC-ASB-0001",
    )
    # Two earlier reports: the latest makes Janet a repeat victim on the council's worklist.
    for number, days_ago in ((2, 50), (3, 25)):
        do_record_incident(
            category=IncidentCategory.ASB,
            asb_category=AsbCategory.PERSONAL,
            agency_reference=f"PCC-ASB-000{number}",
            occurred_on=today - timedelta(days=days_ago),
            summary="Youths kicking her door and shouting abuse late at night.",
            location="Ribbleton, Preston",
            people=[(janet, InvolvementRole.VICTIM)],
            acting_user=council,
        )
    # The police's own record of Janet, her name misspelt: suggested as a match for the
    # council's record on both organisations' review queues (/incidents/matches/).
    jannet = do_record_person(
        given_name="Jannet",
        family_name="Holden",
        date_of_birth=date(1949, 11, 2),
        gender=Gender.FEMALE,
        address="1 Demo Street\nRibbleton, Preston",
        postcode="PR1 1AA",
        acting_user=police,
    )
    do_record_incident(
        category=IncidentCategory.ASB,
        asb_category=AsbCategory.PERSONAL,
        agency_reference="LC-2026-0002",
        occurred_on=today - timedelta(days=40),
        summary="Called 101: stones thrown at her windows; referred to the council's ASB team.",
        location="Ribbleton, Preston",
        people=[(jannet, InvolvementRole.VICTIM)],
        acting_user=police,
    )
    return True


def _case(
    user: User,
    name: tuple[str, str],
    born: date,
    category: IncidentCategory,
    summary: str,
    location: str,
    **standard: Any,
) -> Person:
    person = do_record_person(
        given_name=name[0],
        family_name=name[1],
        date_of_birth=born,
        gender=Gender.FEMALE,
        ethnicity=Ethnicity.NOT_STATED,
        safe_contact_methods=[ContactMethod.PHONE],
        vulnerability_markers=[VulnerabilityMarker.REPEAT_VICTIM],
        address=f"1 Demo Street\n{location}",
        postcode="PR1 1AA",
        acting_user=user,
    )
    do_record_incident(
        category=category,
        occurred_on=timezone.localdate() - timedelta(days=5),
        summary=summary,
        location=location,
        people=[(person, InvolvementRole.VICTIM)],
        acting_user=user,
        **standard,
    )
    return person


DEMO_INCIDENTS = 420  # SAFER_DEMO_INCIDENTS's default
DEMO_PEOPLE = 270
DEMO_PREFIX = "DEMO"


@transaction.atomic
def do_create_demo_incidents(*, start: date, end: date, count: int | None = None) -> int:
    """Record the demo's incidents between two dates (the agreement's three years), once;
    returns how many were made (0 if they are there already)."""
    if not settings.SAFER_DEMO:
        raise ImproperlyConfigured("Demo records are only created in a local demo (SAFER_DEMO=1).")
    if Incident.objects.filter(agency_reference__startswith=f"{DEMO_PREFIX}-").exists():
        return 0
    police = User.objects.get(username="case-worker")
    council = User.objects.get(username="council-case-worker")
    users = {police.organisation_id: police, council.organisation_id: council}
    preston_council, police_id = council.organisation_id, police.organisation_id
    assert police_id is not None  # noqa: S101 - the demo accounts belong to organisations

    def recorder(rng: random.Random, category: str, place: Place) -> int:
        # The two demo case workers: Preston's council records most of Preston's ASB.
        if category == IncidentCategory.ASB and place.council_id == preston_council:
            return preston_council if rng.random() < 0.7 else police_id
        return police_id

    count = settings.SAFER_DEMO_INCIDENTS if count is None else count
    planner = Planner(
        count=count,
        people=round(count * DEMO_PEOPLE / DEMO_INCIDENTS),
        places=lancashire_places(),
        recorder=recorder,
        start=start,
        end=end,
        seed=2011,
        reference_prefix=DEMO_PREFIX,
    )
    areas = CspArea.objects.in_bulk()
    from safer.crimedata.models import Lsoa

    lsoas = Lsoa.objects.in_bulk()
    made = 0
    for group in planner.groups():
        people: dict[int, Person] = {}
        for spec in group.people:
            person_fields: dict[str, Any] = {
                "date_of_birth": spec.date_of_birth,
                "gender": spec.gender,
                "ethnicity": spec.ethnicity,
                "vulnerability_markers": spec.vulnerability_markers,
            }
            people[spec.key] = do_record_person(
                given_name=spec.given_name,
                family_name=spec.family_name,
                address=spec.address,
                postcode=spec.postcode,
                acting_user=users[spec.organisation_id],
                **person_fields,
            )
        for incident in group.incidents:
            do_record_incident(
                category=IncidentCategory(incident.category),
                occurred_on=incident.occurred_on,
                summary=incident.summary,
                location=incident.location,
                people=[(people[key], InvolvementRole(role)) for key, role, _ in incident.people],
                acting_user=users[incident.organisation_id],
                area=areas.get(incident.area_id) if incident.area_id else None,
                lsoa=lsoas.get(incident.lsoa_id) if incident.lsoa_id else None,
                agency_reference=incident.agency_reference,
                risk_level=incident.risk_level,
                asb_category=incident.asb_category,
                abuse_types=incident.abuse_types,
                relationship=incident.relationship,
                hate_strands=incident.hate_strands,
                alcohol_involved=incident.alcohol_involved,
                drugs_involved=incident.drugs_involved,
                outcome=incident.outcome,
            )
            made += 1
    return made
