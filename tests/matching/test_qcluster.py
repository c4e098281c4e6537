"""Scoring runs in a real django-q2 cluster: the upload returns at once, a worker scores."""

from __future__ import annotations

import pytest

from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.models import Pair
from tests.conftest import PYTHON_RESUME
from tests.qcluster import running_cluster, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_upload_returns_unscored_and_a_qcluster_worker_scores_it(settings):
    settings.MATCHING_SYNC_TASKS = False
    job = intake_jobs.job_create(title="Python developer", description="Python and Django")
    resume = intake_resumes.resume_create(name="py.txt", data=PYTHON_RESUME.encode()).resume
    # Nothing is scored in the request: the work waits in the broker.
    assert not Pair.objects.filter(resume=resume).exists()
    with running_cluster() as proc:
        wait_for(
            lambda: Pair.objects.filter(resume=resume, job=job, score__isnull=False).exists(),
            timeout=180,
            what="the worker to score the pair",
            proc=proc,
        )
    pair = Pair.objects.get(resume=resume, job=job)
    assert pair.scoring_model.version == "pretrained"
