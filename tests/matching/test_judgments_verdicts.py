"""Requirement verdicts with evidence (issue 16) on small hand-written resumes."""

from __future__ import annotations

from datetime import date

import pytest

from matching.scoring.evidence import MET, NOT_MET, UNCLEAR, Embedder
from matching.scoring.verdicts import judge_text

TODAY = date(2024, 1, 1)

ACCOUNTANT = """Priya Raman
Summary
Staff accountant. Served as liaison with Certified Public Accountants during audits.
Currently pursuing the CMA certification.
Experience
Staff Accountant
January 2021 to Present
Lakeview Foods
Processed accounts payable in Oracle E-Business Suite.
Bookkeeper
May 2019 - December 2020
Corner Bakery
Kept the books in QuickBooks.
Education
B.S. in Business Administration, Accounting, DePaul University, 2019
Licenses
Project Management Professional certificate, 2022
Skills
Excel, basic knowledge of Power BI, no experience in SAP
"""


def verdict(requirement: str, text: str = ACCOUNTANT):
    [v] = judge_text([requirement], text, today=TODAY)
    return v


def test_years_come_from_relevant_dated_roles_not_the_word_years():
    v = verdict("2+ years of accountant experience")
    assert (v.status, v.years) == (MET, 3.0)
    assert v.evidence == ["Staff Accountant (2021-01 to present)"]
    assert verdict("5+ years as an accountant").status == NOT_MET


def test_years_without_any_dated_role_are_unclear():
    v = verdict("3+ years of sales experience", "Summary\nSeasoned sales professional.\n")
    assert v.status == UNCLEAR


def test_degree_with_field_among_several_is_met():
    v = verdict("Bachelor's degree in accounting")
    assert v.status == MET
    assert "Business Administration, Accounting" in v.evidence[0]


def test_higher_degree_level_is_not_met_by_a_bachelor():
    assert verdict("Master's degree in accounting or finance").status == NOT_MET


def test_degree_in_another_field_sharing_a_word_is_not_met():
    text = "Education\nBachelor of Science, Animal Science, 1990\n"
    assert verdict("Bachelor of Science in Exercise Science", text).status == NOT_MET


def test_working_with_holders_of_a_licence_is_not_holding_it():
    v = verdict("Certified Public Accountant (CPA) license")
    assert v.status == NOT_MET


def test_pursuing_a_certification_is_not_holding_it():
    v = verdict("CMA certification required")
    assert (v.status, v.reason) == (NOT_MET, "intent")
    assert "pursuing" in v.evidence[0]


def test_acronym_of_a_held_certificate_is_met():
    v = verdict("Active PMP certification")
    assert v.status == MET
    assert v.evidence == ["Project Management Professional certificate, 2022"]


def test_tool_alternatives_any_of():
    v = verdict("SAP or Oracle ERP experience")
    assert v.status == MET
    assert "Oracle E-Business Suite" in v.evidence[0]


def test_no_experience_in_a_tool_is_not_met():
    v = verdict("SAP experience")
    assert (v.status, v.reason) == (NOT_MET, "negated")


def test_basic_knowledge_does_not_meet_an_advanced_requirement():
    assert verdict("Advanced Power BI skills").status == NOT_MET


def test_tool_written_differently_is_found():
    text = "Experience\nInstruments: Licor 6400, Trimble GPS\n"
    assert verdict("LI-COR gas exchange system experience", text).status == MET


def test_other_language_resume_is_unclear():
    text = (
        "Berufserfahrung\nBuchhalterin bei der Firma Muster GmbH, seit 2019. Erstellung der "
        "Monatsabschlüsse und Betreuung der Kreditoren für die Tochtergesellschaften im Team.\n"
    )
    assert verdict("Bachelor's degree in accounting", text).status == UNCLEAR


@pytest.fixture(scope="module")
def real_embedder() -> Embedder:
    from matching.encoding.registry import get_encoder

    # torch: the ONNX export would run once more in a fresh models store.
    return Embedder(get_encoder(backend="torch").encode_texts)


CHEF = """Summary
Sous chef in a busy Italian restaurant.
Experience
Sous Chef
March 2018 to May 2023
Trattoria Verde
Hired, trained and scheduled a crew of nine line cooks.
Worked together with the pastry team on dessert plating for events.
"""


TEACHER = """Experience
Teacher
August 2017 to June 2023
Maple Elementary School
Taught first graders to read with phonics and guided reading groups.
"""


@pytest.mark.integration
def test_paraphrase_found_by_sentence_meaning(real_embedder):
    requirement = "Experience teaching children to read"
    [v] = judge_text([requirement], TEACHER, embedder=real_embedder, today=TODAY)
    assert v.status == MET
    assert v.evidence == ["Taught first graders to read with phonics and guided reading groups."]


@pytest.mark.integration
def test_shared_words_alone_do_not_meet_a_requirement(real_embedder):
    [v] = judge_text(["Led a pastry team"], CHEF, embedder=real_embedder, today=TODAY)
    assert v.status == NOT_MET


def test_an_interest_in_a_tool_is_not_having_used_it():
    text = (
        "Experience\nDeveloper\nMarch 2019 - Present\nAcme\n"
        "Built Java services. Interested in moving to a Django team.\n"
    )
    [v] = judge_text(["Django"], text, today=TODAY)
    assert (v.status, v.reason) == (NOT_MET, "intent")
    assert v.evidence == ["Interested in moving to a Django team."]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Summary\nStrong in account reconciliations, revenue recognition and audits.\n", MET),
        ("Summary\nNo experience in account reconciliations yet; strong in sales.\n", NOT_MET),
        ("Skills\nAccount reconciliations, Excel, payroll\n", NOT_MET),  # a list item
    ],
)
def test_a_domain_named_whole_in_what_the_candidate_did_is_met(text, status):
    [v] = judge_text(["Account reconciliations"], text, today=TODAY)
    assert v.status == status, v


def test_a_named_skill_is_quoted_from_experience_rather_than_the_header():
    text = (
        "Dan Okafor - Python / Django - dan@example.com | (412) 555-0187\n"
        "Experience\nBackend Developer\nJune 2016 - Present\nAcme\n"
        "Built billing services in Python on PostgreSQL.\n"
    )
    [v] = judge_text(["Python"], text, today=TODAY)
    assert v.status == MET
    assert v.evidence == ["Built billing services in Python on PostgreSQL."]


STUFFED_NURSE = """Kayla Brooks
Fresno, CA
Skills
Registered Nurse - Medical/Surgical | active RN license | compact license | BLS | IV therapy
Experience
Cashier
March 2021 to Present
Valley Grocery
Ran the register and stocked shelves.
Education
Roosevelt High School, diploma, 2018
"""


def test_a_licence_only_in_a_pasted_keyword_list_is_listed_without_experience():
    v = verdict("Active registered nurse license", STUFFED_NURSE)
    assert (v.status, v.reason) == (NOT_MET, "listed without experience")
    assert verdict("BLS certification", STUFFED_NURSE).status == NOT_MET


@pytest.mark.parametrize(
    "where",
    [
        # A role held under the credential's name.
        "Experience\nRegistered Nurse, Mercy Hospital\nJune 2019 to Present\n"
        "Cared for five patients a shift on a surgical floor.\n",
        # Where holders list it.
        "Licenses and Certifications\nRegistered Nurse license, California, 2019\n",
    ],
)
def test_the_same_keyword_list_with_the_licence_held_elsewhere_is_met(where):
    text = STUFFED_NURSE.replace("Education\n", where + "Education\n")
    assert verdict("Active registered nurse license", text).status == MET


def test_finishing_a_degree_is_not_holding_it():
    text = (
        "Profile\nAccounts payable clerk, finishing a bachelor's degree in accounting part "
        "time.\nEducation\nA.A.S. Accounting, Tidewater Community College, 2022\n"
    )
    assert verdict("Bachelor's degree in accounting", text).status == NOT_MET
    held = text.replace("finishing a", "holding a")
    assert verdict("Bachelor's degree in accounting", held).status == MET


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        (
            "Coordinated with external auditors from a Big Four firm during the annual audit.",
            NOT_MET,
        ),
        ("Partnered with consultants from a Big Four firm on the audit.", NOT_MET),
        # The candidate's own workplace, or what they did there.
        ("Senior auditor at a Big Four firm: led the annual audit of retail clients.", MET),
        ("Assisted senior auditors at a Big Four firm in the annual audit.", MET),
        ("Worked with the audit team at a Big Four firm on year-end audits.", MET),
        ("Supported month-end close and audits at a Big Four firm.", MET),
    ],
)
def test_others_from_an_organisation_do_not_give_the_candidate_its_experience(sentence, status):
    text = f"Experience\nAuditor\nJanuary 2018 - Present\nAcme\n{sentence}\n"
    [v] = judge_text(["Big Four audit experience"], text, today=TODAY)
    assert v.status == status, v
    if status == NOT_MET:
        assert v.reason == "others_from"


@pytest.mark.parametrize(
    ("requirement", "sentence", "status"),
    [
        ("Salesforce", "Worked with consultants from Salesforce to roll out Salesforce CRM.", MET),
        ("Salesforce", "Worked with consultants from Salesforce on the new pricing.", NOT_MET),
        ("Bloomberg", "Worked with market data from Bloomberg for daily pricing.", MET),
        ("AWS", "Worked with services from AWS to host the reporting stack.", MET),
        ("Python", "Worked with Python and SQL at Google.", MET),
    ],
)
def test_a_tool_is_used_unless_only_named_as_where_others_come_from(requirement, sentence, status):
    text = f"Experience\nAnalyst\nJanuary 2018 - Present\nAcme\n{sentence}\n"
    [v] = judge_text([requirement], text, today=TODAY)
    assert v.status == status, v


def test_every_reason_the_cues_give_is_shown_in_words():
    """A reviewer reads the cue's reason beside a ✗ (explain.ShownVerdict.reason_shown):
    each code the cues return has words, never the bare code."""
    from matching.scoring.cues import CUES
    from matching.scoring.explain import CUE_WORDS, ShownVerdict

    assert {"negated", "intent", "weak", "others", "others_from", "training"} <= set(CUES)
    for code in CUES:
        shown = ShownVerdict("Big Four audit", True, "skill", NOT_MET, [], code).reason_shown
        assert shown == CUE_WORDS[code] and shown != code
