"""Reviewers' corrections of the requirement verdicts: one per reviewer, pair and
requirement, audited; and how often the rules agree with them (the accuracy page).

A correction keeps what the rules said when it was made; the accuracy is measured against
what the rules say now (Pair.verdicts), so a change of the rules shows in it at once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from audit.services import audit_record
from matching.errors import CorrectionRefused
from matching.models import Pair, VerdictCorrection
from matching.review.ratings import pair_target


def stored_verdict(pair: Pair, requirement: str) -> dict:
    """The pair's stored verdict of one requirement ({} when it is not judged)."""
    return next((v for v in pair.verdicts or [] if v.get("requirement") == requirement), {})


def _stored_verdict(pair: Pair, requirement: str) -> dict:
    if verdict := stored_verdict(pair, requirement):
        return verdict
    raise CorrectionRefused(
        f'"{requirement[:80]}" is not a judged requirement of this pair: nothing to correct.'
    )


def verdict_correct(
    *,
    pair: Pair,
    requirement: str,
    met: bool | None,
    reviewer: User,
    actor: User | None = None,
) -> VerdictCorrection | None:
    """Record `reviewer`'s verdict on a requirement of `pair` (met or not), or withdraw it
    (None): the rules' verdict stands again. Audited either way, as done by `actor` (the
    reviewer unless an admin changes it)."""
    stored = _stored_verdict(pair, requirement)
    with transaction.atomic():
        existing = (
            VerdictCorrection.objects.select_for_update()
            .filter(pair=pair, requirement=requirement, reviewer=reviewer)
            .first()
        )
        before = None if existing is None else existing.met
        correction = None
        if met is None:
            if existing is not None:
                existing.delete()
        else:
            correction, _ = VerdictCorrection.objects.update_or_create(
                pair=pair,
                requirement=requirement,
                reviewer=reviewer,
                defaults={
                    "met": met,
                    "must": bool(stored.get("must", True)),
                    "kind": str(stored.get("kind", ""))[:16],
                    "rule_status": str(stored.get("status", ""))[:16],
                },
            )
        if before != met:
            audit_record(
                actor=actor or reviewer,
                action="verdict_corrected",
                target=pair_target(pair),
                details={
                    "reviewer": reviewer.pk,
                    "requirement": requirement[:200],
                    "rules": stored.get("status", ""),
                    "before": before,
                    "after": met,
                },
            )
    return correction


def reviewer_corrections(*, pair: Pair, reviewer: User) -> dict[str, bool]:
    """The reviewer's corrections of a pair: requirement -> met."""
    rows = VerdictCorrection.objects.filter(pair=pair, reviewer=reviewer)
    return dict(rows.values_list("requirement", "met"))


@dataclass
class Agreement:
    """How the rules' verdicts compare with reviewers' corrections of them. "Unclear" and
    "not judged" count as disagreeing, as in bench/judgments.py."""

    n: int = 0
    agree: int = 0
    rules_met: int = 0  # the rules said met
    both_met: int = 0  # ... and the reviewer too
    reviewer_met: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.agree / self.n if self.n else None

    @property
    def precision_met(self) -> float | None:
        return self.both_met / self.rules_met if self.rules_met else None

    @property
    def recall_met(self) -> float | None:
        return self.both_met / self.reviewer_met if self.reviewer_met else None

    def add(self, *, rules: str, met: bool) -> bool:
        """Count one correction; whether the rules agree with it."""
        agrees = (rules == "met") == met and rules in ("met", "not_met")
        self.n += 1
        self.agree += agrees
        self.rules_met += rules == "met"
        self.reviewer_met += met
        self.both_met += rules == "met" and met
        return agrees


@dataclass
class VerdictAccuracy:
    overall: Agreement = field(default_factory=Agreement)
    by_kind: dict[str, Agreement] = field(default_factory=lambda: defaultdict(Agreement))
    # The latest corrections the rules still disagree with: what to look at when tuning.
    disagreements: list[tuple[VerdictCorrection, dict]] = field(default_factory=list)


def rules_now(correction: VerdictCorrection) -> dict:
    """The pair's stored verdict of the corrected requirement ({} when no longer judged)."""
    return stored_verdict(correction.pair, correction.requirement)


def corrections_with_pairs() -> QuerySet[VerdictCorrection]:
    return VerdictCorrection.objects.select_related("pair", "reviewer").order_by("-updated_at")


def verdict_accuracy(*, show: int = 30) -> VerdictAccuracy:
    """The rules' current verdicts (Pair.verdicts) against every correction."""
    out = VerdictAccuracy()
    for correction in corrections_with_pairs().iterator(chunk_size=1000):
        now = rules_now(correction)
        rules = str(now.get("status", ""))
        kind = str(now.get("kind") or correction.kind or "unknown")
        agrees = out.overall.add(rules=rules, met=correction.met)
        out.by_kind[kind].add(rules=rules, met=correction.met)
        if not agrees and len(out.disagreements) < show:
            out.disagreements.append((correction, now))
    out.by_kind = dict(sorted(out.by_kind.items()))
    return out
