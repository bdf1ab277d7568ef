"""Demo records for the local demo: two organisations, each with a person and an incident, and
a live sharing agreement between them. Refused outside a demo, like the demo accounts."""

from __future__ import annotations

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
from safer.incidents.models import Person
from safer.partnership.models import Organisation

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
