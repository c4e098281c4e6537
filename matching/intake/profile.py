"""A structured profile of a resume's text: contact, dated roles, years, education,
licences, skills on ESCO, and every sentence with the section it stands in.

Rules, not a model: each field is read from a pattern a reader would trust (a heading, a
date range at the head of a role, a degree word). What is not found stays empty: a resume
without dates has no years, one in another language has no fields at all: an empty field
is honest, a guessed one misleads the verdicts built on it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from matching.intake.taxonomy import esco_index

# --- sections ------------------------------------------------------------------------------

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

# --- dates ---------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DATE = (
    rf"(?:{_MONTH},?\s+(?:\d{{1,2}},?\s+)?{_YEAR}"
    rf"|(?:0?[1-9]|1[0-2])\s*[/.-]\s*{_YEAR}"
    rf"|{_YEAR}\s+{_MONTH}"
    rf"|(?:spring|summer|fall|autumn|winter)\s+{_YEAR}"
    rf"|{_YEAR})"
)
_PRESENT = r"(?:present|current|currently|now|today|date|ongoing)"
_RANGE = re.compile(
    rf"(?P<start>{_DATE})\s*(?:-|\u2013|—|to|through|thru|until|till)\s*(?P<end>{_DATE}|{_PRESENT})\b",
    re.IGNORECASE,
)


def _month_of(text: str, *, is_end: bool) -> int | None:
    """Months since year 0 of a date as written ("Nov 2009", "03/2015", "2019")."""
    t = text.lower()
    year_m = re.search(_YEAR, t)
    if not year_m:
        return None
    year = int(year_m.group())
    month = None
    word = re.search(r"[a-z]+", t)
    if word:
        month = _SEASONS.get(word.group()) or _MONTHS.get(word.group()[:3])
    else:
        num = re.match(r"\s*(\d{1,2})\s*[/.-]", t)
        if num:
            month = int(num.group(1))
    if month is None:
        # A bare year: counted from January to January, so "2013 - 2014" is one year
        # (the reader cannot know more; this never inflates a span).
        month = 1
    return year * 12 + (month - 1)


# --- the profile ---------------------------------------------------------------------------


@dataclass
class Mention:
    text: str
    section: str  # summary, objective, skills, experience, education, certifications, ...
    start: int  # character offsets in the resume text
    end: int
    role: int | None = None  # index into Profile.roles when inside a dated role


@dataclass
class Role:
    title: str
    employer: str
    start: str  # "YYYY-MM"
    end: str  # "YYYY-MM"
    present: bool
    years: float
    start_offset: int = 0
    end_offset: int = 0


@dataclass
class Degree:
    level: str  # secondary, associate, bachelor, master, doctorate
    fields: list[str]
    text: str


@dataclass
class Skill:
    label: str  # as written in the resume
    esco_uri: str
    section: str


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

    def to_json(self) -> dict:
        return asdict(self)

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
        r"a\.a\.s?\.?|\baas\b|a\.s\.(?= in\b)",
    ),
    ("secondary", r"high school diploma|high school|ged\b|secondary school|senior high"),
)
_DEGREE = re.compile(
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

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+?\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b")
_LOCATION = re.compile(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*),\s*([A-Z]{2})\b(?:\s+\d{5})?")
_PLACEHOLDER = re.compile(r"\b(?:company name|city|state)\b", re.IGNORECASE)
_TITLE_WORDS = frozenset(
    """manager director engineer consultant analyst assistant specialist coordinator officer
    representative accountant nurse teacher developer designer administrator supervisor
    instructor advocate executive associate intern technician clerk agent lead head chief
    president vice owner founder partner advisor adviser trainer reporter editor writer
    scientist researcher professor lecturer attorney lawyer paralegal chef cook cashier
    barista driver operator mechanic electrician architect programmer bookkeeper auditor
    controller counselor therapist pharmacist physician doctor sales marketing finance
    resume curriculum vitae cv""".split()
)
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


def _heading(line: str) -> str | None:
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
class _Line:
    text: str
    start: int
    end: int
    section: str


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    section = HEADER
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        stripped = raw.strip()
        if not stripped:
            continue
        kind = _heading(stripped.rstrip(":"))
        if kind is not None:
            section = kind
            continue
        lead = len(raw) - len(raw.lstrip())
        out.append(_Line(stripped, start + lead, start + lead + len(stripped), section))
    return out


def _is_trivial(line: str) -> bool:
    return not _PLACEHOLDER.sub("", line).strip(" ,.-\u2013:;|")


def _title_like(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 8
        and len(line) <= 70
        and not line.endswith(".")
        and not _RANGE.search(line)
        and not re.search(_YEAR, line)
        and line[:1].isupper()
        and _heading(line) is None
        and "@" not in line
    )


def _clean_title(text: str) -> str:
    return _PLACEHOLDER.sub("", text).strip(" ,.-\u2013:;|")


def _roles(text: str, lines: list[_Line], today: date) -> list[Role]:
    has_experience = any(ln.section == EXPERIENCE for ln in lines)
    roles: list[Role] = []
    layout: str | None = None  # "title_first" or "date_first", fixed by the first role
    for m in _RANGE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start : m.start()].strip()
        sect = next((ln.section for ln in lines if ln.end >= m.start()), HEADER)
        if has_experience and sect != EXPERIENCE:
            continue
        if sect in (EDUCATION, CERTIFICATIONS, OTHER):
            continue
        # The head of a role stands at the start of a line, or after a short title on it;
        # a range inside a sentence ("from 2007-2010") is an achievement, not a role.
        if len(before) > 60 or before.endswith((",", "from", "between")):
            continue
        start = _month_of(m.group("start"), is_end=False)
        end_text = m.group("end")
        present = bool(re.fullmatch(_PRESENT, end_text.strip(), re.IGNORECASE))
        end = today.year * 12 + today.month - 1 if present else _month_of(end_text, is_end=True)
        if start is None or end is None or end < start or end - start > 12 * 50:
            continue
        prev = [ln for ln in lines if ln.end <= line_start and not _is_trivial(ln.text)]
        after_line_end = text.find("\n", m.end())
        same_line_after = text[m.end() : after_line_end if after_line_end >= 0 else None]
        nxt = [ln for ln in lines if ln.start >= m.end() and not _is_trivial(ln.text)][:4]
        if layout is None:
            prev_is_heading = not prev or _is_heading_gap(text, prev[-1].end, line_start)
            layout = "date_first" if prev_is_heading and not before else "title_first"
        title = ""
        if before and _title_like(_clean_title(before)):
            title = _clean_title(before)
        elif _title_like(_clean_title(same_line_after)) and _clean_title(same_line_after):
            title = _clean_title(same_line_after)
        elif layout == "title_first" and prev and _title_like(prev[-1].text):
            title = prev[-1].text
        else:
            for ln in nxt:
                cleaned = _clean_title(ln.text)
                if _title_like(cleaned):
                    title = cleaned
                    break
        employer = ""
        for ln in nxt[:2]:
            cleaned = _clean_title(ln.text)
            if cleaned and cleaned != title and _title_like(cleaned):
                employer = cleaned
                break
        roles.append(
            Role(
                title=title,
                employer=employer,
                start=f"{start // 12:04d}-{start % 12 + 1:02d}",
                end=f"{end // 12:04d}-{end % 12 + 1:02d}",
                present=present,
                years=round((end - start) / 12, 2),
                start_offset=m.start(),
            )
        )
    # A role's text runs to the next role's head (or its title line) or the section's end.
    for i, role in enumerate(roles):
        role.end_offset = roles[i + 1].start_offset if i + 1 < len(roles) else len(text)
        nxt_exp_end = next(
            (ln.start for ln in lines if ln.start > role.start_offset and ln.section != EXPERIENCE),
            len(text),
        )
        role.end_offset = min(role.end_offset, nxt_exp_end)
    return roles


def _is_heading_gap(text: str, prev_end: int, line_start: int) -> bool:
    """Whether a section heading stands between a line and the next text."""
    between = text[prev_end:line_start]
    return any(_heading(x.strip().rstrip(":")) for x in between.split("\n") if x.strip())


def months_merged(roles: list[Role]) -> int:
    """Months covered by roles, overlaps counted once."""
    spans = sorted((_ym(r.start), _ym(r.end)) for r in roles)
    total, cur_s, cur_e = 0, None, None
    for s, e in spans:
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


def _ym(value: str) -> int:
    y, m = value.split("-")
    return int(y) * 12 + int(m) - 1


def _mentions(text: str, lines: list[_Line], roles: list[Role]) -> list[Mention]:
    """Sentences and bullets, each with its section; PDF line breaks inside a sentence
    are joined (a line that starts in lowercase continues the one before)."""
    units: list[list[_Line]] = []
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
        # A skills list is a list: each item is its own piece of evidence.
        splitter = (
            r"(?<=[.!?;])\s*(?=[A-Z])|\s+[*•●▪]\s*|\s{2,}[-\u2013]\s+|,\s+"
            if unit[0].section == SKILLS
            else r"(?<=[.!?;])\s+(?=[A-Z])|(?<=[a-z][.!?])(?=[A-Z][a-z])|\s+[*•●▪]\s*|"
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


# Intent before a credential: it is not held yet ("working towards a master's degree").
INTENT = re.compile(
    r"\b(?:pursuing|pursue|working (?:towards?|on)|work towards?|in progress|currently enrolled|"
    r"enrolled in|studying for|study for|preparing for|prepare for|candidate for|"
    r"expected|anticipated|will (?:complete|graduate|obtain|earn|sit)|to be completed|"
    r"plan(?:ning)? to|seeking|aspiring|eligible|eligibility|applied for|pending|"
    r"in process|hope to|goal is|would like)\b",
    re.IGNORECASE,
)


def _degrees(mentions: list[Mention]) -> list[Degree]:
    out: list[Degree] = []
    seen: set[tuple[str, str]] = set()
    has_education = any(m.section == EDUCATION for m in mentions)
    for m in mentions:
        if has_education and m.section not in (EDUCATION, HEADER, SUMMARY, CERTIFICATIONS):
            continue
        for d in _DEGREE.finditer(m.text):
            level = d.lastgroup or ""
            clause = re.split(r"[.;]", m.text[: d.start()])[-1]
            if INTENT.search(clause) or INTENT.search(m.text[d.end() : d.end() + 30]):
                continue
            word = d.group().lower().rstrip(".")
            if word in ("ba", "bs") and not d.group().isupper():
                continue  # "ba"/"bs" in lowercase are not degree names
            rest = m.text[d.end() :]
            stop = _FIELD_STOP.search(rest)
            if stop:
                # A school's name runs back to the comma before "University".
                comma = rest.rfind(",", 0, stop.start())
                school = stop.group().lower() in ("university", "college", "school", "institute")
                rest = rest[: comma if school and comma > 0 else stop.start()]
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
            named = DEGREE_FIELDS.get(word)
            if named:
                fields.append(named)
            key = (level, m.text)
            if key in seen:
                continue
            seen.add(key)
            out.append(Degree(level=level, fields=fields[:4], text=m.text))
    return out


_CERT_CUE = re.compile(
    r"\b(?:certified|certification|certificate|licensed|license|licence|credential|"
    r"accredited|registered)\b",
    re.IGNORECASE,
)


def profile_of(text: str, *, today: date | None = None) -> Profile:
    """The structured profile of a resume's plain text."""
    today = today or date.today()
    text = text.replace("\r\n", "\n").replace("\xa0", " ")
    lines = _lines(text)
    if not lines:
        return Profile()
    if not is_english(text):
        return Profile(language="other")
    roles = _roles(text, lines, today)
    mentions = _mentions(text, lines, roles)
    prof = Profile(roles=roles, mentions=mentions)
    if roles:
        prof.years_total = round(months_merged(roles) / 12, 1)
        latest = max(roles, key=lambda r: (r.present, r.end))
        prof.title = latest.title
    head = "\n".join(ln.text for ln in lines[:8])
    if (e := _EMAIL.search(text)) is not None:
        prof.email = e.group()
    if (p := _PHONE.search(head)) is not None:
        prof.phone = p.group().strip()
    first = lines[0].text
    words = first.split()
    if (
        2 <= len(words) <= 4
        and all(re.fullmatch(r"[A-Z][A-Za-z'.-]*", w) for w in words)
        and not any(w.lower().strip(".") in _TITLE_WORDS for w in words)
        and _heading(first) is None
    ):
        prof.name = first
    loc = _LOCATION.search(head)
    if loc and not _PLACEHOLDER.search(loc.group()):
        prof.location = loc.group()
    prof.degrees = _degrees(mentions)
    if prof.degrees:
        prof.education_level = max((d.level for d in prof.degrees), key=LEVEL_RANK.__getitem__)
    elif any(m.section == EDUCATION for m in mentions):
        prof.education_level = "none"
    prof.certifications = [
        m.text
        for m in mentions
        if m.section == CERTIFICATIONS
        or (m.section in (SKILLS, EDUCATION, SUMMARY, HEADER) and _CERT_CUE.search(m.text))
    ]
    prof.skills = _skills(mentions)
    return prof


def _skills(mentions: list[Mention]) -> list[Skill]:
    index = esco_index()
    if index is None:
        return []
    out: list[Skill] = []
    seen: set[str] = set()
    for m in mentions:
        if m.section != SKILLS:
            continue
        for item in re.split(r"[,;|/]|\s[-\u2013]\s|\band\b", m.text):
            item = item.strip(" .:*")
            if not item or len(item) > 50:
                continue
            skill = index.lookup(item)
            if skill is not None and skill.uri not in seen:
                seen.add(skill.uri)
                out.append(Skill(label=item, esco_uri=skill.uri, section=m.section))
    return out
