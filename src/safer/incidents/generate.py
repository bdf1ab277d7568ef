"""Realistic incidents and people in any number: the demo's records and benchmark volume.

`Planner` invents them, victim by victim, as plain specs: incident kinds in the proportions
partnerships record them (ASB most, then domestic abuse, hate, sexual violence, CSE concerns),
names from Lancashire's common names, dates of birth, postcodes and places in the 14 CSP areas
(weighted by population, some with an LSOA), dates over three years, several incidents for a
repeat victim (most victims report once, a few many times), a domestic abuse victim's alleged
perpetrator named in each of her incidents, and some victims recorded a second time by another
agency with a misspelt name or a nickname, as the matching work has to find them. Each victim's
flags are worked out with the same rule the save action uses (`repeats.flags_for`).

Two writers use the plan:

- `write_bulk()` (`safer generate-incidents --count N`) is a **benchmark tool**: it writes the
  rows straight into the tables (COPY on PostgreSQL, batched executemany on SQLite) without the
  actions' checks and without the audit log, at hundreds of thousands of rows a second. Every
  generated incident's agency reference starts with "GEN-" so it is never mistaken for a record.
- The demo (`incidents/demo.py`) records a few hundred through the real actions, audited.
"""

from __future__ import annotations

import csv
import io
import json
import random
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from safer.incidents.enums import (
    AbuseType,
    AsbCategory,
    Ethnicity,
    Gender,
    HateStrand,
    IncidentCategory,
    InvolvementRole,
    Outcome,
    Relationship,
    RiskLevel,
    VulnerabilityMarker,
)
from safer.incidents.repeats import Event, Rule, flags_for, flags_text, rules

C = IncidentCategory
# Shares of incidents by kind with a victim named (incidents without a victim, mostly
# environmental and nuisance ASB, are added on top; see NO_VICTIM_SHARE).
CATEGORY_WEIGHTS = {
    C.ASB: 48,
    C.DOMESTIC_ABUSE: 32,
    C.HATE_CRIME: 6,
    C.HATE_INCIDENT: 3,
    C.SEXUAL_VIOLENCE: 7,
    C.CSE_CONCERN: 4,
}
NO_VICTIM_SHARE = 0.08
VICTIM_SHARE_OF_PEOPLE = 0.7
# How many incidents a victim has: most one, a few many (the repeat victims).
INCIDENTS_PER_VICTIM = {1: 55, 2: 20, 3: 10, 4: 7, 5: 3, 6: 2, 7: 1.5, 8: 1.5}
DUPLICATE_SHARE = 0.08  # victims recorded again by another agency (the matching queue's work)

FEMALE = "Olivia Amelia Emily Jessica Sophie Chloe Lauren Hannah Rebecca Sarah Emma Charlotte "
FEMALE += "Laura Amy Gemma Nicola Michelle Lisa Karen Julie Joanne Claire Helen Susan Janet "
FEMALE += "Margaret Patricia Jean Aisha Fatima Zainab Maryam Amina Sana Priya Anjali Agnieszka"
MALE = "Jack Oliver Harry Thomas James Daniel Joshua Matthew Ryan Liam Connor Luke Adam Jordan "
MALE += "Craig Lee Darren Paul Mark Andrew David Michael Stephen John Peter Brian Keith "
MALE += "Mohammed Ahmed Imran Bilal Hamza Usman Ravi Sanjay Tomasz Piotr"
FAMILY = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
FAMILY += "Walker White Roberts Green Hall Wood Jackson Clarke Holden Ashworth Haworth Whittaker "
FAMILY += "Nuttall Pilkington Entwistle Duckworth Hargreaves Greenwood Sutcliffe Ainsworth "
FAMILY += "Hindle Crossley Heys Ormerod Riley Kay Cowell Marsden Kenyon Bamber Fazackerley "
FAMILY += "Patel Khan Ali Hussain Ahmed Akhtar Begum Mahmood Shah Iqbal Mistry Kowalski Nowak"
NICKNAMES = {
    "Margaret": "Maggie",
    "Patricia": "Pat",
    "Rebecca": "Becky",
    "Jessica": "Jess",
    "Susan": "Sue",
    "Nicola": "Nicky",
    "Michelle": "Shelley",
    "Joanne": "Jo",
    "Charlotte": "Lottie",
    "Thomas": "Tom",
    "James": "Jim",
    "Daniel": "Dan",
    "Matthew": "Matt",
    "Michael": "Mick",
    "Stephen": "Steve",
    "Andrew": "Andy",
    "David": "Dave",
    "Joshua": "Josh",
    "Peter": "Pete",
    "Mohammed": "Mo",
}
ETHNICITY_WEIGHTS = {
    Ethnicity.WHITE_BRITISH: 84,
    Ethnicity.WHITE_OTHER: 3,
    Ethnicity.WHITE_IRISH: 1,
    Ethnicity.ASIAN_PAKISTANI: 4,
    Ethnicity.ASIAN_INDIAN: 3,
    Ethnicity.ASIAN_BANGLADESHI: 1,
    Ethnicity.MIXED_WHITE_ASIAN: 1,
    Ethnicity.BLACK_AFRICAN: 1,
    Ethnicity.NOT_STATED: 2,
}
STREETS = "Church Street|Victoria Road|Park Road|Station Road|Queen Street|King Street|Albert "
STREETS += "Road|Manchester Road|Blackburn Road|Mill Lane|Chapel Street|Market Street|Garden "
STREETS += "Street|Moor Lane|Bank Terrace|Union Street|Water Street|Cross Street|Railway Road"
# Postcode districts in each CSP area (by ONS code), so an address's postcode fits its area.
POSTCODE_DISTRICTS = {
    "E06000008": ["BB1", "BB2", "BB3"],
    "E06000009": ["FY1", "FY2", "FY3", "FY4"],
    "E07000117": ["BB10", "BB11", "BB12"],
    "E07000118": ["PR6", "PR7"],
    "E07000119": ["FY8"],
    "E07000120": ["BB5"],
    "E07000121": ["LA1", "LA2", "LA3", "LA4", "LA5"],
    "E07000122": ["BB8", "BB9"],
    "E07000123": ["PR1", "PR2"],
    "E07000124": ["BB7"],
    "E07000125": ["BB4"],
    "E07000126": ["PR5", "PR25", "PR26"],
    "E07000127": ["L39", "L40", "WN8"],
    "E07000128": ["FY5", "FY6", "FY7", "PR3"],
}
SUMMARIES = {
    C.ASB: {
        AsbCategory.PERSONAL: [
            "Neighbour shouting abuse and banging on the walls late at night.",
            "Group of youths targeting her home, throwing eggs at the windows.",
            "Repeated verbal abuse in the street from a neighbour's visitors.",
        ],
        AsbCategory.NUISANCE: [
            "Loud music from a neighbouring flat past midnight.",
            "Youths gathering and drinking outside the shops, intimidating customers.",
            "Off-road bikes ridden on the estate and across the park.",
        ],
        AsbCategory.ENVIRONMENTAL: [
            "Fly-tipping of household waste on the back street.",
            "Graffiti sprayed on the bus shelter and the community centre.",
            "Fire set in a wheelie bin behind the terrace.",
        ],
    },
    C.DOMESTIC_ABUSE: [
        "Assault by her partner at home after an argument.",
        "Ex-partner turned up at her address and refused to leave; threats made.",
        "Controlling behaviour: partner keeps her bank card and phone.",
        "Repeated unwanted messages and calls from an ex-partner.",
    ],
    C.HATE_CRIME: [
        "Assaulted in the street with abuse about his religion.",
        "Windows of the family home smashed; racist words shouted.",
        "Threatened on the bus with homophobic abuse.",
    ],
    C.HATE_INCIDENT: [
        "Abusive remarks about her disability from a group outside the shop.",
        "Racist comments shouted from a passing car.",
    ],
    C.SEXUAL_VIOLENCE: ["Sexual assault reported after a night out.", "Historic sexual abuse."],
    C.CSE_CONCERN: [
        "Concern: child seen getting into cars with older men after school.",
        "Concern: child going missing overnight and returning with new phone and gifts.",
    ],
}


@dataclass(frozen=True)
class Place:
    """A CSP area as the generator uses it."""

    area_id: int
    ons_code: str
    name: str
    weight: float
    council_id: int
    lsoas: tuple[str, ...] = ()


# Chooses the organisation that records a victim's incidents: (rng, main kind, home area).
Recorder = Callable[[random.Random, str, Place], int]


@dataclass(slots=True)
class PersonSpec:
    key: int
    organisation_id: int
    given_name: str
    family_name: str
    date_of_birth: date | None
    gender: str
    ethnicity: str
    vulnerability_markers: list[str]
    address: str
    postcode: str
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class IncidentSpec:
    key: int
    organisation_id: int
    category: str
    occurred_on: date
    area_id: int | None
    lsoa_id: str | None
    location: str
    summary: str
    agency_reference: str
    asb_category: str = ""
    abuse_types: list[str] = field(default_factory=list)
    relationship: str = ""
    hate_strands: list[str] = field(default_factory=list)
    alcohol_involved: bool | None = None
    drugs_involved: bool | None = None
    outcome: str = Outcome.OPEN
    risk_level: str = ""
    # (person key, role, flags the rules give the person here)
    people: list[tuple[int, str, list[str]]] = field(default_factory=list)


@dataclass(slots=True)
class Group:
    """One victim with their incidents and the other people named in them (or, with no
    victim, incidents nobody in particular suffered)."""

    people: list[PersonSpec]
    incidents: list[IncidentSpec]


class Weighted:
    """Values drawn in proportion to their weights (bisecting cumulative weights: the
    generator draws millions of these)."""

    def __init__(self, weights: dict[Any, float]) -> None:
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect(self.cumulative, rng.random() * self.total)]


def _pick(rng: random.Random, weights: Weighted) -> Any:
    return weights(rng)


ASB_WITH_VICTIM = Weighted({"personal": 30, "nuisance": 55, "environmental": 15})
ASB_WITHOUT_VICTIM = Weighted({"nuisance": 60, "environmental": 40})
ASB_RISK = Weighted({"standard": 70, "medium": 22, "high": 8})
DA_RISK = Weighted({"standard": 55, "medium": 30, "high": 15})
RELATIONSHIPS = Weighted(
    {
        Relationship.PARTNER: 40,
        Relationship.EX_PARTNER: 35,
        Relationship.PARENT: 4,
        Relationship.CHILD: 8,
        Relationship.SIBLING: 4,
        Relationship.OTHER_FAMILY: 6,
        Relationship.NOT_KNOWN: 3,
    }
)
ABUSE_TYPES = Weighted(
    {
        AbuseType.PHYSICAL: 35,
        AbuseType.PSYCHOLOGICAL: 30,
        AbuseType.COERCIVE_CONTROL: 15,
        AbuseType.STALKING: 8,
        AbuseType.FINANCIAL: 5,
        AbuseType.SEXUAL: 5,
        AbuseType.HONOUR_BASED: 1,
        AbuseType.FORCED_MARRIAGE: 1,
    }
)
STRANDS = Weighted(
    {
        HateStrand.RACE: 74,
        HateStrand.SEXUAL_ORIENTATION: 11,
        HateStrand.RELIGION: 9,
        HateStrand.DISABILITY: 5,
        HateStrand.TRANSGENDER: 2,
    }
)
OUTCOMES = Weighted(
    {
        Outcome.NO_FURTHER_ACTION: 30,
        Outcome.ADVICE: 20,
        Outcome.REFERRED: 15,
        Outcome.CIVIL_ACTION: 8,
        Outcome.CHARGED: 10,
        Outcome.OUT_OF_COURT: 5,
        Outcome.VICTIM_DECLINED: 12,
    }
)
OTHER_ROLES = Weighted({InvolvementRole.WITNESS: 3, InvolvementRole.REPORTER: 1})
CATEGORIES = Weighted(CATEGORY_WEIGHTS)  # type: ignore[arg-type]
ETHNICITIES = Weighted(ETHNICITY_WEIGHTS)  # type: ignore[arg-type]


def _typo(rng: random.Random, name: str) -> str:
    """A name as another agency might have typed it: a letter dropped, doubled or swapped."""
    if len(name) < 4:
        return name + name[-1]
    at = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:at] + name[at + 1 :]
    if kind == 1:
        return name[:at] + name[at] + name[at:]
    return name[: at - 1] + name[at] + name[at - 1] + name[at + 1 :]


class Planner:
    """Invents the records for `count` incidents and `people` people, reproducibly (`seed`)."""

    def __init__(
        self,
        *,
        count: int,
        people: int,
        places: Sequence[Place],
        recorder: Recorder,
        end: date,
        start: date | None = None,
        seed: int = 5,
        rule_set: Sequence[Rule] | None = None,
        reference_prefix: str = "GEN",
    ) -> None:
        if count < 0 or people < 0:
            raise ValueError("The numbers of incidents and people cannot be negative.")
        if not places:
            raise ValueError("There are no CSP areas: run `safer load-agreement` first.")
        self.rng = random.Random(seed)  # noqa: S311 - invented data, not security
        self.count, self.people_wanted = count, people
        self.places = list(places)
        self.place_weights = Weighted({place: place.weight for place in self.places})
        self.recorder = recorder
        self.end = end
        self.start = start or end - timedelta(days=3 * 365 - 1)  # three years by default
        self.rule_set = list(rule_set if rule_set is not None else rules())
        self.prefix = reference_prefix
        self.female, self.male = FEMALE.split(), MALE.split()
        self.family, self.streets = FAMILY.split(), STREETS.split("|")
        self.recent: list[PersonSpec] = []  # victims a second agency may record again
        self.person_key = 0
        self.incident_key = 0

    # --- how many of what -------------------------------------------------------------

    def victim_counts(self) -> list[int]:
        """Incidents per victim, summing exactly to the incidents that have a victim."""
        rng = self.rng
        with_victim = self.count - round(self.count * NO_VICTIM_SHARE)
        victims = min(round(self.people_wanted * VICTIM_SHARE_OF_PEOPLE), with_victim)
        if victims == 0:
            return []
        sizes, weights = list(INCIDENTS_PER_VICTIM), list(INCIDENTS_PER_VICTIM.values())
        counts = rng.choices(sizes, weights=weights, k=victims)
        difference = with_victim - sum(counts)
        while difference > 0:
            counts[rng.randrange(victims)] += 1
            difference -= 1
        while difference < 0:
            at = rng.randrange(victims)
            if counts[at] > 1:
                counts[at] -= 1
                difference += 1
        return counts

    def groups(self) -> Iterator[Group]:
        counts = self.victim_counts()
        victims = len(counts)
        others_left = self.people_wanted - victims
        no_victim_left = self.count - sum(counts)
        for index, size in enumerate(counts):
            remaining = victims - index
            others = others_left if remaining == 1 else self._share(others_left, remaining)
            loose = no_victim_left if remaining == 1 else self._share(no_victim_left, remaining)
            group = self.victim_group(size, others)
            others_left -= len(group.people) - 1
            no_victim_left -= loose
            yield group
            if loose:
                yield Group([], [self.incident_without_victim() for _ in range(loose)])
        if no_victim_left:
            yield Group([], [self.incident_without_victim() for _ in range(no_victim_left)])
        # People beyond what the incidents can name: recorded, as agencies do, with no
        # incident yet (a contact, a person of concern).
        while others_left > 0:
            batch = min(others_left, 1000)
            place = self._place()
            organisation = self.recorder(self.rng, C.ASB, place)
            yield Group(
                [
                    self.person(organisation, place, age=self.rng.randint(18, 70))
                    for _ in range(batch)
                ],
                [],
            )
            others_left -= batch

    def _share(self, total: int, parts: int) -> int:
        """An unbiased whole share of `total` over `parts` (so the totals come out exact)."""
        whole, fraction = divmod(total, parts)
        return whole + (1 if self.rng.random() * parts < fraction else 0)

    # --- people -----------------------------------------------------------------------

    def _place(self) -> Place:
        return _pick(self.rng, self.place_weights)  # type: ignore[no-any-return]

    def _key(self) -> int:
        self.person_key += 1
        return self.person_key

    def person(
        self,
        organisation_id: int,
        place: Place,
        *,
        age: int,
        gender: str | None = None,
        on: date | None = None,
    ) -> PersonSpec:
        rng = self.rng
        gender = gender or rng.choice([Gender.FEMALE, Gender.MALE])
        given = rng.choice(self.female if gender == Gender.FEMALE else self.male)
        born = None
        if rng.random() > 0.05:
            born = (on or self.end) - timedelta(days=age * 365 + rng.randrange(365))
        district = rng.choice(POSTCODE_DISTRICTS.get(place.ons_code, ["PR1"]))
        postcode = (
            f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        )
        markers: list[str] = []
        if rng.random() < 0.12:
            if age < 18:
                markers = [VulnerabilityMarker.CHILD]
            elif age >= 70:
                markers = [VulnerabilityMarker.OLDER_PERSON]
            else:
                markers = [
                    rng.choice(
                        [
                            VulnerabilityMarker.MENTAL_HEALTH,
                            VulnerabilityMarker.LEARNING_DISABILITY,
                            VulnerabilityMarker.DISABILITY,
                            VulnerabilityMarker.SUBSTANCE_MISUSE,
                            VulnerabilityMarker.ISOLATION,
                        ]
                    )
                ]
        return PersonSpec(
            key=self._key(),
            organisation_id=organisation_id,
            given_name=given,
            family_name=rng.choice(self.family),
            date_of_birth=born,
            gender=gender,
            ethnicity=_pick(rng, ETHNICITIES),
            vulnerability_markers=markers,
            address=f"{rng.randint(1, 180)} {rng.choice(self.streets)}\n{place.name}",
            postcode=postcode,
        )

    def again(self, original: PersonSpec, organisation_id: int) -> PersonSpec:
        """The same person recorded by another agency: a misspelt name or a nickname, and
        now and then the day and month of birth swapped."""
        rng = self.rng
        given, family = original.given_name, original.family_name
        roll = rng.random()
        if roll < 0.3 and given in NICKNAMES:
            given = NICKNAMES[given]
        elif roll < 0.65:
            family = _typo(rng, family)
        else:
            given = _typo(rng, given)
        born = original.date_of_birth
        if born is not None and rng.random() < 0.1 and born.day <= 12:
            born = born.replace(month=born.day, day=born.month)
        return PersonSpec(
            key=self._key(),
            organisation_id=organisation_id,
            given_name=given,
            family_name=family,
            date_of_birth=born,
            gender=original.gender,
            ethnicity=original.ethnicity,
            vulnerability_markers=list(original.vulnerability_markers),
            address=original.address,
            postcode=original.postcode,
        )

    # --- incidents --------------------------------------------------------------------

    def _dates(self, size: int) -> list[date]:
        """A victim's incident dates: the first anywhere in the years, the rest weeks apart."""
        rng = self.rng
        span = (self.end - self.start).days
        day = self.start + timedelta(days=rng.randrange(span + 1))
        days = [day]
        for _ in range(size - 1):
            day = day + timedelta(days=1 + int(rng.expovariate(1 / 45)))
            if day > self.end:
                day = self.start + timedelta(days=rng.randrange(span + 1))
            days.append(day)
        return sorted(days)

    def incident(
        self, organisation_id: int, category: str, day: date, place: Place, *, victim: bool
    ) -> IncidentSpec:
        rng = self.rng
        self.incident_key += 1
        spec = IncidentSpec(
            key=self.incident_key,
            organisation_id=organisation_id,
            category=category,
            occurred_on=day,
            area_id=place.area_id if rng.random() > 0.03 else None,
            lsoa_id=None,
            location=f"{rng.choice(self.streets)}, {place.name}",
            summary="",
            agency_reference=f"{self.prefix}-{organisation_id}-{day.year}-{self.incident_key:07d}",
        )
        if spec.area_id is not None and place.lsoas and rng.random() < 0.75:
            spec.lsoa_id = rng.choice(place.lsoas)
        if category == C.ASB:
            spec.asb_category = (
                _pick(rng, ASB_WITH_VICTIM) if victim else _pick(rng, ASB_WITHOUT_VICTIM)
            )
            spec.summary = rng.choice(SUMMARIES[C.ASB][AsbCategory(spec.asb_category)])  # type: ignore[index]
            if spec.asb_category == AsbCategory.PERSONAL:
                spec.risk_level = _pick(rng, ASB_RISK)
        else:
            spec.summary = rng.choice(SUMMARIES[C(category)])  # type: ignore[arg-type]
        if category == C.DOMESTIC_ABUSE:
            spec.relationship = _pick(rng, RELATIONSHIPS)
            spec.abuse_types = sorted({_pick(rng, ABUSE_TYPES) for _ in range(rng.randint(1, 3))})
            spec.risk_level = _pick(rng, DA_RISK)
        if category in (C.HATE_CRIME, C.HATE_INCIDENT):
            spec.hate_strands = sorted(
                {_pick(rng, STRANDS) for _ in range(2 if rng.random() < 0.08 else 1)}
            )
        if rng.random() > 0.3:
            spec.alcohol_involved = rng.random() < (0.4 if category == C.DOMESTIC_ABUSE else 0.2)
            spec.drugs_involved = rng.random() < 0.12
        recent = (self.end - day).days < 60
        spec.outcome = Outcome.OPEN if recent and rng.random() < 0.6 else _pick(rng, OUTCOMES)
        return spec

    def incident_without_victim(self) -> IncidentSpec:
        place = self._place()
        span = (self.end - self.start).days
        day = self.start + timedelta(days=self.rng.randrange(span + 1))
        return self.incident(self.recorder(self.rng, C.ASB, place), C.ASB, day, place, victim=False)

    def victim_group(self, size: int, others: int) -> Group:
        rng = self.rng
        main = _pick(rng, CATEGORIES)
        days = self._dates(size)
        age = {
            C.CSE_CONCERN: rng.randint(11, 16),
            C.DOMESTIC_ABUSE: rng.randint(17, 62),
            C.SEXUAL_VIOLENCE: rng.randint(16, 50),
        }.get(main, rng.randint(16, 88))
        gender = (
            Gender.FEMALE
            if main in (C.DOMESTIC_ABUSE, C.SEXUAL_VIOLENCE, C.CSE_CONCERN) and rng.random() < 0.8
            else None
        )
        if self.recent and rng.random() < DUPLICATE_SHARE:
            original = rng.choice(self.recent)
            home = next(
                (p for p in self.places if original.address.endswith(p.name)), self._place()
            )
            organisation = self.recorder(rng, main, home)
            victim = self.again(original, organisation)
        else:
            home = self._place()
            organisation = self.recorder(rng, main, home)
            victim = self.person(organisation, home, age=age, gender=gender, on=days[0])
            if len(self.recent) < 5000:
                self.recent.append(victim)
            else:
                self.recent[rng.randrange(5000)] = victim
        incidents = []
        for day in days:
            category = main if rng.random() < 0.8 else _pick(rng, CATEGORIES)
            if category == C.CSE_CONCERN and main != C.CSE_CONCERN:
                category = main
            place = home if rng.random() < 0.9 else self._place()
            incidents.append(self.incident(organisation, category, day, place, victim=True))
        history = [
            Event(spec.key, spec.category, spec.occurred_on, spec.risk_level == RiskLevel.HIGH)
            for spec in incidents
        ]
        vulnerable = any(
            m != VulnerabilityMarker.REPEAT_VICTIM for m in victim.vulnerability_markers
        )
        flags = flags_for(history, vulnerable=vulnerable, rule_set=self.rule_set)
        for spec in incidents:
            spec.people.append((victim.key, InvolvementRole.VICTIM, flags[spec.key]))
        people = [victim]
        if others:
            abusive = [spec for spec in incidents if spec.category == C.DOMESTIC_ABUSE]
            if abusive:
                partner = self.person(
                    organisation,
                    home,
                    age=max(17, age + rng.randint(-5, 8)),
                    gender=Gender.MALE if victim.gender == Gender.FEMALE else None,
                )
                people.append(partner)
                for spec in abusive:
                    spec.people.append((partner.key, InvolvementRole.PERPETRATOR, []))
            while len(people) - 1 < others:
                spec = rng.choice(incidents)
                if len(spec.people) >= 4:
                    spec = min(incidents, key=lambda s: len(s.people))
                role = (
                    InvolvementRole.PERPETRATOR
                    if len(spec.people) == 1
                    and spec.category != C.CSE_CONCERN
                    and rng.random() < 0.5
                    else _pick(rng, OTHER_ROLES)
                )
                other = self.person(organisation, home, age=rng.randint(16, 75))
                people.append(other)
                spec.people.append((other.key, role, []))
        return Group(people, incidents)


def lancashire_places() -> list[Place]:
    """The CSP areas in the database, weighted by population, with their LSOAs if loaded."""
    from safer.crimedata.models import Lsoa
    from safer.partnership.models import CspArea

    lsoas: dict[int, list[str]] = {}
    for code, area_id in Lsoa.objects.values_list("code", "area_id").order_by("code"):
        lsoas.setdefault(area_id, []).append(code)
    return [
        Place(
            area_id=area.pk,
            ons_code=area.ons_code,
            name=area.name,
            weight=float(area.population or 100_000),
            council_id=area.council_id,
            lsoas=tuple(lsoas.get(area.pk, ())),
        )
        for area in CspArea.objects.order_by("name")
    ]


def partnership_recorder() -> Recorder:
    """Who records what across the partnership: the police most, the district council much
    ASB and some hate crime, health, probation, the county council (children's services) and
    the youth offending team the rest."""
    from safer.partnership.models import Organisation

    ids = dict(Organisation.objects.values_list("slug", "pk"))
    police = ids["lancashire-constabulary"]
    county = ids.get("lancashire-county-council", police)
    others = [
        ids[slug]
        for slug in (
            "lancashire-probation-trust",
            "central-lancashire-pct",
            "east-lancashire-pct",
            "north-lancashire-pct",
            "lancashire-yot",
        )
        if slug in ids
    ] or [police]

    def choose(rng: random.Random, category: str, place: Place) -> int:
        roll = rng.random()
        if category == C.ASB:
            return police if roll < 0.45 else place.council_id if roll < 0.92 else county
        if category == C.CSE_CONCERN:
            return police if roll < 0.5 else county if roll < 0.9 else rng.choice(others)
        if category in (C.HATE_CRIME, C.HATE_INCIDENT):
            return police if roll < 0.7 else place.council_id
        return police if roll < 0.8 else rng.choice(others)

    return choose


# --- the bulk writer (benchmark tool) ---------------------------------------------------

_PERSON = [
    "id",
    "organisation_id",
    "recorded_by_id",
    "created_at",
    "updated_at",
    "given_name",
    "family_name",
    "aliases",
    "date_of_birth",
    "gender",
    "ethnicity",
    "safe_contact_methods",
    "contact_notes",
    "vulnerability_markers",
    "restricted",
    "anonymised_at",
]
_ADDRESS = [
    "id",
    "created_at",
    "updated_at",
    "person_id",
    "lines",
    "postcode",
    "moved_in",
    "moved_out",
]
_INCIDENT = [
    "id",
    "organisation_id",
    "recorded_by_id",
    "created_at",
    "updated_at",
    "category",
    "occurred_on",
    "location",
    "summary",
    "area_id",
    "lsoa_id",
    "agency_reference",
    "risk_level",
    "asb_category",
    "abuse_types",
    "relationship",
    "hate_strands",
    "alcohol_involved",
    "drugs_involved",
    "outcome",
    "flagged",
    "victim_flags",
]
_INVOLVEMENT = ["id", "incident_id", "person_id", "role", "flags"]


@dataclass
class _Table:
    """A table's columns: those the generator fills, then any other (added by later work)
    filled with its model default, so the writer keeps working as the models grow."""

    model: type[models.Model]
    columns: list[str]
    extra: tuple[Any, ...]
    text_columns: list[str]

    @classmethod
    def of(cls, model: type[models.Model], filled: list[str]) -> _Table:
        columns, extra, text = list(filled), [], []
        for model_field in model._meta.concrete_fields:
            column = model_field.column
            if (
                isinstance(model_field, models.CharField | models.TextField)
                and not model_field.null
            ):
                text.append(column)
            if column in filled:
                continue
            value = model_field.get_default()
            if isinstance(model_field, models.JSONField):
                value = json.dumps(value)
            else:
                value = model_field.get_db_prep_save(value, connection)
            columns.append(column)
            extra.append(value)
        return cls(model, columns, tuple(extra), text)

    @property
    def name(self) -> str:
        return self.model._meta.db_table


def _next_id(model: type[models.Model]) -> int:
    from django.db.models import Max

    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


class BulkWriter:
    """Writes planned groups straight into the tables, a batch at a time, with ids given
    here (so no row has to be read back) and sequences moved past them at the end."""

    def __init__(self) -> None:
        from safer.incidents.models import Address, Incident, Involvement, Person

        self.postgres = connection.vendor == "postgresql"
        self.tables = {
            "person": _Table.of(Person, _PERSON),
            "address": _Table.of(Address, _ADDRESS),
            "incident": _Table.of(Incident, _INCIDENT),
            "involvement": _Table.of(Involvement, _INVOLVEMENT),
        }
        self.base = {name: _next_id(table.model) - 1 for name, table in self.tables.items()}
        self.involvement_id = self.base["involvement"]
        self.address_id = self.base["address"]
        now = timezone.now()
        self.now: Any = (
            now.isoformat() if self.postgres else connection.ops.adapt_datetimefield_value(now)
        )
        self.rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in self.tables}
        self.written = dict.fromkeys(self.tables, 0)

    def _bool(self, value: bool | None) -> Any:
        if value is None or not self.postgres:
            return value
        return "t" if value else "f"

    def add(self, group: Group) -> None:
        people, addresses = self.rows["person"], self.rows["address"]
        person_base, incident_base = self.base["person"], self.base["incident"]
        extra = self.tables["person"].extra
        false = self._bool(False)
        for person in group.people:
            pk = person_base + person.key
            people.append(
                (
                    pk,
                    person.organisation_id,
                    None,
                    self.now,
                    self.now,
                    person.given_name,
                    person.family_name,
                    json.dumps(person.aliases),
                    person.date_of_birth.isoformat() if person.date_of_birth else None,
                    person.gender,
                    person.ethnicity,
                    "[]",
                    "",
                    json.dumps(person.vulnerability_markers),
                    false,
                    None,
                    *extra,
                )
            )
            self.address_id += 1
            addresses.append(
                (
                    self.address_id,
                    self.now,
                    self.now,
                    pk,
                    person.address,
                    person.postcode,
                    None,
                    None,
                    *self.tables["address"].extra,
                )
            )
        incidents, involvements = self.rows["incident"], self.rows["involvement"]
        extra = self.tables["incident"].extra
        for spec in group.incidents:
            pk = incident_base + spec.key
            text = flags_text(flag for _, _, flags in spec.people for flag in flags)
            incidents.append(
                (
                    pk,
                    spec.organisation_id,
                    None,
                    self.now,
                    self.now,
                    spec.category,
                    spec.occurred_on.isoformat(),
                    spec.location,
                    spec.summary,
                    spec.area_id,
                    spec.lsoa_id,
                    spec.agency_reference,
                    spec.risk_level,
                    spec.asb_category,
                    json.dumps(spec.abuse_types),
                    spec.relationship,
                    json.dumps(spec.hate_strands),
                    self._bool(spec.alcohol_involved),
                    self._bool(spec.drugs_involved),
                    spec.outcome,
                    self._bool(bool(text)),
                    text,
                    *extra,
                )
            )
            for key, role, flags in spec.people:
                self.involvement_id += 1
                involvements.append(
                    (
                        self.involvement_id,
                        pk,
                        person_base + key,
                        role,
                        json.dumps(flags),
                        *self.tables["involvement"].extra,
                    )
                )

    def flush(self) -> None:
        for name in ("person", "address", "incident", "involvement"):
            rows = self.rows[name]
            if rows:
                self._write(self.tables[name], rows)
                self.written[name] += len(rows)
                rows.clear()

    def _write(self, table: _Table, rows: list[tuple[Any, ...]]) -> None:
        columns = ", ".join(table.columns)
        if self.postgres:
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(rows)
            connection.ensure_connection()
            raw: Any = connection.connection
            text = ", ".join(table.text_columns)
            with (
                raw.cursor() as cursor,
                cursor.copy(
                    f"COPY {table.name} ({columns}) FROM STDIN "
                    f"WITH (FORMAT csv, FORCE_NOT_NULL ({text}))"
                ) as copy,
            ):
                copy.write(buffer.getvalue())
            return
        marks = ", ".join(["%s"] * len(table.columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table.name} ({columns}) VALUES ({marks})",  # noqa: S608 - fixed
                rows,
            )

    def finish(self) -> None:
        """Move the id sequences past the rows written and refresh the planner's statistics,
        as after any bulk load."""
        from django.core.management.color import no_style

        models_written = [table.model for table in self.tables.values()]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models_written):
                cursor.execute(statement)
            if self.postgres:
                cursor.execute(f"ANALYZE {', '.join(t.name for t in self.tables.values())}")


@dataclass(frozen=True)
class Generated:
    incidents: int
    people: int
    involvements: int


BATCH = 20_000  # incidents per write


def write_bulk(
    *,
    count: int,
    people: int | None = None,
    end: date | None = None,
    seed: int = 5,
    progress: Callable[[int, int], None] | None = None,
) -> Generated:
    """Generate `count` incidents and `people` people (0.6 a incident unless given) straight
    into the database, in one transaction. A benchmark tool: no checks, no audit log."""
    people = round(count * 0.6) if people is None else people
    planner = Planner(
        count=count,
        people=people,
        places=lancashire_places(),
        recorder=partnership_recorder(),
        end=end or timezone.localdate(),
        seed=seed,
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A generated volume lost in a power cut is generated again.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        writer = BulkWriter()
        pending = 0
        for group in planner.groups():
            writer.add(group)
            pending += len(group.incidents) + len(group.people)
            if pending >= BATCH:
                writer.flush()
                pending = 0
                if progress is not None:
                    progress(writer.written["incident"], count)
        writer.flush()
        writer.finish()
    if progress is not None:
        progress(count, count)
    return Generated(
        incidents=writer.written["incident"],
        people=writer.written["person"],
        involvements=writer.written["involvement"],
    )
