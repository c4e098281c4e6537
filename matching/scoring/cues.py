"""Where a name stands in a resume sentence, and whether the words around it let it
count: negation, intent, a weak level, someone else's credential, training for it."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from matching.intake import terms
from matching.intake.education import INTENT
from matching.scoring.evidence import GENERIC_WORDS, word_list

_NEGATION = re.compile(
    r"\b(?:no|not|never|without|lack(?:s|ing)?|none|nor)\b(?:\s+\w+){0,3}\s*$", re.IGNORECASE
)
_WEAK = re.compile(
    r"\b(?:basic|beginner|beginning|elementary|limited|some exposure|exposure to|"
    r"introductory|learning|rudimentary|conversational)\b",
    re.IGNORECASE,
)
# A level right after the name: "SolidWorks (basic)", "GD&T (one course)", "FEA - student
# level": known from school, not from work.
_WEAK_AFTER = re.compile(
    r"^\W*[\w&+#./-]+(?:\s+[\w&+#./-]+)?\s*[(:-]?\s*(?:basic|beginner|elementary|limited|"
    r"student[ -]level|(?:one|a|single) (?:course|class)|coursework|class project|"
    r"school project|hobby)\b",
    re.IGNORECASE,
)
_TRAINING = re.compile(
    r"\b(?:training|trainings|course|courses|coursework|workshop|class|classes|seminar|"
    r"prep|preparation|bootcamp)\b",
    re.IGNORECASE,
)
# The thing named belongs to someone the candidate works with, not to the candidate:
# "liaison with Certified Public Accountants", "worked alongside RNs"; not "PGCE with QTS".
_WITH = (
    r"\b(?:(?:work(?:s|ed|ing)?|collaborat\w*|partner\w*|coordinat\w*|liais\w*|"
    r"communicat\w*|together|closely|team(?:ed)?)\s+with|liaison|alongside)\s+"
)
_OTHERS = re.compile(
    r"(?:" + _WITH + r"|\b(?:supported|supporting|assisted|assisting)\s+)"
    r"(?:the\s+|our\s+|other\s+|\w+\s+)?$",
    re.IGNORECASE,
)
# ... or to the organisation those people come from: "coordinated with external auditors
# from a Big Four firm" is not Big Four experience, for a tool as much as a domain
# ("consultants from Salesforce"). Only people, and only "from": "worked with Python and
# SQL at Google", "collaborated with physicians at a trauma center" and "data from
# Bloomberg" are the candidate's own.
_PEOPLE = (
    r"(?:auditors?|consultants?|engineers?|developers?|vendors?|suppliers?|contractors?|"
    r"partners?|clients?|customers?|colleagues?|counterparts?|staff|teams?|analysts?|"
    r"specialists?|experts?|advis[eo]rs?|attorneys?|lawyers?|counsel|officials?|officers?|"
    r"representatives?|reps|managers?|executives?|members?|personnel|recruiters?|agents?|"
    r"physicians?|doctors?|nurses?|researchers?|scientists?|people|employees?)"
)
_OTHERS_FROM = re.compile(
    _WITH + r"(?:[\w-]+\s+){0,3}" + _PEOPLE + r"\s+from\s+(?:an?\s+|the\s+|our\s+)?$",
    re.IGNORECASE,
)
OTHERS, OTHERS_FROM = "others", "others_from"
NEGATED, INTENT_CUE, WEAK, TRAINING = "negated", "intent", "weak", "training"
# Every reason a cue gives; each is shown in words beside a ✗ (explain.CUE_WORDS).
CUES = (NEGATED, INTENT_CUE, WEAK, OTHERS, OTHERS_FROM, TRAINING)
CREDENTIAL = re.compile(
    r"\b(?:certified|certification|certifications|certificate|certs?|licensed|license|licence|"
    r"licensure|credential|credentialed|accredited|registered|holder|designation|"
    r"qualifications?|education|"
    r"passed)\b",
    re.IGNORECASE,
)


_NOT_COMPACT = re.compile(r"[^a-z0-9+#]")


def _compact(text: str) -> str:
    return _NOT_COMPACT.sub("", text.lower())


@dataclass(frozen=True)
class _Words:
    """A text's words as find_name reads them: as written, lower case, stemmed and
    compacted. Read once per text: a mention is searched for every requirement's names
    (reading them per call was a third of judging a pair). The cache holds resume
    sentences: bounded, and emptied by forget_words when a judging pass is done with
    them, so a worker keeps no candidate's text."""

    raw: tuple[str, ...]
    lower: tuple[str, ...]
    stems: tuple[str, ...]
    compact: tuple[str, ...]


@lru_cache(maxsize=2048)
def _words(text: str) -> _Words:
    raw = tuple(word_list(text))
    lower = tuple(w.lower() for w in raw)
    return _Words(raw, lower, tuple(terms.stem(w) for w in lower), tuple(_compact(w) for w in raw))


def forget_words() -> None:
    """Drop the sentences read so far (see _Words)."""
    _words.cache_clear()


@lru_cache(maxsize=4096)
def _core(name: str) -> tuple[str, ...]:
    """The words of a name that identify it: a product's capitalised words and acronyms
    ("Blackbaud Financial Edge"), else every content word."""
    words = word_list(name)
    named = [
        w
        for i, w in enumerate(words)
        if (i > 0 and w[:1].isupper()) or w.isupper() or any(c.isdigit() for c in w)
    ]
    if named and len(words) > 1 and words[0][:1].isupper():
        named = (
            [words[0], *[w for w in named if w != words[0]]] if len(named) < len(words) else named
        )
    content = [w for w in words if w.lower() not in GENERIC_WORDS]
    named = [w for w in named if w.lower() not in GENERIC_WORDS]
    core = named or content
    return tuple(core or words)


def _acronym_in(acronym: str, stems_text: Sequence[str], raw_words: Sequence[str]) -> int | None:
    """Index in raw_words where consecutive words' initials spell the acronym, if any.
    A word in capitals is an acronym itself, never part of a spelled-out one: "Raleigh,
    NC" is no "RN"."""
    acr = acronym.lower()
    n = len(acr)
    content = [(i, w) for i, w in enumerate(raw_words) if w.lower() not in ("and", "of", "&")]
    for j in range(len(content) - n + 1):
        words = [w for _, w in content[j : j + n]]
        if any(len(w) > 1 and w.isupper() for w in words):
            continue
        if "".join(w[0].lower() for w in words) == acr:
            return content[j][0]
    return None


def find_name(name: str, mention_text: str, *, partial: bool = True) -> int | None:
    """Character position in the mention where the name stands, or None.

    A name is found written as is, or run together / split differently ("Licor" for
    "LI-COR", "Body Pump" for "BODYPUMP"), or as its acronym either way ("PMP" for
    "Project Management Professional" and back). Several words must stand close together;
    a long product name is found by two thirds of its words in a row ("Financial Edge")."""
    core = _core(name)
    if not core:
        return None
    words = _words(mention_text)
    raw, lower, stems = words.raw, words.lower, words.stems
    if not raw:
        return None
    target = _compact("".join(core))
    # written together or apart: the compacted words from i on spell the name. A word
    # that does not begin the name begins no run that spells it.
    for size in range(1, 5):
        for i in range(len(raw) - size + 1):
            if not target.startswith(words.compact[i]):
                continue
            if "".join(words.compact[i : i + size]) == target:
                return _pos(mention_text, raw, i)
    core_stems = [terms.stem(w.lower()) for w in core]
    if len(core_stems) > 1:
        # A product's long name may be shortened ("Financial Edge"); plain words may not.
        named = partial and any(w[:1].isupper() for w in core)
        need = (
            math.ceil(len(core_stems) * 2 / 3) if named and len(core_stems) > 2 else len(core_stems)
        )
        window = len(core_stems) + 4
        for i in range(len(stems)):
            seen = set(stems[i : i + window]) & set(core_stems)
            if len(seen) >= need and stems[i] in core_stems:
                return _pos(mention_text, raw, i)
    # acronyms
    if len(core) == 1 and core[0].isupper() and 2 <= len(core[0]) <= 6:
        idx = _acronym_in(core[0], stems, raw)
        if idx is not None:
            return _pos(mention_text, raw, idx)
    content = [w for w in word_list(name) if w.lower() not in GENERIC_WORDS]
    if len(content) >= 2:
        acr = "".join(w[0].lower() for w in content)
        for i, w in enumerate(lower):
            if w == acr:
                return _pos(mention_text, raw, i)
    return None


def _pos(text: str, raw: Sequence[str], i: int) -> int:
    pos = 0
    for w in raw[: i + 1]:
        pos = text.find(w, pos) + (len(w) if w is not raw[i] else 0)
    return max(0, text.find(raw[i], max(0, pos - 1)))


def _clause_before(text: str, pos: int) -> str:
    start = max(text.rfind(c, 0, pos) for c in ".;!?")
    return text[start + 1 : pos]


def read_cues(text: str, pos: int, *, licence: bool = False, strong: bool = False) -> str:
    """Why a found mention does not count ("" when it does)."""
    before = _clause_before(text, pos)
    near_after = text[pos : pos + 80]
    if _NEGATION.search(before):
        return NEGATED
    if INTENT.search(before) or INTENT.search(near_after.split(".")[0][:40]):
        return INTENT_CUE
    # A credential has no level but the one in its name ("Basic Life Support", "Teaching
    # Certificate: Elementary Education"): held or not.
    if not licence and (
        _WEAK.search(" ".join(before.split()[-4:])) or _WEAK_AFTER.search(near_after)
    ):
        return WEAK
    if _OTHERS_FROM.search(before):
        return OTHERS_FROM
    if _OTHERS.search(before):
        return OTHERS
    # "PMP exam prep course", "Administration Workshop PMP - Project Management": a course
    # about the credential, not the credential.
    course = near_after.split(".")[0][:60]
    if (
        licence
        and (_TRAINING.search(course) or _TRAINING.search(" ".join(before.split()[-2:])))
        and not CREDENTIAL.search(course)
    ):
        return TRAINING
    return ""


_NEGATION_ANYWHERE = re.compile(r"\b(?:no|not|never|without|lack(?:s|ing)?)\b", re.IGNORECASE)


def sentence_cues(text: str) -> str:
    """Negation, intent or a weak level anywhere in a sentence matched on meaning."""
    if _NEGATION_ANYWHERE.search(text):
        return NEGATED
    if INTENT.search(text):
        return INTENT_CUE
    if _WEAK.search(text):
        return WEAK
    return ""
