"""Build the shipped child low-income series from DWP's counts and ONS's population, the
measure of deprivation the risk model reads (docs/programme.md): it has a value for each year,
so a risk score of a year reads only what was published by then (the Indices of Deprivation
have one edition a few years apart).

Run from the checkout, with the shared data beside it:

    .venv/bin/python src/ecm_inspect/performance/data/build_low_income.py \
        ../shared/data/la_indicators

It writes `indicator_values_low_income.csv` next to this script, in ECM Inspect's long format
(area_code, indicator, period, year, value, numerator, denominator): for each of the 153
children's services authorities and each financial year 2014/15 to 2023/24, the children under
16 in relative low income families (DWP, "Children in low income families") per 100 children
aged 0 to 17 (ONS mid-year estimate of the year the financial year starts in). The year is the
one the financial year ends in; DWP publishes it the March after.
"""

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODE = "ChildLowIncome"


def build(shared: Path) -> int:
    population: dict[tuple[str, int], float] = {}
    with (shared / "dfe_ons_mid-year_population_estimates_2012_to_2024.csv").open() as f:
        for row in csv.DictReader(f):
            value = row["population_estimate"]
            if row["geographic_level"] == "Local authority" and value.isdigit():
                population[(row["new_la_code"], int(row["time_period"]))] = float(value)
    written = 0
    with (
        (shared / "dwp_children_relative_low_income_counts_2015_2024.csv").open() as f,
        (HERE / "indicator_values_low_income.csv").open("w", newline="") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(
            ["area_code", "indicator", "period", "year", "value", "numerator", "denominator"]
        )
        for row in csv.DictReader(f):
            starts = int(row["financial_year"][:4])
            children = population.get((row["gss_code"], starts))
            count = row["children_in_relative_low_income"]
            if not children or not count.isdigit():
                continue
            writer.writerow([
                row["gss_code"], CODE, row["financial_year"], starts + 1,
                round(100 * int(count) / children, 2), int(count), int(children),
            ])  # fmt: skip
            written += 1
    return written


if __name__ == "__main__":
    print(build(Path(sys.argv[1])), "values written")
