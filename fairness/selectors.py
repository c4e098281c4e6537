"""Reads for the adverse-impact report: the live model's scores of a period's applications
joined with the applicants' self-identification. Every read of self-identification data
goes through here and is written to the audit log (who read what, for which scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from audit.services import Target, audit_record
from fairness.categories import RaceEthnicity, Sex
from fairness.impact import Applicant, ImpactReport, impact_report
from matching import bands
from matching.models import Job, Pair, Resume, ScoringModel
from matching.scoring import activation as scoring_activation

_LABELS = {"sex": dict(Sex.choices), "race_ethnicity": dict(RaceEthnicity.choices)}


def category_label(kind: str, value: str) -> str:
    return str(_LABELS[kind].get(value, value))


def product_report(applicants: list[Applicant]) -> ImpactReport:
    """A sample read as the product reads it: selection is the good band, categories by
    their labels."""
    return impact_report(applicants, selection_threshold=bands.GOOD_FROM, labels=category_label)


@dataclass(frozen=True)
class Scope:
    """Which applications a report covers: one job or all, resumes received in a period
    (dates inclusive; None is open-ended)."""

    job: Job | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def describe(self) -> str:
        what = f"job #{self.job.pk} {self.job.title}" if self.job else "all jobs"
        period = f"{self.since or 'the start'} to {self.until or 'today'}"
        return f"{what}, applications received {period}"


@dataclass(frozen=True)
class ScopedReport:
    scope: Scope
    model: ScoringModel
    report: ImpactReport
    with_self_identification: int  # applications whose applicant answered the survey
    generated_at: dt.datetime


def _pairs(scope: Scope, model: ScoringModel) -> QuerySet[Pair]:
    pairs = Pair.objects.filter(
        scoring_model=model, score__isnull=False, resume__status=Resume.Status.EXTRACTED
    )
    if scope.job is not None:
        pairs = pairs.filter(job=scope.job)
    if scope.since is not None:
        pairs = pairs.filter(resume__created_at__date__gte=scope.since)
    if scope.until is not None:
        pairs = pairs.filter(resume__created_at__date__lte=scope.until)
    return pairs


def adverse_impact(
    scope: Scope,
    *,
    reader: AbstractBaseUser | AnonymousUser | None,
    model: ScoringModel | None = None,
) -> ScopedReport:
    """The report of `model`'s stored scores (the live model's by default) over `scope`,
    read by `reader` (audited; None: the system, e.g. a model card written at publishing)."""
    model = model or scoring_activation.scoring_model_active()
    rows = _pairs(scope, model).values_list(
        "score", "resume__self_identification__sex", "resume__self_identification__race_ethnicity"
    )
    applicants = [
        Applicant(float(score or 0.0), sex or "", race or "") for score, sex, race in rows
    ]
    answered = sum(1 for a in applicants if a.sex or a.race_ethnicity)
    report = product_report(applicants)
    audit_record(
        actor=reader,
        action="self_id_read",
        target=Target.of(scope.job) if scope.job else Target("matching.job", "", "all jobs"),
        details={
            "report": "adverse impact",
            "scope": scope.describe(),
            "applications": len(applicants),
        },
    )
    return ScopedReport(
        scope=scope,
        model=model,
        report=report,
        with_self_identification=answered,
        generated_at=timezone.now(),
    )
