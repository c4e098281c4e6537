"""The anonymized view: the reviewer's toggle, masking on every page, the API, the admin,
and the text the model scores (never the personal details the view masks)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from django.urls import reverse

from matching.encoding.cache import resume_cache_key
from matching.intake.sections import evidence_text
from matching.models import Embedding, ReviewerPreference
from matching.privacy import selectors as privacy_selectors
from matching.privacy import services as privacy_services
from matching.privacy.anonymize import ORIGINAL_FILE_HIDDEN, anonymize
from matching.scoring import activation as scoring_activation
from matching.scoring import inputs as scoring_inputs
from matching.scoring import services as scoring_services
from matching.texts import text_hash

pytestmark = pytest.mark.django_db

RESUME = (
    "Daniel Okafor\n"
    "Senior Backend Engineer - Python / Django\n"
    "daniel.okafor@example.com | (412) 555-0187 | github.com/dokafor\n"
    "\n"
    "Summary\n"
    "Backend engineer with nine years of Python, Django and PostgreSQL. Daniel led the "
    "design of REST APIs on AWS and mentored four developers at Fernhill Freight.\n"
)
PERSONAL = ("Daniel", "Okafor", "daniel.okafor@example.com", "555-0187", "dokafor")


@pytest.fixture
def logged_in(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def pair(make_ranked_job):
    _, pairs = make_ranked_job(
        [0.7],
        texts=[RESUME],
        names=["Daniel_Okafor_CV.pdf"],
        must_have="Python\nDjango",
        description="Python backend developer: Django, PostgreSQL, REST APIs on AWS.",
    )
    return pairs[0]


def anonymized(reviewer, value: bool | None = True) -> None:
    privacy_services.reviewer_preference_set(user=reviewer, anonymize=value)


def assert_no_personal_details(html: str) -> None:
    for detail in PERSONAL:
        assert detail not in html, detail


# --- the toggle --------------------------------------------------------------------------


def test_a_reviewer_switches_the_anonymized_view_for_themselves(logged_in, reviewer, settings):
    settings.ANONYMIZE_REVIEWS = False
    url = reverse("matching:anonymize_toggle")
    assert "Anonymized: off" in logged_in.get(reverse("matching:job_list")).content.decode()

    response = logged_in.post(url, {"anonymize": "on", "next": "/jobs/1/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/jobs/1/?page=2"
    assert ReviewerPreference.objects.get(user=reviewer).anonymize is True
    assert "Anonymized: on" in logged_in.get(reverse("matching:job_list")).content.decode()

    logged_in.post(url, {"anonymize": "default"})
    assert ReviewerPreference.objects.get(user=reviewer).anonymize is None
    settings.ANONYMIZE_REVIEWS = True
    assert "Anonymized: on" in logged_in.get(reverse("matching:job_list")).content.decode()


def test_the_toggle_needs_a_login_a_post_and_a_known_choice(client, logged_in):
    url = reverse("matching:anonymize_toggle")
    assert logged_in.get(url).status_code == 405
    assert logged_in.post(url, {"anonymize": "maybe"}).status_code == 400
    # An address outside the site is not followed.
    response = logged_in.post(url, {"anonymize": "on", "next": "https://evil.example/"})
    assert response["Location"] == reverse("matching:review")
    client.logout()
    assert client.post(url, {"anonymize": "on"}).status_code == 302
    assert not ReviewerPreference.objects.exclude(anonymize=True).exists()


def test_the_preference_overrides_the_site_default(reviewer, django_user_model, settings):
    settings.ANONYMIZE_REVIEWS = True
    other = django_user_model.objects.create_user(username="olga", password="x")
    anonymized(reviewer, False)
    assert privacy_selectors.reviewer_anonymizes(user=reviewer) is False
    assert privacy_selectors.reviewer_anonymizes(user=other) is True


# --- pages -------------------------------------------------------------------------------


def test_the_rating_screen_masks_the_resume_and_highlights_still_line_up(logged_in, reviewer, pair):
    anonymized(reviewer)
    response = logged_in.get(reverse("matching:review_pair", args=[pair.pk]))
    html = response.content.decode()
    assert_no_personal_details(html)
    assert f"Candidate #{pair.resume_id}" in html and "[EMAIL]" in html
    segments = response.context["segments"]
    shown = "".join(p.text for s in segments for p in s.pieces)
    assert shown == anonymize(RESUME).text
    marked = {p.text.lower() for s in segments for p in s.pieces if p.term}
    assert {"python", "django"} <= marked
    assert any(s.decides for s in segments)  # the evidence, found in the masked text


def test_the_rating_screen_is_unmasked_when_the_view_is_off(logged_in, reviewer, pair):
    anonymized(reviewer, False)
    html = logged_in.get(reverse("matching:review_pair", args=[pair.pk])).content.decode()
    assert "Daniel_Okafor_CV.pdf" in html and "daniel.okafor@example.com" in html


def test_the_ranking_page_shows_candidate_numbers_and_masked_passages(logged_in, reviewer, pair):
    anonymized(reviewer)
    response = logged_in.get(reverse("matching:job_ranking", args=[pair.job_id]))
    html = response.content.decode()
    assert_no_personal_details(html)
    assert f"Candidate #{pair.resume_id}" in html
    passages = response.context["rows"][0].why.passages
    assert passages and all("Okafor" not in p for p in passages)


def test_the_csv_export_names_candidates_by_number(logged_in, reviewer, pair):
    anonymized(reviewer)
    response = logged_in.get(reverse("matching:job_export", args=[pair.job_id]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][2] == f"Candidate #{pair.resume_id}"


def test_the_resume_page_masks_the_text_and_withholds_the_original_file(logged_in, reviewer, pair):
    anonymized(reviewer)
    html = logged_in.get(reverse("matching:resume_detail", args=[pair.resume_id])).content
    assert_no_personal_details(html.decode())
    assert b'id="download"' not in html and b"[NAME]" in html
    response = logged_in.get(reverse("matching:resume_file", args=[pair.resume_id]))
    assert response.status_code == 403
    anonymized(reviewer, False)
    assert logged_in.get(reverse("matching:resume_file", args=[pair.resume_id])).status_code == 200
    assert "Switch the view off" in ORIGINAL_FILE_HIDDEN


def test_the_admin_follows_the_reviewers_view(logged_in, reviewer, pair):
    anonymized(reviewer)
    change = logged_in.get(reverse("admin:matching_resume_change", args=[pair.resume_id]))
    assert_no_personal_details(change.content.decode())
    pairs = logged_in.get(reverse("admin:matching_pair_changelist")).content.decode()
    # Shown as the column; (the action checkbox's hidden label still reads str(pair)).
    assert f">Candidate #{pair.resume_id}</a>" in pairs and "Daniel_Okafor_CV.pdf</a>" not in pairs
    anonymized(reviewer, False)
    change = logged_in.get(reverse("admin:matching_resume_change", args=[pair.resume_id]))
    assert "daniel.okafor@example.com" in change.content.decode()


def test_an_admin_sets_a_reviewers_preference(logged_in, django_user_model):
    other = django_user_model.objects.create_user(username="olga", password="x")
    response = logged_in.post(
        reverse("admin:matching_reviewerpreference_add"), {"user": other.pk, "anonymize": "true"}
    )
    assert response.status_code == 302
    assert privacy_selectors.reviewer_anonymizes(user=other) is True


# --- REST API ----------------------------------------------------------------------------


def test_the_api_masks_on_request_or_by_preference(reviewer, pair):
    from tests.api.conftest import token_client

    api = token_client(reviewer)
    ranking = f"/api/v1/jobs/{pair.job_id}/ranking/"
    plain = api.get(ranking).json()["results"][0]
    assert plain["resume"]["original_name"] == "Daniel_Okafor_CV.pdf"
    masked = api.get(ranking, {"anonymize": "true"}).json()["results"][0]
    assert masked["resume"]["original_name"] == f"Candidate #{pair.resume_id}"
    assert_no_personal_details(str(masked["explanation"]["passages"]))

    detail = f"/api/v1/resumes/{pair.resume_id}/"
    assert "daniel.okafor@example.com" in api.get(detail).json()["text"]
    anonymized(reviewer)
    body = token_client(reviewer).get(detail).json()
    assert_no_personal_details(str(body))
    assert api.get(detail, {"anonymize": "false"}).json()["original_name"].startswith("Daniel")
    assert api.get(ranking, {"anonymize": "perhaps"}).status_code == 400


# --- the text the model scores -----------------------------------------------------------


def test_the_model_embeds_the_resume_without_personal_details_under_its_own_key(fake_encoder):
    from tests.factories import JobFactory, ResumeFactory

    evidence = evidence_text(RESUME)
    assert len(evidence) == len(RESUME)  # blanked, not removed: passages quote the resume
    assert_no_personal_details(evidence)
    model = scoring_activation.scoring_model_active()
    key = resume_cache_key(model.encoder_key)
    assert key != model.encoder_key and key.startswith(model.encoder_key)
    resume = ResumeFactory(text=RESUME)
    job = JobFactory()
    scoring_services.pairs_score(jobs=[job], resume_ids=[resume.pk])

    row = Embedding.objects.get(text_sha256=resume.text_sha256, encoder_key=key)
    expected = fake_encoder.encode_documents([evidence])[0].vector
    assert np.allclose(np.frombuffer(bytes(row.vector), dtype=np.float32), expected)
    # The plain text was never embedded: the key is always the text actually embedded.
    assert not Embedding.objects.filter(
        text_sha256=text_hash(RESUME), encoder_key=model.encoder_key
    ).exists()
    # Training reads the same cached vectors: nothing new is embedded for the resume.
    before = Embedding.objects.count()
    inputs = scoring_inputs.texts_features(
        pairs=[scoring_inputs.TextPair(resume=RESUME, job=job.embedded_text)],
        encoder_key=model.encoder_key,
    )
    assert Embedding.objects.count() == before
    assert np.allclose(inputs.resume_vectors[0], expected)


def test_a_name_cannot_change_a_score():
    from tests.factories import JobFactory, ResumeFactory

    job = JobFactory(description="Python backend developer: Django and PostgreSQL.")
    body = (
        "\ngrace@example.com | (206) 555-0142\nSummary\nPython developer with Django and "
        "PostgreSQL; Grace's team shipped weekly.\nEducation\nB.S., University of Washington\n"
    )
    texts = ["Grace Whitfield" + body, "Lakisha Washington" + body.replace("Grace", "Lakisha")]
    model = scoring_activation.scoring_model_active()
    resumes = [ResumeFactory(text=t) for t in texts]
    scoring_services.pairs_score(jobs=[job], resume_ids=[r.pk for r in resumes])

    scores = [job.pairs.get(resume=r).score for r in resumes]
    assert scores[0] == scores[1]
    key = resume_cache_key(model.encoder_key)
    rows = {e.text_sha256: bytes(e.vector) for e in Embedding.objects.filter(encoder_key=key)}
    assert rows[text_hash(texts[0])] == rows[text_hash(texts[1])]
    assert [r.term_ids for r in resumes] == [resumes[0].term_ids] * 2
    # "Washington" of the university is not the candidate's name: it stays evidence.
    assert "University of Washington" in evidence_text(texts[1])
    assert "Lakisha" not in evidence_text(texts[1])
