"""The anonymizer: what it masks, what it must leave alone, and positions between texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.privacy.anonymize import anonymize

DEMO = Path(__file__).resolve().parents[2] / "demo"
GULP = Path("/work/shared/datasets/gulp-dev.json")

RESUME = """\
CURRICULUM VITAE

Jane Van Doren-Smith, PhD
Senior Data Engineer
jane.vandoren+jobs@example.co.uk | +44 (0)20 7946 0958 | linkedin.com/in/jane-vd
Portfolio: https://janevd.dev/projects | github.com/janevd | janevd.io
Address: Flat 2, 14 Baker Street, London NW1 6XE
Date of birth: 12.03.1988
![Jane at work](photos/jane.jpg)

SUMMARY
Data engineer with 8+ years of experience (2015-2023) in Python, Node.js, ASP.NET and
Spark. Jane's team moved 3 data centres to AWS. Mentored by Dr. Kim at ETL Corp.

EXPERIENCE
Lead Data Engineer, Northwind Traders - London
March 2019 - Present
- Built pipelines processing 1 000 000 events a day with 99.9% uptime, v2.3.1 of our SDK.
- Moved 42 services; ISO 27001 audit passed 2021-2022; see https://northwind.example/blog.

Data Engineer, Contoso Ltd., Manchester
01/2015 - 02/2019
- Cut costs by $120,000 (15%) in 2017 and handled 24/7 on-call for 10.0.0.1 clusters.
"""


@pytest.fixture(scope="module")
def masked():
    return anonymize(RESUME)


@pytest.mark.parametrize(
    "kind, original",
    [
        ("name", "Jane Van Doren-Smith"),
        ("email", "jane.vandoren+jobs@example.co.uk"),
        ("phone", "+44 (0)20 7946 0958"),
        ("url", "linkedin.com/in/jane-vd"),
        ("url", "https://janevd.dev/projects"),
        ("url", "github.com/janevd"),
        ("url", "janevd.io"),
        ("address", "Flat 2, 14 Baker Street, London NW1 6XE"),
        ("date_of_birth", "12.03.1988"),
        ("photo", "![Jane at work](photos/jane.jpg)"),
        ("name", "Jane's"),
    ],
)
def test_every_kind_of_personal_detail_is_masked(masked, kind, original):
    found = [(s.kind, RESUME[s.start : s.end]) for s in masked.spans]
    assert (kind, original) in found
    assert original not in masked.text


@pytest.mark.parametrize(
    "kept",
    [
        "8+ years",
        "(2015-2023)",
        "Python, Node.js, ASP.NET and\nSpark",
        "Northwind Traders - London",
        "March 2019 - Present",
        "01/2015 - 02/2019",
        "1 000 000 events",
        "99.9% uptime, v2.3.1",
        "ISO 27001 audit passed 2021-2022",
        "$120,000 (15%) in 2017",
        "24/7 on-call for 10.0.0.1",
        "Contoso Ltd., Manchester",
        "Senior Data Engineer",
        "Date of birth: ",
        "CURRICULUM VITAE",
        "Mentored by Dr. Kim",
        # A URL in the body that is not a profile stays: it is about the work.
        "https://northwind.example/blog",
    ],
)
def test_skills_employers_and_dates_of_employment_are_kept(masked, kept):
    assert kept in masked.text


def test_masking_keeps_the_layout_and_uses_readable_tokens(masked):
    assert masked.text.count("\n") == RESUME.count("\n")
    assert masked.text.splitlines()[2] == "[NAME], PhD"
    assert "Date of birth: [DATE OF BIRTH]" in masked.text
    assert "[PHOTO]" in masked.text and "[ADDRESS]" in masked.text


@pytest.mark.parametrize(
    "line, masked_line",
    [
        ("Call me: (602) 555-0119", "Call me: [PHONE]"),
        ("Tel.: 089 / 12345678", "Tel.: 089 / 12345678"),  # spaced slash: not joined
        ("Tel.: 089/12345678", "Tel.: [PHONE]"),
        ("Mobile 0170 1234567", "Mobile [PHONE]"),
        ("+49 170 1234567", "[PHONE]"),
        ("555.123.4567", "[PHONE]"),
        ("0049 30 1234567", "[PHONE]"),
        ("worked 2016 - 2017 and 2019-2023", "worked 2016 - 2017 and 2019-2023"),
        ("from 10/2018 - 03/2019", "from 10/2018 - 03/2019"),
        ("born 12.05.1990", "born [DATE OF BIRTH]"),
        ("released 2023-05-12", "released 2023-05-12"),
        ("certificate 0003853363", "certificate 0003853363"),
        ("DOB: March 4, 1990", "DOB: [DATE OF BIRTH]"),
        ("Geburtsdatum: 4. März 1990", "Geburtsdatum: [DATE OF BIRTH]"),
        ("Born in 1985 in Lyon", "Born in [DATE OF BIRTH] in Lyon"),
        ("Born and raised in Chicago", "Born and raised in Chicago"),
        ("Adresse: Musterstraße 12, 80331 München", "Adresse: [ADDRESS]"),
        ("Lives at Hauptstr. 5, 10115 Berlin now", "Lives at [ADDRESS] now"),
        ("1600 Pennsylvania Avenue, Washington, DC 20500", "[ADDRESS]"),
        ("Spring 5 and Spring Boot 3", "Spring 5 and Spring Boot 3"),
        ("managed 14 accounts on Main Street", "managed 14 accounts on Main Street"),
        ("[photo]", "[PHOTO]"),
        ("Photo: smiling in a blue suit", "[PHOTO]"),
        ('<img src="me.png" alt="me">', "[PHOTO]"),
        ("gulp_id_picture", "[PHOTO]"),
        ("Used D3.js and Vue.js", "Used D3.js and Vue.js"),
        ("see www.example.org/team", "see www.example.org/team"),  # body, not contact block
        ("Website: www.jane.me", "Website: [URL]"),
        ("code at https://github.com/jdoe/tool", "code at [URL]"),
    ],
)
def test_phone_date_address_photo_and_url_rules(line, masked_line):
    # A body line: ten other lines first, so it is outside the contact block.
    text = "Summary\n" + "Experienced engineer.\n" * 10 + line
    assert anonymize(text).text.splitlines()[-1] == masked_line


def test_profile_url_with_scheme_is_masked_whole():
    text = "Summary\n" + "x\n" * 10 + "see https://www.linkedin.com/in/jdoe/ for more"
    assert anonymize(text).text.endswith("see [URL] for more")


@pytest.mark.parametrize(
    "first_line",
    [
        "Agile Coach, Scrum Master",
        "SAP Experte, SAP Entwicklung",
        "Senior Java Developer",
        "Employment History",
        "Front-End Development",
        "Professional Scrum Master (PSM), Senior Agile Coach",
    ],
)
def test_a_headline_is_not_taken_for_a_name(first_line):
    text = f"{first_line}\nExperience with SAP and Scrum as Agile Coach.\n"
    assert anonymize(text).text == text


@pytest.mark.parametrize(
    "first_line, name",
    [
        ("JAMAL REYES", "JAMAL REYES"),
        ("# Rosa Delgado, RN, BSN, CCRN", "Rosa Delgado"),
        ("Ludwig van Beethoven | Composer", "Ludwig van Beethoven"),
        ("Mei Lin Tran", "Mei Lin Tran"),
    ],
)
def test_the_first_line_name_and_its_later_mentions_are_masked(first_line, name):
    text = f"{first_line}\nSummary\nReferences: ask {name.split()[-1].title()} directly.\n"
    masked = anonymize(text)
    assert name not in masked.text
    assert masked.text.count("[NAME]") == 2


def test_a_name_field_is_masked_and_lowercase_words_are_not():
    text = "Profile\nName: Grace Bell\nSkills: grace under pressure, bell curve analysis\n"
    masked = anonymize(text).text
    assert "Name: [NAME]" in masked
    assert "grace under pressure, bell curve analysis" in masked


@pytest.mark.parametrize(
    "body, kept",
    [
        ("B.S., University of Washington, 2014", "University of Washington"),
        ("Engineer at Cisco, San Jose, CA", "San Jose"),
        ("Field nurse, Washington State Department of Health", "Washington State"),
        ("Lived in Jackson for six years", "in Jackson"),
    ],
)
def test_a_name_word_inside_another_proper_noun_is_kept(body, kept):
    text = f"Jose Jackson Washington\nSummary\n{body}.\nAsk Mr Washington.\n"
    masked = anonymize(text).text
    assert kept in masked
    assert masked.startswith("[NAME]\n") and "Ask Mr [NAME]." in masked


def test_positions_map_between_original_and_masked(masked):
    start = RESUME.index("Jane's team")
    end = RESUME.index("data centres") + len("data centres")
    m_start, m_end = masked.span_to_masked(start, end)
    assert masked.text[m_start:m_end] == "[NAME] team moved 3 data centres"
    assert masked.span_to_original(m_start, m_end) == (start, end)
    # A span that cuts through a name covers the whole token.
    inside = RESUME.index("Van Doren")
    assert masked.text[masked.to_masked(inside) :].startswith("[NAME]")


def test_masking_twice_changes_nothing_more(masked):
    assert anonymize(masked.text).text == masked.text


@pytest.mark.parametrize("path", sorted((DEMO / "resumes_src").glob("*.md")), ids=lambda p: p.name)
def test_demo_resumes_lose_name_email_and_phone_only(path):
    text = path.read_text()
    masked = anonymize(text)
    assert {s.kind for s in masked.spans} == {"name", "email", "phone"}
    assert masked.text.splitlines()[0].startswith("# [NAME]")
    # Below the contact block only mentions of the name can go: skills, employers and
    # dates of employment stay.
    body_start = text.index("## Summary")
    assert {s.kind for s in masked.spans if s.start >= body_start} <= {"name"}


@pytest.mark.skipif(not GULP.exists(), reason="the shared gulp-dev data set is not here")
def test_real_german_profiles_lose_photos_but_no_skills():
    rows = json.loads(GULP.read_text())
    texts = {r["resume_id"]: r["resume"] for r in rows}
    kinds = {}
    for text in texts.values():
        masked = anonymize(text)
        for span in masked.spans:
            kinds.setdefault(span.kind, []).append(text[span.start : span.end])
    assert "gulp_id_picture" in kinds["photo"]
    # These profiles carry no names (headlines instead), so nothing may be taken for one.
    assert "name" not in kinds
    masked = " ".join(text for found in kinds.values() for text in found)
    assert not any(w in masked for w in ("Java", "SAP", "Scrum"))
