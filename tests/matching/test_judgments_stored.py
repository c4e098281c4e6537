"""Requirement verdicts stored per pair (issue 16): judged when a pair is scored, kept
until the resume or the job's requirements change, shown with their evidence on the
ranking page, the rating screen, the CSV and the API."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse

from matching.encoding.cache import sentences_key, store_sentence_vectors, stored_sentence_vectors
from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.intake.erasure import resume_delete
from matching.intake.profile import profile_of
from matching.models import Embedding, Pair
from matching.models_store import PRETRAINED_KEY, SENTENCES_VIEW
from matching.scoring import judgments
from matching.scoring.judgments import pairs_judge
from tests.api.helpers import token_client
from tests.conftest import FakeEncoder

pytestmark = pytest.mark.django_db

PILOT = """Dana Reyes
dana.reyes@example.com
Summary
Flight dispatcher. I am working on my private pilot certificate.
Experience
Flight Dispatcher
March 2019 - Present
Skyline Air
Planned 40 daily flights and briefed crews on weather.
Skills
Flight planning, weather briefing
"""

STUFFED = """Sam Lee
Objective
Seeking a position using CPA license, payroll tax, GAAP, audit and QuickBooks.
Experience
Cashier
June 2021 - Present
Corner Market
Ran the register and counted the till at close.
"""

ACCOUNTANT = """Ana Ortiz
Experience
Senior Accountant
January 2016 - Present
Lakeview Foods
Prepared multi-state payroll tax filings and closed the books monthly in QuickBooks.
Licenses
Certified Public Accountant (CPA), Illinois, 2017
"""


@pytest.fixture
def job():
    return intake_jobs.job_create(
        title="Accountant",
        description="Accountant for a food company.",
        must_have="CPA license\nQuickBooks",
        nice_to_have="Private pilot certificate",
    )


def upload(name: str, text: str):
    return intake_resumes.resume_create(name=name, data=text.encode()).resume


def pair_of(resume, job) -> Pair:
    return Pair.objects.get(resume=resume, job=job)


def statuses(pair: Pair) -> dict[str, str]:
    return {v["requirement"]: v["status"] for v in pair.verdicts}


def test_scoring_a_resume_judges_each_requirement_with_evidence(job):
    accountant = pair_of(upload("ana.txt", ACCOUNTANT), job)
    assert accountant.verdicts_key
    assert statuses(accountant) == {
        "CPA license": "met",
        "QuickBooks": "met",
        "Private pilot certificate": "not_met",
    }
    cpa = accountant.verdicts[0]
    assert cpa["must"] is True and cpa["kind"] == "licence"
    assert cpa["evidence"] == ["Certified Public Accountant (CPA), Illinois, 2017"]
    assert [v["must"] for v in accountant.verdicts] == [True, True, False]


def test_words_pasted_into_an_objective_or_a_licence_being_worked_on_are_no_check(job):
    """The lexical rule gave the cashier ✓ for both must-haves (the words are all there)
    and the dispatcher ✓ for the pilot certificate she is still working on."""
    cashier = pair_of(upload("sam.txt", STUFFED), job)
    assert statuses(cashier)["CPA license"] == "not_met"
    assert statuses(cashier)["QuickBooks"] == "not_met"
    pilot = pair_of(upload("dana.txt", PILOT), job)
    certificate = pilot.verdicts[2]
    assert certificate["status"] == "not_met"
    assert certificate["evidence"] == ["I am working on my private pilot certificate."]


def test_verdicts_are_judged_once_and_again_only_when_what_they_read_changes(job, monkeypatch):
    pair = pair_of(upload("ana.txt", ACCOUNTANT), job)
    key = pair.verdicts_key
    assert pairs_judge() == 0  # nothing changed: nothing judged
    # Re-scoring (an activation re-scores everything) leaves the verdicts alone.
    from matching.scoring.services import pairs_score

    pairs_score()
    pair.refresh_from_db()
    assert pair.verdicts_key == key

    intake_jobs.job_update(job=job, must_have="CPA license\nQuickBooks\nSAP")
    pair.refresh_from_db()
    assert pair.verdicts_key != key
    assert statuses(pair)["SAP"] == "not_met"

    # New rules: every pair is judged again the next time.
    monkeypatch.setattr(judgments, "RULES_VERSION", "test-next")
    assert pairs_judge() == 1


def test_the_ranking_page_csv_and_api_show_the_stored_verdicts_with_evidence(client, reviewer, job):
    ana = upload("ana.txt", ACCOUNTANT)
    sam = upload("sam.txt", STUFFED)
    client.force_login(reviewer)
    html = client.get(reverse("matching:job_ranking", args=[job.pk])).content.decode()
    assert '<q class="evidence">Certified Public Accountant (CPA), Illinois, 2017</q>' in html

    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get(reverse("matching:job_export", args=[job.pk])).streaming_content
                ).decode()
            )
        )
    )
    by_name = {r[2]: r for r in rows[1:]}  # the name read from the resume, else the file's
    assert by_name["Ana Ortiz"][5:7] == ["CPA license; QuickBooks", ""]
    assert by_name["Sam Lee"][5:7] == ["", "CPA license; QuickBooks"]
    assert "CPA license: Certified Public Accountant (CPA)" in by_name["Ana Ortiz"][8]

    body = token_client(reviewer).get(f"/api/v1/jobs/{job.pk}/ranking/").json()
    rows = {r["resume"]["id"]: r["explanation"] for r in body["results"]}
    cpa = rows[ana.pk]["requirements"][0]
    assert (cpa["requirement"], cpa["status"], cpa["must_have"]) == ("CPA license", "met", True)
    assert rows[sam.pk]["must_have_missing"] == ["CPA license", "QuickBooks"]


def test_evidence_is_masked_in_the_anonymized_view(reviewer):
    job = intake_jobs.job_create(
        title="Dispatcher", description="Flight dispatcher.", must_have="Email dispatch"
    )
    text = PILOT.replace(
        "Planned 40 daily flights",
        "Ran email dispatch from dana.reyes@example.com and planned 40 daily flights",
    )
    upload("dana.txt", text)
    pair = Pair.objects.get(job=job)
    pair.verdicts = [
        {
            "requirement": "Email dispatch",
            "kind": "domain",
            "status": "met",
            "evidence": [
                "Ran email dispatch from dana.reyes@example.com and planned 40 daily flights "
                "and briefed crews on weather."
            ],
            "reason": "same meaning",
            "years": None,
            "must": True,
        }
    ]
    pair.save(update_fields=["verdicts"])
    api = token_client(reviewer)
    shown = api.get(f"/api/v1/jobs/{job.pk}/ranking/?anonymize=true").json()["results"][0]
    [evidence] = shown["explanation"]["requirements"][0]["evidence"]
    assert "dana.reyes@example.com" not in evidence
    assert "Ran email dispatch from" in evidence
    plain = api.get(f"/api/v1/jobs/{job.pk}/ranking/?anonymize=false").json()["results"][0]
    assert "dana.reyes@example.com" in plain["explanation"]["requirements"][0]["evidence"][0]


def test_a_pair_not_judged_yet_says_so_and_the_command_judges_it(client, reviewer, job):
    pair = pair_of(upload("ana.txt", ACCOUNTANT), job)
    Pair.objects.filter(pk=pair.pk).update(verdicts=[], verdicts_key="")
    client.force_login(reviewer)
    html = client.get(reverse("matching:job_ranking", args=[job.pk])).content.decode()
    assert "not judged yet" in html

    out = io.StringIO()
    call_command("judge_pairs", stdout=out)
    assert "Judged the requirements of 1 pairs." in out.getvalue()
    pair.refresh_from_db()
    assert statuses(pair)["CPA license"] == "met"
    out = io.StringIO()
    call_command("judge_pairs", "--all", stdout=out)
    assert "of 1 pairs" in out.getvalue()


def test_the_pair_admin_shows_the_verdicts_read_only(client, reviewer, job):
    pair = pair_of(upload("ana.txt", ACCOUNTANT), job)
    client.force_login(reviewer)
    page = client.get(reverse("admin:matching_pair_change", args=[pair.pk])).content.decode()
    assert "✓ CPA license (credential held)" in page
    assert 'name="verdicts"' not in page and 'name="verdicts_key"' not in page


def kept_sentences(resume) -> Embedding:
    return Embedding.objects.get(
        text_sha256=resume.text_sha256, encoder_key__contains=SENTENCES_VIEW
    )


def test_a_resumes_sentence_vectors_are_kept_and_a_job_opened_later_reads_them(job, monkeypatch):
    """A new job is judged against every resume: it reads the sentence vectors kept when
    the resume was first judged instead of embedding its sentences again, and decides the
    same."""
    resume = upload("ana.txt", ACCOUNTANT)
    row = kept_sentences(resume)
    assert row.encoder_key.startswith(PRETRAINED_KEY)
    vectors = np.frombuffer(bytes(row.chunk_vectors), dtype=np.float32).reshape(-1, row.dim)
    assert len(vectors) == len(profile_of(resume.text).mentions)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)

    embedded: list[str] = []

    class Counting(FakeEncoder):
        def encode_texts(self, texts: list[str]) -> np.ndarray:
            embedded.extend(texts)
            return super().encode_texts(texts)

    fake = Counting()
    monkeypatch.setattr("matching.scoring.evidence.get_encoder", lambda path=None: fake)
    payroll = intake_jobs.job_create(
        title="Payroll lead",
        description="Payroll for a food company.",
        must_have="Payroll taxes across several states",
    )
    pair = pair_of(resume, payroll)
    assert pair.verdicts_key
    assert not set(embedded) & {m.text for m in profile_of(resume.text).mentions}
    # The same verdicts as with the sentences embedded afresh.
    row.delete()
    embedded.clear()
    assert pairs_judge(jobs=[payroll], force=True) == 1
    assert embedded  # the sentences, this time
    assert Pair.objects.get(pk=pair.pk).verdicts == pair.verdicts
    assert kept_sentences(resume)  # kept again


def test_sentences_cut_by_other_rules_replace_the_kept_row_and_erasure_removes_it(job, reviewer):
    resume = upload("ana.txt", ACCOUNTANT)
    old = kept_sentences(resume)
    other = np.eye(3, 384, dtype=np.float32)
    written = store_sentence_vectors(
        [(resume.text_sha256, sentences_key(PRETRAINED_KEY, ["a", "b", "c"]), other)],
        encoder_key=PRETRAINED_KEY,
    )
    assert written == 1
    row = kept_sentences(resume)  # one row: the older one was replaced
    assert row.encoder_key != old.encoder_key and row.dim == 384
    # The old key is no longer found; the new one is, with its vectors.
    found = stored_sentence_vectors(hashes=[resume.text_sha256], encoder_key=PRETRAINED_KEY)
    assert list(found) == [(resume.text_sha256, row.encoder_key)]
    assert np.array_equal(next(iter(found.values())), other)

    resume_delete(resume=resume, actor=reviewer)
    assert not Embedding.objects.filter(text_sha256=resume.text_sha256).exists()


def test_kept_sentences_are_written_once_and_never_for_an_erased_resume(job, reviewer):
    resume = upload("ana.txt", ACCOUNTANT)
    row = kept_sentences(resume)
    vectors = np.frombuffer(bytes(row.chunk_vectors), dtype=np.float32).reshape(-1, row.dim)
    again = [(resume.text_sha256, row.encoder_key, vectors)]
    # Two workers keeping the same sentences: one row.
    assert store_sentence_vectors(again, encoder_key=PRETRAINED_KEY) == 1
    assert Embedding.objects.filter(encoder_key__contains=SENTENCES_VIEW).count() == 1
    # Erased while a judging pass was embedding its sentences: they are not kept.
    resume_delete(resume=resume, actor=reviewer)
    assert store_sentence_vectors(again, encoder_key=PRETRAINED_KEY) == 0
    assert not Embedding.objects.filter(text_sha256=resume.text_sha256).exists()


def test_erasure_tells_training_of_resume_vectors_not_of_kept_sentences(job, reviewer):
    from matching.signals import resume_erased

    resume = upload("ana.txt", ACCOUNTANT)
    assert kept_sentences(resume)
    received: list[set[str]] = []

    def receiver(sender, vectors, **kwargs):
        received.append(set(vectors))

    resume_erased.connect(receiver, dispatch_uid="test_sentences_not_sent")
    try:
        resume_delete(resume=resume, actor=reviewer)
    finally:
        resume_erased.disconnect(dispatch_uid="test_sentences_not_sent")
    [keys] = received
    assert keys and not any(SENTENCES_VIEW in key for key in keys)


def test_the_embedding_admin_filters_by_what_the_vectors_are_of(client, reviewer, job):
    upload("ana.txt", ACCOUNTANT)
    client.force_login(reviewer)
    url = reverse("admin:matching_embedding_changelist")
    counts = {
        kind: client.get(f"{url}?kind={kind}").context["cl"].result_count
        for kind in ("text", "evidence", "sentences")
    }
    assert counts == {"text": 1, "evidence": 1, "sentences": 1}
