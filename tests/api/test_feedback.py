"""Feedback (the notes' collect_feedback): any reviewer corrects a score; it becomes a label."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_error
from training.models import LabeledExample

pytestmark = pytest.mark.django_db

URL = "/api/v1/feedback/"
FEEDBACK = {
    "resume_text": "Jane Doe. Senior Python developer, Django and PostgreSQL.",
    "job_description": "Senior Python Developer. Must have: Python, Django.",
    "predicted_score": 0.75,
    "actual_score": 0.85,
}


def test_a_reviewer_posts_feedback_and_it_is_stored_as_their_label(member_api, member):
    response = member_api.post(URL, FEEDBACK, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    example = LabeledExample.objects.get()
    assert body["id"] == example.pk
    assert (body["actual_score"], body["predicted_score"]) == (0.85, 0.75)
    assert (body["source"], body["created_by"]) == ("feedback", "mo")
    assert example.source == LabeledExample.Source.FEEDBACK
    assert (example.score, example.predicted_score) == (0.85, 0.75)
    assert example.resume_text == FEEDBACK["resume_text"]
    assert example.job_text == FEEDBACK["job_description"]
    assert (example.created_by, example.origin) == (member, "api")
    assert body["retraining"]["new_labels"] == 1
    assert body["retraining"]["suggested"] is False


def test_the_predicted_score_may_be_left_out(member_api):
    data = {k: v for k, v in FEEDBACK.items() if k != "predicted_score"}
    response = member_api.post(URL, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["predicted_score"] is None
    assert LabeledExample.objects.get().predicted_score is None


def test_the_answer_says_when_retraining_becomes_suggested(member_api, settings):
    settings.RETRAIN_SUGGEST_AFTER = 2
    first = member_api.post(URL, FEEDBACK, format="json").json()["retraining"]
    second = member_api.post(URL, FEEDBACK, format="json").json()["retraining"]
    assert (first["new_labels"], first["suggested"]) == (1, False)
    assert (second["new_labels"], second["threshold"], second["suggested"]) == (2, 2, True)


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"actual_score": 1.5}, ["actual_score"]),
        ({"actual_score": None}, ["actual_score"]),
        ({"predicted_score": -0.1}, ["predicted_score"]),
        ({"resume_text": "   "}, ["resume_text"]),
        ({"job_description": ""}, ["job_description"]),
    ],
)
def test_bad_feedback_is_a_400_naming_the_field_and_stores_nothing(member_api, change, fields):
    response = member_api.post(URL, {**FEEDBACK, **change}, format="json")
    assert_error(response, 400, "invalid", fields)
    assert not LabeledExample.objects.exists()


def test_feedback_needs_its_texts_and_the_actual_score(member_api):
    response = member_api.post(URL, {}, format="json")
    assert_error(response, 400, "invalid", ["resume_text", "job_description", "actual_score"])


def test_anonymous_feedback_is_refused(anon):
    assert_error(anon.post(URL, FEEDBACK, format="json"), 401, "not_authenticated")
    assert not LabeledExample.objects.exists()
