"""Grade descriptors: checking a descriptor file against the key judgements it describes, and
writing it as a new set.

A descriptor file is loaded like the Framework files (`framework_load`, all or nothing, errors
naming file, line, key judgement and grade) and with `ecm framework load-descriptors FILE`. Each
set is kept: a revision is a new set code, and the newest set of a Framework version is the one
in force (`selectors.descriptors_for`). Reloading a set with the same text changes nothing;
reloading a set code with different descriptor text is refused, so the text a review used
cannot change under it.
"""

from pathlib import Path

import yaml
from django.template.defaultfilters import pluralize
from django.utils import timezone

from .grades import Grade
from .models import DescriptorSet, FrameworkVersion, GradeDescriptor, KeyJudgement
from .schema import DescriptorFile, FrameworkFileError, line_of

GRADES = [int(g) for g in Grade]  # 4 outstanding ... 1 inadequate (Framework paragraph 12)


def _grade_words() -> str:
    return ", ".join(f"{int(g)} {g.label.lower()}" for g in Grade)


def descriptors_check(
    parsed: DescriptorFile, path: Path, node: yaml.Node, known_judgements: list[str]
) -> dict[str, dict[int, str]]:
    """Every key judgement of the version described at every grade, nothing else, no empty text.

    Returns the descriptors as {key judgement code: {grade: text}}; raises FrameworkFileError
    naming the file, the line, the key judgement and the grade of the first problem."""
    if not known_judgements:
        raise FrameworkFileError(
            path,
            line_of(node, ["framework_version"]),
            "framework_version",
            f"Framework version {parsed.framework_version} is not loaded: load it first "
            "(ecm framework load)",
        )
    known = set(known_judgements)
    out: dict[str, dict[int, str]] = {}
    for code, grades in parsed.descriptors.items():
        where = ["descriptors", code]
        if code not in known:
            raise FrameworkFileError(
                path,
                line_of(node, where),
                f"descriptors.{code}",
                f"{code!r} is not a key judgement of the {parsed.framework_version} Framework",
            )
        texts: dict[int, str] = {}
        for grade, text in grades.items():
            field = f"descriptors.{code}.{grade}"
            if isinstance(grade, bool) or not isinstance(grade, int) or grade not in GRADES:
                raise FrameworkFileError(
                    path,
                    line_of(node, [*where, str(grade)]),
                    field,
                    f"key judgement {code}: {grade!r} is not a grade; grades are {_grade_words()}",
                )
            if not isinstance(text, str) or not text.strip():
                raise FrameworkFileError(
                    path,
                    line_of(node, [*where, grade]),
                    field,
                    f"key judgement {code}, grade {grade} ({Grade(grade).label.lower()}): "
                    "the descriptor is empty",
                )
            texts[grade] = " ".join(text.split())
        missing = [g for g in GRADES if g not in texts]
        if missing:
            raise FrameworkFileError(
                path,
                line_of(node, where),
                f"descriptors.{code}",
                f"key judgement {code} has no descriptor for grade "
                + ", ".join(f"{g} ({Grade(g).label.lower()})" for g in missing),
            )
        out[code] = texts
    absent = [code for code in known_judgements if code not in out]
    if absent:
        raise FrameworkFileError(
            path,
            line_of(node, ["descriptors"]),
            "descriptors",
            f"no descriptors for key judgement{pluralize(len(absent))} " + ", ".join(absent),
        )
    return out


def descriptor_set_write(
    *,
    parsed: DescriptorFile,
    texts: dict[str, dict[int, str]],
    path: Path,
    checksum: str,
    by: str = "",
) -> tuple[int, int]:
    """Write a checked descriptor set. Returns (sets created or updated, descriptors created).
    Called inside framework_load's transaction."""
    version = FrameworkVersion.objects.get(code=parsed.framework_version)
    existing = DescriptorSet.objects.filter(code=parsed.set).first()
    if existing is not None:
        if existing.framework_version_id != version.pk:
            raise FrameworkFileError(
                path,
                None,
                "set",
                f"descriptor set {parsed.set} is already loaded for Framework version "
                f"{existing.framework_version.code}: a set for another version needs a new code",
            )
        loaded = {
            (d.key_judgement.code, d.grade): d.text
            for d in existing.descriptors.select_related("key_judgement")
        }
        wanted = {(code, g): t for code, grades in texts.items() for g, t in grades.items()}
        if loaded != wanted:
            raise FrameworkFileError(
                path,
                None,
                "set",
                f"descriptor set {parsed.set} is already loaded with other text: a revision "
                "needs a new set code, so the descriptors earlier reviews used stay as they were",
            )
        values = {"title": parsed.title, "status": parsed.status, "checksum": checksum}
        changed = [k for k, v in values.items() if getattr(existing, k) != v]
        for name in changed:
            setattr(existing, name, values[name])
        if changed:
            existing.save(update_fields=changed)
        return (1 if changed else 0), 0
    judgements = {
        kj.code: kj for kj in KeyJudgement.objects.filter(version=version, code__in=list(texts))
    }
    new_set = DescriptorSet.objects.create(
        code=parsed.set,
        framework_version=version,
        title=parsed.title,
        status=parsed.status,
        checksum=checksum,
        loaded_at=timezone.now(),
        loaded_by=by,
    )
    rows = [
        GradeDescriptor(
            descriptor_set=new_set, key_judgement=judgements[code], grade=grade, text=text
        )
        for code, grades in texts.items()
        for grade, text in grades.items()
    ]
    GradeDescriptor.objects.bulk_create(rows)
    return 1, len(rows)
