"""Scoring converges: the work left is read from the database, not only from the queue.

A resume is scored when the live model has scored it against every open job. The import
queues its scoring, but a queued task can be lost: a cluster killed while it holds tasks
(the Redis broker never hands them out again), a flushed broker, a task failed on a
dropped database connection. Every 5 minutes the reconciler (a django-q2 schedule,
matching.tasks.reconcile_scoring) finds the resumes still unscored
SCORING_RECONCILE_GRACE_S after they came in and queues them again. Scoring is idempotent
(one pair per resume and job, written with update_conflicts), so a resume queued twice is
scored twice at worst, never duplicated; django-q2 runs one schedule once per tick
whichever cluster picks it up.

A resume is done when each of its live pairs is scored and judged (its verdicts written):
a worker killed between the two leaves it to be queued again. Retries back off: the k-th
time a resume is queued again, the next is not before 2**k grace periods, and after
SCORING_MAX_REQUEUES it is left to an operator (`manage.py status` says so, `manage.py
rescore --pending` scores it in the foreground, showing its error), so a resume that
crashes its worker every time does not take one every five minutes for good.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django_q.brokers import get_broker

from matching import queue
from matching.models import Job, Pair, Resume, ScoringPause
from matching.scoring.activation import scoring_model_active
from matching.scoring.corpus import corpus_refresh, corpus_refresh_due

logger = logging.getLogger(__name__)

RECONCILE_GROUP = "reconcile"
SCORING_MAX_REQUEUES = 5
RECONCILE_EVERY_S = 5 * 60  # the schedule's period (migration 0014)
SCHEDULER_TICK_S = 30  # django-q2 looks at the schedules this often


def reconcile_bound_s() -> int:
    """How long after it came in a resume whose task was lost is queued again, at most,
    once the queue has drained: the grace, the schedule's period and the scheduler's tick."""
    return settings.SCORING_RECONCILE_GRACE_S + RECONCILE_EVERY_S + SCHEDULER_TICK_S


def unscored_resumes(*, older_than: timedelta | None = None) -> QuerySet[Resume]:
    """Readable resumes the live model has not scored and judged against every open job
    (since it went live), that came in or changed at least `older_than` ago; not those of
    candidates who asked for people-only review, which nothing scores."""
    active = scoring_model_active()
    jobs = Job.objects.filter(is_open=True).count()
    if not jobs:
        return Resume.objects.none()
    live = Pair.objects.filter(
        job__is_open=True, score__isnull=False, scoring_model=active
    ).exclude(verdicts_key="")
    if active.scores_since is not None:
        live = live.filter(scored_at__gte=active.scores_since)
    complete = live.order_by().values("resume").annotate(n=Count("pk")).filter(n__gte=jobs)
    unscored = Resume.objects.filter(Resume.scorable_q()).exclude(pk__in=complete.values("resume"))
    if older_than is not None:
        unscored = unscored.filter(updated_at__lte=timezone.now() - older_than)
    return unscored


def resumes_unscored(*, older_than: timedelta | None = None) -> list[int]:
    """unscored_resumes' ids, in order."""
    unscored = unscored_resumes(older_than=older_than)
    return list(unscored.order_by("pk").values_list("pk", flat=True))


@dataclass
class Reconciled:
    queued: int  # resumes queued again
    skipped: str = ""  # why nothing was looked at, when so


def scoring_reconcile(*, grace_s: int | None = None) -> Reconciled:
    """Queue the scoring of every resume left unscored for `grace_s` (default
    SCORING_RECONCILE_GRACE_S). Skipped while the broker still holds queued tasks (they
    may be those very resumes) and while a re-scoring after an activation is young."""
    grace = settings.SCORING_RECONCILE_GRACE_S if grace_s is None else grace_s
    if ScoringPause.objects.exists():
        return Reconciled(0, skipped="automated scoring is paused")
    if not settings.MATCHING_SYNC_TASKS and get_broker().queue_size():
        return Reconciled(0, skipped="tasks are still queued")
    active = scoring_model_active()
    if corpus_refresh_due(active) and corpus_refresh(active):
        return Reconciled(0, skipped="corpus statistics refreshed: every pair is re-scored")
    since = active.scores_since
    young = since and timezone.now() - since < timedelta(seconds=grace)
    # Older scores mean the re-scoring after an activation or a refresh is under way (a
    # fresh installation's first model has none: its lost first tasks are queued at once).
    # A pair of another model has an older scored_at too, so that alone says it.
    if young and Pair.objects.filter(job__is_open=True, scored_at__lt=since).exists():
        return Reconciled(0, skipped="a model went live recently: its re-scoring runs")
    lost = lost_resumes(grace_s=grace)
    _forget_retries_of_scored(lost)
    now = timezone.now()
    due = lost.filter(Q(scoring_retry_at__isnull=True) | Q(scoring_retry_at__lte=now))
    ids = list(
        due.filter(scoring_requeues__lt=SCORING_MAX_REQUEUES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        logger.warning(
            "queueing %d resumes again: unscored %d s after they came in", len(ids), grace
        )
        _back_off(ids, grace=grace, now=now)
        queue.enqueue_score_resumes(ids, group=RECONCILE_GROUP)
    return Reconciled(len(ids))


def lost_resumes(*, grace_s: int | None = None) -> QuerySet[Resume]:
    """Resumes still unscored `grace_s` (default SCORING_RECONCILE_GRACE_S) after they
    came in or changed: their task was lost, or failed, and the reconciler queues them."""
    grace = settings.SCORING_RECONCILE_GRACE_S if grace_s is None else grace_s
    return unscored_resumes(older_than=timedelta(seconds=grace))


def resumes_given_up() -> QuerySet[Resume]:
    """Resumes queued again SCORING_MAX_REQUEUES times and still unscored: an operator's."""
    return unscored_resumes().filter(scoring_requeues__gte=SCORING_MAX_REQUEUES)


def _back_off(ids: list[int], *, grace: int, now: datetime) -> None:
    """Count the retry and set the next one 2**k grace periods on (k: retries so far)."""
    by_count: dict[int, list[int]] = {}
    for pk, count in Resume.objects.filter(pk__in=ids).values_list("pk", "scoring_requeues"):
        by_count.setdefault(count, []).append(pk)
    for count, pks in by_count.items():
        Resume.objects.filter(pk__in=pks).update(
            scoring_requeues=F("scoring_requeues") + 1,
            scoring_retry_at=now + timedelta(seconds=grace * 2 ** (count + 1)),
        )


def _forget_retries_of_scored(lost: QuerySet[Resume]) -> None:
    """A resume scored at last starts afresh the next time its scoring is lost."""
    Resume.objects.filter(scoring_requeues__gt=0).exclude(pk__in=lost.values("pk")).update(
        scoring_requeues=0, scoring_retry_at=None
    )
