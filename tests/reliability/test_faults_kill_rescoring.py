"""A real qcluster killed (SIGKILL, whole process group) in the middle of the re-scoring
that follows an activation.

What the product promises (docs/reliability.md): the activated model stays live; every
pair is scored either by it or by the model live before it, never by anything else; the
progress panel shows the re-scoring unfinished; and the re-scoring is finished by the
killed task's second delivery (django-q2's ORM broker, after Q_RETRY), redoing only the
jobs it had not finished.
"""

from __future__ import annotations

import hashlib

import pytest

from matching.intake import terms
from matching.models import Job, Pair, Resume
from matching.scoring import activation as scoring_activation
from matching.scoring import services as scoring_services
from matching.scoring.progress import scoring_progress
from matching.texts import text_hash
from tests.qcluster import kill_cluster, running_cluster, wait_for

# Real transactions: the worker in the subprocess must see this test's rows. Not marked
# integration: this process scores with the suite's fake encoder and caches its vectors
# under the pre-trained key, so the worker re-scores from the cache and never loads the
# transformer; the scoring, the head and the writes are the real ones.
pytestmark = pytest.mark.django_db(transaction=True)

RESUMES = 800
JOBS = 25
# See test_faults_kill_training.py: the killed task comes back within the test.
KILLED_CLUSTER = {"Q_TIMEOUT": "20", "Q_RETRY": "21"}

SKILLS = "python django sql java spring kotlin react nursing triage sales excel docker".split()


def _resumes(n: int) -> None:
    rows = []
    for i in range(n):
        words = [SKILLS[(i * k) % len(SKILLS)] for k in (1, 3, 7)]
        text = f"Candidate {i}. Experienced in {', '.join(words)}; {i % 9} years."
        term_ids, term_counts = terms.term_vector(text).to_bytes()
        rows.append(
            Resume(
                original_name=f"r{i}.txt",
                file=f"resumes/r{i}.txt",
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                text_sha256=text_hash(text),
                term_ids=term_ids,
                term_counts=term_counts,
                status=Resume.Status.EXTRACTED,
            )
        )
    Resume.objects.bulk_create(rows, batch_size=500)


def _jobs(n: int) -> None:
    Job.objects.bulk_create(
        Job(
            title=f"Job {i}",
            description=f"We need {SKILLS[i % len(SKILLS)]} and {SKILLS[(i * 5) % len(SKILLS)]}.",
            must_have=SKILLS[i % len(SKILLS)],
        )
        for i in range(n)
    )


def test_a_rescoring_whose_cluster_is_killed_leaves_old_or_live_scores_and_is_finished(
    settings, train_model
):
    _resumes(RESUMES)
    _jobs(JOBS)
    assert scoring_services.pairs_score() == RESUMES * JOBS  # inline, caching every vector
    before = scoring_activation.scoring_model_active()
    model = train_model()  # a fast head: it reads the cached vectors of its base encoder
    settings.MATCHING_SYNC_TASKS = False
    scoring_activation.scoring_model_activate(model=model, force=True)  # queues the re-scoring
    # The worker loads the trained head from this test's models_store.
    storage = {"MODELS_STORE_DIR": str(settings.MODELS_STORE_DIR)}
    on_new = Pair.objects.filter(scoring_model=model)

    with running_cluster({**storage, **KILLED_CLUSTER}) as proc:
        wait_for(
            on_new.exists,
            timeout=240,
            what="the worker to write its first re-scored job",
            proc=proc,
            interval=0.05,
        )
        kill_cluster(proc)

    total = RESUMES * JOBS
    done = on_new.count()
    assert 0 < done < total, "the kill came after the re-scoring had finished"
    assert done % RESUMES == 0  # whole jobs: each job's scores are written in one transaction
    assert Pair.objects.count() == total
    assert set(Pair.objects.values_list("scoring_model", flat=True)) == {before.pk, model.pk}
    assert scoring_activation.scoring_model_active() == model
    progress = scoring_progress()
    assert progress.pairs_done == done
    assert progress.pairs_total == total
    finished = dict(on_new.values_list("pk", "scored_at"))

    # A new cluster is handed the killed task again once Q_RETRY has passed since the
    # first one took it; it re-scores only the jobs the first one had not finished.
    with running_cluster(storage) as proc:
        wait_for(
            lambda: on_new.count() == total,
            timeout=300,
            what="the killed re-scoring to be finished",
            proc=proc,
        )

    assert set(Pair.objects.values_list("scoring_model", flat=True)) == {model.pk}
    assert dict(Pair.objects.filter(pk__in=finished).values_list("pk", "scored_at")) == finished
    progress = scoring_progress()
    assert progress.pairs_done == progress.pairs_total == total
