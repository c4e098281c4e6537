"""Index terms (stemmed), requirement lists, and the migration that re-indexes resumes."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from django.apps import apps

from matching import highlight, lexical, selectors
from matching.models import Job, Resume
from matching.services import job_text
from tests.factories import ResumeFactory

stemmed_vectors = importlib.import_module("matching.migrations.0005_stemmed_term_vectors")


def test_inflections_of_a_word_are_one_index_term():
    assert lexical.terms("Negotiation") == lexical.terms("negotiated")
    assert lexical.terms("nursing nurses") == [lexical.stem("nurse")] * 2
    assert lexical.term_vector("managed a team of managers").ids.size == 1  # manag(e)


def test_symbols_versions_and_stop_words_are_kept_as_tokenize_reads_them():
    assert lexical.terms("C++, C#, node.js, Python3 and .NET") == [
        "c++",
        "c#",
        "node.js",
        "python3",
        "net",
    ]
    assert lexical.tokenize("Negotiated") == ["negotiated"]  # the surface word, for display


def test_coverage_of_the_score_counts_an_inflected_requirement():
    idf = np.ones(lexical.N_FEATURES, np.float32)
    resumes = lexical.stack(
        [lexical.term_vector("Negotiated and closed contracts"), lexical.term_vector("Welding")]
    )
    covered = lexical.coverage(resumes, lexical.requirement_terms(["Negotiation, closing"]), idf)
    assert covered[:, 0].tolist() == [1.0, 0.0]


def test_the_explanation_and_the_marked_words_agree_with_the_score():
    resume = "Key account manager. Negotiated listing fees and closed the year at 120% of quota."
    terms = set(lexical.terms(resume))
    assert selectors.requirement_met("Negotiation and closing", terms)
    assert not selectors.requirement_met("Cold calling", terms)
    words = highlight.requirement_words(["Negotiation and closing"])
    segments = highlight.highlight(resume, passages=[], words=words)
    marked = [p.text for seg in segments for p in seg.pieces if p.term]
    assert marked == ["Negotiated", "closed"]


def test_a_comma_inside_parentheses_lists_alternatives_of_one_requirement():
    typed = "3D CAD modelling (SolidWorks, Creo or similar), GD&T\nPython; SQL"
    assert lexical.split_requirements(typed) == [
        "3D CAD modelling (SolidWorks, Creo or similar)",
        "GD&T",
        "Python",
        "SQL",
    ]
    # A job stored in the database and the same job given as text read the same list.
    job = Job(title="Mechanical design engineer", description="Ride-on scrubbers.", must_have=typed)
    must, _ = lexical.requirements_from_text(job_text(job))
    assert must == lexical.split_requirements(typed)


@pytest.mark.django_db
def test_the_migration_re_indexes_every_resume_with_text():
    texts = ["Registered nurse, nursing home.", "Negotiated contracts; managed accounts."]
    resumes = [ResumeFactory(text=t) for t in texts]
    # Vectors as the code before stemming wrote them: surface tokens.
    for resume in resumes:
        unstemmed = sorted({lexical.term_id(t) for t in lexical.tokenize(resume.text)})
        resume.term_ids = np.asarray(unstemmed, np.int32).tobytes()
        resume.term_counts = np.ones(len(unstemmed), np.float32).tobytes()
        resume.save(update_fields=["term_ids", "term_counts"])
    empty = ResumeFactory(text="", term_ids=b"", term_counts=b"", status=Resume.Status.FAILED)

    stemmed_vectors.recompute(apps, schema_editor=None)

    for resume in resumes:
        resume.refresh_from_db()
        expected = lexical.term_vector(resume.text).to_bytes()
        assert (bytes(resume.term_ids), bytes(resume.term_counts)) == expected
    empty.refresh_from_db()
    assert bytes(empty.term_ids) == b""
