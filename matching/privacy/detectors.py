"""The detectors of matching.privacy.anonymize: where a resume's text names or locates its
candidate. Each yields (start, end, kind) on the original text; find() runs them all.

Heuristics, not a model (see the docstring of matching.privacy.anonymize and
docs/reviewing.md, "Anonymized view").
"""

from __future__ import annotations

import re

NAME, EMAIL, PHONE, ADDRESS, PHOTO, BIRTH, URL = (
    "name",
    "email",
    "phone",
    "address",
    "photo",
    "date_of_birth",
    "url",
)

# The contact block: names, addresses and personal sites sit in a resume's first lines.
CONTACT_LINES = 10


# --- detectors: each yields (start, end, kind) on the original text ------------------------

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")

_PROFILE_URL = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:[\w-]+\.)?"
    r"(?:linkedin\.com/(?:in|pub|profile)/|xing\.com/profile/|github\.com/|gitlab\.com/|"
    r"bitbucket\.org/|twitter\.com/|x\.com/|stackoverflow\.com/users/|medium\.com/@|"
    r"behance\.net/|dribbble\.com/|about\.me/|facebook\.com/|instagram\.com/|kaggle\.com/)"
    r"[\w\-./%@~?=&#+]*[\w/]",
    re.IGNORECASE,
)
_ANY_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]|,;\"']*[\w/]", re.IGNORECASE)
# Bare domains ("janedoe.dev"), contact block only. Lower case on purpose: "ASP.NET" and
# "Node.js" are skills, and personal domains are written in lower case.
_BARE_DOMAIN = re.compile(
    r"(?<![\w@.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\."
    r"(?:com|net|org|io|dev|me|de|co|uk|info|app|page|site|eu|ch|at|fr|nl|se|pl|it|es|xyz)"
    r"(?:/[\w\-./%~]*)?(?![\w@])"
)
_URL_LABEL = re.compile(
    r"^[ \t]*(?:[-*•]\s*)?(?:website|web|homepage|home page|portfolio|blog|url|site|"
    r"linkedin|github|xing)\s*:",
    re.IGNORECASE | re.MULTILINE,
)

# A phone number candidate: digits with single separators, optionally +country code and
# an area code in parentheses; validated by _is_phone.
_PHONE = re.compile(r"(?<![\w@/+.,-])(?:\+\s?|\()?\d[\d ().\-/]{4,22}\d(?![\w@]|[.,]\d)")
_PHONE_LABEL = re.compile(
    r"\b(?:phone|tel|telephone|mobile|mob|cell|handy|telefon|mobil|fax|whatsapp)\b\.?\s*[:.]?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_DATE_INSIDE = re.compile(
    r"\b\d{1,2}[./]\d{4}\b|\b(?:19|20)\d\d[./-]\d{1,2}\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b|"
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"
)

_MONTHS = (
    r"(?:jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|june?|juni|"
    r"july?|juli|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?|dez(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{_MONTHS},?\s+\d{{4}}|"
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|{_MONTHS}\s+\d{{4}}|(?:19|20)\d\d)"
)
_BIRTH = re.compile(
    r"\b(?:date\s+of\s+birth|birth\s*date|birthday|d\.\s?o\.\s?b\.?|dob|"
    r"born(?:\s+on|\s+in)?|geburtsdatum|geburtstag|geboren(?:\s+am|\s+in)?|geb\.|"
    r"date\s+de\s+naissance|née?\s+le)"
    rf"\s*[:\-\u2013]?\s*(?P<date>{_DATE})(?![\w])",
    re.IGNORECASE,
)

_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Court|Ct|Way|Place|"
    r"Pl|Terrace|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Crescent|Close|Row)"
)
# After the street: "Apt 4B", then a city with state and zip, or a postcode and city.
_ADDRESS_TAIL = (
    r"(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.?\s*[\w-]+)?"
    r"(?:,\s*[A-Z][\w .'-]*?,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?"
    r"|,\s*(?:[A-Z]-)?\d{4,5}\s+[A-ZÄÖÜ][\wäöüß-]+"
    r"|,\s*[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?\s+[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})?"
)
_STREET = re.compile(
    rf"\b\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][\w.'-]*\s+){{1,4}}{_STREET_SUFFIX}\b\.?{_ADDRESS_TAIL}"
)
_STREET_DE = re.compile(
    r"\b[A-ZÄÖÜ][\wäöüß.-]*(?:straße|strasse|str\.|weg|gasse|platz|allee)"
    r"\s+\d{1,4}\s?[a-z]?\b"
    r"|\b[A-ZÄÖÜ][\wäöüß-]+\s+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse)\s+\d{1,4}\s?[a-z]?\b"
)
_STREET_DE_TAIL = re.compile(r",?\s*(?:D-)?\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+(?:\s\([\w .]+\))?")
_ADDRESS_LABEL = re.compile(
    r"^[ \t]*(?:[-*•]\s*)?(?:home\s+|postal\s+|mailing\s+|street\s+)?"
    r"(?:address|adresse|anschrift|wohnort|straße|strasse)\s*[:\-\u2013]\s*(?P<value>\S.*?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Contact block only: "AZ 85004", "SW1A 1AA", "80331 München" (the city stays).
_ZIP = re.compile(
    r"\b[A-Z]{2}\s+(?P<us>\d{5}(?:-\d{4})?)\b"
    r"|(?P<uk>\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b)"
    r"|(?P<de>\b(?:D-)?\d{5})(?=\s+[A-ZÄÖÜ][a-zäöüß])"
)

_PHOTO_MARKUP = re.compile(
    r"!\[[^\]\n]*\]\([^)\n]*\)|<img\b[^>]*>|"
    r"\[(?:photo|foto|picture|image|bild|portrait|headshot)\b[^\]\n]*\]|"
    r"\b[\w-]+\.(?:jpe?g|png|gif|webp|heic|bmp|tiff?)\b|"
    r"^[ \t]*[\w-]*_(?:picture|photo|foto|image|portrait)\b[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_PHOTO_LINE = re.compile(
    r"^[ \t]*(?P<value>(?:photo|foto|picture|bild|image|portrait|headshot|caption|"
    r"profile\s+(?:photo|picture)|profilbild|bewerbungsfoto)\b\s*(?:\([^)\n]*\))?\s*[:\-\u2013].*?)"
    r"[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)

_NAME_LABEL = re.compile(
    r"^[ \t]*(?:[-*•]\s*)?(?:full\s+name|name|vorname|nachname|familienname|candidate)"
    r"\s*:\s*(?P<value>\S.*?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Titles a resume starts with before the name.
_DOCUMENT_TITLES = {
    "resume",
    "résumé",
    "cv",
    "curriculum vitae",
    "lebenslauf",
    "profile",
    "profil",
    "contact",
}
_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'\u2019]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'\u2019]+)?|"
    r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'\u2019-]+|[A-Z]\.)$"
)
# What may follow a name after a comma: "CPA", "P.E.", "RN, BSN, CCRN", "PhD", "MBA".
_CREDENTIALS = re.compile(r"(?:[A-Z][A-Za-z.]{0,5}[A-Z.]|PhD|MSc|BSc|MBA)(?:\s*,\s*\S+)*")
_PARTICLES = {"van", "von", "de", "da", "del", "der", "den", "di", "du", "la", "le", "bin", "al"}
# Words that make a first line a headline, not a name.
_NOT_NAME = {
    w.lower()
    for w in (
        "senior junior lead principal chief head staff associate assistant intern trainee "
        "engineer developer manager consultant designer analyst architect scientist nurse "
        "accountant representative specialist officer director administrator coordinator "
        "generalist technician teacher professor doctor student graduate freelancer "
        "berater entwickler ingenieur leiter software data web frontend backend fullstack "
        "devops cloud sales marketing product project program it hr ux ui qa java python "
        "summary experience education skills objective contact profile resume cv "
        "curriculum vitae lebenslauf personal information details about me the and of for "
        "in at with coach coaching master scrum agile lean professional history employment "
        "development experte expert tester test entwicklung softwareentwicklung studium "
        "funktion berufspraxis looking freelance projektmanagement management team "
        "certified zertifiziert services solutions consulting "
        # Headlines of real resumes in capitals ("GROUP FITNESS INSTRUCTOR", "VICTIM
        # ADVOCATE"): read as a name, their words were masked all through the resume.
        # ESCO's occupations.csv runs labels and descriptions together, so no clean word
        # list comes from it; these are the heads of common titles.
        "instructor advocate trainer tutor lecturer researcher clerk cashier barista chef "
        "cook server bartender driver mechanic electrician plumber welder carpenter "
        "operator supervisor agent advisor adviser planner executive editor writer "
        "counselor therapist pharmacist paralegal attorney lawyer auditor bookkeeper "
        "controller receptionist secretary technologist worker fitness customer finance "
        "accounting business public relations technical banking healthcare retail "
        "security aviation agriculture construction apparel arts digital media"
    ).split()
}


def _contact_end(text: str) -> int:
    """Where the contact block ends: after the first CONTACT_LINES non-empty lines."""
    seen = 0
    for match in re.finditer(r"[^\n]*\n?", text):
        if match.group().strip():
            seen += 1
        if seen >= CONTACT_LINES:
            return match.end()
    return len(text)


def _is_phone(text: str, start: int, candidate: str) -> bool:
    digits = re.findall(r"\d+", candidate)
    count = sum(len(d) for d in digits)
    if not 7 <= count <= 15:
        return False
    # One separator at a time: "2016 - 2017" and "01/2018 - 03/2019" are ranges.
    if re.search(r"[.\-/]\s|\s[.\-/]|\s{2}|[.\-/]{2}", candidate):
        return False
    if _DATE_INSIDE.search(candidate):
        return False
    if all(_YEAR.fullmatch(d) for d in digits):
        return False
    if len(digits) == 4 and "." in candidate and all(len(d) <= 3 for d in digits):
        return False  # an IP address
    line_start = text.rfind("\n", 0, start) + 1
    labelled = bool(_PHONE_LABEL.search(text[line_start:start]))
    if labelled:
        return True
    if "/" in candidate and not (candidate.startswith("0") and candidate.count("/") == 1):
        return False
    if candidate.count("(") != candidate.count(")"):
        return False
    international = candidate.startswith(("+", "(")) or bool(re.match(r"00[1-9]", candidate))
    if not international and re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+", candidate):
        return False  # "1 000 000": thousands, not a phone
    groups = re.split(r"[ .\-/()]+", candidate.strip("()+ "))
    national = bool(re.match(r"0[1-9]", candidate)) and count >= 9
    return international or len(groups) >= 3 or national


def _name_from_line(line: str) -> list[str]:
    """The name words of a resume's first line, or [] when it does not look like one.

    "Jane Doe", "JANE DOE", "# Rosa Delgado, RN, BSN" and "Jane Doe | Engineer" are
    names; headlines ("Agile Coach, Scrum Master", "SAP Experte") are not: a job word, a
    lone all-caps word among capitalised ones or more than credentials after a comma
    rules a line out.
    """
    line = line.strip().strip("#*_ \t").strip()
    head, sep, rest = (p for p in _split_name_line(line))
    if sep == "," and not _CREDENTIALS.fullmatch(rest.strip()):
        return []
    words = head.split()
    core = [w for w in words if w.lower() not in _PARTICLES]
    if not 2 <= len(core) <= 4 or len(words) > 5:
        return []
    if any(w.lower().strip(".") in _NOT_NAME for w in words):
        return []
    if not all(_NAME_WORD.match(w) for w in core):
        return []
    capitals = [w.isupper() for w in core if len(w) > 2]
    if any(capitals) and not all(capitals):
        return []  # "SAP Experte": an acronym beside words is a headline
    return core


def _split_name_line(line: str) -> tuple[str, str, str]:
    match = re.search(r"\s+[-\u2013\u2014|/]\s+|[,|(\u2013\u2014/]", line)
    if not match:
        return line, "", ""
    return line[: match.start()].strip(), match.group().strip(), line[match.end() :]


def _name_words(text: str) -> set[str]:
    words: set[str] = set()
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.strip().strip("#*_ :").strip().lower() in _DOCUMENT_TITLES:
            continue
        words.update(_name_from_line(line))
        break
    for match in _NAME_LABEL.finditer(text):
        value = match.group("value")
        found = _name_from_line(value)
        words.update(
            found or [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", value) if len(w) > 1]
        )
    # Initials ("J.") would mask every "J." in the text.
    return {w for w in words if len(w.strip(".")) > 1 and w.lower() not in _PARTICLES}


def find(text: str) -> list[tuple[int, int, str]]:
    """Every finding of every detector, overlapping ones included (anonymize resolves them)."""
    contact_end = _contact_end(text)
    return (
        _links(text, contact_end)
        + _photos_and_birth(text)
        + _addresses(text, contact_end)
        + _phones(text)
        + _names(text)
    )


def _links(text: str, contact_end: int) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    add = found.append
    for m in _EMAIL.finditer(text):
        add((m.start(), m.end(), EMAIL))
    for m in _PROFILE_URL.finditer(text):
        add((m.start(), m.end(), URL))
    labelled_lines = [(m.start(), text.find("\n", m.start())) for m in _URL_LABEL.finditer(text)]

    def labelled(pos: int) -> bool:
        return any(s <= pos and (e == -1 or pos < e) for s, e in labelled_lines)

    for m in _ANY_URL.finditer(text):
        if m.start() < contact_end or labelled(m.start()):
            add((m.start(), m.end(), URL))
    for m in _BARE_DOMAIN.finditer(text):
        if m.start() < contact_end or labelled(m.start()):
            add((m.start(), m.end(), URL))
    return found


def _photos_and_birth(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    add = found.append
    for m in _PHOTO_MARKUP.finditer(text):
        add((m.start(), m.end(), PHOTO))
    for m in _PHOTO_LINE.finditer(text):
        add((m.start("value"), m.end("value"), PHOTO))

    for m in _BIRTH.finditer(text):
        add((m.start("date"), m.end("date"), BIRTH))
    return found


def _addresses(text: str, contact_end: int) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    add = found.append
    for m in _ADDRESS_LABEL.finditer(text):
        add((m.start("value"), m.end("value"), ADDRESS))
    for m in _STREET.finditer(text):
        add((m.start(), m.end(), ADDRESS))
    for m in _STREET_DE.finditer(text):
        tail = _STREET_DE_TAIL.match(text, m.end())
        add((m.start(), tail.end() if tail else m.end(), ADDRESS))
    for m in _ZIP.finditer(text, 0, contact_end):
        group = next(g for g in ("us", "uk", "de") if m.group(g))
        add((m.start(group), m.end(group), ADDRESS))
    return found


def _phones(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    add = found.append
    for m in _PHONE.finditer(text):
        candidate = m.group().rstrip(" .-/(")
        # An unbalanced parenthesis belongs to the sentence, not the number.
        if candidate.endswith(")") and candidate.count("(") < candidate.count(")"):
            candidate = candidate[:-1]
        if _is_phone(text, m.start(), candidate):
            add((m.start(), m.start() + len(candidate), PHONE))
    return found


def _names(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    add = found.append
    words = _name_words(text)
    if words:
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        particles = "|".join(_PARTICLES)
        run = re.compile(
            rf"(?<![\w@.])(?:{alternatives})(?:\s+(?:(?:{particles})\s+)*(?:{alternatives}))*"
            r"(?:['\u2019]s)?(?![\w@])",
            re.IGNORECASE,
        )
        for m in run.finditer(text):
            # Names are capitalised: "grace period" and "bell curve" are not "Grace Bell".
            if m.group()[0].isupper() and not _inside_other_name(text, m, words):
                add((m.start(), m.end(), NAME))
    return found


# A lone name word after these is a place or an institution: "University of Washington",
# "lived in Jordan".
_PLACE_WORDS = {"of", "in", "at", "from", "near", "to", "for"}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau"}


def _inside_other_name(text: str, match: re.Match[str], words: set[str]) -> bool:
    """A single name word that is part of another proper noun: "San Jose", "Washington
    State", "University of Washington". A candidate called Jose Washington keeps those
    words, and a name swap leaves the rest of the text as it was."""
    if len(match.group().split()) > 1:
        return False
    before = re.search(r"([\w'\u2019.]+)[ \t]+$", text[max(0, match.start() - 40) : match.start()])
    after = re.match(r"[ \t]+([\w'\u2019]+)", text[match.end() : match.end() + 40])
    lowered = {w.lower() for w in words}

    def proper(word: str) -> bool:
        return (
            word[:1].isupper()
            and word.lower() not in lowered
            and word.lower().rstrip(".") not in _HONORIFICS
            and not word.endswith(".")
        )

    if before and (before.group(1).lower() in _PLACE_WORDS or proper(before.group(1))):
        return True
    return bool(after and proper(after.group(1)))
