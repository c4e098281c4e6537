"""Resumes whose scoring tasks were lost are scored anyway (issue 19, item 1), by a real
django-q2 cluster on the Redis broker: the reconciling schedule finds them in the
database and queues them again.

The lost tasks are those of a flushed Redis (the resumes are in the database, the broker
holds nothing for them); a cluster killed while holding tasks loses them the same way on
Redis, which never hands a taken task out again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from django.utils import timezone
from django_q.models import Schedule

from matching.encoding.cache import ensure_vectors, resume_cache_key
from matching.models import Job, Pair, Resume
from matching.queue import RECONCILE_SCORING
from matching.scoring import activation as scoring_activation
from matching.scoring.inputs import scored_text
from matching.texts import text_hash
from tests.factories import JobFactory, ResumeFactory
from tests.qcluster import running_cluster, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

# A database of its own on the machine's Redis, flushed first: a broker that lost it all.
REDIS_URL = "redis://127.0.0.1:6379/14"
RESUMES = 40


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    return client


def test_resumes_a_flushed_broker_lost_are_queued_again_and_scored_once(settings):
    _redis_or_skip().flushdb()
    jobs = JobFactory.create_batch(2)
    resumes = ResumeFactory.create_batch(RESUMES)
    # Imported 20 minutes ago; their tasks went with the broker's data.
    Resume.objects.update(updated_at=timezone.now() - timedelta(minutes=20))
    model = scoring_activation.scoring_model_active()
    type(model).objects.filter(pk=model.pk).update(activated_at=timezone.now() - timedelta(hours=1))
    # Vectors cached as scoring caches them (by the suite's fake encoder): the worker
    # scores from the cache; it loads the real model only to judge the requirements.
    ensure_vectors(
        texts={text_hash(j.embedded_text): j.embedded_text for j in jobs},
        encoder_key=model.encoder_key,
    )
    ensure_vectors(
        texts={r.text_sha256: scored_text(r.text) for r in resumes},
        encoder_key=resume_cache_key(model.encoder_key),
    )
    # The schedule as migration 0014 makes it (a transactional test's flush removed it),
    # due now.
    Schedule.objects.update_or_create(
        func=RECONCILE_SCORING,
        defaults={"schedule_type": Schedule.MINUTES, "minutes": 5, "next_run": timezone.now()},
    )
    live = Pair.objects.filter(scoring_model=model, score__isnull=False)
    assert not live.exists()

    with running_cluster(
        {"REDIS_URL": REDIS_URL, "SCORING_RECONCILE_GRACE_S": "60", "Q_CLUSTER_NAME": "lost-tasks"}
    ) as proc:
        # Scored, then judged, as the scoring task does.
        wait_for(
            lambda: live.exclude(verdicts_key="").count() == RESUMES * len(jobs),
            timeout=240,
            what="the reconciler to have every lost resume scored and judged",
            proc=proc,
        )

    assert Pair.objects.count() == RESUMES * Job.objects.count()  # once each, no duplicates
