"""The fairness check of a candidate: its impact ratios beside the live model's on the
applications it would score; a category it would push below 0.8 makes activation ask
for confirmation, and a confirmed activation records the drop in the audit log."""

from __future__ import annotations

import numpy as np
import pytest

from audit.models import AuditEvent
from fairness.activation import candidate_fairness
from fairness.models import SelfIdentification
from matching.errors import ActivationRefused
from matching.models_store import version_dir
from matching.scoring import services as scoring_services
from matching.scoring.activation import scoring_model_activate
from matching.scoring.features import FEATURE_NAMES
from matching.scoring.heads import TrainedHead
from tests.conftest import DIM
from tests.factories import JobFactory, ResumeFactory, ScoringModelFactory

pytestmark = pytest.mark.django_db

MATCHING = "Python developer. Django, PostgreSQL, REST APIs, Celery and Docker for six years."
UNRELATED = "Pastry chef. Croissants, laminated dough and a bakery team of four."


def _reversed_head_model():
    """A real trained-head version whose score falls as the shared terms rise: it ranks the
    applications the other way round from the live model."""
    coef = np.zeros(2 * DIM + len(FEATURE_NAMES) + 1)
    coef[2 * DIM + FEATURE_NAMES.index("lexical")] = -1.0
    head = TrainedHead(
        coef=coef,
        intercept=0.0,
        feature_names=FEATURE_NAMES,
        memory_resumes=np.zeros((0, DIM), np.float32),
        memory_jobs=np.zeros((0, DIM), np.float32),
        memory_scores=np.zeros(0, np.float32),
        resume_temperature=0.1,
        job_temperature=0.1,
        knots=np.array([-1.0, -0.3, -0.05, 0.001]),
    )
    model = ScoringModelFactory(version="custom-reversed")
    folder = version_dir(model)
    folder.mkdir(parents=True, exist_ok=True)
    head.save(folder)
    return model


@pytest.fixture
def applicants():
    """Men with resumes matching the posting, women with unrelated ones, all scored by the
    live model: it favours the men, the reversed head the women."""
    JobFactory(
        title="Python developer",
        description="Python developer for Django REST APIs with PostgreSQL.",
        must_have="Python\nDjango",
    )
    for i in range(6):
        man = ResumeFactory(text=f"Candidate {i}. {MATCHING}")
        woman = ResumeFactory(text=f"Candidate {i + 10}. {UNRELATED}")
        SelfIdentification.objects.create(resume=man, sex="male")
        SelfIdentification.objects.create(resume=woman, sex="female")
    scoring_services.pairs_score()


def test_a_candidate_that_reverses_a_groups_ratio_asks_for_confirmation(applicants, manager):
    model = _reversed_head_model()
    result = candidate_fairness(model)
    assert result["measured"] and result["applications"] == 12
    male = next(c for c in result["categories"] if c["category"] == "Male")
    assert male["live_scoring"] == 1.0 and male["candidate_scoring"] < 0.8
    assert any(d.startswith("Sex: Male scoring impact ratio 1.00 -> ") for d in result["drops"])
    assert AuditEvent.objects.filter(action="self_id_read", target_label=model.version).exists()

    model.metrics = {**model.metrics, "fairness": result}
    model.save()
    with pytest.raises(ActivationRefused, match=r"would lower a group.s impact ratio below 0\.8"):
        scoring_model_activate(model=model, actor=manager)
    scoring_model_activate(model=model, actor=manager, force=True)
    event = AuditEvent.objects.get(action="activated")
    assert event.details["force"] is True
    assert event.details["fairness_drops"] == result["drops"]


def test_without_self_identification_the_check_says_it_measured_nothing():
    JobFactory()
    ResumeFactory.create_batch(2)
    scoring_services.pairs_score()
    assert candidate_fairness(_reversed_head_model()) == {
        "measured": False,
        "why": "no scored application has self-identification",
    }
