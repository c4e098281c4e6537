"""A structured profile of a resume's text: contact, dated roles, years, education,
licences, skills on ESCO, and every sentence with the section it stands in.

Rules, not a model: each field is read from a pattern a reader would trust (a heading, a
date range at the head of a role, a degree word). What is not found stays empty: a resume
without dates has no years, one in another language has no fields at all: an empty field
is honest, a guessed one misleads the verdicts built on it.

The parts are read in sections.py (headings, lines), dates.py, roles.py and education.py;
this module puts them together with contact details, language and skills.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from matching.intake import terms
from matching.intake.education import LEVEL_RANK, Degree, degrees_of
from matching.intake.logistics import head_place, work_terms_of
from matching.intake.roles import PLACEHOLDER, TITLE_WORDS, Role, months_merged, roles_of
from matching.intake.sections import (
    CERTIFICATIONS,
    EDUCATION,
    EXPERIENCE,
    HEADER,
    OBJECTIVE,
    SKILLS,
    SUMMARY,
    Line,
    Mention,
    claim_sections,
    heading,
    split_lines,
)
from matching.intake.taxonomy import esco_index


@dataclass
class Skill:
    label: str  # as written in the resume
    esco_uri: str
    section: str  # where it was found: the skills list
    # Every section that names it, what the candidate did first (EXPERIENCE, SUMMARY,
    # EDUCATION, CERTIFICATIONS, OBJECTIVE, SKILLS). Empty in profiles read before it was
    # recorded.
    found_in: list[str] = field(default_factory=list)
    # Named only where the score reads claims (sections.claim_sections: the list, the
    # objective and, beside an experience section, the summary): "listed without
    # experience" on the resume page. None in profiles read before it was recorded.
    listed_only: bool | None = None


@dataclass
class Profile:
    language: str = "en"  # "other" when the text is not English: then all fields are empty
    name: str = ""
    email: str = ""
    phone: str = ""
    location: str = ""
    title: str = ""
    roles: list[Role] = field(default_factory=list)
    years_total: float | None = None
    education_level: str = ""  # highest; "none" when an education section names no degree
    degrees: list[Degree] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    # Where and from when the candidate works (logistics.WorkTerms as JSON), read in any
    # language: labelled lines and place names, not English prose.
    work_terms: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)

    def stored(self, *, as_of: date) -> dict:
        """What Resume.profile keeps: everything but the mentions (the evidence is read
        from the text again when judging), with the day "present" and the years mean."""
        data = self.to_json()
        data.pop("mentions")
        for role in data["roles"]:
            role.pop("start_offset", None)
            role.pop("end_offset", None)
        return {**data, "as_of": as_of.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> Profile:
        return cls(
            **{
                **data,
                "roles": [Role(**r) for r in data.get("roles", [])],
                "degrees": [Degree(**d) for d in data.get("degrees", [])],
                "skills": [Skill(**s) for s in data.get("skills", [])],
                "mentions": [Mention(**m) for m in data.get("mentions", [])],
            }
        )


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+?\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b")
_BULLET = re.compile(r"^\s*(?:[-•●▪◦*·\u2013]|\d+[.)])\s+")
_FOREIGN_WORDS = frozenset(
    """der die das und mit für von bei ist sind als auf eine einer wir ich zur zum im des
    le la les et des pour avec dans une est sont du au aux el los las y con para por una
    es del lo het een en van voor met il di che della per con gli""".split()
) - {"en", "die", "is", "per", "con", "es"}
_EN_WORDS = frozenset(
    "the and of to in for with a on as by at from an or is was were have has i my our".split()
)


def is_english(text: str) -> bool:
    """English unless the function words of another language outnumber English ones (a
    list of skills and titles has few function words of any language)."""
    words = re.findall(r"[a-zäöüßéèàçñ]+", text.lower())
    english = sum(w in _EN_WORDS for w in words)
    foreign = sum(w in _FOREIGN_WORDS for w in words)
    return not (foreign > english and foreign >= 3)


def _mentions(text: str, lines: list[Line], roles: list[Role]) -> list[Mention]:
    """Sentences and bullets, each with its section; PDF line breaks inside a sentence
    are joined (a line that starts in lowercase continues the one before)."""
    units: list[list[Line]] = []
    for ln in lines:
        if (
            units
            and units[-1][-1].section == ln.section
            and (
                ln.text[:1].islower()
                or ln.text[:1] in ":,;)-\u2013&"
                or units[-1][-1].text.endswith((",", "&", " and", " of", ":", "-", "\u2013", "("))
            )
            and not _BULLET.match(ln.text)
        ):
            units[-1].append(ln)
        else:
            units.append([ln])
    out: list[Mention] = []
    for unit in units:
        start, end = unit[0].start, unit[-1].end
        chunk = text[start:end]
        # Sentences and inline bullets ("Project Management *WebLogic") are units of evidence.
        # A skills list is a list: each item is its own piece of evidence. A full stop after
        # a lone capital ends no sentence: "B.S. Mechanical Engineering", "Ph.D.", "J. Doe".
        stop = r"(?<=[.!?;])(?<!\b[A-Z]\.)"
        splitter = (
            rf"{stop}\s*(?=[A-Z])|\s+[*•●▪]\s*|\s{{2,}}[-\u2013]\s+|,\s+"
            if unit[0].section == SKILLS
            else rf"{stop}\s+(?=[A-Z])|(?<=[a-z][.!?])(?=[A-Z][a-z])|\s+[*•●▪]\s*|"
            r"\s{2,}[-\u2013]\s+"
        )
        pieces = re.split(splitter, chunk)
        pos = start
        for piece in pieces:
            idx = text.find(piece, pos, end + 1)
            if idx < 0:
                idx = pos
            p = " ".join(_BULLET.sub("", piece).split())
            if p and re.search(r"[A-Za-z]", p):
                role = next(
                    (i for i, r in enumerate(roles) if r.start_offset <= idx < r.end_offset), None
                )
                out.append(Mention(p, unit[0].section, idx, idx + len(piece), role))
            pos = idx + len(piece)
    return out


_CERT_CUE = re.compile(
    r"\b(?:certified|certification|certificate|licensed|license|licence|credential|"
    r"accredited|registered)\b",
    re.IGNORECASE,
)
# Outside a certifications section a credential is a short item ("CCRN (Adult), AACN,
# 2021"), not a sentence of the summary that uses the word ("Registered nurse with seven
# years of ...") nor a head line of contact details.
_CREDENTIAL_WORDS = 12


def _is_credential(m: Mention) -> bool:
    if m.section == CERTIFICATIONS:
        return True
    return (
        m.section in (SKILLS, EDUCATION, SUMMARY, HEADER)
        and _CERT_CUE.search(m.text) is not None
        and len(m.text.split()) <= _CREDENTIAL_WORDS
        and _EMAIL.search(m.text) is None
        and _PHONE.search(m.text) is None
    )


def years_of(text: str, *, today: date | None = None) -> float | None:
    """Profile.years_total alone, without reading the rest (texts scored unstored)."""
    today = today or date.today()
    text = text.replace("\r\n", "\n").replace("\xa0", " ")
    lines = split_lines(text)
    if not lines or not is_english(text):
        return None
    return _years_total(roles_of(text, lines, today))


def _years_total(roles: list[Role]) -> float | None:
    return round(months_merged(roles) / 12, 1) if roles else None


def profile_of(text: str, *, today: date | None = None) -> Profile:
    """The structured profile of a resume's plain text."""
    today = today or date.today()
    text = text.replace("\r\n", "\n").replace("\xa0", " ")
    lines = split_lines(text)
    if not lines:
        return Profile()
    if not is_english(text):
        return Profile(language="other", work_terms=work_terms_of(text).to_json())
    roles = roles_of(text, lines, today)
    mentions = _mentions(text, lines, roles)
    prof = Profile(roles=roles, mentions=mentions, work_terms=work_terms_of(text).to_json())
    prof.years_total = _years_total(roles)
    if roles:
        latest = max(roles, key=lambda r: (r.present, r.end))
        prof.title = latest.title
    head = "\n".join(ln.text for ln in lines[:8])
    if (e := _EMAIL.search(text)) is not None:
        prof.email = e.group()
    if (p := _PHONE.search(head)) is not None:
        prof.phone = p.group().strip()
    # "Olusegun Adeyemi - Senior Software Engineer": the name before a dash, bar or comma;
    # "# Priya Natarajan": without the Markdown heading or emphasis marks.
    head_line = lines[0].text.lstrip("#").strip().strip("*_").strip()
    first = re.split(r"\s+[-\u2013\u2014|]\s+|\s*[,|]\s*", head_line)[0].strip()
    words = first.split()
    if (
        2 <= len(words) <= 4
        and all(re.fullmatch(r"[A-Z][A-Za-z'.-]*", w) for w in words)
        and not any(w.lower().strip(".") in TITLE_WORDS for w in words)
        and heading(first) is None
    ):
        prof.name = first
    if (place := head_place(text)) is not None and not PLACEHOLDER.search(place[0]):
        prof.location = place[0]
    prof.degrees = degrees_of(mentions, today)
    if prof.degrees:
        prof.education_level = max((d.level for d in prof.degrees), key=LEVEL_RANK.__getitem__)
    elif any(m.section == EDUCATION for m in mentions):
        prof.education_level = "none"
    prof.certifications = [m.text for m in mentions if _is_credential(m)]
    prof.skills = _skills(lines, mentions)
    return prof


# A skills table's header row ("Category | Technologies", "Area | Details": two short
# cells without a list, above a row that lists under a category, "Cloud | AWS, GCP")
# names columns, not skills. The category itself ("Cloud", "Accounting") is kept: it is
# often a skill area the candidate names.
_CATEGORY_ROW = re.compile(r"^[^|:,;]{1,40}\|[^|]*[,;]")
_TABLE_HEADER = re.compile(r"^[^|:,;]{1,30}\|[^|:,;]{1,30}$")


def _skills(lines: list[Line], mentions: list[Mention]) -> list[Skill]:
    """The skills list's items found in ESCO, each with every section that names it."""
    index = esco_index()
    if index is None:
        return []
    out: list[Skill] = []
    seen: set[str] = set()
    listed = [ln.text for ln in lines if ln.section == SKILLS and heading(ln.text) is None]
    for k, line in enumerate(listed):
        header = _TABLE_HEADER.match(line) and k + 1 < len(listed)
        if header and _CATEGORY_ROW.match(listed[k + 1]):
            continue
        for item in re.split(r"[,;|/]|\s[-\u2013]\s|\band\b", line):
            item = item.strip(" .:*-\u2013\u2022")
            if not item or len(item) > 50:
                continue
            skill = index.lookup(item)
            if skill is not None and skill.uri not in seen:
                seen.add(skill.uri)
                out.append(Skill(label=item, esco_uri=skill.uri, section=SKILLS))
    if not out:
        return out
    stems = [(m.section, terms.terms(m.text)) for m in mentions]
    claims = claim_sections({m.section for m in mentions})
    for found in out:
        asked = terms.terms(found.label)
        named = {section for section, have in stems if terms.contains_phrase(have, asked)}
        found.found_in = [section for section in SKILL_PLACES if section in named]
        found.listed_only = all(section in claims for section in found.found_in)
    return out


# Where a listed skill can also stand, what the candidate did first.
SKILL_PLACES = (EXPERIENCE, SUMMARY, EDUCATION, CERTIFICATIONS, OBJECTIVE, SKILLS)
