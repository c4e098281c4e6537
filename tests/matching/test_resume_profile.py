"""The structured profile of a resume (issue 16): read at import, stored, shown on the
resume page and in the API, without contact details in the anonymized view, and rebuilt
for resumes imported before."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from matching.intake import resumes as intake_resumes
from matching.intake.profile import profile_of
from matching.models import Resume
from matching.privacy import selectors as privacy_selectors
from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db

RESUME = """Maria Gomez
Chicago, IL 60601
maria.gomez@example.com | (312) 555-0148
Summary
Senior accountant with a CPA license.
Experience
Senior Accountant
January 2019 - Present
Lakeview Foods
Closed the books monthly and prepared payroll tax filings.
Staff Accountant
June 2015 - December 2018
Corner Bakery
Kept the general ledger in QuickBooks.
Education
Bachelor of Science in Accounting, DePaul University, 2015
Certifications
Certified Public Accountant (CPA), Illinois, 2016
"""


@pytest.fixture
def resume() -> Resume:
    return intake_resumes.resume_create(name="maria.txt", data=RESUME.encode()).resume


def test_the_profile_is_read_at_import_and_stored(resume):
    profile = Resume.objects.get(pk=resume.pk).profile
    assert profile["name"] == "Maria Gomez"
    assert profile["email"] == "maria.gomez@example.com"
    assert profile["location"].startswith("Chicago, IL")
    assert [(r["title"], r["start"], r["present"]) for r in profile["roles"]] == [
        ("Senior Accountant", "2019-01", True),
        ("Staff Accountant", "2015-06", False),
    ]
    assert profile["years_total"] is not None and profile["years_total"] > 9
    assert profile["education_level"] == "bachelor"
    assert any("Certified Public Accountant" in c for c in profile["certifications"])
    assert "mentions" not in profile and profile["as_of"]


def test_the_resume_page_and_the_api_show_it_without_contact_when_anonymized(
    client, reviewer, resume
):
    client.force_login(reviewer)
    html = client.get(reverse("matching:resume_detail", args=[resume.pk])).content.decode()
    assert 'id="profile"' in html and "Maria Gomez" in html
    assert "Lakeview Foods" in html and "present" in html

    api = token_client(reviewer)
    plain = api.get(f"/api/v1/resumes/{resume.pk}/?anonymize=false").json()["profile"]
    assert plain["name"] == "Maria Gomez"
    masked = api.get(f"/api/v1/resumes/{resume.pk}/?anonymize=true").json()["profile"]
    assert (masked["name"], masked["email"], masked["phone"], masked["location"]) == (
        "",
        "",
        "",
        "",
    )
    assert masked["roles"] == plain["roles"]

    response = client.post(reverse("matching:anonymize_toggle"), {"anonymize": "on", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("matching:resume_detail", args=[resume.pk])).content.decode()
    profile_html = html.split('id="profile"')[1].split("</section>")[0]
    assert "Maria Gomez" not in profile_html and "maria.gomez@example.com" not in profile_html
    assert "Lakeview Foods" in profile_html


def test_a_resume_without_dates_gets_empty_years_not_wrong_ones():
    text = "Sam Lee\nExperience\nCashier at Corner Market. Ran the register.\n"
    resume = intake_resumes.resume_create(name="sam.txt", data=text.encode()).resume
    profile = Resume.objects.get(pk=resume.pk).profile
    assert profile["roles"] == [] and profile["years_total"] is None


def test_rebuild_profiles_fills_resumes_imported_before(resume):
    Resume.objects.filter(pk=resume.pk).update(profile={})
    out = io.StringIO()
    call_command("rebuild_profiles", stdout=out)
    assert "Rebuilt the profiles of 1 resumes." in out.getvalue()
    assert Resume.objects.get(pk=resume.pk).profile["name"] == "Maria Gomez"


STUFFED_SKILLS = """Jordan Pike
Objective
Staff accountant role using the general ledger.
Skills
General ledger; Python; Excel
Experience
Cashier, Harbor Market, Jan 2020 - Dec 2023
- Counted the cash drawer and kept the shift log in Excel.
"""


def test_each_listed_skill_says_where_else_it_stands_on_the_page_and_in_the_api(client, reviewer):
    resume = intake_resumes.resume_create(name="j.txt", data=STUFFED_SKILLS.encode()).resume
    skills = {s["label"]: s for s in Resume.objects.get(pk=resume.pk).profile["skills"]}
    assert skills["Excel"]["found_in"] == ["experience", "skills"]
    assert skills["Excel"]["listed_only"] is False
    # Named in the list and the objective, in no role: a claim, not experience.
    assert skills["General ledger"]["found_in"] == ["objective", "skills"]
    assert skills["General ledger"]["listed_only"] is True
    assert skills["Python"]["found_in"] == ["skills"] and skills["Python"]["listed_only"]

    client.force_login(reviewer)
    html = client.get(reverse("matching:resume_detail", args=[resume.pk])).content.decode()
    chips = html.split('id="profile-skills"')[1].split("</ul>")[0]
    assert chips.count('class="chip listed"') == 2 and chips.count('class="chip found"') == 1
    assert "listed without experience" in chips and 'id="skills-note"' in html
    api = token_client(reviewer).get(f"/api/v1/resumes/{resume.pk}/").json()["profile"]
    assert {s["label"]: s["listed_only"] for s in api["skills"]} == {
        "General ledger": True,
        "Python": True,
        "Excel": False,
    }


def test_a_profile_read_before_skills_recorded_their_place_shows_them_unmarked(client, reviewer):
    resume = intake_resumes.resume_create(name="j.txt", data=STUFFED_SKILLS.encode()).resume
    profile = Resume.objects.get(pk=resume.pk).profile
    for skill in profile["skills"]:
        del skill["found_in"], skill["listed_only"]
    Resume.objects.filter(pk=resume.pk).update(profile=profile)
    client.force_login(reviewer)
    html = client.get(reverse("matching:resume_detail", args=[resume.pk])).content.decode()
    chips = html.split('id="profile-skills"')[1].split("</ul>")[0]
    assert chips.count('class="chip"') == 3 and "listed without experience" not in chips
    assert 'id="skills-note"' not in html


def test_licences_outside_a_certifications_section_are_short_items_not_summary_prose():
    text = (
        "Rosa Delgado, RN, BSN, CCRN\nRegistered Nurse - Critical Care\n"
        "rosa.delgado@example.com | (619) 555-0154 | San Diego, CA\n\nSUMMARY\n"
        "Registered nurse with seven years of acute care experience, including five years "
        "in a mixed medical-surgical intensive care unit at a Level II trauma center.\n"
        "CCRN certified, bilingual in English and Spanish, and a regular preceptor for new "
        "graduate nurses.\n\nCERTIFICATIONS\nCCRN (Adult), AACN, 2021\n"
        "NIH Stroke Scale certification, current\n"
    )
    assert profile_of(text, today=date(2026, 1, 1)).certifications == [
        "CCRN (Adult), AACN, 2021",
        "NIH Stroke Scale certification, current",
    ]


WORK_TERMS = """Jonas Weber
Location: Hamburg (within 50 km)
Available from: 01.03.2027
Willing to relocate.
Experience
Backend Developer
January 2020 - Present
Nordlicht GmbH
Built payment services in Java.
"""


def test_where_and_from_when_on_the_page_and_in_the_api_places_hidden_when_anonymized(
    client, reviewer
):
    resume = intake_resumes.resume_create(name="w.txt", data=WORK_TERMS.encode()).resume
    client.force_login(reviewer)
    html = client.get(reverse("matching:resume_detail", args=[resume.pk])).content.decode()
    work_html = html.split('id="profile-work"')[1].split("</ul>")[0]
    assert "Works from Hamburg (50 km)" in work_html
    assert "Would relocate" in work_html and "Available from 2027-03-01" in work_html

    api = token_client(reviewer)
    plain = api.get(f"/api/v1/resumes/{resume.pk}/?anonymize=false").json()["profile"]
    assert [p["name"] for p in plain["work_terms"]["places"]] == ["Hamburg"]
    masked = api.get(f"/api/v1/resumes/{resume.pk}/?anonymize=true").json()["profile"]
    assert masked["work_terms"]["places"] == []
    assert masked["work_terms"]["available_from"] == "2027-03-01"

    client.post(reverse("matching:anonymize_toggle"), {"anonymize": "on", "next": "/"})
    html = client.get(reverse("matching:resume_detail", args=[resume.pk])).content.decode()
    assert "Hamburg" not in html.split('id="profile"')[1].split("</section>")[0]


def test_works_from_is_not_repeated_when_it_only_restates_the_location():
    town = {"name": "Hamburg", "latitude": 53.55, "longitude": 9.99, "radius_km": None}
    only_town = {"location": "Hamburg", "work_terms": {"places": [town]}}
    assert privacy_selectors.resume_work_places(profile=only_town) == []
    with_radius = {**town, "radius_km": 50.0}
    assert privacy_selectors.resume_work_places(
        profile={"location": "Hamburg", "work_terms": {"places": [with_radius]}}
    ) == [with_radius]
    assert privacy_selectors.resume_work_places(
        profile={"location": "", "work_terms": {"places": [town]}}
    ) == [town]
    berlin = {**town, "name": "Berlin"}
    assert privacy_selectors.resume_work_places(
        profile={"location": "Hamburg", "work_terms": {"places": [town, berlin]}}
    ) == [town, berlin]
    assert privacy_selectors.resume_work_places(profile={}) == []
