"""Benchmark: matching the same person across agencies (incidents/matching.py, Splink on DuckDB).

    .venv/bin/python bench/matching.py [--people 100000] [--duplicates 0.05]

Builds a throwaway SQLite database (or uses DATABASE_URL) of people spread over four partner
organisations under one live sharing agreement, with names drawn from a pool (so many people
share names and birthdays by chance) and a share of them recorded again by another
organisation with a typo, a nickname, a moved address or a mistyped birthday. Names come from
small pools (35 given names, about a thousand family names) and postcodes from 36,000, so
namesakes are commoner than in life and precision is a floor. Prints:

- `safer match-people`'s work (`do_suggest_matches()` for everyone): seconds, people per
  second, and precision and recall against the planted duplicates;
- the background task for one person just recorded (`suggestions_for`), the mean of 20.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("SAFER_VAR_DIR", tempfile.mkdtemp(prefix="safer-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safer.settings")
os.environ.setdefault("SAFER_MATCH_ON_RECORD", "0")  # people are bulk-created below

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

GIVEN = [
    "Janet",
    "Margaret",
    "Elizabeth",
    "Susan",
    "Patricia",
    "Catherine",
    "Sarah",
    "Emma",
    "Grace",
    "Amina",
    "Fatima",
    "Jade",
    "Chloe",
    "Robert",
    "William",
    "John",
    "David",
    "Michael",
    "James",
    "Thomas",
    "Mohammed",
    "Daniel",
    "Ryan",
    "Liam",
    "Paul",
    "Andrew",
    "Stephen",
    "Kathleen",
    "Rebecca",
    "Samantha",
    "Christine",
    "Deborah",
    "Jennifer",
    "Victoria",
    "Abigail",
]
FAMILY = [
    "Holden",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Hussain",
    "Ali",
    "Shaw",
    "Ashworth",
    "Barton",
    "Clegg",
    "Dewhurst",
    "Eccles",
    "Fletcher",
    "Hargreaves",
    "Pilling",
    "Whittaker",
    "Livesey",
]
# Family names from parts, about a thousand of them, so a full name is shared by chance about as
# often as in a county (a tiny pool would make namesakes at one postcode common).
ENDINGS = ["", "s", "son", "ley", "ton", "field", "worth", "ham", "by", "er", "well", "den"]
ENDINGS += ["ford", "wood", "hurst", "shaw", "more", "gate", "thorpe", "croft", "dale", "lee"]
ENDINGS += ["wick", "land", "stone", "brook", "cliffe", "row", "ridge"]
NICK = {"Elizabeth": "Liz", "Robert": "Bob", "Catherine": "Kath", "William": "Bill"}


def typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name))
    return name[:i] + name[i] + name[i:] if rng.random() < 0.5 else name[:i] + name[i + 1 :]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--duplicates", type=float, default=0.05)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from safer.accounts.actions import do_create_sharing_agreement
    from safer.accounts.enums import DataCategory, LegalBasis
    from safer.incidents.actions import do_suggest_matches
    from safer.incidents.matching import suggestions_for
    from safer.incidents.models import Address, Person, PersonMatch
    from safer.partnership.models import Organisation

    organisations = [
        Organisation.objects.create(
            slug=f"org-{i}", name=f"Org {i}", kind="statutory", sector="police"
        )
        for i in range(4)
    ]
    do_create_sharing_agreement(
        title="Bench",
        parties=organisations,
        purpose="Bench",
        legal_basis=LegalBasis.CDA_1998_S115,
        data_categories=[DataCategory.IDENTITY],
        starts_on=timezone.localdate() - timedelta(days=1),
        review_on=timezone.localdate() + timedelta(days=300),
        acting_user=None,
    )
    rng = random.Random(2011)  # noqa: S311 - made-up people, not secrets
    people: list[tuple[Person, str]] = []
    planted: list[tuple[int, int]] = []  # index pairs
    for i in range(args.people):
        if people and rng.random() < args.duplicates:
            j = rng.randrange(len(people))
            original, postcode = people[j]
            given, family, born = original.given_name, original.family_name, original.date_of_birth
            change = rng.choice(["typo-given", "typo-family", "nickname", "moved", "birthday"])
            if change == "typo-given":
                given = typo(given, rng)
            elif change == "typo-family":
                family = typo(family, rng)
            elif change == "nickname":
                given = NICK.get(given, typo(given, rng))
            elif change == "moved":
                postcode = f"PR{rng.randint(1, 9)} {rng.randint(1, 9)}ZZ"
            elif born is not None:
                born = born.replace(day=min(28, born.month))
            organisation = organisations[(original.organisation_id + 1) % 4]
            people.append(
                (
                    Person(
                        given_name=given,
                        family_name=family,
                        date_of_birth=born,
                        organisation=organisation,
                    ),
                    postcode,
                )
            )
            planted.append((j, i))
            continue
        people.append(
            (
                Person(
                    given_name=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY) + rng.choice(ENDINGS),
                    date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(25_000)),
                    organisation=organisations[rng.randrange(4)],
                ),
                f"PR{rng.randint(1, 9)} {rng.randint(0, 9)}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            )
        )
    Person.objects.bulk_create([p for p, _ in people], batch_size=5000)
    Address.objects.bulk_create(
        [Address(person=p, lines="1 Bench Street", postcode=pc) for p, pc in people],
        batch_size=5000,
    )
    # A duplicate of a duplicate is the same person as the first too: truth is every pair in a
    # cluster of planted records held by different organisations.
    cluster = list(range(len(people)))

    def root(i: int) -> int:
        while cluster[i] != i:
            cluster[i] = cluster[cluster[i]]
            i = cluster[i]
        return i

    for a, b in planted:
        cluster[root(b)] = root(a)
    members: dict[int, list[Person]] = {}
    for a, _ in planted:
        members.setdefault(root(a), [])
    for index, (person, _) in enumerate(people):
        if root(index) in members:
            members[root(index)].append(person)
    truth = {
        (min(x.pk, y.pk), max(x.pk, y.pk))
        for group in members.values()
        for x in group
        for y in group
        if x.organisation_id != y.organisation_id
    }
    database = os.environ.get("DATABASE_URL", "SQLite")
    print(f"{args.people:,} people in 4 partner organisations, {len(truth):,} planted ({database})")

    started = time.perf_counter()
    found = do_suggest_matches(acting_user=None)
    seconds = time.perf_counter() - started
    pairs = {(m.person_a_id, m.person_b_id) for m in found}
    hits = len(pairs & truth)
    print(f"  match-people: {seconds:.1f} s, {args.people / seconds:,.0f} people/s")
    print(
        f"  {len(pairs):,} suggested; precision {hits / max(1, len(pairs)):.1%}, "
        f"recall {hits / max(1, len(truth)):.1%} (pairs sharing every field by chance count "
        "as false)"
    )

    wrong = [m for m in found if (m.person_a_id, m.person_b_id) not in truth]
    kinds: dict[str, int] = {}
    for match in wrong:
        key = ", ".join(f"{field} {words}" for field, words in sorted(match.agreement.items()))
        kinds[key] = kinds.get(key, 0) + 1
    for key, count in sorted(kinds.items(), key=lambda item: -item[1])[:3]:
        print(f"    not planted, {count}: {key}")

    PersonMatch.objects.all().delete()
    sample = [people[b][0] for _, b in planted[:20]]
    started = time.perf_counter()
    for person in sample:
        suggestions_for(person)
    print(
        f"  one person just recorded (the background task's scoring): "
        f"{(time.perf_counter() - started) / len(sample) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
