"""Reading training data: the notes' JSON format, hiring history, the database; merging
duplicates and splitting by resume."""

from __future__ import annotations

import json

import numpy as np
import pytest

from matching.models import Pair
from matching.review import ratings as review_ratings
from matching.review import services as review_services
from tests.factories import JobFactory, ResumeFactory
from training import datasets
from training import labels as training_labels
from training.datasets import Example
from training.errors import DatasetError
from training.models import LabeledExample


def _row(i: int = 0, score: float = 0.5, **extra) -> dict:
    return {
        "resume": f"Resume {i}: Python, Django.",
        "job_description": "Python dev",
        "score": score,
        **extra,
    }


# --- parse_examples -----------------------------------------------------------------------


def test_parse_examples_reads_the_notes_format():
    raw = json.dumps(
        [
            {"resume": "  Ana. Nurse, ICU.  ", "job_description": "ICU nurse", "score": 0.9},
            {"resume": "Bo. Welder.", "job_description": "ICU nurse", "score": 0},
            {"resume": "Cy. Nurse.", "job_description": "ICU nurse", "score": "0.5"},
        ]
    ).encode()
    examples = datasets.parse_examples(raw, name="labels.json", source="import")
    assert [(e.resume, e.job, e.score) for e in examples] == [
        ("Ana. Nurse, ICU.", "ICU nurse", 0.9),
        ("Bo. Welder.", "ICU nurse", 0.0),
        ("Cy. Nurse.", "ICU nurse", 0.5),
    ]
    assert {e.source for e in examples} == {"import"}
    assert all(e.predicted is None for e in examples)


def test_parse_examples_accepts_an_examples_object_a_bom_and_predicted_scores():
    raw = "\ufeff" + json.dumps({"examples": [_row(1, 0.8, predicted_score=0.75)]})
    (example,) = datasets.parse_examples(raw.encode("utf-8"))
    assert example.score == 0.8
    assert example.predicted == 0.75


def test_bad_json_names_the_file_and_line():
    raw = b'[\n  {"resume": "a", "job_description": "b", "score": 0.5},\n  {oops}\n]'
    with pytest.raises(DatasetError, match=r"labels\.json: not valid JSON \(line 3"):
        datasets.parse_examples(raw, name="labels.json")


def test_text_that_is_not_utf8_is_refused():
    with pytest.raises(DatasetError, match="not UTF-8"):
        datasets.parse_examples(b"[\xff\xfe]", name="latin.json")


@pytest.mark.parametrize("data", [{"resume": "a"}, "just text", 42, {"examples": "nope"}])
def test_a_file_that_is_not_a_list_is_refused(data):
    with pytest.raises(DatasetError, match="expected a JSON list of examples"):
        datasets.parse_examples(json.dumps(data), name="f.json")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"job_description": "x", "score": 0.5}, "'resume' must be non-empty text"),
        ({"resume": "   ", "job_description": "x", "score": 0.5}, "'resume' must be non-empty"),
        ({"resume": "r", "score": 0.5}, "'job_description' must be non-empty text"),
        ({"resume": "r", "job_description": "", "score": 0.5}, "'job_description' must be"),
        ({"resume": "r", "job_description": 7, "score": 0.5}, "'job_description' must be"),
        ({"resume": "r", "job_description": "j"}, "'score' must be a number between 0 and 1"),
        ({"resume": "r", "job_description": "j", "score": 1.2}, "'score' is 1.2, not between"),
        ({"resume": "r", "job_description": "j", "score": -0.1}, "'score' is -0.1, not between"),
        ({"resume": "r", "job_description": "j", "score": "high"}, "'score' must be a number"),
        ({"resume": "r", "job_description": "j", "score": True}, "'score' must be a number"),
        ({"resume": "r", "job_description": "j", "score": [0.5]}, "'score' must be a number"),
        (
            {"resume": "r", "job_description": "j", "score": 0.5, "predicted_score": 2},
            "'predicted_score' is 2, not between",
        ),
        ("a string row", "expected an object with resume, job_description, score"),
    ],
)
def test_a_bad_example_names_its_row_and_field(bad, message):
    rows = [_row(1), _row(2), bad, _row(4)]
    with pytest.raises(DatasetError) as info:
        datasets.parse_examples(json.dumps(rows), name="labels.json")
    assert str(info.value).startswith("labels.json, example 3: ")
    assert message in str(info.value)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_scores_are_refused(literal):
    raw = f'[{{"resume": "r", "job_description": "j", "score": {literal}}}]'
    with pytest.raises(DatasetError, match=r"example 1: 'score' is .+, not between 0 and 1"):
        datasets.parse_examples(raw, name="f.json")


def test_scores_at_the_ends_of_the_range_are_accepted():
    examples = datasets.parse_examples(json.dumps([_row(1, 0), _row(2, 1), _row(3, 1.0)]))
    assert [e.score for e in examples] == [0.0, 1.0, 1.0]


# --- parse_history ------------------------------------------------------------------------


def test_history_csv_maps_outcomes_to_scores(settings):
    raw = (
        b"resume,job,outcome\n"
        b'"Ana, nurse with ICU years",ICU nurse,hired\n'
        b"Bo welder,ICU nurse, Rejected \n"
        b"Cy nurse,ICU nurse,INTERVIEWED\n"
    )
    examples = datasets.parse_history(
        raw, name="history.csv", outcome_scores=settings.HIRING_OUTCOME_SCORES
    )
    assert [(e.resume, e.score) for e in examples] == [
        ("Ana, nurse with ICU years", settings.HIRING_OUTCOME_SCORES["hired"]),
        ("Bo welder", settings.HIRING_OUTCOME_SCORES["rejected"]),
        ("Cy nurse", settings.HIRING_OUTCOME_SCORES["interviewed"]),
    ]
    assert settings.HIRING_OUTCOME_SCORES["hired"] == 0.95  # the notes' figures
    assert settings.HIRING_OUTCOME_SCORES["rejected"] == 0.30
    assert {e.source for e in examples} == {"history"}
    assert examples[0].job == "ICU nurse"


def test_history_json_accepts_job_or_job_description_and_a_custom_map():
    raw = json.dumps(
        [
            {"resume": "Ana", "job": "Nurse", "outcome": "offer"},
            {"resume": "Bo", "job_description": "Nurse", "outcome": "ghosted"},
        ]
    )
    examples = datasets.parse_history(raw, outcome_scores={"offer": 0.8, "ghosted": 0.1})
    assert [(e.resume, e.job, e.score) for e in examples] == [
        ("Ana", "Nurse", 0.8),
        ("Bo", "Nurse", 0.1),
    ]


def test_unknown_outcome_names_the_csv_row_and_lists_known_outcomes(settings):
    raw = "resume,job,outcome\nAna,Nurse,hired\nBo,Nurse,maybe\n"
    with pytest.raises(DatasetError) as info:
        datasets.parse_history(raw, name="h.csv", outcome_scores=settings.HIRING_OUTCOME_SCORES)
    message = str(info.value)
    # Row 1 is the header, so the second data line is row 3, as a spreadsheet shows it.
    assert message.startswith("h.csv, row 3: outcome 'maybe' is not one of: ")
    for outcome in settings.HIRING_OUTCOME_SCORES:
        assert outcome in message


def test_unknown_outcome_in_json_names_the_record():
    raw = json.dumps([{"resume": "A", "job": "N", "outcome": "hired"}, {"resume": "B", "job": "N"}])
    with pytest.raises(DatasetError, match=r"h\.json, record 2: outcome '' is not one of: hired"):
        datasets.parse_history(raw, name="h.json", outcome_scores={"hired": 0.95})


@pytest.mark.parametrize(
    "header", ["resume,outcome", "job,outcome", "resume,job", "name,role,result"]
)
def test_history_csv_without_the_needed_columns_is_refused(header):
    raw = f"{header}\na,b\n"
    with pytest.raises(DatasetError, match="needs the columns resume, job and outcome"):
        datasets.parse_history(raw, name="h.csv", outcome_scores={"hired": 0.95})


def test_history_row_with_an_empty_resume_is_refused():
    raw = "resume,job,outcome\nAna,Nurse,hired\n,Nurse,hired\n"
    with pytest.raises(DatasetError, match="row 3: 'resume' must be non-empty text"):
        datasets.parse_history(raw, name="h.csv", outcome_scores={"hired": 0.95})


# --- merging and splitting ----------------------------------------------------------------


def test_duplicates_become_their_mean_and_far_apart_labels_count_as_conflicts():
    examples = [
        Example("Ana nurse", "ICU nurse", 0.8),
        Example("Ana nurse", "ICU nurse", 0.9),  # close: merged, no conflict
        Example("Bo welder", "ICU nurse", 0.1),
        Example("Bo welder", "ICU nurse", 0.6),  # 0.5 apart: a conflict
        Example("Cy nurse", "ICU nurse", 0.2),
        Example("Cy nurse", "ICU nurse", 0.5),  # exactly a band (0.3) apart: a conflict
        Example("Di nurse", "ICU nurse", 0.7),
    ]
    merged, conflicts = datasets.merge_duplicates(examples)
    assert conflicts == 2
    by_resume = {e.resume: e for e in merged}
    assert len(merged) == 4
    assert by_resume["Ana nurse"].score == pytest.approx(0.85)
    assert by_resume["Ana nurse"].n_ratings == 2
    assert by_resume["Ana nurse"].spread == pytest.approx(0.05)
    assert by_resume["Bo welder"].score == pytest.approx(0.35)
    assert by_resume["Di nurse"] == examples[-1]


def test_same_resume_for_another_job_is_not_a_duplicate():
    merged, conflicts = datasets.merge_duplicates(
        [Example("Ana", "Nurse", 0.9), Example("Ana", "Welder", 0.1)]
    )
    assert len(merged) == 2
    assert conflicts == 0


def _many(resumes: int, per_resume: int) -> list[Example]:
    return [
        Example(f"Resume {r}", f"Job {j}", (r * 7 + j) % 10 / 10)
        for r in range(resumes)
        for j in range(per_resume)
    ]


@pytest.mark.parametrize(("resumes", "per_resume"), [(50, 2), (40, 3), (100, 1), (13, 5)])
def test_split_keeps_each_resume_on_one_side_and_holds_out_about_a_fifth(resumes, per_resume):
    examples = _many(resumes, per_resume)
    train, validation = datasets.split_by_resume(examples, fraction=0.2, seed=3)
    assert len(train) + len(validation) == len(examples)
    assert not {e.group for e in train} & {e.group for e in validation}
    assert 0.15 <= len(validation) / len(examples) <= 0.3


def test_split_is_deterministic_for_a_seed_and_varies_between_seeds():
    examples = _many(50, 2)
    first = datasets.split_by_resume(examples, seed=1)[1]
    assert datasets.split_by_resume(examples, seed=1)[1] == first
    assert {e.group for e in datasets.split_by_resume(examples, seed=2)[1]} != {
        e.group for e in first
    }


def test_a_single_resume_is_never_held_out_entirely():
    train, validation = datasets.split_by_resume(_many(1, 10))
    assert len(train) == 10
    assert validation == []


def test_statistics_count_sources_bands_and_groups():
    examples = [
        Example("A", "J1", 0.1, source="file"),
        Example("A", "J2", 0.3, source="file"),
        Example("B", "J1", 0.7, source="ratings", n_ratings=3),
    ]
    stats = datasets.statistics(examples)
    assert stats["examples"] == 3
    assert stats["resumes"] == 2
    assert stats["jobs"] == 2
    assert stats["sources"] == {"file": 2, "ratings": 1}
    assert stats["bands"] == {"poor": 1, "partial": 1, "good": 1}
    assert stats["multi_rated"] == 1
    assert stats["score_mean"] == pytest.approx(0.367, abs=1e-3)


# --- the database -------------------------------------------------------------------------


@pytest.mark.django_db
def test_examples_from_db_use_the_mean_and_spread_of_several_reviewers(django_user_model):
    job = JobFactory(title="ICU nurse", description="Adult intensive care.", must_have="")
    resume = ResumeFactory(text="Registered nurse, eight years in intensive care.")
    pair = review_ratings.pair_get_or_create(resume=resume, job=job)
    for i, score in enumerate([0.2, 0.4, 0.9]):
        reviewer = django_user_model.objects.create_user(username=f"reviewer{i}")
        review_ratings.rating_create(pair=pair, score=score, reviewer=reviewer)
    unrated = ResumeFactory(text="Welder")
    review_ratings.pair_get_or_create(resume=unrated, job=job)
    training_labels.feedback_collect(
        resume_text="Nurse, ICU", job_description="ICU nurse", predicted_score=0.4, actual_score=0.9
    )
    training_labels.examples_import(
        examples=[Example("Welder, MIG and TIG", "Pipe welder", 0.95)], source="history"
    )

    examples = datasets.examples_from_db()

    rated = [e for e in examples if e.source == "ratings"]
    assert len(rated) == 1  # the unrated pair is not a label
    (example,) = rated
    assert example.resume == resume.text
    assert example.job == job.embedded_text
    assert example.score == pytest.approx(0.5)
    assert example.n_ratings == 3
    assert example.spread == pytest.approx(float(np.std([0.2, 0.4, 0.9])), abs=1e-6)
    others = sorted((e.source, e.score, e.predicted) for e in examples if e.source != "ratings")
    assert others == [("feedback", 0.9, 0.4), ("history", 0.95, None)]
    assert LabeledExample.objects.count() == 2


@pytest.mark.django_db
def test_examples_from_db_use_the_settled_score_of_a_conflict_instead_of_the_mean(
    django_user_model,
):
    job = JobFactory(title="ICU nurse", description="Adult intensive care.", must_have="")
    lead = django_user_model.objects.create_user(username="lead")
    settled = review_ratings.pair_get_or_create(
        resume=ResumeFactory(text="Nurse, two years in a care home."), job=job
    )
    open_conflict = review_ratings.pair_get_or_create(
        resume=ResumeFactory(text="Paramedic, ten years of emergency care."), job=job
    )
    for i, (a, b) in enumerate([(0.0, 0.75), (0.25, 1.0)]):
        reviewers = [
            django_user_model.objects.create_user(username=f"reviewer{i}{k}") for k in range(2)
        ]
        pair = settled if i == 0 else open_conflict
        review_ratings.rating_submit(pair=pair, reviewer=reviewers[0], score=a)
        review_ratings.rating_submit(pair=pair, reviewer=reviewers[1], score=b)
    review_services.pair_settle(pair=settled, score=0.5, settled_by=lead)

    by_resume = {e.resume: e for e in datasets.examples_from_db()}

    decided = by_resume["Nurse, two years in a care home."]
    assert decided.score == 0.5  # the lead's score, not the mean 0.375
    assert (decided.n_ratings, decided.spread) == (2, 0.0)
    undecided = by_resume["Paramedic, ten years of emergency care."]
    assert undecided.score == pytest.approx(0.625)  # no decision yet: the reviewers' mean
    assert undecided.spread == pytest.approx(0.375)


@pytest.mark.django_db
def test_examples_from_db_survive_pair_statistics_left_stale_by_a_deleted_rating(
    django_user_model,
):
    """A pair still counting a rating that is gone (a bulk delete that skipped the
    services) once made every training run fail: StdDev over zero rows on SQLite."""
    job = JobFactory(title="ICU nurse", description="Adult intensive care.", must_have="")
    stale = review_ratings.pair_get_or_create(resume=ResumeFactory(text="Welder"), job=job)
    Pair.objects.filter(pk=stale.pk).update(rating_count=1, rating_mean=0.5, rating_spread=0.0)
    settled = review_ratings.pair_get_or_create(resume=ResumeFactory(text="Paramedic"), job=job)
    Pair.objects.filter(pk=settled.pk).update(settled_score=0.75, rating_count=2)
    rated = review_ratings.pair_get_or_create(resume=ResumeFactory(text="ICU nurse"), job=job)
    reviewer = django_user_model.objects.create_user(username="ann")
    review_ratings.rating_submit(pair=rated, reviewer=reviewer, score=1.0)

    by_resume = {e.resume: e for e in datasets.examples_from_db()}

    assert set(by_resume) == {"Paramedic", "ICU nurse"}  # no ratings, not settled: no label
    assert (by_resume["Paramedic"].score, by_resume["Paramedic"].n_ratings) == (0.75, 0)
    assert (by_resume["ICU nurse"].score, by_resume["ICU nurse"].spread) == (1.0, 0.0)
