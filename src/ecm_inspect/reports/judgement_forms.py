"""What a judgements page shows of each judgement (its status, the evidence to choose from,
its form bound to what was posted) and what it reads back from the form to record."""

from typing import Any

from ecm_inspect.core.inputs import MAX_ID, whole_number
from ecm_inspect.evidence.models import EvidenceItem
from ecm_inspect.framework.grades import Grade

from .models import (
    Level,
    ReviewJudgement,
)
from .services import (
    ReportRefused,
    can_bulk_sign_off,
    fingerprint,
    group_statements,
    is_signed_off,
    judgement_record,
    judgement_status,
    points_the_other_way,
    relevant_items,
)


def whole_id(value: str | None) -> int | None:
    return whole_number(value, high=MAX_ID)


def judgement_rows(judgements: list[ReviewJudgement], q: str) -> list[dict[str, Any]]:
    """What a judgements page shows of each judgement: its status, the evidence to choose from
    (tagged with it, filtered by the search), what was chosen from elsewhere with its reason,
    and the evidence pointing away from the chosen (or proposed) grade."""
    rows = []
    for j in judgements:
        tagged = list(relevant_items(j))
        chosen = list(j.evidence.all())
        tagged_pks = {i.pk for i in tagged}
        shown = [i for i in tagged if not q or q.casefold() in i.title.casefold()]
        shown += [i for i in chosen if i.pk in tagged_pks and i not in shown]
        elsewhere = [i for i in chosen if i.pk not in tagged_pks]
        others: list[EvidenceItem] = []
        if q:
            others = [
                i
                for i in EvidenceItem.objects.filter(review=j.review, title__icontains=q)
                .exclude(pk__in=tagged_pks)
                .order_by("title")[:20]
                if i not in elsewhere
            ]
        grade = j.grade or j.proposed_grade
        rows.append(
            {
                "j": j,
                "status": judgement_status(j),
                "signed": is_signed_off(j),
                "statements": group_statements(j),
                "tagged": shown,
                "tagged_count": len(tagged),
                "chosen": {i.pk for i in chosen},
                "elsewhere": elsewhere,
                "others": others,
                "against": sorted(
                    (i for i in {*tagged, *chosen} if points_the_other_way(i, grade)),
                    key=lambda i: i.title,
                ),
                "against_grade": Grade(grade).label if grade else "",
                "fingerprint": fingerprint(j),
                "bulk": can_bulk_sign_off(j),
            }
        )
    return rows


def judgement_row_bind(row: dict[str, Any]) -> None:
    """The evidence choices of a row as shown: from the refused post where it was refused
    (typed input kept), else from the judgement; each other item with its reason."""
    j, errors = row["j"], row["errors"]
    posted = errors.get("posted") if errors else None
    chosen = errors["chosen"] if posted is not None else row["chosen"]
    row["tagged_choices"] = [{"item": i, "checked": i.pk in chosen} for i in row["tagged"]]
    extra = []
    for item in [*row["elsewhere"], *row["others"]]:
        reason = (
            posted.get(f"evidence-reason-{item.pk}", "")
            if posted is not None
            else j.evidence_reasons.get(str(item.pk), "")
        )
        extra.append(
            {
                "item": item,
                "checked": item.pk in chosen,
                "reason": reason,
                "error": (errors.get("fields") or {}).get(f"evidence-reason-{item.pk}", ""),
            }
        )
    if posted is not None:  # items chosen elsewhere before the refusal, not in the search
        shown = {e["item"].pk for e in extra} | {i.pk for i in row["tagged"]}
        for item in EvidenceItem.objects.filter(review=j.review, pk__in=chosen - shown):
            extra.append(
                {
                    "item": item,
                    "checked": True,
                    "reason": posted.get(f"evidence-reason-{item.pk}", ""),
                    "error": errors["fields"].get(f"evidence-reason-{item.pk}", ""),
                }
            )
    row["extra"] = extra
    row["value"] = (
        {
            "choice": posted.get("choice", ""),
            "council_grade": posted.get("council_grade", ""),
            "not_judged_reason": posted.get("not_judged_reason", ""),
            "finding": posted.get("finding", ""),
            "rationale": posted.get("rationale", ""),
            "comment": posted.get("comment", ""),
            "statements": [
                (st, posted.get(f"statement-{st.code}", "")) for st in row["statements"]
            ],
        }
        if posted is not None
        else {
            "choice": "not_judged" if j.not_judged else str(j.grade or ""),
            "council_grade": str(j.council_grade or ""),
            "not_judged_reason": j.not_judged_reason,
            "finding": j.finding,
            "rationale": j.rationale,
            "comment": "",
            "statements": [(st, j.statement_findings.get(st.code, "")) for st in row["statements"]],
        }
    )


def judgement_record_from_post(post: Any, j: ReviewJudgement, user: Any) -> None:
    choice = post.get("choice", "")
    ids = [i for i in map(whole_id, post.getlist("evidence")) if i is not None]
    council = post.get("council_grade", "")
    # Anything but empty or a grade goes to the service as 0, which it refuses with the rest.
    council_grade = int(council) if council in {"1", "2", "3", "4"} else (0 if council else None)
    bad_choice = choice not in {"", "not_judged", "1", "2", "3", "4"}
    missing_choice = bad_choice or (j.level == Level.KEY_JUDGEMENT and not choice)
    try:
        judgement_record(
            judgement=j,
            grade=whole_id(choice) if choice not in {"", "not_judged"} and not bad_choice else None,
            finding=post.get("finding", ""),
            rationale=post.get("rationale", ""),
            statement_findings={
                s.code: post.get(f"statement-{s.code}", "") for s in group_statements(j)
            },
            not_judged=choice == "not_judged",
            not_judged_reason=post.get("not_judged_reason", ""),
            evidence_ids=ids,
            evidence_reasons={i: post.get(f"evidence-reason-{i}", "") for i in ids},
            seen_version=whole_id(post.get("version")) or 0,
            by=user,
            council_grade=council_grade,
        )
    except ReportRefused as exc:
        if missing_choice and "grade" not in exc.fields:
            text = "Choose a grade, or not judged."
            raise ReportRefused([text, *exc.reasons], {"grade": text, **exc.fields}) from exc
        raise
    if missing_choice:  # pragma: no cover (the service refuses a missing grade first)
        raise ReportRefused("Choose a grade, or not judged.", {"grade": "Choose a grade."})
