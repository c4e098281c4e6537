"""Index terms (stemmed), requirement lists, and the migration that re-indexes resumes."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from django.apps import apps

from matching import texts as matching_texts
from matching.intake import terms as intake_terms
from matching.models import Job, Resume
from matching.review import highlight
from matching.scoring import explain as scoring_explain
from matching.scoring import lexical
from tests.factories import ResumeFactory

stemmed_vectors = importlib.import_module("matching.migrations.0005_stemmed_term_vectors")


def test_inflections_of_a_word_are_one_index_term():
    assert intake_terms.terms("Negotiation") == intake_terms.terms("negotiated")
    assert intake_terms.terms("nursing nurses") == [intake_terms.stem("nurse")] * 2
    assert intake_terms.term_vector("managed a team of managers").ids.size == 1  # manag(e)


def test_symbols_versions_and_stop_words_are_kept_as_tokenize_reads_them():
    assert intake_terms.terms("C++, C#, node.js, Python3 and .NET") == [
        "c++",
        "c#",
        "node.js",
        "python3",
        "net",
    ]
    assert intake_terms.tokenize("Negotiated") == ["negotiated"]  # the surface word, for display


def test_coverage_of_the_score_counts_an_inflected_requirement():
    idf = np.ones(intake_terms.N_FEATURES, np.float32)
    resumes = lexical.stack(
        [
            intake_terms.term_vector("Negotiated and closed contracts"),
            intake_terms.term_vector("Welding"),
        ]
    )
    covered = lexical.coverage(resumes, lexical.requirement_terms(["Negotiation, closing"]), idf)
    assert covered[:, 0].tolist() == [1.0, 0.0]


def test_the_explanation_and_the_marked_words_agree_with_the_score():
    resume = "Key account manager. Negotiated listing fees and closed the year at 120% of quota."
    terms = set(intake_terms.terms(resume))
    assert scoring_explain.requirement_met("Negotiation and closing", terms)
    assert not scoring_explain.requirement_met("Cold calling", terms)
    words = highlight.requirement_words(["Negotiation and closing"])
    segments = highlight.highlight(resume, spans=[], words=words)
    marked = [p.text for seg in segments for p in seg.pieces if p.term]
    assert marked == ["Negotiated", "closed"]


def test_a_comma_inside_parentheses_lists_alternatives_of_one_requirement():
    typed = "3D CAD modelling (SolidWorks, Creo or similar), GD&T\nPython; SQL"
    assert matching_texts.split_requirements(typed) == [
        "3D CAD modelling (SolidWorks, Creo or similar)",
        "GD&T",
        "Python",
        "SQL",
    ]
    # A job stored in the database and the same job given as text read the same list.
    job = Job(title="Mechanical design engineer", description="Ride-on scrubbers.", must_have=typed)
    must, _ = matching_texts.requirements_from_text(job.embedded_text)
    assert must == matching_texts.split_requirements(typed)


@pytest.mark.django_db
def test_the_migration_re_indexes_every_resume_with_text():
    texts = ["Registered nurse, nursing home.", "Negotiated contracts; managed accounts."]
    resumes = [ResumeFactory(text=t) for t in texts]
    # Vectors as the code before stemming wrote them: surface tokens.
    for resume in resumes:
        unstemmed = sorted({intake_terms.term_id(t) for t in intake_terms.tokenize(resume.text)})
        resume.term_ids = np.asarray(unstemmed, np.int32).tobytes()
        resume.term_counts = np.ones(len(unstemmed), np.float32).tobytes()
        resume.save(update_fields=["term_ids", "term_counts"])
    empty = ResumeFactory(text="", term_ids=b"", term_counts=b"", status=Resume.Status.FAILED)

    stemmed_vectors.recompute(apps, schema_editor=None)

    for resume in resumes:
        resume.refresh_from_db()
        expected = intake_terms.term_vector(resume.text).to_bytes()
        assert (bytes(resume.term_ids), bytes(resume.term_counts)) == expected
    empty.refresh_from_db()
    assert bytes(empty.term_ids) == b""
