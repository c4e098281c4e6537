"""Human oversight of the automated scoring: a lead pauses it and resumes it.

While paused (a ScoringPause row), nothing scores: pairs_score writes nothing, the
reconciler queues nothing, and the pages say so; resumes that come in meanwhile stay
unscored and are listed as such. Resuming queues the scoring of everything left unscored
at once. Both are audited with who and why. Nothing here, or anywhere in the product,
rejects a candidate: pausing only stops new scores from being computed.

A single candidate can be kept out of automated scoring too: one who asked for an
alternative process is rated by people only (resume_alternative_process).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from audit.services import Target, audit_record
from matching import queue
from matching.models import Job, Pair, Resume, ScoringPause
from matching.scoring.reconcile import RECONCILE_GROUP, resumes_unscored

_TARGET = Target("matching.scoringpause", "", "automated scoring")


def scoring_paused() -> ScoringPause | None:
    """The pause in force, or None while scoring runs."""
    return ScoringPause.objects.select_related("paused_by").first()


def paused_message(pause: ScoringPause) -> str:
    """What every surface says while scoring is paused."""
    who = pause.paused_by.get_username() if pause.paused_by else "the system"
    why = f" ({pause.reason})" if pause.reason else ""
    return (
        f"Automated scoring is paused since {pause.paused_at:%Y-%m-%d %H:%M} by {who}{why}: "
        "new resumes and jobs stay unscored until a lead resumes it."
    )


def scoring_pause(*, actor: User | AnonymousUser | None, reason: str = "") -> ScoringPause:
    """Pause automated scoring (again pausing keeps the first pause and its reason)."""
    with transaction.atomic():
        current = ScoringPause.objects.select_for_update().first()
        if current is not None:
            return current
        user = actor if isinstance(actor, User) else None
        pause = ScoringPause.objects.create(paused_by=user, reason=reason.strip()[:500])
        audit_record(
            actor=actor, action="scoring_paused", target=_TARGET, details={"reason": pause.reason}
        )
    return pause


def scoring_resume(*, actor: User | AnonymousUser | None) -> int:
    """Resume automated scoring and queue every resume left unscored meanwhile; returns
    how many were queued (0 when scoring was not paused)."""
    with transaction.atomic():
        current = ScoringPause.objects.select_for_update().first()
        if current is None:
            return 0
        current.delete()
        ids = resumes_unscored()
        audit_record(
            actor=actor, action="scoring_resumed", target=_TARGET, details={"queued": len(ids)}
        )
    if ids:
        queue.enqueue_score_resumes(ids, group=RECONCILE_GROUP)
    return len(ids)


# --- a candidate who asked for people-only review ------------------------------------------


def resume_alternative_process(
    *, resume: Resume, requested: bool, actor: User | AnonymousUser | None
) -> Resume:
    """Record that a candidate asked for people-only review (or withdrew the request).

    Asked: their pairs keep no score, verdicts or model (what the tool said is not shown
    beside them), every open job gets a pair so reviewers can rate them, and nothing
    scores them again until the request is withdrawn; ratings already given stay.
    Withdrawn: they are queued for scoring like a new resume. Audited either way."""
    with transaction.atomic():
        locked = Resume.objects.select_for_update().get(pk=resume.pk)
        if (locked.alternative_process_at is not None) == requested:
            return locked
        locked.alternative_process_at = timezone.now() if requested else None
        locked.save(update_fields=["alternative_process_at", "updated_at"])
        if requested:
            Pair.objects.filter(resume=locked).update(
                score=None, scoring_model=None, scored_at=None, verdicts=[], verdicts_key=""
            )
            have = set(Pair.objects.filter(resume=locked).values_list("job_id", flat=True))
            Pair.objects.bulk_create(
                [
                    Pair(resume=locked, job=job)
                    for job in Job.objects.filter(is_open=True).exclude(pk__in=have)
                ],
                ignore_conflicts=True,
            )
        audit_record(
            actor=actor,
            action="alternative_process",
            target=Target.of(locked),
            details={"requested": requested},
        )
    if not requested:
        queue.enqueue_score_resumes([locked.pk])
    return locked
