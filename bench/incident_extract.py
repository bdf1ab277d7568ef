"""A realistic incident extract of any size, in the CSV format of docs/recording-standard.md.

    .venv/bin/python bench/incident_extract.py OUT.csv --rows 100000

One row per person in an incident, as an agency's case system exports it: most incidents name a
victim, half an alleged perpetrator, some a witness or the person who reported it; a pool of
people about 0.6 the size of the extract, drawn unevenly, so some victims appear many times
(repeat victims) and most once. Kinds in the proportions partnerships record them, with what
the recording standard asks of each kind, dates over three years, the 14 CSP areas by name or
ONS code, postcodes in Lancashire's districts.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from safer.incidents.importing.columns import COLUMNS  # noqa: E402

AREAS = [
    ("Blackburn with Darwen", "E06000008", "BB1"),
    ("Blackpool", "E06000009", "FY1"),
    ("Burnley", "E07000117", "BB11"),
    ("Chorley", "E07000118", "PR7"),
    ("Fylde", "E07000119", "FY8"),
    ("Hyndburn", "E07000120", "BB5"),
    ("Lancaster", "E07000121", "LA1"),
    ("Pendle", "E07000122", "BB9"),
    ("Preston", "E07000123", "PR1"),
    ("Ribble Valley", "E07000124", "BB7"),
    ("Rossendale", "E07000125", "BB4"),
    ("South Ribble", "E07000126", "PR5"),
    ("West Lancashire", "E07000127", "L40"),
    ("Wyre", "E07000128", "FY5"),
]
STREETS = [
    "Ribbleton Avenue",
    "Fishergate",
    "Church Street",
    "Blackpool Road",
    "Garstang Road",
    "Station Road",
    "Market Street",
    "Victoria Street",
    "Queens Road",
    "Moor Lane",
]
GIVEN = {
    "female": ["Janet", "Grace", "Susan", "Amira", "Emma", "Olivia", "Sarah", "Aisha", "Zoe"],
    "male": ["Kyle", "Daniel", "Imran", "Tom", "James", "Mohammed", "Liam", "Ryan", "Adam"],
}
FAMILY = [
    "Holden",
    "Okafor",
    "Whittle",
    "Patel",
    "Hussain",
    "Ainsworth",
    "Marsden",
    "Price",
    "Smith",
    "Taylor",
    "Khan",
    "Walsh",
    "Kershaw",
    "Bamber",
    "Cross",
    "Iqbal",
]
KINDS = [
    ("asb", 50),
    ("domestic_abuse", 30),
    ("hate_crime", 6),
    ("hate_incident", 3),
    ("sexual_violence", 7),
    ("cse_concern", 4),
]
ABUSE = ["physical", "sexual", "psychological", "financial", "coercive_control", "stalking"]
STRANDS = ["race", "religion", "sexual_orientation", "disability", "transgender"]
RELATIONSHIPS = ["partner", "ex_partner", "parent", "child", "sibling", "other_family"]
OUTCOMES = ["open", "no_further_action", "advice", "referred", "civil_action", "charged"]


def _person(rng: random.Random, number: int, prefix: str) -> list[str]:
    gender = rng.choice(["female", "male"])
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    return [
        f"{prefix}-P-{number:07d}",
        rng.choice(GIVEN[gender]),
        rng.choice(FAMILY),
        born.isoformat() if rng.random() < 0.9 else "",
        gender,
    ]


def generate_extract(
    path: Path, rows: int, *, seed: int = 7, prefix: str = "PCC", end: date | None = None
) -> Path:
    """Write an extract of exactly `rows` rows to `path`; return the path."""
    rng = random.Random(seed)  # noqa: S311 - invented data, not secrets
    end = end or date.today() - timedelta(days=1)  # noqa: DTZ011 - a local date is meant
    pool = max(10, int(rows * 0.6))
    people: dict[int, list[str]] = {}
    kinds, weights = zip(*KINDS, strict=True)
    written = 0
    number = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COLUMNS)
        while written < rows:
            number += 1
            kind = rng.choices(kinds, weights)[0]
            name, code, district = rng.choice(AREAS)
            day = end - timedelta(days=rng.randrange(3 * 365))
            incident = [
                f"{prefix}-{number:08d}",
                kind,
                day.isoformat() if rng.random() < 0.8 else f"{day:%d/%m/%Y}",
                f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
                f"{district} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                name if rng.random() < 0.7 else code,
                f"A {kind.replace('_', ' ')} report taken by phone.",
                rng.choice(["personal", "nuisance", "environmental"]) if kind == "asb" else "",
                ";".join(rng.sample(ABUSE, rng.randrange(1, 3)))
                if kind == "domestic_abuse"
                else "",
                rng.choice(RELATIONSHIPS) if kind == "domestic_abuse" else "",
                ";".join(rng.sample(STRANDS, rng.randrange(1, 3)))
                if kind in ("hate_crime", "hate_incident")
                else "",
                rng.choice(["yes", "no", ""]),
                rng.choice(["yes", "no", "", ""]),
                rng.choice(OUTCOMES),
            ]
            roles = ["victim"]
            if rng.random() < 0.5:
                roles.append("perpetrator")
            if rng.random() < 0.15:
                roles.append("witness")
            if rng.random() < 0.1:
                roles.append("reporter")
            roles = roles[: rows - written]
            chosen: set[int] = set()
            for role in roles:
                # Victims come from the busy end of the pool more often: repeat victims.
                index = int(pool * rng.random() ** 2) if role == "victim" else rng.randrange(pool)
                while index in chosen:
                    index = rng.randrange(pool)
                chosen.add(index)
                person = people.get(index)
                if person is None:
                    person = people[index] = _person(rng, index, prefix)
                out.writerow([*incident, *person, role])
                written += 1
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate_extract(args.path, args.rows, seed=args.seed)
    print(f"{args.rows:,} rows written to {args.path}")


if __name__ == "__main__":
    main()
