"""The structured resume profile (issue 16): dated roles, years, education, sections."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from matching.intake.profile import Profile, profile_of
from matching.scoring.verdicts import judge_text

TODAY = date(2024, 1, 1)

RESUME = """Anna Schmidt
Data Analyst
Berlin, BE
Summary
Analyst who turns sales data into weekly forecasts.
Experience
Data Analyst
March 2020 to Present
Acme Retail - Berlin
Built weekly sales forecasts in Python.
Reporting Assistant
06/2018 - 04/2020
Acme Retail - Berlin
Maintained Excel dashboards for store managers.
Education
Master of Science in Statistics, Humboldt University, 2018
Skills
Python, SQL, Excel
"""


def test_dated_roles_read_with_titles_and_present():
    prof = profile_of(RESUME, today=TODAY)
    titles = [(r.title, r.start, r.end, r.present) for r in prof.roles]
    assert titles == [
        ("Data Analyst", "2020-03", "2024-01", True),
        ("Reporting Assistant", "2018-06", "2020-04", False),
    ]
    assert prof.title == "Data Analyst"


def test_overlapping_roles_counted_once_in_total_years():
    prof = profile_of(RESUME, today=TODAY)
    # 2018-06 .. 2024-01 is 67 months; the two roles overlap March-April 2020.
    assert prof.years_total == pytest.approx(5.6, abs=0.05)
    assert sum(r.years for r in prof.roles) > prof.years_total


def test_year_only_ranges_and_month_abbreviations():
    text = (
        "Experience\nLine Cook\n2015 - 2018\nHarbor Grill\nCook\nSep. 2018 \u2013 Jan 2019\nDiner\n"
    )
    prof = profile_of(text, today=TODAY)
    assert [(r.start, r.end) for r in prof.roles] == [
        ("2015-01", "2018-01"),
        ("2018-09", "2019-01"),
    ]


def test_a_written_end_month_was_worked_and_a_bare_end_year_is_not_stretched():
    text = (
        "Experience\nJunior Developer\nJan 2022 - Dec 2022\nAcme\n"
        "Support Analyst\nJan 2021 - Jun 2021\nAcme\nIntern\nJul 2021 - Dec 2021\nAcme\n"
        "Line Cook\n2015 - 2018\nHarbor Grill\n"
    )
    prof = profile_of(text, today=TODAY)
    # Twelve months for January to December, as recruiters count it, not eleven.
    assert [r.years for r in prof.roles] == [1.0, 0.5, 0.5, 3.0]
    # Two halves of 2021 back to back are the whole year, with no month lost between.
    assert prof.years_total == 5.0


def test_no_dates_gives_empty_years_not_a_guess():
    text = "Summary\nExperienced nurse with ten years in intensive care.\nSkills\nPatient care\n"
    prof = profile_of(text, today=TODAY)
    assert prof.roles == []
    assert prof.years_total is None


def test_a_range_inside_a_sentence_is_not_a_role():
    text = (
        "Experience\nSales Manager\nJanuary 2010 to March 2012\n"
        "Increased new patients by 32% from 2007-2010 across three clinics.\n"
    )
    prof = profile_of(text, today=TODAY)
    assert [(r.start, r.end) for r in prof.roles] == [("2010-01", "2012-03")]


def test_other_language_gives_empty_fields():
    text = (
        "Lebenslauf\nBerufserfahrung\nSoftwareentwickler bei der Firma Muster GmbH in München, "
        "Januar 2015 bis heute. Entwicklung von Webanwendungen mit Java und Spring, "
        "Betreuung der Kunden und Schulung der neuen Kollegen im Team.\n"
        "Ausbildung\nStudium der Informatik an der Technischen Universität\n"
    )
    prof = profile_of(text, today=TODAY)
    assert prof.language == "other"
    assert (prof.roles, prof.degrees, prof.years_total, prof.title) == ([], [], None, "")


def test_education_level_and_fields():
    prof = profile_of(RESUME, today=TODAY)
    assert prof.education_level == "master"
    assert prof.degrees[0].fields == ["Statistics"]


def test_degree_being_worked_towards_is_not_held():
    text = "Profile\nTeacher. Working towards a master's degree in special education.\n"
    assert profile_of(text, today=TODAY).degrees == []


def test_every_mention_names_its_section():
    prof = profile_of(RESUME, today=TODAY)
    by_text = {m.text: m.section for m in prof.mentions}
    assert by_text["Analyst who turns sales data into weekly forecasts."] == "summary"
    assert by_text["Built weekly sales forecasts in Python."] == "experience"
    assert by_text["SQL"] == "skills"
    forecast = next(m for m in prof.mentions if m.text.startswith("Built weekly"))
    assert prof.roles[forecast.role].title == "Data Analyst"


def test_contact_fields_and_json_round_trip():
    prof = profile_of(RESUME, today=TODAY)
    assert (prof.name, prof.location) == ("Anna Schmidt", "Berlin, BE")
    again = Profile.from_json(json.loads(json.dumps(prof.to_json())))
    assert again == prof


def test_skills_normalised_to_esco_uris():
    prof = profile_of(RESUME, today=TODAY)
    uris = {s.label: s.esco_uri for s in prof.skills}
    assert uris["Python"].startswith("http://data.europa.eu/esco/skill/")
    assert all(s.section == "skills" for s in prof.skills)


PDFS = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "requirements-dev-pdfs"


@pytest.mark.skipif(not PDFS.is_dir(), reason="the shared datasets folder is not here")
def test_real_pdf_through_extraction_then_profile():
    from matching.intake.extraction import extract_text

    pdf = PDFS / "31948488.pdf"
    text = extract_text(pdf.name, pdf.read_bytes())
    prof = profile_of(text, today=date(2018, 1, 1))
    finance = next(r for r in prof.roles if r.title == "Finance Manager")
    assert (finance.start, finance.end) == ("2009-11", "2015-10")
    assert prof.education_level == "bachelor"


def test_a_long_title_line_gives_its_title_and_education_is_no_role_title():
    text = """Dan Okafor
EXPERIENCE

Senior Backend Engineer, Fernhill Freight Technologies - Pittsburgh, PA
March 2020 - Present

- Led the shipment-tracking platform.

Junior Web Developer, Keystone Digital Agency - Pittsburgh, PA
August 2014 - May 2016

- Built content sites in Django.

EDUCATION

B.S. in Computer Science, University of Pittsburgh
2010 - 2014
"""
    prof = profile_of(text, today=TODAY)
    assert [(r.title, r.start, r.end) for r in prof.roles] == [
        ("Senior Backend Engineer", "2020-03", "2024-01"),
        ("Junior Web Developer", "2014-08", "2016-05"),
    ]


def test_a_skills_tables_header_row_is_no_skill_and_its_categories_are_kept():
    text = (
        "Experience\nDevOps Engineer\nJan 2020 - Dec 2023\nAcme\n- Wrote Ansible playbooks.\n"
        "Skills\nCategory | Technologies\nCloud | AWS, GCP\nAutomation | Ansible, Terraform\n"
    )
    labels = [s.label for s in profile_of(text, today=TODAY).skills]
    assert "Category" not in labels and "Technologies" not in labels
    assert {"Cloud", "Ansible"} <= set(labels)
    # Two short cells are a list of two skills when no table follows them.
    alone = [s.label for s in profile_of("Skills\nPython | Excel\n", today=TODAY).skills]
    assert alone == ["Python", "Excel"]


@pytest.mark.parametrize(
    ("head", "title", "employer"),
    [
        (
            "Senior DevOps Engineer, Lakeshore Payments - Chicago, IL",
            "Senior DevOps Engineer",
            "Lakeshore Payments",
        ),
        (
            "Staff Nurse, Intensive Care Unit, Mission Bay Medical Center - San Diego, CA",
            "Staff Nurse",
            "Mission Bay Medical Center",
        ),
        ("Cashier, Harbor Market, Norfolk, VA", "Cashier", "Harbor Market"),
        ("Engineer at Acme Corp - Remote", "Engineer", "Acme Corp"),
        # Without a place at the end, the comma may be the title's own...
        ("Manager, Business Development", "Manager, Business Development", ""),
        # ...unless what follows it names an organisation.
        ("Nurse, St Mary", "Nurse", "St Mary"),
        ("Analyst, Acme Inc", "Analyst", "Acme Inc"),
        ("Lecturer, University of Leeds", "Lecturer", "University of Leeds"),
        ("Resident, Boston Children's Hospital", "Resident", "Boston Children's Hospital"),
        # A department or a field after the comma is still the title's own.
        ("Manager, Channel Partners", "Manager, Channel Partners", ""),
        ("Director, University Relations", "Director, University Relations", ""),
        ("Manager, Clinic Operations", "Manager, Clinic Operations", ""),
        ("Director, Hospital Medicine", "Director, Hospital Medicine", ""),
        ("Vice President, Company Operations", "Vice President, Company Operations", ""),
        ("Coordinator, Co-op Programs", "Coordinator, Co-op Programs", ""),
    ],
)
def test_a_head_line_ending_in_a_place_gives_the_title_and_the_employer(head, title, employer):
    bullet = "- Grew partner revenue by a fifth across the two regions I ran."
    text = f"Experience\n{head}\nJan 2020 - Dec 2023\n{bullet}\n"
    [role] = profile_of(text, today=TODAY).roles
    assert (role.title, role.employer) == (title, employer)


@pytest.mark.parametrize(
    ("line", "held"),
    [
        ("Associate Degree in Nursing, Spokane Community College, December 2026", False),
        ("Bachelor of Science in Nursing, May 2027", False),
        ("B.S. Accounting, State University, 2024 - 2027", False),
        ("B.S. Accounting, State University, 2027", False),
        # A bare year is later only when its year is: written in 2026, "2026" is held.
        ("B.S. Accounting, State University, 2026", True),
        ("Associate Degree in Nursing, Spokane Community College, October 2026", True),
    ],
)
def test_a_degree_dated_after_today_is_not_held_yet(line, held):
    today = date(2026, 11, 15)
    degrees = profile_of(f"Education\n{line}\n", today=today).degrees
    assert bool(degrees) is held
    [verdict] = judge_text(["Associate degree"], f"Education\n{line}\n", today=today)
    assert (verdict.status == "met") is held


def test_a_bullet_under_a_role_is_never_taken_for_its_employer():
    """A short achievement ("- Precepted new graduates.") reads like a name once its dash
    and full stop are cleaned off; it was the employer of the role above it."""
    text = (
        "Experience\nJan 2019 - Present Staff Nurse\n"
        "- Cared for six patients per shift on a surgical floor.\n"
        "- Precepted new graduates.\n"
    )
    [role] = profile_of(text, today=TODAY).roles
    assert (role.title, role.employer) == ("Staff Nurse", "")


def test_credentials_after_a_name_are_no_field_of_study():
    """ "Rosa Delgado, RN, BSN, CCRN": the BSN is a bachelor's in nursing; CCRN after it is
    another credential, not what she studied."""
    profile = profile_of("Rosa Delgado, RN, BSN, CCRN\nStaff Nurse\n", today=TODAY)
    assert [(d.level, d.fields) for d in profile.degrees] == [("bachelor", ["nursing"])]
    bs = profile_of("Rosa Delgado, RN, BS, CCRN\nStaff Nurse\n", today=TODAY)
    assert [(d.level, d.fields) for d in bs.degrees] == [("bachelor", [])]
    mba = profile_of("Education\nMBA in Finance, Kellogg School, 2015\n", today=TODAY)
    assert [(d.level, d.fields) for d in mba.degrees] == [
        ("master", ["Finance", "business administration"])
    ]
    it = profile_of("Education\nMBA, IT Management\n", today=TODAY)
    assert [(d.level, d.fields) for d in it.degrees] == [
        ("master", ["IT Management", "business administration"])
    ]
