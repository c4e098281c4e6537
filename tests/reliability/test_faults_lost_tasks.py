"""Resumes whose scoring tasks were lost are scored anyway (issue 19, item 1), by real
django-q2 clusters: the reconciling schedule finds them in the database and queues them
again, on Redis as on the ORM broker.

Tasks are lost three ways here: a flushed Redis (the resumes are in the database, the
broker holds nothing for them); a cluster killed (SIGKILL, the whole group) in the middle
of a batch, holding the task it runs and those its pusher took (Redis never hands them
out again; the ORM broker only after Q_RETRY, an hour by default); and database
connections terminated under a running task (PostgreSQL), which fails it.

The bound the docs state is SCORING_RECONCILE_GRACE_S + the schedule's 5 minutes. These
tests compress time instead of waiting for it: the resumes are made to have come in 20
minutes ago, and the schedule is made due at each poll, as if its next tick had come.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule

from matching.encoding.cache import ensure_vectors, resume_cache_key
from matching.intake.sections import evidence_text
from matching.models import Job, Pair, Resume
from matching.queue import RECONCILE_SCORING
from matching.scoring import activation as scoring_activation
from matching.texts import text_hash
from tests.factories import JobFactory, ResumeFactory
from tests.qcluster import flushed_redis, kill_cluster, manage_shell, running_cluster, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

# A database of its own on the machine's Redis, flushed first: a broker that lost it all.
REDIS_URL = "redis://127.0.0.1:6379/14"
RESUMES = 40
KILLED_RESUMES = 60


def _cached_and_due(resumes: list[Resume], jobs: list[Job]):
    """Resumes that came in 20 minutes ago, against jobs of a model live for an hour, with
    their vectors cached as scoring caches them (by the suite's fake encoder): the worker
    scores from the cache and loads the real model only to judge the requirements.
    Returns the pairs that count as done: scored by the live model and judged."""
    Resume.objects.update(updated_at=timezone.now() - timedelta(minutes=20))
    model = scoring_activation.scoring_model_active()
    type(model).objects.filter(pk=model.pk).update(activated_at=timezone.now() - timedelta(hours=1))
    ensure_vectors(
        texts={text_hash(j.embedded_text): j.embedded_text for j in jobs},
        encoder_key=model.encoder_key,
    )
    ensure_vectors(
        texts={r.text_sha256: evidence_text(r.text) for r in resumes},
        encoder_key=resume_cache_key(model.encoder_key),
    )
    return Pair.objects.filter(scoring_model=model, score__isnull=False).exclude(verdicts_key="")


def _schedule_due() -> bool:
    """The reconciling schedule as migration 0014 makes it (a transactional test's flush
    removed it), due now: its next tick has come. Returns False, to be polled."""
    Schedule.objects.update_or_create(
        func=RECONCILE_SCORING,
        defaults={"schedule_type": Schedule.MINUTES, "minutes": 5, "next_run": timezone.now()},
    )
    return False


def _all_done(done, expected: int) -> bool:
    return done.count() == expected or _schedule_due()


def _broker_env(broker: str, name: str) -> dict[str, str]:
    env = {"Q_CLUSTER_NAME": name, "SCORING_RECONCILE_GRACE_S": "60", "IMPORT_BATCH_SIZE": "10"}
    if broker == "redis":
        flushed_redis(REDIS_URL)
        return {**env, "REDIS_URL": REDIS_URL}
    return {**env, "REDIS_URL": ""}


def _enqueue_in(env: dict[str, str], ids: list[int]) -> None:
    """Queue their scoring as an import does, through the broker the clusters use."""
    manage_shell(f"from matching import queue\nqueue.enqueue_score_resumes({ids!r})", env)


def _queued_for_two_jobs(env: dict[str, str]):
    """KILLED_RESUMES resumes and two jobs, their scoring queued in the clusters' broker;
    returns the pairs done and how many there should be."""
    jobs = JobFactory.create_batch(2)
    resumes = _resume_texts(KILLED_RESUMES)
    done = _cached_and_due(resumes, jobs)
    _enqueue_in(env, [r.pk for r in resumes])
    return done, KILLED_RESUMES * len(jobs)


def _first_batch_judged(done, proc) -> None:
    wait_for(done.exists, timeout=240, what="the first batch judged", proc=proc, interval=0.05)


def _resume_texts(n: int) -> list[Resume]:
    # Several sentences each, so judging a batch takes the worker a while.
    lines = "Built REST APIs in Python and Django. Ran PostgreSQL in production. " * 6
    return [ResumeFactory(text=f"Candidate {i}. {lines} Led {i % 7} engineers.") for i in range(n)]


def test_resumes_a_flushed_broker_lost_are_queued_again_and_scored_once(settings):
    flushed_redis(REDIS_URL)
    jobs = JobFactory.create_batch(2)
    resumes = ResumeFactory.create_batch(RESUMES)
    # Their tasks went with the broker's data.
    done = _cached_and_due(resumes, jobs)
    assert not done.exists()

    with running_cluster(
        {"REDIS_URL": REDIS_URL, "SCORING_RECONCILE_GRACE_S": "60", "Q_CLUSTER_NAME": "lost-tasks"}
    ) as proc:
        wait_for(
            lambda: _all_done(done, RESUMES * len(jobs)),
            timeout=240,
            what="the reconciler to have every lost resume scored and judged",
            proc=proc,
        )

    assert Pair.objects.count() == RESUMES * Job.objects.count()  # once each, no duplicates


@pytest.mark.parametrize("broker", ["redis", "orm"])
def test_a_cluster_killed_mid_batch_loses_no_resume_for_good(broker):
    env = _broker_env(broker, f"killed-{broker}")
    done, expected = _queued_for_two_jobs(env)

    with running_cluster({**env, "Q_WORKERS": "1"}) as proc:
        _first_batch_judged(done, proc)
        kill_cluster(proc)
    assert 0 < done.count() < expected, "killed too late to be mid-batch"

    # A new cluster: what was still queued runs, the reconciler queues what was lost.
    with running_cluster({**env, "Q_WORKERS": "1"}) as proc:
        wait_for(
            lambda: _all_done(done, expected),
            timeout=300,
            what="every resume scored and judged after the kill",
            proc=proc,
        )
    assert Pair.objects.count() == expected  # one pair each, none twice
    assert set(Resume.objects.values_list("scoring_requeues", flat=True)) <= {0, 1}


def test_a_task_whose_database_connection_is_terminated_is_made_good():
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    env = _broker_env("orm", "terminated")
    done, expected = _queued_for_two_jobs(env)

    with running_cluster({**env, "Q_WORKERS": "1"}) as proc:
        _first_batch_judged(done, proc)
        with connection.cursor() as cursor:  # every connection of the cluster, not ours
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        assert done.count() < expected, "terminated too late to be mid-batch"
        wait_for(
            lambda: _all_done(done, expected),
            timeout=300,
            what="every resume scored and judged after the terminated connections",
            proc=proc,
        )
    assert Pair.objects.count() == expected
