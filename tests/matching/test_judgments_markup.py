"""Resumes as people write them (issue 16): Markdown headings and titles, a headline
stuffed with a posting's words, abbreviated degrees, a level written after a skill,
credentials after a name."""

from __future__ import annotations

from datetime import date

from matching.intake.profile import profile_of
from matching.intake.roles import _is_trivial
from matching.intake.sections import EDUCATION, EXPERIENCE, SKILLS, evidence_text, line_heading
from matching.scoring.cues import read_cues
from matching.scoring.evidence import MET, NOT_MET
from matching.scoring.verdicts import judge_text

TODAY = date(2024, 1, 1)

MARKDOWN = """# Dana Whitfield
Staff Accountant | General Ledger | Month-End Close | CPA

## Experience
**Staff Accountant** | March 2019 - Present
Oak City Health, Raleigh, NC
- Closed the books each month and reconciled 40 bank accounts.

## Education
**B.S. Accounting**, North Carolina State University, 2018

**Skills:** Excel, NetSuite
"""


def test_markdown_headings_mark_sections():
    assert line_heading("## Education") == EDUCATION
    assert line_heading("**Skills:**") == SKILLS
    assert line_heading("__Work Experience__") == EXPERIENCE
    assert line_heading("## Closed the books") is None
    by_text = {m.text: m.section for m in profile_of(MARKDOWN, today=TODAY).mentions}
    assert by_text["Closed the books each month and reconciled 40 bank accounts."] == EXPERIENCE


def test_markdown_role_titles_and_employers_named_like_places_are_read():
    prof = profile_of(MARKDOWN, today=TODAY)
    assert [(r.title, r.start, r.present) for r in prof.roles] == [
        ("Staff Accountant", "2019-03", True)
    ]
    assert prof.degrees[0].level == "bachelor"
    assert prof.degrees[0].fields == ["Accounting"]


def test_a_lone_city_state_line_is_a_placeholder_but_an_employer_is_not():
    assert _is_trivial("City, State") and _is_trivial("Company Name")
    assert not _is_trivial("Oak City Health") and not _is_trivial("Oregon State")


def test_the_headline_above_the_first_heading_is_a_claim_beside_experience():
    seen = evidence_text(MARKDOWN)
    assert "General Ledger" not in seen  # the headline, pasted from a posting
    assert "Dana" not in seen and "Whitfield" not in seen  # the name is never read
    assert "reconciled 40 bank accounts" in seen
    assert len(seen) == len(MARKDOWN)  # offsets kept for quoting


def test_abbreviated_degrees_are_not_cut_at_their_full_stops():
    for line, field in (
        ("B.S. Mechanical Engineering, Purdue University, 2016", "Mechanical Engineering"),
        ("Ph.D. Chemistry, Rice University", "Chemistry"),
    ):
        prof = profile_of(f"Education\n{line}\n", today=TODAY)
        assert prof.degrees[0].fields == [field], line


def test_an_adn_is_an_associate_degree_in_nursing():
    prof = profile_of("Education\nADN, Valley Community College, 2015\n", today=TODAY)
    assert prof.degrees[0].level == "associate"
    assert "nursing" in prof.degrees[0].fields


def test_a_degree_in_progress_later_in_its_line_is_not_held():
    text = "Education\nBachelor of Science in Nursing, State University (in progress)\n"
    assert profile_of(text, today=TODAY).degrees == []


def test_a_level_written_after_the_skill_makes_it_weak():
    for text in ("SolidWorks (student level)", "GD&T (one course)", "FEA - coursework only"):
        assert read_cues(text, 0) == "weak", text
    assert read_cues("SolidWorks assemblies for pumps", 0) == ""


def test_with_names_someone_else_only_after_a_collaboration_verb():
    text = "Worked closely with Certified Public Accountants on audits"
    assert read_cues(text, text.index("Certified")) == "others"
    text = "BA (Hons) Primary Education with QTS"
    assert read_cues(text, text.index("QTS"), licence=True) == ""


def test_a_course_named_before_the_licence_is_training():
    text = "Administration Workshop PMP - Project Management"
    assert read_cues(text, text.index("PMP"), licence=True) == "training"


def test_licences_after_the_name_in_the_header_are_held():
    text = (
        "Jordan Kim, RN, BSN, CCRN - Travel Nurse\n"
        "Experience\nRegistered Nurse\nJan 2018 - Present\nMercy Hospital\n"
        "Cared for ICU patients.\n"
    )
    [v] = judge_text(["CCRN certification"], text, today=TODAY)
    assert v.status == MET
    # Whatever the name's shape: particles, accents, one word.
    for name in ("María de la Cruz", "Nguyễn Thị Lan", "Ayodele"):
        renamed = text.replace("Jordan Kim, RN, BSN", f"{name}, RN")
        assert judge_text(["CCRN certification"], renamed, today=TODAY)[0].status == MET, name
    # The same letters in a sentence about colleagues are not the candidate's.
    other = text.replace("Jordan Kim, RN, BSN, CCRN - Travel Nurse", "Jordan Kim - Travel Nurse")
    other = other.replace("Cared for ICU patients.", "Worked with CCRN nurses on the unit.")
    [v] = judge_text(["CCRN certification"], other, today=TODAY)
    assert v.status == NOT_MET


TEACHER = """Morgan Ellis
Experience
Third Grade Teacher, Maple Elementary, August 2015 - Present
Taught reading and math to 26 students.
Certifications
{line}
"""
CERTIFICATE = "Valid state teaching certificate for elementary grades"


def test_a_licence_is_found_by_what_it_is_for_without_the_postings_scope():
    """A resume names the certificate ("Texas Teaching Certificate") and seldom repeats the
    posting's scope ("for elementary grades")."""
    for line in (
        "Texas Teaching Certificate with Early Childhood Education endorsement",
        "Georgia Teaching Certifications: Elementary Education (P-5)",
    ):
        verdict = judge_text([CERTIFICATE], TEACHER.format(line=line), today=TODAY)[0]
        assert verdict.status == MET, line
        assert verdict.evidence == [line]


def test_the_words_of_a_licence_without_its_noun_or_only_in_progress_are_not_it():
    for line in (
        "Teaching assistant training, 2014",  # the subject, no certificate
        "Working towards my teaching certificate",  # intent
    ):
        verdict = judge_text([CERTIFICATE], TEACHER.format(line=line), today=TODAY)[0]
        assert verdict.status == NOT_MET, line


def test_a_credential_has_no_level_but_the_one_in_its_name():
    text = "BLS - Basic Life Support certification, American Heart Association"
    assert read_cues(text, 0, licence=True) == ""
    assert read_cues("Spanish: elementary", 0) == "weak"


def test_a_licence_named_by_what_it_is_for_counts_in_a_list_only_on_a_line_of_its_own():
    listed = TEACHER.replace("Certifications\n{line}", "Highlights\n{line}\nIEPs knowledge")
    line = "Texas Teaching Certificate with Early Childhood Education endorsement"
    assert judge_text([CERTIFICATE], listed.format(line=line), today=TODAY)[0].status == MET
    stuffed = listed.format(line="Elementary education; state teaching certificate; IEPs")
    assert judge_text([CERTIFICATE], stuffed, today=TODAY)[0].status == NOT_MET


def test_a_place_or_a_hyphenated_credential_in_the_header_is_no_licence():
    """An HR generalist's header once gave her ✓ for "Active RN license": "SHRM-CP" read as
    credentials after a name, ending at its hyphen, and "Raleigh, NC" spelled R. N."""
    text = (
        "Priya Natarajan\n"
        "HR Generalist, SHRM-CP priya@example.com | (919) 555-0137 | Raleigh, NC\n"
        "Experience\nHR Generalist, Oak City Health, August 2021 - Present\n"
        "Investigate and resolve employee relations issues.\n"
    )
    assert judge_text(["Active RN license"], text, today=TODAY)[0].status == NOT_MET
