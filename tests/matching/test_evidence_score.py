"""Scores built on evidence (issue 16): the score reads what a candidate did, not the
words of an objective, a skills list or a summary, and a candidate short of the asked
years cannot be a strong match. The real encoder scores hand-written resumes."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from django.urls import reverse

from matching.intake import terms
from matching.intake.profile import years_of
from matching.intake.sections import NO_EVIDENCE, evidence_text
from matching.models import Job, ScoringModel
from matching.models_store import PRETRAINED_KEY
from matching.scoring.features import SENIORITY_FLOOR, pretrained_scores, seniority
from matching.scoring.inputs import TextPair
from matching.scoring.services import texts_score
from matching.scoring.verdicts import LISTED_ONLY, judge_text

PRETRAINED = ScoringModel(version="pretrained", kind="pretrained", encoder_key=PRETRAINED_KEY)

JOB = Job(
    title="Staff Accountant",
    description="Staff accountant for the general ledger and the month-end close.",
    must_have=(
        "3+ years of accounting experience\nGeneral ledger and journal entries\n"
        "Month-end close\nAccount reconciliations"
    ),
)
STUFFED = """Jordan Pike
Objective
Staff accountant seeking a staff accountant role using general ledger, journal entries,
month-end close and account reconciliations.
Skills
General ledger; journal entries; month-end close; account reconciliations; Excel
Experience
Cashier, Harbor Market, Norfolk, VA, Oct 2019 - Nov 2026
- Rang up customers and counted the cash drawer at the end of each shift
Education
High school diploma, 2019
"""
QUALIFIED = """Maria Chen
Summary
Accountant with seven years in manufacturing finance.
Experience
Senior Staff Accountant, Brightline Components, Mar 2019 - Nov 2026
- Posted journal entries and maintained the general ledger for three entities
- Ran the month-end close in five business days and prepared the balance sheet
- Reconciled bank, intercompany and fixed-asset accounts every month
Staff Accountant, Ortega & Lane CPAs, Jan 2017 - Feb 2019
- Prepared account reconciliations and adjusting entries for small-business clients
Education
B.S. in Accounting, 2016
"""
JUNIOR = """Sam Okoro
Summary
Accounting graduate starting a career in corporate finance.
Experience
Accounting Intern, Brightline Components, Jun 2026 - Aug 2026
- Helped the staff accountants post journal entries and reconcile two bank accounts
Education
B.S. in Accounting, 2026
"""


def test_evidence_text_blanks_the_claims_and_keeps_every_offset():
    evidence = evidence_text(STUFFED)
    assert len(evidence) == len(STUFFED)
    assert "Staff accountant seeking" not in evidence and "Excel" not in evidence
    start = STUFFED.index("Rang up customers")
    assert evidence[start : start + 17] == "Rang up customers"
    assert "High school diploma" in evidence
    # Beside an experience section the summary is a claim; without one it is read.
    assert "seven years" not in evidence_text(QUALIFIED)
    only_summary = "Summary\nBuilt REST APIs in Django for six years.\nSkills\nPython\n"
    assert "REST APIs" in evidence_text(only_summary)
    assert "Python" not in evidence_text(only_summary)


def test_a_text_without_headings_is_read_whole_and_claims_alone_read_as_no_experience():
    prose = "Ich bin Buchhalterin mit zehn Jahren Erfahrung im Hauptbuch."
    assert evidence_text(prose) == prose
    claims = "Objective\nStaff accountant role.\nSkills\nGeneral ledger; month-end close\n"
    evidence = evidence_text(claims)
    assert "ledger" not in evidence and evidence.endswith(NO_EVIDENCE)


def test_stored_term_vectors_hold_no_claimed_words():
    stored = terms.resume_term_vector(STUFFED)
    assert terms.term_id(terms.stem("ledger")) not in set(stored.ids.tolist())
    assert terms.term_id(terms.stem("cashier")) in set(stored.ids.tolist())


def test_years_come_from_title_employer_dates_head_lines():
    today = date(2026, 12, 1)
    assert years_of(JUNIOR, today=today) == pytest.approx(0.2, abs=0.1)
    assert years_of(QUALIFIED, today=today) == pytest.approx(9.8, abs=0.2)
    assert years_of("Summary\nAccountant.\n", today=today) is None


def test_seniority_is_the_share_of_the_asked_years_and_unknowns_are_no_shortfall():
    years = np.array([0.5, 3.0, 10.0, np.nan], np.float32)
    assert seniority(years, 2.0).tolist() == [0.25, 1.0, 1.0, 1.0]
    assert seniority(years, None).tolist() == [1.0] * 4
    features = {
        "maxsim": np.ones(2, np.float32),
        "lexical": np.ones(2, np.float32),
        "coverage": np.ones(2, np.float32),
        "seniority": np.array([1.0, 0.0], np.float32),
    }
    full, none = pretrained_scores(features)
    assert none == pytest.approx(full * SENIORITY_FLOOR)


@pytest.mark.django_db
def test_keyword_stuffing_and_a_junior_rank_below_a_qualified_accountant():
    texts = [STUFFED, JUNIOR, QUALIFIED]
    pairs = [TextPair(resume=t, job=JOB.embedded_text, title=JOB.title) for t in texts]
    (stuffed, junior, qualified), features = texts_score(pairs=pairs, model=PRETRAINED, cache=False)
    assert stuffed < 0.5 < qualified
    assert junior < qualified
    assert features["seniority"][1] < 0.2 and features["seniority"][2] == 1.0


def test_a_must_have_only_listed_is_not_met_and_says_so():
    [verdict] = judge_text(["Account reconciliations"], STUFFED, today=date(2026, 12, 1))
    assert verdict.status == "not_met"
    assert verdict.reason == LISTED_ONLY
    assert "account reconciliations" in verdict.evidence[0].lower()
    [met] = judge_text(["Account reconciliations"], QUALIFIED, today=date(2026, 12, 1))
    assert met.status == "met" and met.reason != LISTED_ONLY


@pytest.mark.django_db
def test_the_ranking_page_says_skills_are_listed_without_experience(
    client, reviewer, make_ranked_job
):
    job, _ = make_ranked_job(
        [0.4, 0.9],
        texts=[STUFFED, QUALIFIED],
        title=JOB.title,
        description=JOB.description,
        must_have=JOB.must_have,
    )
    client.force_login(reviewer)
    html = client.get(reverse("matching:job_ranking", args=[job.pk])).content.decode()
    assert html.count("Skills listed without experience") == 1
    assert "Month-end close" in html.split("Skills listed without experience")[1][:200]
