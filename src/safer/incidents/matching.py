"""Matching: finding that two agencies' records are probably the same person.

The rule is the Fellegi-Sunter model of record linkage, as the Ministry of Justice's Splink
implements it (https://moj-analytical-services.github.io/splink/), run on DuckDB in-process:

- Only records held by *different* organisations that are parties to a live sharing agreement
  with each other are compared: an agency already knows its own records, and telling it that an
  agency it has no basis to share with holds a record about its client would itself be a
  disclosure. Anonymised records and records whose processing is restricted are never compared.
- Blocking (which pairs are compared at all, so it scales): the same date of birth; or the same
  postcode of the current address; or the same first three letters of the family name and the
  same year of birth (a typo in the day or month).
- Each pair is scored on given name (the same; the same name by the nickname table in
  `data/nicknames.csv`, so Bob is Robert and Liz is Elizabeth; Jaro-Winkler similar), family name
  (the same; Jaro-Winkler similar), date of birth (the same; one character apart, a typo) and
  postcode (the same; the same outward code). Each level's m and u probabilities are the fixed
  priors in `PRIORS`, so a small partnership gets stable, explainable scores from its first
  record; a partnership with enough records trains its own with `safer match-people --train
  FILE` (u by random sampling, m by expectation maximisation) and points SAFER_MATCHING's
  "model_file" at the result.
- A pair at or above SAFER_MATCHING's "threshold" match probability is *suggested*; a case worker
  confirms or rejects it (`PersonMatch`). Nothing is ever merged.

`suggestions_for` scores one person against candidates found by a database query (used when a
person is recorded); `all_suggestions` scores everyone (used by `safer match-people`).
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import OuterRef, Q, Subquery

if TYPE_CHECKING:
    from splink import Linker

    from safer.incidents.models import Person

NICKNAMES = Path(__file__).resolve().parent / "data" / "nicknames.csv"

# The fixed priors: for each comparison, (m, u) for each level from the closest to "else".
# m: how often the level is seen when the records ARE the same person (typos, nicknames, moves);
# u: how often it is seen by chance between two different people.
PRIORS: dict[str, list[tuple[float, float]]] = {
    # same, nickname, Jaro-Winkler >= 0.92, >= 0.80, else
    # (the commonest girls' names are 1-2% of a cohort, so two people share one about 1 in 100)
    "given_name": [(0.80, 0.01), (0.06, 0.002), (0.07, 0.005), (0.04, 0.03), (0.03, 0.953)],
    # same (Smith is about 1 in 100 people), Jaro-Winkler >= 0.92, >= 0.80, else (a family name
    # changes on marriage)
    "family_name": [(0.85, 0.002), (0.07, 0.002), (0.04, 0.02), (0.04, 0.976)],
    # same (about 1 in 20,000 by chance), one character apart, else
    "date_of_birth": [(0.92, 0.00005), (0.05, 0.001), (0.03, 0.99895)],
    # same, same outward code (the district), else (people move)
    "postcode": [(0.70, 0.0005), (0.10, 0.02), (0.20, 0.9795)],
}
# The chance that two records from different agencies, picked at random, are the same person.
PRIOR_MATCH = 0.0001

# What each level means, in the words the review queue uses.
LEVEL_WORDS: dict[str, list[str]] = {
    "given_name": ["same", "same name (nickname)", "similar", "a little similar", "different"],
    "family_name": ["same", "similar", "a little similar", "different"],
    "date_of_birth": ["same", "one digit different", "different"],
    "postcode": ["same", "same district", "different"],
}
FIELD_LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "postcode": "Postcode",
}
NOT_KNOWN = "not known on one record"

BLOCKING_RULES = [
    "l.date_of_birth = r.date_of_birth",
    "l.postcode = r.postcode",
    "l.family_prefix = r.family_prefix and l.birth_year = r.birth_year",
]


@dataclass(frozen=True)
class PersonRow:
    """What matching knows about one person record: nothing more leaves the database."""

    pk: int
    organisation_id: int
    given_name: str
    family_name: str
    date_of_birth: date | None
    postcode: str


@dataclass(frozen=True)
class Suggestion:
    """Two records (lower pk first) that are probably the same person, and how they compare."""

    person_a: int
    person_b: int
    probability: float
    agreement: dict[str, str]


def threshold() -> float:
    value = float(matching_settings().get("threshold", 0.9))
    if not 0 < value <= 1:
        raise ImproperlyConfigured(f"SAFER_MATCHING threshold must be in (0, 1]; got {value}")
    return value


def matching_settings() -> dict[str, Any]:
    return dict(getattr(settings, "SAFER_MATCHING", {}))


def normal_name(name: str) -> str:
    """A name as compared: lower case, letters only (O'Brien is obrien, Anne-Marie annemarie)."""
    return re.sub(r"[^a-z]", "", name.lower())


def normal_postcode(postcode: str) -> str:
    return re.sub(r"\s", "", postcode.upper())


def canonical_postcode(postcode: str) -> str:
    """A postcode as recorded: upper case, one space before the inward code ("PR1 6QT"); what
    is not the length of a UK postcode (5 to 7 characters) is kept as typed, in upper case."""
    compact = normal_postcode(postcode)
    if 5 <= len(compact) <= 7:
        return f"{compact[:-3]} {compact[-3:]}"
    return postcode.strip().upper()


@cache
def nickname_groups() -> dict[str, frozenset[str]]:
    """Each name in the nickname table, with every name it may stand for or be short for."""
    groups: dict[str, set[str]] = defaultdict(set)
    with NICKNAMES.open(encoding="utf-8") as handle:
        for row in csv.reader(line for line in handle if not line.startswith("#")):
            names = {normal_name(name) for name in row if name.strip()}
            for name in names:
                groups[name] |= names
    return {name: frozenset(forms) for name, forms in groups.items()}


def name_forms(given_name: str) -> list[str]:
    """The given name and the names it is the same as by the nickname table, sorted."""
    name = normal_name(given_name)
    return sorted(nickname_groups().get(name, frozenset()) | {name})


def _levels(field: str, *conditions: Any) -> Any:
    import splink.comparison_level_library as cll

    levels = [cll.NullLevel(field)]
    for condition, (m, u), words in zip(
        [*conditions, cll.ElseLevel()], PRIORS[field], LEVEL_WORDS[field], strict=True
    ):
        levels.append(condition.configure(m_probability=m, u_probability=u, label_for_charts=words))
    return levels


def splink_settings() -> Any:
    """The Splink model with the fixed priors (PRIORS, PRIOR_MATCH)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator
    from splink.blocking_rule_library import CustomRule

    def comparison(field: str, *conditions: Any) -> Any:
        return cl.CustomComparison(
            output_column_name=field, comparison_levels=_levels(field, *conditions)
        )

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="pk",
        probability_two_random_records_match=PRIOR_MATCH,
        comparisons=[
            comparison(
                "given_name",
                cll.ExactMatchLevel("given_name"),
                cll.ArrayIntersectLevel("name_forms", min_intersection=1),
                cll.JaroWinklerLevel("given_name", 0.92),
                cll.JaroWinklerLevel("given_name", 0.80),
            ),
            comparison(
                "family_name",
                cll.ExactMatchLevel("family_name"),
                cll.JaroWinklerLevel("family_name", 0.92),
                cll.JaroWinklerLevel("family_name", 0.80),
            ),
            comparison(
                "date_of_birth",
                cll.ExactMatchLevel("date_of_birth"),
                cll.DamerauLevenshteinLevel("date_of_birth", 1),
            ),
            comparison(
                "postcode",
                cll.ExactMatchLevel("postcode"),
                cll.ExactMatchLevel("outward_code"),
            ),
        ],
        blocking_rules_to_generate_predictions=[
            CustomRule(f"{rule} and l.organisation_id <> r.organisation_id")
            for rule in BLOCKING_RULES
        ],
        retain_intermediate_calculation_columns=False,
    )


def _frame(rows: Iterable[PersonRow]) -> Any:
    import pandas as pd

    records = []
    for row in rows:
        family = normal_name(row.family_name)
        postcode = normal_postcode(row.postcode)
        records.append(
            {
                "pk": row.pk,
                "organisation_id": row.organisation_id,
                "given_name": normal_name(row.given_name) or None,
                "name_forms": name_forms(row.given_name) if normal_name(row.given_name) else None,
                "family_name": family or None,
                "family_prefix": family[:3] or None,
                "date_of_birth": row.date_of_birth.isoformat() if row.date_of_birth else None,
                "birth_year": row.date_of_birth.year if row.date_of_birth else None,
                "postcode": postcode or None,
                "outward_code": postcode[:-3] if len(postcode) > 4 else None,
            }
        )
    columns = [
        "pk",
        "organisation_id",
        "given_name",
        "name_forms",
        "family_name",
        "family_prefix",
        "date_of_birth",
        "birth_year",
        "postcode",
        "outward_code",
    ]
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.astype({"pk": "int64", "organisation_id": "int64", "birth_year": "Int64"})


def _linker(rows: Sequence[PersonRow]) -> Linker:
    from splink import DuckDBAPI, Linker

    model_file = matching_settings().get("model_file") or ""
    model: Any = splink_settings()
    if model_file:
        try:
            model = json.loads(Path(model_file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"SAFER_MATCHING model_file {model_file}: cannot read it ({exc})"
            ) from exc
    return Linker(_frame(rows), model, db_api=DuckDBAPI())


def _agreement(record: dict[str, Any]) -> dict[str, str]:
    found = {}
    for field, words in LEVEL_WORDS.items():
        gamma = record.get(f"gamma_{field}")
        if gamma is None or gamma < 0:
            found[field] = NOT_KNOWN
        else:
            # Splink numbers a comparison's levels from "else" (0) up to the closest.
            found[field] = words[len(words) - 1 - int(gamma)]
    return found


def _quiet_splink() -> None:
    """Splink logs each step's timing at INFO; a web request or a test does not want them."""
    import logging

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("splink"):
            logging.getLogger(name).setLevel(logging.WARNING)


def score(
    rows: Sequence[PersonRow],
    *,
    may_compare: Callable[[int, int], bool],
    involving: set[int] | None = None,
) -> list[Suggestion]:
    """Every pair among `rows` (of organisations that `may_compare`, and including one of
    `involving` if given) at or above the threshold, most probable first."""
    if len(rows) < 2:
        return []
    linker = _linker(rows)
    _quiet_splink()
    organisation = {row.pk: row.organisation_id for row in rows}
    predictions = linker.inference.predict(threshold_match_probability=threshold())
    suggestions = []
    for record in predictions.as_record_dict():
        left, right = int(record["pk_l"]), int(record["pk_r"])
        if involving is not None and not ({left, right} & involving):
            continue
        if not may_compare(organisation[left], organisation[right]):
            continue
        suggestions.append(
            Suggestion(
                person_a=min(left, right),
                person_b=max(left, right),
                probability=round(float(record["match_probability"]), 6),
                agreement=_agreement(record),
            )
        )
    predictions.drop_table_from_database_and_remove_from_cache()
    return sorted(suggestions, key=lambda s: (-s.probability, s.person_a, s.person_b))


def partner_organisations() -> dict[int, set[int]]:
    """Each organisation's partners: the organisations it is party to a live sharing agreement
    with. Only records of partners are compared."""
    from safer.accounts.models import SharingAgreement

    partners: dict[int, set[int]] = defaultdict(set)
    parties: dict[int, set[int]] = defaultdict(set)
    for agreement_id, organisation_id in SharingAgreement.objects.live().values_list(
        "pk", "parties"
    ):
        if organisation_id is not None:
            parties[agreement_id].add(organisation_id)
    for members in parties.values():
        for organisation_id in members:
            partners[organisation_id] |= members - {organisation_id}
    return partners


def _may_compare(partners: dict[int, set[int]]) -> Callable[[int, int], bool]:
    return lambda left, right: left != right and right in partners.get(left, set())


def _rows(people: Any) -> list[PersonRow]:
    """What matching compares of these people (not anonymised, not restricted), with the
    postcode of their current address."""
    from safer.incidents.models import Address

    postcode = Address.objects.filter(person=OuterRef("pk"), moved_out__isnull=True).order_by(
        "-moved_in", "-pk"
    )
    return [
        PersonRow(pk, organisation_id, given, family, born, current or "")
        for pk, organisation_id, given, family, born, current in people.filter(
            anonymised_at__isnull=True, restricted=False
        )
        .annotate(current_postcode=Subquery(postcode.values("postcode")[:1]))
        .values_list(
            "pk",
            "organisation_id",
            "given_name",
            "family_name",
            "date_of_birth",
            "current_postcode",
        )
        .order_by("pk")
        .iterator(chunk_size=5000)
    ]


def candidates(person: Person, partners: Iterable[int]) -> Any:
    """People of partner organisations that the blocking rules would compare with `person`:
    an indexed database query (date of birth; current postcode), so matching one person does
    not load everyone."""
    from safer.incidents.models import Address, Person

    rows = _rows(Person.objects.filter(pk=person.pk))
    if not rows:
        return Person.objects.none()
    row = rows[0]
    near = Q()
    if row.date_of_birth is not None:
        near |= Q(date_of_birth=row.date_of_birth)
        family = row.family_name.strip()[:3]
        if family:
            # __year on a date is a BETWEEN on the date of birth index.
            near |= Q(date_of_birth__year=row.date_of_birth.year, family_name__istartswith=family)
    if row.postcode:
        spellings = {
            row.postcode.upper(),
            normal_postcode(row.postcode),
            canonical_postcode(row.postcode),
        }
        near |= Q(
            pk__in=Address.objects.filter(postcode__in=spellings, moved_out__isnull=True).values(
                "person_id"
            )
        )
    if not near:
        return Person.objects.none()
    return Person.objects.filter(near, organisation_id__in=list(partners))


def suggestions_for(person: Person) -> list[Suggestion]:
    """The suggested matches for one person, against partner organisations' records."""
    partners = partner_organisations()
    mine = partners.get(person.organisation_id, set())
    if not mine:
        return []
    found = _rows(candidates(person, mine))
    if not found:
        return []
    own = _rows(type(person).objects.filter(pk=person.pk))
    return score([*own, *found], may_compare=_may_compare(partners), involving={person.pk})


def all_suggestions(progress: Callable[[int, str], None] | None = None) -> list[Suggestion]:
    """Every suggested match between partner organisations' records."""
    from safer.incidents.models import Person

    report = progress or (lambda percent, message: None)
    partners = partner_organisations()
    report(5, "Reading people")
    rows = _rows(Person.objects.filter(organisation_id__in=list(partners)))
    report(30, f"Comparing {len(rows):,} people")
    return score(rows, may_compare=_may_compare(partners))


MIN_TRAINING_PEOPLE = 1000


def train(seed: int = 2011) -> dict[str, Any]:
    """Estimate the model's m and u probabilities from the partnership's own records: u by
    random sampling, m by expectation maximisation (blocked on date of birth, then on family
    name). Returns a Splink model (JSON-able) for SAFER_MATCHING's "model_file"."""
    from splink import DuckDBAPI, Linker

    from safer.incidents.models import Person

    rows = _rows(Person.objects.all())
    if len(rows) < MIN_TRAINING_PEOPLE:
        raise ValueError(
            f"Training needs at least {MIN_TRAINING_PEOPLE:,} people; there are {len(rows):,}. "
            "Keep the fixed priors until there are more."
        )
    linker = Linker(_frame(rows), splink_settings(), db_api=DuckDBAPI())
    linker.training.estimate_u_using_random_sampling(max_pairs=1_000_000, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        "l.date_of_birth = r.date_of_birth", fix_u_probabilities=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        "l.family_name = r.family_name", fix_u_probabilities=True
    )
    return dict(linker.misc.save_model_to_json())


def linked_person_ids(person_id: int) -> set[int]:
    """The person and every record linked to them by confirmed matches, directly or through
    another confirmed match (a chain of agencies' records of one person)."""
    from safer.incidents.enums import MatchStatus
    from safer.incidents.models import PersonMatch

    found, frontier = {person_id}, {person_id}
    while frontier:
        pairs = PersonMatch.objects.filter(
            Q(person_a__in=frontier) | Q(person_b__in=frontier), status=MatchStatus.CONFIRMED
        ).values_list("person_a", "person_b")
        frontier = {pk for pair in pairs for pk in pair} - found
        found |= frontier
    return found


def describe_agreement(agreement: dict[str, str]) -> list[tuple[str, str]]:
    """The agreement as (label, words) rows for the review queue, in a fixed order."""
    return [(label, agreement.get(field, NOT_KNOWN)) for field, label in FIELD_LABELS.items()]
