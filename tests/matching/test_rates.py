"""The rate a candidate asks and the budget a posting states (issue 17: rate against
budget where both are stated), read from labelled lines and shown on the ranking page
and the resume page; read by no score."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.intake.logistics import work_terms_of
from matching.intake.rates import DAY, HOUR, MONTH, YEAR, Rate, over_budget, posting_budget, rate_in
from tests.api.helpers import token_client

GULP_POSTING = """PROJEKTBESCHREIBUNG
Projekt-Titel
Java Entwickler
Einsatzort
Hannover
Stundensatz
65 EUR (vom Auftraggeber angepeilter Stundensatz)
"""

FREELANCER = """Jan Becker
Java-Entwickler
Stundensatz: 85 EUR
Verfügbar ab: 01.03.2025
Projekte
01/2019 - heute Java-Entwickler, Acme GmbH
Entwicklung von Microservices mit Spring Boot.
"""


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        (GULP_POSTING, Rate(65, 65, "EUR", HOUR)),
        ("Budget: up to $90/hr", Rate(90, 90, "USD", HOUR)),
        ("Pay: $40 - $50 per hour", Rate(40, 50, "USD", HOUR)),
        ("Salary: $85,000 - $95,000", Rate(85_000, 95_000, "USD", YEAR)),
        ("Salary range: 85k-95k USD", Rate(85_000, 95_000, "USD", YEAR)),
        ("Tagessatz: 1.200 €", Rate(1200, 1200, "EUR", DAY)),
        ("Vergütung\n600 EUR pro Tag", Rate(600, 600, "EUR", DAY)),
        ("Hourly rate: 85,50 €", Rate(85.5, 85.5, "EUR", HOUR)),
        # The figure that has a currency or unit of its own, with the unit right after it.
        ("Budget: 3-6 months, $90/hr", Rate(90, 90, "USD", HOUR)),
        ("Budget: 10 days, 800 €/day", Rate(800, 800, "EUR", DAY)),
        ("Vergütung\n40 Stunden/Woche, 85 €/h", Rate(85, 85, "EUR", HOUR)),
        ("Salary: $120,000 annually plus hourly overtime", Rate(120_000, 120_000, "USD", YEAR)),
        ("Rate: 650 €/day, billed hourly", Rate(650, 650, "EUR", DAY)),
        ("Gehalt: 5.000 € brutto monatlich", Rate(5000, 5000, "EUR", MONTH)),
        ("Rate: 450 GBP per diem", Rate(450, 450, "GBP", DAY)),
        # The label gives the unit where the figure has none.
        ("Hourly rate: 85", Rate(85, 85, "", HOUR)),
        ("Salary: 120,000 - 140,000", Rate(120_000, 140_000, "", YEAR)),
        ("Salary: $85,000 - 100k", Rate(85_000, 100_000, "USD", YEAR)),
        ("Budget: 60-70 T€", Rate(60_000, 70_000, "EUR", YEAR)),
        ("Salary: CA$120,000", Rate(120_000, 120_000, "CAD", YEAR)),
        ("Rate: 85,- €/h", Rate(85, 85, "EUR", HOUR)),
    ],
)
def test_a_posting_states_its_budget_with_currency_and_unit(text, rate):
    assert posting_budget(text) == rate


@pytest.mark.parametrize(
    "text",
    [
        "Rate: 95%",  # a share, no pay
        "Compensation: competitive",
        "Rate: 4 of 5",
        "We grew revenue by $2M in a year.",  # prose, no label
        "Startup budget planning for 3 teams",  # "budget" opens no labelled line here
        "Budget\nThe project budget is $2M over 18 months.",  # millions are no rate
        "Pay: $1,500 weekly",  # a weekly wage compares with neither
        "Rate: 650 €",  # a day rate or a monthly one? unknown, not an hourly 650
    ],
)
def test_what_is_no_stated_pay_is_unknown(text):
    assert posting_budget(text) is None


def test_a_resume_states_the_rate_it_asks_above_its_first_role():
    work = work_terms_of(FREELANCER)
    assert Rate.from_json(work.rate) == Rate(85, 85, "EUR", HOUR)
    assert work_terms_of("Dev\nExperience\nDev, Shop\n2019 - 2021\nRate: $90/hr\n").rate is None


def test_over_budget_compares_like_with_like_and_says_unknown_otherwise():
    budget = rate_in("600 € pro Tag")
    assert over_budget(rate_in("70 EUR/h"), budget) == 0  # 560 a day
    assert over_budget(rate_in("90 EUR/h"), budget) == pytest.approx(0.2)  # 720 a day
    assert over_budget(rate_in("$90/hr"), budget) is None  # another currency
    assert over_budget(rate_in("Salary: 70,000 EUR", label="salary"), budget) is None
    # The least the candidate asks against the most the posting offers.
    assert over_budget(rate_in("80-100 €/h"), rate_in("70-80 €/h")) == 0
    assert over_budget(rate_in("85 EUR/h"), None) is None
    assert over_budget(rate_in("90/h"), rate_in("$80/hr")) is None  # a currency unsaid
    monthly = rate_in("6.000 € monatlich", label="Gehaltsvorstellung")
    assert over_budget(monthly, rate_in("60.000 € p.a.")) == pytest.approx(0.2)


@pytest.mark.django_db
def test_the_ranking_and_resume_pages_show_the_rate_against_the_budget(client, reviewer):
    job = intake_jobs.job_create(
        title="Java Entwickler", description=GULP_POSTING, must_have="Java"
    )
    resume = intake_resumes.resume_create(name="becker.txt", data=FREELANCER.encode()).resume
    client.force_login(reviewer)
    page = client.get(reverse("matching:job_ranking", args=[job.pk])).content.decode()
    assert "Budget <strong>65 €/h</strong>" in page
    assert "asks 85 €/h: 31% above the budget" in page
    page = client.get(reverse("matching:resume_detail", args=[resume.pk])).content.decode()
    assert "Asks 85 €/h" in page
    # The API says the same: the job's budget, and each ranked pair's rate against it.
    api = token_client(reviewer)
    assert api.get(f"/api/v1/jobs/{job.pk}/").json()["budget"] == {
        "low": 65.0,
        "high": 65.0,
        "currency": "EUR",
        "per": "hour",
    }
    [row] = api.get(f"/api/v1/jobs/{job.pk}/ranking/").json()["results"]
    assert row["asks"]["low"] == 85.0 and row["over_budget"] == pytest.approx(20 / 65)
    export = client.get(reverse("matching:job_export", args=[job.pk]))
    csv = b"".join(export.streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[1].endswith(",85 €/h,0.3077")
