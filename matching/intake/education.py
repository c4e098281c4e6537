"""Degrees: their level and field(s) as a resume or a requirement names them, and the
intent words that say a credential is not held yet."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from matching.intake.dates import DATE, YEAR, month_of
from matching.intake.sections import CERTIFICATIONS, EDUCATION, HEADER, SUMMARY, Mention


@dataclass
class Degree:
    level: str  # secondary, associate, bachelor, master, doctorate
    fields: list[str]
    text: str


LEVELS = ("none", "secondary", "associate", "bachelor", "master", "doctorate")
LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}

# Degree words by level; "MBA" and the like name a field too (DEGREE_FIELDS).
_DEGREE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("doctorate", r"ph\.?\s?d\.?|doctorate|doctoral|doctor of \w+|ed\.d\.?|d\.sc\.?|dphil"),
    (
        "master",
        r"master'?s?(?: degree)?|masters|m\.b\.a\.?|mba|m\.?sc\.?|m\.s\.|m\.a\.|m\.ed\.?|"
        r"mca|m\.eng\.?|mfa|mph|msw|msn|m\.?s\.?(?= in\b)|m\.?a\.?(?= in\b)",
    ),
    (
        "bachelor",
        r"bachelor'?s?(?: degree)?|bachelors|baccalaureate|b\.?\s?sc\.?|b\.s\.?|b\.a\.?|"
        r"b\.eng\.?|bba|bsw|bsn|b\.com|b\.tech|btech|undergraduate degree|"
        r"b\.?s\.?(?= in\b)|b\.?a\.?(?= in\b)|\bbs\b|\bba\b",
    ),
    (
        "associate",
        r"associate'?s? (?:degree|of (?:arts|science|applied))|associates degree|"
        r"a\.a\.s?\.?|\baas\b|a\.s\.(?= in\b)|\badn\b|\basn\b|a\.d\.n\.?",
    ),
    ("secondary", r"high school diploma|high school|ged\b|secondary school|senior high"),
)
DEGREE_RE = re.compile(
    "|".join(f"(?P<{lvl}>\\b(?:{pat}))" for lvl, pat in _DEGREE_PATTERNS), re.IGNORECASE
)
# Degrees that name their field.
DEGREE_FIELDS = {
    "mba": "business administration",
    "m.b.a": "business administration",
    "bba": "business administration",
    "bsw": "social work",
    "msw": "social work",
    "bsn": "nursing",
    "adn": "nursing",
    "asn": "nursing",
    "a.d.n": "nursing",
    "msn": "nursing",
    "mca": "computer applications",
    "b.com": "commerce",
    "mph": "public health",
    "m.ed": "education",
    "ed.d": "education",
}
_FIELD_STOP = re.compile(
    r"\b(?:university|college|school|institute|academy|19\d\d|20\d\d|gpa|city|state|"
    r"graduated|expected|honors|cum laude|minor)\b",
    re.IGNORECASE,
)
_CREDENTIALS_AFTER = re.compile(r"(?:\s*,\s*[A-Z][A-Z-]+)+\s*")
_SCHOOL = re.compile(r"\b(?:university|college|school|institute)\b", re.IGNORECASE)

# Intent before a credential: it is not held yet ("working towards a master's degree").
INTENT = re.compile(
    r"\b(?:pursuing|pursue|working (?:towards?|on)|work towards?|in progress|currently enrolled|"
    r"enrolled in|studying for|study for|preparing for|prepare for|candidate for|"
    r"expected|anticipated|will (?:complete|graduate|obtain|earn|sit)|to be completed|"
    r"plan(?:ning)? to|seeking|aspiring|eligible|eligibility|applied for|pending|"
    r"in process|hope to|goal is|would like|interested in|keen to|eager to|"
    r"want(?:s|ing)? to (?:learn|move|work)|looking to (?:learn|move))\b",
    re.IGNORECASE,
)

# Only just before a degree: "finishing a bachelor's degree", "in the final year of a BSc".
# Not in INTENT, which cues.py also reads on whole sentences, where "completing monthly
# reconciliations" is work done.
_IN_STUDY = re.compile(
    r"\b(?:finishing|completing|(?:final|last|first|second|third) year of)\W+(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)


def _dated_later(after: str, today: date) -> bool:
    """Whether the text after a degree dates it after today ("Associate Degree in Nursing,
    May 2027", "B.S. Accounting, 2024 - 2027"): a degree not yet conferred. A bare year is
    later only when its year is: "B.S., 2026" written in 2026 is held."""
    for d in DATE.finditer(after):
        month = month_of(d.group(), is_end=True)
        bare = re.fullmatch(YEAR, d.group().strip()) is not None
        if month is None:
            continue
        if (month // 12 > today.year) if bare else (month > today.year * 12 + today.month - 1):
            return True
    return False


def degrees_of(mentions: list[Mention], today: date | None = None) -> list[Degree]:
    today = today or date.today()
    out: list[Degree] = []
    seen: set[tuple[str, str]] = set()
    has_education = any(m.section == EDUCATION for m in mentions)
    for m in mentions:
        if has_education and m.section not in (EDUCATION, HEADER, SUMMARY, CERTIFICATIONS):
            continue
        for d in DEGREE_RE.finditer(m.text):
            level = d.lastgroup or ""
            clause = re.split(r"[.;]", m.text[: d.start()])[-1]
            # "Bachelor of Science in Nursing, State University (in progress)"
            after = re.split(r"[.;]\s", m.text[d.end() :])[0][:80]
            if INTENT.search(clause) or INTENT.search(after) or _IN_STUDY.search(clause):
                continue
            if _dated_later(after, today):
                continue
            word = d.group().lower().rstrip(".")
            if word in ("ba", "bs") and not d.group().isupper():
                continue  # "ba"/"bs" in lowercase are not degree names
            rest = m.text[d.end() :]
            rest = re.sub(r"\*\*|__", "", rest)  # Markdown's "**B.S. Accounting**"
            stop = _SCHOOL.search(rest) or _FIELD_STOP.search(rest)
            if stop:
                # A school's name runs back to the comma before "University" ("North
                # Carolina State University"), or to the degree when the comma follows it.
                comma = rest.rfind(",", 0, stop.start())
                school = stop.re is _SCHOOL
                rest = rest[: comma if school and comma >= 0 else stop.start()]
            # Strip what stands between the degree word and its field: "of Science Degree :
            # Majors:", "(major: ...", "in".
            rest = re.sub(
                r"^(?:\s*(?:degree|diploma|of (?:science|arts|applied science|fine arts)\b|"
                r"majors?:?|with majors? in|in\b|of\b|[:,(]))*\s*",
                "",
                rest,
                flags=re.IGNORECASE,
            )
            field_text = re.split(r"[;()]|\s[-\u2013]\s", rest)[0].strip(" ,.:")
            fields = [f.strip() for f in re.split(r",|/|\band\b|&", field_text) if f.strip()]
            # Post-nominal letters ("Rosa Delgado, RN, BSN, CCRN"): what follows is more
            # credentials, not a field of study ("MBA, IT Management" names one).
            if _CREDENTIALS_AFTER.fullmatch(m.text[d.end() :]):
                fields = []
            named = DEGREE_FIELDS.get(word)
            if named:
                fields.append(named)
            key = (level, m.text)
            if key in seen:
                continue
            seen.add(key)
            out.append(Degree(level=level, fields=fields[:4], text=m.text))
    return out
