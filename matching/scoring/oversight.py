"""Human oversight of the automated scoring: a lead pauses it and resumes it.

While paused (a ScoringPause row), nothing scores: pairs_score writes nothing, the
reconciler queues nothing, and the pages say so; resumes that come in meanwhile stay
unscored and are listed as such. Resuming queues the scoring of everything left unscored
at once. Both are audited with who and why. Nothing here, or anywhere in the product,
rejects a candidate: pausing only stops new scores from being computed.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from audit.services import Target, audit_record
from matching import queue
from matching.models import ScoringPause
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


def scoring_pause(
    *, actor: User | AnonymousUser | None, reason: str = ""
) -> ScoringPause:
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
