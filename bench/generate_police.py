"""Write police.uk-format street-level CSVs of any size, for benchmarks and test files.

    python bench/generate_police.py OUT_DIR --rows 1000000 [--months 12] [--seed 7]

Files are named as police.uk names them (2021-04-lancashire-street.csv), with its 12 columns
and CRLF line ends, and look like Lancashire's: LSOAs from Safer's shipped LSOA table, ASB with
no crime ID or outcome, about 8% of rows with no location and a few outside the county.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LSOAS = ROOT / "src/safer/crimedata/data/lancashire-lsoas.csv"
FORCE = "Lancashire Constabulary"
HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
TYPES = [
    ("Anti-social behaviour", 27), ("Violence and sexual offences", 33),
    ("Criminal damage and arson", 9), ("Public order", 8), ("Other theft", 5),
    ("Shoplifting", 4), ("Burglary", 3), ("Vehicle crime", 3), ("Drugs", 2),
    ("Other crime", 2), ("Possession of weapons", 1), ("Robbery", 1),
    ("Theft from the person", 1), ("Bicycle theft", 1),
]  # fmt: skip
OUTCOMES = [
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Status update unavailable",
    "Awaiting court outcome",
    "Local resolution",
    "Offender given a caution",
    "Court result unavailable",
    "Action to be taken by another organisation",
    "Further investigation is not in the public interest",
]
STREETS = [
    "High Street", "Church Lane", "Station Road", "Park Road", "Market Street",
    "Supermarket", "Parking Area", "Shopping Area", "Nightclub", "Sports/Recreation Area",
]  # fmt: skip


def lsoas() -> list[tuple[str, str]]:
    with LSOAS.open(encoding="utf-8") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        next(rows)
        return [(code, name) for code, name, _ in rows]


def write_month(path: Path, month: str, rows: int, rng: random.Random) -> None:
    areas = lsoas()
    # Each LSOA gets a few fixed snapped points, as police.uk's anonymised map points are.
    points = {
        code: [
            (round(rng.uniform(-3.05, -2.05), 6), round(rng.uniform(53.55, 54.2), 6),
             f"On or near {rng.choice(STREETS)}")
            for _ in range(6)
        ]
        for code, _ in areas
    }  # fmt: skip
    labels = [label for label, _ in TYPES]
    weights = [weight for _, weight in TYPES]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        for number in range(rows):
            crime_type = rng.choices(labels, weights)[0]
            asb = crime_type == "Anti-social behaviour"
            crime_id = "" if asb else hashlib.sha256(f"{month}{number}".encode()).hexdigest()
            outcome = "" if asb else rng.choice(OUTCOMES)
            draw = rng.random()
            if draw < 0.08:
                lon = lat = lsoa = lsoa_name = ""
                location = "No location"
            elif draw < 0.083:
                lon, lat, location = "-1.544565", "53.072929", "On or near Bent Lane"
                lsoa, lsoa_name = "E01019405", "Amber Valley 007A"
            else:
                lsoa, lsoa_name = areas[rng.randrange(len(areas))]
                x, y, location = rng.choice(points[lsoa])
                lon, lat = f"{x:.6f}", f"{y:.6f}"
            writer.writerow(
                [crime_id, month, FORCE, FORCE, lon, lat, location, lsoa, lsoa_name,
                 crime_type, outcome, ""]
            )  # fmt: skip


def generate(
    out: Path, rows: int, months: int = 12, seed: int = 7, start: str = "2021-04"
) -> list[Path]:
    """Write `rows` rows spread over `months` monthly files; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    year, month = (int(part) for part in start.split("-"))
    paths = []
    for index in range(months):
        label = f"{year + (month - 1 + index) // 12}-{(month - 1 + index) % 12 + 1:02d}"
        path = out / f"{label}-lancashire-street.csv"
        share = rows // months + (1 if index < rows % months else 0)
        write_month(path, label, share, rng)
        paths.append(path)
    return paths


OUTCOME_HEADER = [*HEADER[:9], "Outcome type"]


def write_outcomes(street: Path, out: Path, month: str) -> int:
    """An outcomes file for `month` giving a later outcome for each crime in `street`."""
    with street.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    crimes = [r for r in rows if r[0]]
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(OUTCOME_HEADER)
        for index, row in enumerate(crimes):
            writer.writerow([row[0], month, *row[2:9], OUTCOMES[index % len(OUTCOMES)]])
    return len(crimes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", default="2021-04")
    args = parser.parse_args()
    paths = generate(args.out, args.rows, args.months, args.seed, args.start)
    print(f"wrote {args.rows:,} rows in {len(paths)} files under {args.out}")


if __name__ == "__main__":
    main()
