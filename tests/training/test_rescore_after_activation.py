"""Activating a fast-head model re-scores every pair from the cached vectors: the head
shares its base encoder, so nothing is embedded again."""

from __future__ import annotations

import pytest

from matching.encoding.cache import resume_cache_key
from matching.models import Embedding, Pair
from matching.models_store import PRETRAINED_KEY, SENTENCES_VIEW
from matching.scoring import activation as scoring_activation
from matching.scoring import services as scoring_services
from tests.factories import JobFactory, ResumeFactory
from training.models import TrainingRun

pytestmark = pytest.mark.django_db


class CountingEncoder:
    """The suite's fake encoder, counting the texts it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.texts = 0

    def encode_documents(self, texts: list[str]):
        self.texts += len(texts)
        return self.inner.encode_documents(texts)

    def encode_texts(self, texts: list[str]):
        self.texts += len(texts)
        return self.inner.encode_texts(texts)


def test_activating_a_fast_head_rescores_every_pair_without_embedding_again(
    run_training, better_rows, fake_encoder, monkeypatch
):
    jobs = JobFactory.create_batch(2)
    ResumeFactory.create_batch(40)
    assert scoring_services.pairs_score() == 80
    run = run_training(better_rows, better_rows)
    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    model = run.output_model
    assert model.encoder_key == PRETRAINED_KEY  # a fast head reads its base's vectors
    counting = CountingEncoder(fake_encoder)
    monkeypatch.setattr("matching.encoding.cache.get_encoder", lambda path=None: counting)
    # Resume and job vectors; the sentence vectors the verdicts keep are judged (and kept)
    # once, whatever the live model.
    documents = Embedding.objects.exclude(encoder_key__contains=SENTENCES_VIEW)
    embeddings = documents.count()

    scoring_activation.scoring_model_activate(model=model)  # re-scores inline (MATCHING_SYNC_TASKS)

    assert counting.texts == 0
    assert documents.count() == embeddings
    pairs = Pair.objects.filter(job__in=jobs)
    assert pairs.count() == 80
    assert set(pairs.values_list("scoring_model", flat=True)) == {model.pk}


def test_activating_a_model_with_its_own_encoder_embeds_the_resumes_for_it(
    fake_encoder, monkeypatch, settings
):
    # The counterpart: a model whose encoder is new (a full fine-tune) has no cached
    # vectors, so every resume and job is embedded once for it.
    from matching.models import ScoringModel

    JobFactory()
    ResumeFactory.create_batch(5)
    scoring_services.pairs_score()
    model = ScoringModel.objects.create(
        version="pretrained-copy", kind=ScoringModel.Kind.PRETRAINED, encoder_key="other-encoder"
    )
    counting = CountingEncoder(fake_encoder)
    monkeypatch.setattr("matching.encoding.cache.get_encoder", lambda path=None: counting)

    scoring_activation.scoring_model_activate(model=model)

    assert counting.texts == 6
    assert Embedding.objects.filter(encoder_key="other-encoder").count() == 1  # the job
    assert Embedding.objects.filter(encoder_key=resume_cache_key("other-encoder")).count() == 5
