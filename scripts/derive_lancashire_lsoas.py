"""Derive src/safer/crimedata/data/lancashire-lsoas.csv from the ONS LSOA lookup.

    python scripts/derive_lancashire_lsoas.py \
        ../shared/data/geography/lancashire_lsoa11_ward19_lad19_csp19.csv

Source: ONS "Lower Layer Super Output Area (2011) to Ward (2019) to LAD (2019) to CSP (2019)"
lookup, Lancashire's 941 LSOAs. Contains public sector information licensed under the Open
Government Licence v3.0. We keep three columns: the LSOA code and name, and the code of the local
authority district (which is the community safety partnership area Safer calls a CSP area).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/safer/crimedata/data/lancashire-lsoas.csv"
HEADER = (
    "# Lancashire LSOA (2011) to local authority district (2019), derived by "
    "scripts/derive_lancashire_lsoas.py from the ONS LSOA11-WD19-LAD19-CSP19 lookup. "
    "Contains public sector information licensed under the Open Government Licence v3.0.\n"
)


def main(source: str) -> None:
    with open(source, newline="", encoding="utf-8-sig") as handle:
        rows = sorted(
            (row["LSOA11CD"], row["LSOA11NM"], row["LAD19CD"]) for row in csv.DictReader(handle)
        )
    with open(OUT, "w", newline="", encoding="utf-8") as out:
        out.write(HEADER)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["lsoa_code", "lsoa_name", "area_code"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} LSOAs to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
