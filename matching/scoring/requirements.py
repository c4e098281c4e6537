"""What a must-have or nice-to-have asks, read from its words.

Five kinds: a years threshold and its subject ("5+ years of backend development"), a
degree level and its field(s) ("Bachelor's degree in accounting or finance"), a licence
or certification ("Active PMP certification", "CPR and AED"), a skill or tool with its
alternatives ("SAP or Oracle ERP", "GIS (ArcGIS or QGIS)"), and otherwise a domain or
task experience ("Experience advising on mergers and acquisitions"), judged on meaning.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from matching.intake.education import DEGREE_FIELDS, DEGREE_RE, LEVEL_RANK
from matching.intake.roles import TITLE_WORDS

YEARS, EDUCATION, LICENCE, SKILL, DOMAIN = "years", "education", "licence", "skill", "domain"

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "a": 1,
    "an": 1,
}
_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(k for k in NUMBER_WORDS if len(k) > 2) + ")"
YEARS_RE = re.compile(
    rf"(?P<n>{_NUM})\s*\+?\s*(?:(?:-|\u2013|to)\s*{_NUM}\s*)?\+?\s*"
    r"(?:full[- ]time\s+)?(?:years?|yrs?)\b"
    r"(?:\s*\+)?",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:of|in|as|at|with|on|doing|working|work|professional|relevant|related|prior|"
    r"previous|proven|progressive|hands-on|experience|experienced|a|an|the|plus|minimum|"
    r"min\.?|at least|over|more than|or more|total)\b[\s,:]*)+",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"(?:\s+(?:experience|role|roles|position|positions|capacity|background|work|required|"
    r"preferred|is required|a must|or more|setting|environment|industry))+\s*\.?$",
    re.IGNORECASE,
)
_FILLER_WORDS = (
    r"hands-on|proven|prior|previous|demonstrated|strong|solid|deep|working|practical|"
    r"extensive|proficiency|proficient|knowledge|familiarity|familiar|expertise|skills?|"
    r"ability|able|experience|experienced|required|preferred|desired|must|have|has|"
    r"background|track record|understanding|plus|is|a|an|the|of|with|in|using|uses|use|"
    r"fluent|fluency|native|advanced|expert|bilingual|conversational|speaks?|speaking"
)
_LICENCE_CUE = re.compile(
    r"\b(?:certification|certifications|certified|certificate|license|licence|licensed|"
    r"licensure|credential|accredited|accreditation|registered|registration)\b",
    re.IGNORECASE,
)
_LICENCE_FILLER = re.compile(
    r"\b(?:active|current|valid|required|preferred|must have|must hold|holds?|state|"
    r"certification|certifications|certified|certificate|license|licence|licensed|"
    r"licensure|credential|accredited|accreditation|registered|in|a|an|the)\b",
    re.IGNORECASE,
)
_STRONG = re.compile(
    r"\b(?:fluent|fluency|native|advanced|expert|proficient|proficiency|bilingual)\b",
    re.IGNORECASE,
)
# "as a X", "serving as X": the requirement names a role the candidate held.
_AS_ROLE = re.compile(
    r"\b(?:serv(?:ing|ed) as|experience as|worked as|working as|as an?|as the)\s+(?P<role>.+)$",
    re.IGNORECASE,
)
GENERIC_SUBJECTS = frozenset(
    {
        "",
        "professional",
        "work",
        "industry",
        "relevant",
        "total",
        "overall",
        "related",
        "employment",
        "full-time",
        "career",
    }
)


@dataclass
class Requirement:
    text: str
    kind: str
    years: float | None = None
    subject: str = ""  # what years are of; a licence's name before its noun ("teaching")
    level: str = ""
    fields: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # alternatives, any of them meets it
    all_of: bool = False  # "CPR and AED": every name is needed
    strong: bool = False  # "fluent in", "advanced": a basic level does not meet it
    role: str = ""  # "experience as a finance manager": a held title

    def to_json(self) -> dict:
        return asdict(self)


def number_of(text: str) -> float:
    t = text.lower()
    return float(NUMBER_WORDS[t]) if t in NUMBER_WORDS else float(t)


def clean_subject(text: str) -> str:
    text = text.strip(" .,:;-")
    for _ in range(3):
        text = _LEADING.sub("", text).strip(" .,:;-")
        text = _TRAILING.sub("", text).strip(" .,:;-")
    return text


def alternatives(text: str) -> list[str]:
    """ "SAP or Oracle ERP" -> [SAP, Oracle ERP]; parentheses hold aliases or options."""
    inner = re.findall(r"\(([^)]*)\)", text)
    outer = re.sub(r"\([^)]*\)", " ", text)
    parts: list[str] = []
    for chunk in [outer, *inner]:
        # "Jira or similar issue tracker": Jira, or any issue tracker.
        chunk = re.sub(r"\bor (?:a )?similar\b", " or ", chunk, flags=re.IGNORECASE)
        chunk = re.sub(
            r"\b(?:or similar|or equivalent|or related|etc\.?|e\.g\.?|i\.e\.?)\b",
            " ",
            chunk,
            flags=re.IGNORECASE,
        )
        for p in re.split(r",|/|\bor\b|\beither\b", chunk, flags=re.IGNORECASE):
            p = " ".join(p.split()).strip(" .,:;-")
            if p and not re.fullmatch(r"(?i)and|or|any|other", p):
                parts.append(p)
    return parts


def parse_requirement(text: str) -> Requirement:
    raw = " ".join(text.split())
    years = YEARS_RE.search(raw)
    if years:
        return _years_requirement(raw, years)
    degrees = list(DEGREE_RE.finditer(raw))
    if degrees or re.search(r"\bdegree\b", raw, re.IGNORECASE):
        return _education_requirement(raw, degrees)
    if _LICENCE_CUE.search(raw):
        return Requirement(
            raw,
            LICENCE,
            names=_licence_names(raw),
            all_of=_all_of(raw),
            subject=_licence_subject(raw),
        )
    return _skill_or_domain_requirement(raw)


def _years_requirement(raw: str, years: re.Match[str]) -> Requirement:
    after = raw[years.end() :]
    before = raw[: years.start()]
    subject = clean_subject(after) or clean_subject(before)
    role = _AS_ROLE.search(after) or re.match(r"\s*as\s+(?P<role>.+)$", after, re.I)
    return Requirement(
        raw,
        YEARS,
        years=number_of(years.group("n")),
        subject=subject,
        role=clean_subject(role.group("role")) if role else "",
    )


def _education_requirement(raw: str, degrees: list[re.Match[str]]) -> Requirement:
    levels = [d.lastgroup for d in degrees if d.lastgroup]
    # "Culinary degree (associate or higher)": a level named without "degree" after it.
    levels += [lvl for word, lvl in _LEVEL_WORDS if re.search(word, raw, re.IGNORECASE)]
    levels = levels or ["bachelor"]
    level = min(levels, key=LEVEL_RANK.__getitem__)
    fields: list[str] = []
    for d in degrees:
        named = DEGREE_FIELDS.get(d.group().lower().rstrip("."))
        if named:
            fields.append(named)
    m = re.search(r"\b(?:in|of)\s+(?!science\b|arts\b)(.+)$", raw, re.IGNORECASE)
    if m:
        fields += [_strip_degree_words(f) for f in alternatives(m.group(1))]
    # "business master's degree": a field in front of the degree word.
    for d in degrees:
        lead = re.split(r"\bor\b|,", raw[: d.start()])[-1]
        lead = _strip_degree_words(lead)
        if lead and not re.search(r"(?i)\bdegree\b", lead):
            fields.append(lead)
    fields = [f for f in dict.fromkeys(f.strip() for f in fields) if f]
    return Requirement(raw, EDUCATION, level=level, fields=fields)


def _skill_or_domain_requirement(raw: str) -> Requirement:
    role = _AS_ROLE.search(raw)
    phrase = clean_subject(raw)
    words = phrase.split()
    if (
        not role
        and 1 < len(words) <= 4
        and words[-1].lower().rstrip("s") in TITLE_WORDS
        and not any(w.lower().endswith(("ing", "ed")) for w in words)
    ):
        # "Executive chef experience" asks for a role held, like "experience as a ...".
        return Requirement(raw, DOMAIN, role=phrase)
    body = re.sub(rf"\b(?:{_FILLER_WORDS})\b", " ", raw, flags=re.IGNORECASE)
    names = alternatives(" ".join(body.split()))
    kind = SKILL if _is_named(raw) or re.search(r"(?i)\bor (?:a )?similar\b", raw) else DOMAIN
    return Requirement(
        raw,
        kind,
        names=names if kind == SKILL else [],
        all_of=kind == SKILL and _all_of(raw),
        strong=bool(_STRONG.search(raw)),
        role=clean_subject(role.group("role")) if role else "",
    )


_LEVEL_WORDS = (
    (r"\bassociate'?s?\b", "associate"),
    (r"\bhigh school\b", "secondary"),
)


def _strip_degree_words(text: str) -> str:
    text = DEGREE_RE.sub(" ", text)
    text = re.sub(
        r"(?i)\b(?:degree|degrees|or equivalent|equivalent|related field|a related field|"
        r"field|required|preferred|in|a|an|the|or|and)\b",
        " ",
        text,
    )
    text = re.sub(r"['\u2019]s\b", " ", text)
    return " ".join(text.split()).strip(" ,.()")


def _licence_names(raw: str) -> list[str]:
    names = []
    for alt in alternatives(raw):
        name = " ".join(_LICENCE_FILLER.sub(" ", alt).split()).strip(" ,.-")
        if name:
            names.append(name)
    if len(names) == 1 and " and " in names[0]:
        names = [n.strip() for n in names[0].split(" and ") if n.strip()]
    return names


# A credential's noun, and the up to three words before it that name what it is for.
_CREDENTIAL_NOUN = r"(?:certificat|licen[cs]|credential)\w*"
_BEFORE_NOUN = re.compile(r"((?:[A-Za-z][\w&-]*\s+){1,3})" + _CREDENTIAL_NOUN, re.IGNORECASE)


def _licence_subject(raw: str) -> str:
    """What a single licence is named by right before its noun, without fillers:
    "teaching" of "Valid state teaching certificate for elementary grades". A resume says
    "Texas Teaching Certificate" or "Georgia Teaching Certifications" and seldom repeats a
    posting's scope ("for elementary grades"), which its full name asks for. "" for
    alternatives ("CPR or BLS certification"), whose names are enough."""
    if len(alternatives(raw)) != 1:
        return ""
    m = _BEFORE_NOUN.search(raw)
    if m is None:
        return ""
    words = m.group(1).split()
    while words and _LICENCE_FILLER.fullmatch(words[0]):
        words.pop(0)
    if any(_LICENCE_FILLER.fullmatch(w) for w in words):
        return ""  # "license in good standing as a ...": not a name before the noun
    return " ".join(words)


def credential_named(subject: str, text: str) -> int | None:
    """Where `text` claims the credential `subject` names ("Teaching Certificate",
    "certified teaching ..."): its position, or None. The noun must stand next to the
    subject, so "teaching" alone, or in "certificate in teaching assistance", is not it."""
    words = r"\s+".join(re.escape(w) for w in subject.split())
    m = re.search(
        rf"\b{words}\s+(?:\w+\s+)?{_CREDENTIAL_NOUN}|\b(?:certified|licensed)\s+{words}\b",
        text,
        re.IGNORECASE,
    )
    return m.start() if m else None


def _all_of(raw: str) -> bool:
    """ "CPR and AED", "Spanish and English": each is needed; "or" and lists are any of."""
    body = re.sub(r"\([^)]*\)", " ", raw)
    return " and " in body and " or " not in body


# A one-word requirement ending so names an activity or a quality ("Leadership",
# "Negotiation", "Accounting", "Security"), not a product or a language.
_ABSTRACT_NOUN = re.compile(r"(?:ship|tion|sion|ment|ness|ity|ing|ance|ence|ism|acy)$")


def _is_named(raw: str) -> bool:
    """A tool, product, language or acronym: a capitalised or mixed word past the first,
    a digit, a word with inner punctuation ("node.js", "LI-COR"), or a requirement that
    is one capitalised word and not an abstract noun ("Python", "Kubernetes", "Spanish")."""
    words = re.findall(r"[\w.+#-]+", raw)
    if len(words) == 1:
        core = words[0].strip(".-")
        if core[:1].isupper() and core.isalpha() and not _ABSTRACT_NOUN.search(core.lower()):
            return True
    for i, w in enumerate(words):
        core = w.strip(".-")
        if not core:
            continue
        if i > 0 and (core[:1].isupper() or any(c.isdigit() for c in core)):
            return True
        if re.search(r"\w[.+#]\w|[+#]$", core):
            return True
        if i == 0 and core.isupper() and len(core) >= 2:
            return True
    return False
