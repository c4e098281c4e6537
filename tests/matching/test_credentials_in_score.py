"""The stored score reads the must-have licences and degrees the verdicts find (issue 16,
item 4): a candidate without them keeps CREDENTIAL_FLOOR of the model's score, whatever
words they pasted, and re-scoring reproduces the stored score."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from matching import tasks
from matching.intake import jobs as intake_jobs
from matching.models import Pair
from matching.scoring import judgments
from matching.scoring.judgments import CREDENTIAL_FLOOR, credentials_factor
from matching.scoring.services import pairs_judge_rescore, pairs_score
from tests.api.helpers import token_client
from tests.matching.test_judgments_stored import ACCOUNTANT, STUFFED, upload

pytestmark = pytest.mark.django_db


def verdict(kind: str, status: str, must: bool = True) -> dict:
    return {"requirement": kind, "kind": kind, "status": status, "must": must}


@pytest.mark.parametrize(
    ("verdicts", "factor"),
    [
        ([], 1.0),
        ([verdict("skill", "not_met"), verdict("domain", "not_met")], 1.0),
        ([verdict("licence", "met")], 1.0),
        ([verdict("licence", "not_met")], CREDENTIAL_FLOOR),
        ([verdict("education", "not_met"), verdict("licence", "met")], 0.85),
        # "Unclear" (another language, no text) and nice-to-haves count for nothing.
        ([verdict("licence", "unclear"), verdict("education", "not_met", must=False)], 1.0),
        ([verdict("licence", "unclear"), verdict("education", "not_met")], CREDENTIAL_FLOOR),
    ],
)
def test_the_factor_is_the_share_of_must_have_credentials_met(verdicts, factor):
    assert credentials_factor(verdicts) == pytest.approx(factor)


@pytest.fixture
def job():
    return intake_jobs.job_create(
        title="Accountant",
        description="Accountant for a food company: payroll tax, GAAP, audit, QuickBooks.",
        must_have="CPA license\nQuickBooks",
    )


def scores(*pairs: Pair) -> list[float]:
    for pair in pairs:
        pair.refresh_from_db()
    return [pair.score for pair in pairs]


def test_a_candidate_without_the_licence_keeps_the_floor_and_rescoring_reproduces_it(job):
    ana = Pair.objects.get(resume=upload("ana.txt", ACCOUNTANT), job=job)
    sam = Pair.objects.get(resume=upload("sam.txt", STUFFED), job=job)
    stored = scores(ana, sam)
    assert [v["status"] for v in sam.verdicts if v["kind"] == "licence"] == ["not_met"]

    pairs_score()  # the same model, the same verdicts: the same scores
    assert scores(ana, sam) == pytest.approx(stored)

    # Without verdicts the model's score is stored as it is.
    Pair.objects.update(verdicts=[], verdicts_key="")
    pairs_score()
    model_scores = scores(ana, sam)
    assert model_scores[1] > 0.01  # so the factor shows
    assert stored[0] == pytest.approx(model_scores[0])  # holds the CPA: factor 1
    assert stored[1] == pytest.approx(model_scores[1] * CREDENTIAL_FLOOR, abs=1e-6)

    # Judging again (the command an upgrade runs) scores them again.
    call_command("judge_pairs")
    assert scores(ana, sam) == pytest.approx(stored)


def test_judging_again_scores_again_only_the_pairs_it_judged(job):
    ana = Pair.objects.get(resume=upload("ana.txt", ACCOUNTANT), job=job)
    sam = Pair.objects.get(resume=upload("sam.txt", STUFFED), job=job)
    Pair.objects.filter(pk=sam.pk).update(verdicts=[], verdicts_key="")
    ana.refresh_from_db()
    ana_scored_at = ana.scored_at

    assert pairs_judge_rescore(jobs=[job]) == 1
    ana.refresh_from_db()
    sam.refresh_from_db()
    assert ana.scored_at == ana_scored_at  # its verdicts were current: not scored again
    assert sam.verdicts_key and sam.scored_at > ana_scored_at


def test_a_job_that_asks_no_licence_or_degree_keeps_the_models_score():
    job = intake_jobs.job_create(
        title="Cashier", description="Run the register.", must_have="Cash handling\nQuickBooks"
    )
    sam = Pair.objects.get(resume=upload("sam.txt", STUFFED), job=job)
    stored = scores(sam)
    Pair.objects.update(verdicts=[], verdicts_key="")
    pairs_score()
    assert scores(sam) == pytest.approx(stored)


def test_rescoring_after_an_activation_judges_pairs_of_older_rules_again(job, monkeypatch):
    sam = Pair.objects.get(resume=upload("sam.txt", STUFFED), job=job)
    stored = scores(sam)
    monkeypatch.setattr(judgments, "RULES_VERSION", "test-next")
    tasks.rescore_all()
    sam.refresh_from_db()
    assert sam.verdicts_key == judgments.verdicts_key(
        resume_text_sha256=sam.resume.text_sha256,
        requirements=judgments.JobRequirements.of(job),
    )
    assert scores(sam) == pytest.approx(stored)


def test_the_ranking_page_and_the_api_say_what_lowered_the_score(client, reviewer, job):
    ana = upload("ana.txt", ACCOUNTANT)
    sam = upload("sam.txt", STUFFED)
    client.force_login(reviewer)
    html = client.get(reverse("matching:job_ranking", args=[job.pk])).content.decode()
    assert html.count('class="warn small credentials-missing"') == 1
    assert "Must have, not shown in the resume: CPA license. The score is 0.70 times" in html

    body = token_client(reviewer).get(f"/api/v1/jobs/{job.pk}/ranking/").json()
    rows = {r["resume"]["id"]: r["explanation"] for r in body["results"]}
    assert rows[sam.pk]["must_have_credentials_missing"] == ["CPA license"]
    assert rows[sam.pk]["credentials_factor"] == pytest.approx(CREDENTIAL_FLOOR)
    assert (rows[ana.pk]["must_have_credentials_missing"], rows[ana.pk]["credentials_factor"]) == (
        [],
        1.0,
    )
