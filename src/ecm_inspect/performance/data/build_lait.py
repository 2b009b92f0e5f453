"""Build the shipped indicator files from DfE's Local Authority Interactive Tool (LAIT) subset.

Run from the checkout, with the shared data beside it:

    .venv/bin/python src/ecm_inspect/performance/data/build_lait.py ../shared/data/la_indicators

It writes, next to this script:

- indicators.yaml: the 102 indicator definitions (code, title, outcome, unit, polarity, source,
  frequency), from lait_indicator_dictionary.csv;
- indicator_values_lait.csv: the values in ECM Inspect's long format (area_code, indicator,
  period, value, numerator, denominator), one row per area, indicator and year, for the 153
  current children's services authorities and England (E92000001).

LAIT labels periods in several ways; each becomes the year it ends in ("2016-17 (OT)" -> 2017,
"2015/16" -> 2016, "2021/22-23/24" -> 2024). Where one year has several versions the final one
wins, then revised, then the plain label, then provisional. Suppressed values ("-") are left out.
"""

import csv
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
AREAS = HERE.parents[1] / "registry" / "data" / "areas_england_2024.csv"
ENGLAND_LA_NUMBER, ENGLAND_CODE = "970", "E92000001"
OUTCOMES = {
    "be_healthy": "BH",
    "stay_safe": "SS",
    "enjoy_and_achieve": "EA",
    "make_positive_contribution": "PC",
    "economic_wellbeing": "EW",
    "service_management": "SM",
}
POLARITY = {"High": "higher", "Low": "lower"}
PRECEDENCE = {"Final": 3, "Rev": 2, "": 1, "prov": 0, "OT": 1}
LABEL = re.compile(
    r"^(?P<first>\d{4})(?:[-/](?P<short>\d{2}))?(?:-(?P<pooled>\d{2})/(?P<end>\d{2}))?"
    r"(?: \((?P<kind>Final|Rev|prov|OT)\))?$"
)


def year_of(label: str) -> tuple[int, int] | None:
    """The year a LAIT period label ends in, and its precedence; None if it is not a period."""
    match = LABEL.match(label.strip())
    if match is None:
        return None
    year = int(match["first"])
    if match["end"]:
        year = 2000 + int(match["end"])
    elif match["short"]:
        year = 2000 + int(match["short"])
    return year, PRECEDENCE[match["kind"] or ""]


def definitions(source: Path) -> list[dict[str, object]]:
    out = []
    with (source / "lait_indicator_dictionary.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.append(
                {
                    "code": row["measure_short"],
                    "title": row["chart_title"].strip() or row["measure"].strip(),
                    "outcome": OUTCOMES[row["ecm_outcome_group"]],
                    "topic": row["topic"].strip(),
                    "unit": row["unit"].strip(),
                    "polarity": POLARITY.get(row["polarity"].strip(), "neither"),
                    "source": row["data_owner"].strip(),
                    "frequency": row["year_type"].strip(),
                    "description": " ".join(row["description"].split())[:600],
                }
            )
    return out


def main(source: Path) -> None:
    with AREAS.open(encoding="utf-8") as f:
        gss_by_la = {row["la_code"]: row["gss_code"] for row in csv.DictReader(f)}
    gss_by_la[ENGLAND_LA_NUMBER] = ENGLAND_CODE
    indicators = definitions(source)
    codes = {d["code"] for d in indicators}
    best: dict[tuple[str, str, int], tuple[int, str, str]] = {}
    skipped = 0
    with (source / "lait_indicators_long.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            area = gss_by_la.get(row["la_number"])
            period = year_of(row["year_label"])
            value = row["value"].strip()
            if area is None or period is None or row["measure_short"] not in codes:
                skipped += 1
                continue
            if value in {"", "-", "c", "x", "z"}:
                continue
            year, rank = period
            key = (area, row["measure_short"], year)
            if key not in best or rank > best[key][0]:
                best[key] = (rank, row["year_label"].strip(), value)
    with (HERE / "indicator_values_lait.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["area_code", "indicator", "period", "year", "value", "numerator", "denominator"]
        )
        for (area, code, year), (_, label, value) in sorted(best.items()):
            writer.writerow([area, code, label, year, value, "", ""])
    header = (
        "# Indicator definitions: DfE Local Authority Interactive Tool (LAIT) dictionary,\n"
        "# github.com/dfe-analytical-services/local-authority-interactive-tool, commit 2e30e395,\n"
        "# Open Government Licence v3.0. Grouped by Every Child Matters outcome (SM = service\n"
        "# management). Built by build_lait.py; edit here to change titles, outcomes or polarity.\n"
    )
    (HERE / "indicators.yaml").write_text(
        header + yaml.safe_dump({"indicators": indicators}, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    print(f"{len(indicators)} indicators, {len(best):,} values; {skipped:,} rows skipped")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
