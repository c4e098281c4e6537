"""What an operator needs to know of the background work, read in one place for
`manage.py status` and `GET /api/v1/health/`: the queue, the clusters, scoring left or
failed, dead training runs, the live model; and whether someone must act.

Here, not in matching: it reads training runs too (matching never imports training)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Success
from django_q.status import Stat

from matching.scoring.activation import scoring_model_active
from matching.scoring.oversight import scoring_paused
from matching.scoring.progress import scoring_failures
from matching.scoring.reconcile import (
    SCORING_MAX_REQUEUES,
    lost_resumes,
    resumes_given_up,
    unscored_resumes,
)
from training.models import TrainingRun


@dataclass
class Health:
    live_model: str
    queued_tasks: int
    clusters: list[str]  # clusters that reported in the last minute (when the broker tells)
    last_task_finished: str  # ISO time, "" when none ever did
    resumes_waiting: int  # not scored against every open job yet
    resumes_lost: int  # ... and older than SCORING_RECONCILE_GRACE_S: their task was lost
    resumes_given_up: int  # ... and queued again SCORING_MAX_REQUEUES times in vain
    scoring_failed: int  # failed scoring tasks in the last 24 hours
    last_scoring_error: str
    stale_training_runs: list[int]
    # "" while scoring runs; otherwise since when, by whom and why a lead paused it. Waiting
    # resumes are then expected, not a problem.
    scoring_paused: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def system_health() -> Health:
    now = timezone.now()
    live = scoring_model_active()
    grace = timedelta(seconds=settings.SCORING_RECONCILE_GRACE_S)
    failures = scoring_failures()
    last_success = Success.objects.order_by("-stopped").only("stopped").first()
    broker = get_broker()
    health = Health(
        live_model=live.version,
        queued_tasks=broker.queue_size() or 0,
        clusters=sorted(
            str(stat.cluster_id)
            for stat in Stat.get_all(broker=broker)
            if (now - stat.timestamp).total_seconds() < 60
        ),
        last_task_finished=last_success.stopped.isoformat() if last_success else "",
        resumes_waiting=unscored_resumes().count(),
        resumes_lost=lost_resumes().count(),
        resumes_given_up=resumes_given_up().count(),
        scoring_failed=failures.count,
        last_scoring_error=failures.last_error,
        stale_training_runs=list(
            TrainingRun.objects.filter(TrainingRun.stale_q()).values_list("pk", flat=True)
        ),
        scoring_paused=_paused(),
    )
    if health.resumes_lost and not health.scoring_paused:
        health.problems.append(
            f"{health.resumes_lost} resumes unscored for over {grace.seconds // 60} minutes: "
            "is a cluster running? (`manage.py rescore --pending` scores them now)"
        )
    if health.resumes_given_up and not health.scoring_paused:
        health.problems.append(
            f"{health.resumes_given_up} resumes were queued again {SCORING_MAX_REQUEUES} "
            "times and are still unscored; retries have stopped (`manage.py rescore "
            "--pending` scores them here and shows the error)"
        )
    if health.scoring_failed:
        health.problems.append(
            f"{health.scoring_failed} scoring tasks failed in the last 24 hours, the last: "
            f"{health.last_scoring_error}"
        )
    if health.stale_training_runs:
        health.problems.append(
            f"training runs {health.stale_training_runs} stopped reporting: their worker died"
        )
    return health


def _paused() -> str:
    pause = scoring_paused()
    if pause is None:
        return ""
    who = pause.paused_by.get_username() if pause.paused_by else "the system"
    why = f": {pause.reason}" if pause.reason else ""
    return f"since {pause.paused_at.isoformat(timespec='minutes')} by {who}{why}"
