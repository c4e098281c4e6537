"""Writes of self-identification data: rows from the applicant tracking system's survey
(a CSV file or the API), all or nothing.

A row names its resume by `resume_id` or `sha256` (of the uploaded file) and gives any of
sex, race_ethnicity, age_band, disability, veteran, as the category's code or its label
in any case ("female", "Female", "Hispanic or Latino"). Blank, "declined", "unknown" or
"prefer not to say" mean not stated. One bad row (an unknown resume, a value outside the
categories) refuses the whole file with every problem named by row and column, so a
half-imported survey never skews a report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction

from audit.services import Target, audit_record
from fairness.categories import AgeBand, RaceEthnicity, Sex, YesNo
from fairness.models import SelfIdentification
from matching.models import Resume
from resumeproject.errors import UserError

FIELDS: dict[str, type[models.TextChoices]] = {
    "sex": Sex,
    "race_ethnicity": RaceEthnicity,
    "age_band": AgeBand,
    "disability": YesNo,
    "veteran": YesNo,
}
NOT_STATED = {"", "declined", "decline", "unknown", "prefer not to say", "not stated", "n/a"}


class SelfIdImportError(UserError):
    """The rows cannot be imported; `problems` names each by row and column."""

    code = "invalid_self_identification"

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]

    @classmethod
    def of(cls, source: str, problems: list[str]) -> SelfIdImportError:
        more = f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        message = f"{source}: nothing imported. {'; '.join(problems[:10])}{more}"
        return cls(message, problems=problems)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _value(choices: type[models.TextChoices], raw: str) -> str | None:
    """The code of a category from its code or label, "" when not stated, None if unknown."""
    text = " ".join(raw.split()).lower()
    if text in NOT_STATED:
        return ""
    for value, label in choices.choices:
        if text in (str(value).lower(), str(label).lower()):
            return str(value)
    return None


def parse_csv(content: bytes, *, name: str) -> list[dict[str, str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise SelfIdImportError.of(name, [problem]) from exc
    reader = csv.DictReader(io.StringIO(text))
    return [dict(row) for row in reader]


def import_rows(
    rows: Iterable[Mapping[str, object]],
    *,
    source: str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
) -> ImportResult:
    """Create or replace the self-identification of each row's resume."""
    rows = list(rows)
    if not rows:
        raise SelfIdImportError.of(source, ["no rows"])
    problems: list[str] = []
    first = 2 if source.startswith("csv:") else 1  # a CSV's row 1 is its header
    wanted = [w for n, row in enumerate(rows, start=first) if (w := _row(n, row, problems))]
    resolved = _resumes(wanted, problems)
    if problems:
        raise SelfIdImportError.of(source, problems)
    created = updated = 0
    with transaction.atomic():
        for resume, values in resolved.values():
            _, was_created = SelfIdentification.objects.update_or_create(
                resume=resume, defaults={**values, "source": source[:200], "imported_by": actor}
            )
            created += was_created
            updated += not was_created
        audit_record(
            actor=actor,
            action="self_id_imported",
            target=Target("fairness.selfidentification", "", source[:200]),
            details={"created": created, "updated": updated, "source": source},
        )
    return ImportResult(created=created, updated=updated)


_Wanted = tuple[int, str, str, dict[str, str]]  # (row number, "pk" or "sha256", key, values)


def _row(number: int, row: object, problems: list[str]) -> _Wanted | None:
    """One row's resume key and values; its problems appended, None when it has no key."""
    where = f"row {number}"
    if not isinstance(row, Mapping):
        problems.append(f"{where}: not an object of fields")
        return None
    unknown = set(row) - set(FIELDS) - {"resume_id", "sha256"}
    if unknown:
        problems.append(f"{where}: unknown column(s) {', '.join(sorted(map(str, unknown)))}")
    resume_id = str(row.get("resume_id") or "").strip()
    sha256 = str(row.get("sha256") or "").strip().lower()
    if not (resume_id or sha256):
        problems.append(f"{where}: needs resume_id or sha256")
        return None
    if resume_id and not resume_id.isdigit():
        problems.append(f"{where}, resume_id: {resume_id!r} is not a number")
        return None
    values: dict[str, str] = {}
    for field, choices in FIELDS.items():
        raw = str(row.get(field) or "")
        value = _value(choices, raw)
        if value is None:
            allowed = ", ".join(str(label) for _, label in choices.choices)
            problems.append(f"{where}, {field}: {raw!r} is not one of {allowed} (or blank)")
        else:
            values[field] = value
    return (number, "pk" if resume_id else "sha256", resume_id or sha256, values)


def _resumes(
    wanted: list[_Wanted], problems: list[str]
) -> dict[int, tuple[Resume, dict[str, str]]]:
    """Each wanted row's resume, read in two queries; unknown or repeated ones are problems."""
    by_pk = Resume.objects.in_bulk([int(k) for _, kind, k, _ in wanted if kind == "pk"])
    by_sha = Resume.objects.in_bulk(
        [k for _, kind, k, _ in wanted if kind == "sha256"], field_name="sha256"
    )
    resolved: dict[int, tuple[Resume, dict[str, str]]] = {}
    for number, kind, key, values in wanted:
        resume = by_pk.get(int(key)) if kind == "pk" else by_sha.get(key)
        if resume is None:
            name = "resume_id" if kind == "pk" else "sha256"
            problems.append(f"row {number}: no resume with {name} {key}")
        elif resume.pk in resolved:
            problems.append(f"row {number}: resume #{resume.pk} appears twice")
        else:
            resolved[resume.pk] = (resume, values)
    return resolved
