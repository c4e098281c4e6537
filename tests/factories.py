"""factory_boy factories for rows the tests need in bulk."""

from __future__ import annotations

import hashlib

import factory

from matching.intake import terms
from matching.models import Job, Pair, Resume, ScoringModel
from matching.models_store import PRETRAINED_KEY
from matching.texts import text_hash


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    title = factory.Sequence(lambda n: f"Python developer {n}")
    description = "We need a Python developer with Django and PostgreSQL experience."
    must_have = "Python\nDjango"
    nice_to_have = "Kubernetes"


class ResumeFactory(factory.django.DjangoModelFactory):
    """An extracted resume whose text, hashes and term vector agree."""

    class Meta:
        model = Resume

    original_name = factory.Sequence(lambda n: f"resume-{n}.txt")
    text = factory.Sequence(lambda n: f"Candidate {n}. Python developer, Django, SQL.")
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.text.encode()).hexdigest())
    text_sha256 = factory.LazyAttribute(lambda o: text_hash(o.text))
    term_ids = factory.LazyAttribute(lambda o: terms.resume_term_vector(o.text).to_bytes()[0])
    term_counts = factory.LazyAttribute(lambda o: terms.resume_term_vector(o.text).to_bytes()[1])
    status = Resume.Status.EXTRACTED
    file = factory.django.FileField(filename="resume.txt", data=b"resume")


class ScoringModelFactory(factory.django.DjangoModelFactory):
    """A custom version, inactive, that embeds with the bundled encoder (a fast head on
    frozen vectors). Its folder is named after the version, as published ones are; the
    factory writes no files there."""

    class Meta:
        model = ScoringModel

    version = factory.Sequence(lambda n: f"custom-test-{n}")
    kind = ScoringModel.Kind.CUSTOM
    path = factory.SelfAttribute("version")
    encoder_key = PRETRAINED_KEY


class PairFactory(factory.django.DjangoModelFactory):
    """A resume and a job, unscored and unrated unless a test says otherwise."""

    class Meta:
        model = Pair

    resume = factory.SubFactory(ResumeFactory)
    job = factory.SubFactory(JobFactory)
