"""Tests generated from the OpenAPI schema (schemathesis): no input the schema allows makes
any endpoint answer 500, and every answer matches the schema (documented status codes,
bodies and content types).

The schema is the one /api/schema/ serves, generated at collection time (no request, so
no database is needed then); each operation becomes a test that sends generated requests
through the project's WSGI application with an API token.
(schemathesis.pytest.from_fixture would load it over HTTP instead, but it reads a pytest
node attribute that pytest 9 no longer has.)
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import ScopedRateThrottle

from matching.intake import resumes as intake_resumes
from matching.scoring import activation as scoring_activation
from tests.api.helpers import served_schema
from tests.conftest import PYTHON_RESUME
from tests.factories import JobFactory, PairFactory, ResumeFactory
from training.models import TrainingRun

schema = schemathesis.openapi.from_dict(served_schema())
# Requests (and the probes some checks send) go through the project's WSGI application.
schema.app = get_wsgi_application()
schema.config.update(base_url="http://localhost")


@pytest.fixture
def token(db, reviewer, monkeypatch) -> str:
    """A token of the staff reviewer, a few rows for the generated ids to find, and no
    throttling (generated requests come fast; throttling has tests of its own)."""
    for scope in list(ScopedRateThrottle.THROTTLE_RATES):
        monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, scope, "1000000/minute")
    model = scoring_activation.scoring_model_active()
    jobs = [JobFactory() for _ in range(3)]
    resumes = [ResumeFactory() for _ in range(3)]
    intake_resumes.resume_create(name="jane.txt", data=PYTHON_RESUME.encode())
    for job in jobs:
        for i, resume in enumerate(resumes):
            PairFactory(resume=resume, job=job, score=0.2 + 0.3 * i, scoring_model=model)
    TrainingRun.objects.create()  # a queued run, and a finished one, to read and cancel
    TrainingRun.objects.create(status=TrainingRun.Status.FAILED, error="The data failed checks.")
    return Token.objects.create(user=reviewer).key


# Queueing a run is tested on its own: its runs stay queued there (see queue_only).
QUEUE_RUN = {"path": "/api/v1/training/runs/", "method": "POST"}


EXCLUDED_CHECKS = [
    # Rules the schema cannot state (ids that exist, a right password, a text or a file,
    # examples or from_ratings) make some schema-valid requests a 400.
    schemathesis.checks.positive_data_acceptance,
    # DRF coerces leniently on purpose (0 -> false, 5 -> "5") and ignores a malformed
    # page_size, so some schema-violating requests succeed.
    schemathesis.checks.negative_data_rejection,
]
HYPOTHESIS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.exclude(**QUEUE_RUN).parametrize()
@HYPOTHESIS
def test_every_endpoint_answers_as_documented_to_any_input(case, token, wsgi_app):
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"}, excluded_checks=EXCLUDED_CHECKS
    )


@schema.include(**QUEUE_RUN).parametrize()
@HYPOTHESIS
def test_queueing_a_run_answers_as_documented_to_any_input(case, token, wsgi_app, queue_only):
    """Runs are queued, not run: a generated request may ask for a forced full fine-tune
    of the real transformer for 50 epochs, which is not this test's business."""
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"}, excluded_checks=EXCLUDED_CHECKS
    )
