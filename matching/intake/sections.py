"""The sections of a resume's text: headings, the non-empty lines under each, and the
sentences (mentions) that are the units of evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from matching.privacy.anonymize import blank_personal

SUMMARY, OBJECTIVE, SKILLS, EXPERIENCE, EDUCATION, CERTIFICATIONS, OTHER, HEADER = (
    "summary",
    "objective",
    "skills",
    "experience",
    "education",
    "certifications",
    "other",
    "header",
)

_HEADINGS: dict[str, tuple[str, ...]] = {
    SUMMARY: (
        "summary",
        "professional summary",
        "profile",
        "professional profile",
        "executive profile",
        "career overview",
        "overview",
        "about me",
        "qualifications",
        "summary of qualifications",
        "qualifications summary",
        "career summary",
        "executive summary",
        "personal statement",
        "introduction",
    ),
    OBJECTIVE: ("objective", "career objective", "objectives", "career focus", "goal"),
    SKILLS: (
        "skills",
        "highlights",
        "skill highlights",
        "technical skills",
        "core competencies",
        "competencies",
        "expertise",
        "areas of expertise",
        "key skills",
        "skill proficiencies",
        "core qualifications",
        "computer skills",
        "software",
        "strengths",
        "languages",
        "tools",
        "technologies",
        "skills and abilities",
        "relevant skills",
        "additional skills",
        "professional skills",
        "instruments",
        "keywords",
        "key words",
    ),
    EXPERIENCE: (
        "experience",
        "work experience",
        "professional experience",
        "employment history",
        "work history",
        "career history",
        "relevant experience",
        "employment",
        "experience and accomplishments",
        "professional background",
        "related experience",
        "career experience",
        "positions held",
        "work",
        "career",
    ),
    EDUCATION: (
        "education",
        "education and training",
        "education & training",
        "academic background",
        "academic qualifications",
        "degrees",
        "educational background",
        "education and certifications",
        "training",
    ),
    CERTIFICATIONS: (
        "certifications",
        "certification",
        "licenses",
        "licences",
        "licensure",
        "certificates",
        "licenses and certifications",
        "certifications and licenses",
        "credentials",
        "professional certifications",
        "trainings and certifications",
    ),
    OTHER: (
        "interests",
        "affiliations",
        "awards",
        "honors",
        "publications",
        "additional information",
        "volunteer",
        "volunteer experience",
        "references",
        "presentations",
        "activities",
        "accomplishments",
        "professional affiliations",
        "memberships",
        "research",
        "hobbies",
    ),
}
_HEADING_OF = {h: kind for kind, names in _HEADINGS.items() for h in names}


@dataclass
class Mention:
    text: str
    section: str  # summary, objective, skills, experience, education, certifications, ...
    start: int  # character offsets in the resume text
    end: int
    role: int | None = None  # index into Profile.roles when inside a dated role


def heading(line: str) -> str | None:
    # A heading is a short capitalised line without a full stop ("education." ends a
    # sentence broken across lines).
    if not line[:1].isupper() or line.endswith("."):
        return None
    key = re.sub(r"[^a-z& ]", "", line.lower()).strip()
    key = re.sub(r"\s+", " ", key)
    if not key or len(key) > 45:
        return None
    return _HEADING_OF.get(key)


@dataclass
class Line:
    text: str
    start: int
    end: int
    section: str


# Markup around a heading: Markdown's "## Education", "**Experience:**", "__Skills__".
_HEADING_MARKUP = re.compile(r"^[#>*_=\s]+|[*_=:\s]+$")


def line_heading(raw: str) -> str | None:
    """The section a line of a resume starts, or None: `heading` of the line without its
    markup."""
    bare = _HEADING_MARKUP.sub("", raw)
    return heading(bare) if bare else None


def _raw_lines(text: str) -> Iterator[tuple[str, int, str, bool]]:
    """Every line of `text` as it is (blank ones too): its offset, the section it stands
    in, and whether it is that section's heading."""
    section = HEADER
    pos = 0
    for raw in text.split("\n"):
        start, pos = pos, pos + len(raw) + 1
        kind = line_heading(raw)
        section = kind or section
        yield raw, start, section, kind is not None


def split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    for raw, start, section, is_heading in _raw_lines(text):
        stripped = raw.strip()
        if not stripped or is_heading:
            continue
        lead = len(raw) - len(raw.lstrip())
        out.append(Line(stripped, start + lead, start + lead + len(stripped), section))
    return out


# What a candidate claims or wants, not what they did: keyword stuffing lives here (a
# posting's words pasted into an objective, a skills list or a summary), so the score
# reads none of it. A summary is read when there is no experience section: some real
# resumes tell what they did only there.
CLAIMS = frozenset({OBJECTIVE, SKILLS, SUMMARY})
# Added to a resume of nothing but an objective and skills, so that it is not read whole:
# text that matches no job.
NO_EVIDENCE = "No work experience described."


def claim_sections(sections: set[str]) -> frozenset[str]:
    """The sections of a resume (those it has) that hold claims, not what was done.
    Beside an experience section the lines above the first heading are claims too: the
    name, the contact block and a headline, where a posting's words are pasted as easily
    as into a summary ("Staff Accountant | General Ledger | Month-End Close")."""
    return CLAIMS | {HEADER} if EXPERIENCE in sections else CLAIMS - {SUMMARY}


def evidence_text(text: str) -> str:
    """The part of a resume the score reads: the text with its claims (objective, skills
    and, beside an experience section, summary and headline; headings included) and the candidate's
    personal details (name, contact details, photo, date of birth, wherever they stand)
    blanked to spaces, so every character keeps its offset and a passage found in it is
    quoted from the resume as it is. A name says nothing of what a candidate did, and a
    score that reads it moves when only the name changes (docs/responsible.md,
    "Counterfactual test"). A text without recognised headings is read whole but for its
    personal details (its parts cannot be told apart, e.g. in another language)."""
    lines = [(raw, section) for raw, _, section, _ in _raw_lines(text)]
    sections = {sect for raw, sect in lines if raw.strip()}
    if sections <= {HEADER}:
        return blank_personal(text)
    claims = claim_sections(sections)
    out = [" " * len(raw) if sect in claims else raw for raw, sect in lines]
    if not sections - claims - {HEADER}:
        out.append(NO_EVIDENCE)
    return blank_personal("\n".join(out), found_in=text)
