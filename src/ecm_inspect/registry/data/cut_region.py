"""How the shipped provider files were cut from the national public files (run by hand).

    python src/ecm_inspect/registry/data/cut_region.py DATA_DIR "North East"

DATA_DIR holds `la_registry/areas_england_2024.csv`, `csc_providers/` and `schools/` as
published (see docs/data-sources.md). Rows are copied unchanged, with the same columns, so the
shipped files use the same mapping files as the national ones.
"""

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSC = "csc_providers/ofsted_csc_providers_as_at_31_march_2015_2025.csv"
SCHOOLS = "schools/gias_schools_ofsted_rating_2024.csv"
LATEST_SNAPSHOT = "2025-03-31"


def _slug(region: str) -> str:
    return region.lower().replace(" ", "_")


def cut(data_dir: Path, region: str) -> None:
    with (data_dir / "la_registry/areas_england_2024.csv").open(encoding="utf-8") as f:
        la_codes = {row["la_code"] for row in csv.DictReader(f) if row["region_name"] == region}
    out = HERE / "providers"
    out.mkdir(exist_ok=True)
    jobs = [
        (
            CSC,
            f"ofsted_csc_providers_{_slug(region)}_{LATEST_SNAPSHOT[:4]}.csv",
            lambda row: (
                row["snapshot"] == LATEST_SNAPSHOT and row["government_office_region"] == region
            ),
        ),
        (
            SCHOOLS,
            f"gias_schools_{_slug(region)}_2024.csv",
            lambda row: row["authority_code"] in la_codes,
        ),
    ]
    for source, target, keep in jobs:
        with (data_dir / source).open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            fields = list(reader.fieldnames or [])
            with (out / target).open("w", encoding="utf-8", newline="") as g:
                writer = csv.DictWriter(g, fieldnames=fields, lineterminator="\n")
                writer.writeheader()
                writer.writerows(row for row in reader if keep(row))


if __name__ == "__main__":
    cut(Path(sys.argv[1]), sys.argv[2])
