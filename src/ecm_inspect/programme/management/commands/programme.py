"""`ecm programme risk|plan|replan|check|workforce|approve|confirm|publish`: the risk-based
programme of joint area reviews (docs/programme.md)."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from ecm_inspect.programme.charts import calibration_svg
from ecm_inspect.programme.checker import programme_check
from ecm_inspect.programme.models import Programme, ProgrammeVersion
from ecm_inspect.programme.risk import DEFAULT_SEED, RiskModel
from ecm_inspect.programme.risk_evidence import area_risks, risk_backtest, risk_model
from ecm_inspect.programme.services import (
    ProgrammeRefused,
    programme_plan,
    programme_replan,
    version_approve,
    version_publish,
    workforce_generate,
    year_confirm,
)
from ecm_inspect.programme.solver import Result
from ecm_inspect.registry.models import Area

BAR_WIDTH = 30


class SolverBar:
    """The solver's progress: time used of the limit, the best programme's objective and the
    proven bound, redrawn on each new solution (a line per solution when not a terminal)."""

    def __init__(self, stream: OutputWrapper, time_limit: float) -> None:
        self.stream, self.limit, self.tty = stream, time_limit, stream.isatty()

    def __call__(
        self, stage: str, elapsed: float, objective: float | None, bound: float | None
    ) -> None:
        fraction = min(elapsed / self.limit, 1.0) if self.limit else 1.0
        filled = int(fraction * BAR_WIDTH)
        text = (
            f"{stage:5} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {elapsed:5.1f}s "
            f"objective {objective or 0:,.0f} bound {bound or 0:,.0f}"
        )
        self.stream.write(("\r" if self.tty else "") + text, ending="" if self.tty else "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date like 2005-09-01") from exc


class Command(BaseCommand):
    help = "The risk-based three-year programme of joint area reviews."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        risk = sub.add_parser(
            "risk", help="Each area's risk score with its parts, or the model's back-test."
        )
        risk.add_argument("--year", type=int, help="Score the areas as at the end of this year.")
        risk.add_argument("--format", choices=["text", "json"], default="text")
        risk.add_argument(
            "--backtest", action="store_true",
            help="Fit on what was published by --train-until; test on later inspections.",
        )  # fmt: skip
        risk.add_argument("--train-until", type=int, metavar="YYYY")
        risk.add_argument("--seed", type=int, default=DEFAULT_SEED)
        risk.add_argument("--chart", type=Path, help="Write the calibration chart (SVG) here.")
        risk.add_argument(
            "--model", action="store_true", help="Also print the fitted weights (text format)."
        )
        plan = sub.add_parser("plan", help="Plan the programme with CP-SAT (or greedily).")
        plan.add_argument("--start", type=_day, required=True)
        plan.add_argument("--years", type=int, default=3)
        plan.add_argument("--time-limit", type=float, default=120.0)
        plan.add_argument("--out", type=Path)
        plan.add_argument("--context", type=Path, help="Write the checker's context here.")
        plan.add_argument("--method", choices=["cp-sat", "greedy"], default="cp-sat")
        plan.add_argument("--workers", type=int)
        plan.add_argument("--no-progress", action="store_true")
        replan = sub.add_parser("replan", help="Re-plan the programme in force.")
        replan.add_argument("--start", type=_day, help="The programme's start (default: latest).")
        replan.add_argument("--time-limit", type=float, default=60.0)
        replan.add_argument("--urgent", action="append", default=[], metavar="GSS:YYYY-MM-DD")
        replan.add_argument("--council-dates", action="append", default=[], metavar="GSS:FROM:TO")
        replan.add_argument("--inspector-left", action="append", type=int, default=[])
        replan.add_argument(
            "--release",
            action="append",
            default=[],
            metavar="GSS",
            help="Let the held (confirmed or notified) review of this area move.",
        )
        replan.add_argument("--out", type=Path)
        replan.add_argument("--workers", type=int)
        replan.add_argument("--no-progress", action="store_true")
        check = sub.add_parser("check", help="Check a programme JSON file independently.")
        check.add_argument("path", type=Path)
        check.add_argument("--context", type=Path, required=True)
        work = sub.add_parser("workforce", help="Generate the SYNTHETIC national workforce.")
        work.add_argument("--start", type=_day, required=True)
        work.add_argument("--years", type=int, default=3)
        work.add_argument("--seed", type=int, default=1)
        for name, text in (("approve", "Approve a version."), ("publish", "Publish a version.")):
            cmd = sub.add_parser(name, help=text)
            cmd.add_argument("version", type=int)
        confirm = sub.add_parser("confirm", help="Confirm a financial year of the programme.")
        confirm.add_argument("--start", type=_day)
        confirm.add_argument("--financial-year", type=int, required=True)
        confirm.add_argument(
            "--teams", action="store_true", help="Confirm the teams too, not only the dates."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, f"_{action}")(options)
        except ProgrammeRefused as exc:
            raise CommandError("; ".join(exc.reasons)) from exc

    def _risk(self, options: dict[str, Any]) -> None:
        if options["backtest"]:
            self._backtest(options)
            return
        if options["year"] is None:
            raise CommandError("give --year YYYY (or --backtest --train-until YYYY)")
        model = risk_model(year=options["year"], seed=options["seed"])
        risks = area_risks(year=options["year"], model=model)
        if options["format"] == "json":
            self.stdout.write(json.dumps({g: r.as_data() for g, r in risks.items()}, indent=1))
            return
        if options["model"]:
            self._model(model)
        names = dict(Area.objects.values_list("gss_code", "name"))
        for gss, r in sorted(risks.items(), key=lambda x: -x[1].score):
            parts = ", ".join(f"{p.name} {p.points:.1f}" for p in r.parts)
            self.stdout.write(f"{gss} {names.get(gss, '')[:24]:24} {r.score:3d}  {parts}")

    def _model(self, model: RiskModel) -> None:
        self.stdout.write(f"The model for {model.year}: {model.reason}.")
        for w in model.weights:
            self.stdout.write(f"  {w.weight:+.2f} (90%: {w.low:+.2f} to {w.high:+.2f})  {w.label}")
        for feature, why in model.dropped.items():
            self.stdout.write(f"  not used: {feature} ({why})")

    def _backtest(self, options: dict[str, Any]) -> None:
        until = options["train_until"]
        if until is None:
            raise CommandError("--backtest needs --train-until YYYY")

        def progress(done: int, total: int) -> None:
            if options["verbosity"]:
                self.stderr.write(f"fitted and tested {done} of {total} models")

        result = risk_backtest(train_until=until, seed=options["seed"], progress=progress)
        if options["chart"]:
            options["chart"].write_text(calibration_svg(result), encoding="utf-8")
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_data(), indent=1))
            return
        if not result.tested:
            raise CommandError(f"no inspection after {until} to test on")
        years = (
            str(result.first_year)
            if result.first_year == result.last_year
            else f"{result.first_year}-{result.last_year}"
        )
        self.stdout.write(
            f"Fitted on what was published by the end of {until}; tested on {result.tested} "
            f"inspections of {years} ({result.wanting} found requiring improvement or "
            "inadequate), none of them fitted on."
        )
        self.stdout.write(f"{'':32} {'AUC':>6} {'Brier':>6}  trained on")
        for r in result.results:
            if not r.model.fitted:
                self.stdout.write(f"{r.label:32} {'-':>6} {'-':>6}  not fitted: {r.model.reason}")
                continue
            auc = "n/a" if r.auc is None else f"{r.auc:.3f}"
            brier = "n/a" if r.brier is None else f"{r.brier:.3f}"
            self.stdout.write(f"{r.label:32} {auc:>6} {brier:>6}  {r.model.outcomes} outcomes")
        self.stdout.write("Calibration: tenths of the tested by predicted chance")
        for r in result.results:
            self.stdout.write(f"  {r.label}")
            for c in r.calibration:
                bar = "#" * round(20 * c.found_wanting)
                self.stdout.write(
                    f"    {c.outcomes:3d} predicted {c.predicted:4.0%} found wanting "
                    f"{c.found_wanting:4.0%} {bar}"
                )
        self._model(result.results[0].model)

    def _bar(self, options: dict[str, Any]) -> SolverBar | None:
        if options["no_progress"] or options["verbosity"] == 0:
            return None
        return SolverBar(self.stderr, options["time_limit"])

    def _report(self, version: ProgrammeVersion | None, result: Result, out: Path | None) -> None:
        if version is None:
            self.stderr.write(f"No programme: {result.status}.")
            for reason in result.reasons:
                extra = f" (short by {reason.shortfall:g})" if reason.shortfall else ""
                self.stderr.write(f"- {reason}{extra}")
            raise CommandError("the programme cannot be made: see the reasons above")
        gap = f"{result.gap:.2%}" if result.gap is not None else "-"
        self.stdout.write(
            f"Version {version.number} ({result.method}, {result.status}): "
            f"{len(result.reviews)} reviews, objective {result.objective:,}, bound "
            f"{result.bound if result.bound is not None else '-'}, gap {gap}, "
            f"{result.seconds:.1f}s."
        )
        if "relaxation_bound" in result.stages:
            self.stdout.write(
                f"Lower bound of the whole problem: {result.stages['relaxation_bound']:,}."
            )
        problems = programme_check(version.document, version.context)
        self.stdout.write(
            "Checker: every constraint kept."
            if not problems
            else "Checker: " + "; ".join(str(p) for p in problems)
        )
        held = result.stages.get("held", {})
        if any(held.values()):
            self.stdout.write(
                f"Held fixed: {held['confirmed']} confirmed and {held['notified']} notified "
                f"reviews ({held['with_teams']} with their teams), every one where it was."
            )
        if version.based_on is not None:
            names = dict(Area.objects.values_list("gss_code", "name"))
            moved = [m for m in version.moved if m["from"] != m["to"]]
            self.stdout.write(
                f"Moved: {len(moved)} of {len(version.document['reviews'])} reviews"
                + (":" if version.moved else ".")
            )
            for m in version.moved:
                change = (
                    f"{m['from'] or 'new'} -> {m['to']}"
                    if m["from"] != m["to"]
                    else f"stays {m['to']}"
                )
                team = [f"inspector {n} joined" for n in m["team"]] + [
                    f"inspector {n} came off" for n in m.get("left", [])
                ]
                self.stdout.write(
                    f"  {m['area']} {names.get(m['area'], '')}: {change}"
                    + (f"; {', '.join(team)}" if team else "")
                )
        if out is not None:
            out.write_text(json.dumps(version.document, indent=1), encoding="utf-8")
            self.stdout.write(f"Written to {out}.")

    def _plan(self, options: dict[str, Any]) -> None:
        bar = self._bar(options)
        version, result, _ = programme_plan(
            starts_on=options["start"],
            years=options["years"],
            time_limit=options["time_limit"],
            progress=bar,
            method=options["method"],
            workers=options["workers"],
        )
        if bar:
            bar.done()
        self._report(version, result, options["out"])
        if version is not None and options["context"] is not None:
            options["context"].write_text(json.dumps(version.context, indent=1), encoding="utf-8")

    def _programme(self, options: dict[str, Any]) -> Programme:
        qs = Programme.objects.all()
        if options.get("start"):
            qs = qs.filter(starts_on=options["start"])
        programme = qs.order_by("-starts_on").first()
        if programme is None:
            raise CommandError("no programme: run `ecm programme plan` first")
        return programme

    def _replan(self, options: dict[str, Any]) -> None:
        urgent = {}
        for text in options["urgent"]:
            gss, _, day = text.partition(":")
            urgent[gss] = _day(day)
        unavailable: dict[str, list[tuple[date, date]]] = {}
        for text in options["council_dates"]:
            gss, start, end = (text.split(":") + ["", ""])[:3]
            unavailable.setdefault(gss, []).append((_day(start), _day(end)))
        bar = self._bar(options)
        version, result, _ = programme_replan(
            programme=self._programme(options),
            time_limit=options["time_limit"],
            urgent=urgent,
            unavailable=unavailable,
            left=set(options["inspector_left"]),
            release=set(options["release"]),
            progress=bar,
            workers=options["workers"],
        )
        if bar:
            bar.done()
        self._report(version, result, options["out"])

    def _check(self, options: dict[str, Any]) -> None:
        document = json.loads(options["path"].read_text(encoding="utf-8"))
        context = json.loads(options["context"].read_text(encoding="utf-8"))
        problems = programme_check(document, context)
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} constraints broken")
        self.stdout.write(f"{len(document.get('reviews', []))} reviews: every constraint kept.")

    def _workforce(self, options: dict[str, Any]) -> None:
        created = workforce_generate(
            seed=options["seed"], start=options["start"], years=options["years"]
        )
        self.stdout.write(f"{created} synthetic inspectors created.")

    def _version(self, number: int) -> ProgrammeVersion:
        version = ProgrammeVersion.objects.filter(pk=number).first()
        if version is None:
            raise CommandError(f"no version {number}")
        return version

    def _approve(self, options: dict[str, Any]) -> None:
        version = version_approve(version=self._version(options["version"]))
        self.stdout.write(f"Version {version.number} approved.")

    def _publish(self, options: dict[str, Any]) -> None:
        version = version_publish(version=self._version(options["version"]))
        self.stdout.write(f"Version {version.number} published.")

    def _confirm(self, options: dict[str, Any]) -> None:
        confirmation = year_confirm(
            programme=self._programme(options),
            financial_year_start=options["financial_year"],
            teams=options["teams"],
        )
        late = "" if confirmation.on_time else " (late: due by the end of the December before)"
        self.stdout.write(f"{confirmation} on {confirmation.confirmed_on}{late}.")
