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

The words and vectors are read in evidence.py, names and the cues around them in cues.py,
and the years, role and education rules in records.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import numpy as np

from matching.intake import terms
from matching.intake.education import DEGREE_RE
from matching.intake.sections import (
    CERTIFICATIONS,
    EDUCATION,
    EXPERIENCE,
    HEADER,
    OBJECTIVE,
    SKILLS,
    SUMMARY,
    Mention,
)
from matching.scoring.cues import (
    CREDENTIAL,
    OTHERS,
    OTHERS_FROM,
    find_name,
    read_cues,
    sentence_cues,
)
from matching.scoring.evidence import (
    GENERIC_WORDS,
    MET,
    NOT_MET,
    UNCLEAR,
    WORD_RE,
    Embedder,
    ResumeEvidence,
    Verdict,
    make_verdict,
    stem_list,
)
from matching.scoring.records import judge_education, judge_role, judge_years
from matching.scoring.requirements import EDUCATION as EDUCATION_KIND
from matching.scoring.requirements import (
    LICENCE,
    SKILL,
    YEARS,
    Requirement,
    credential_named,
    parse_requirement,
)

# Cosine similarities of all-MiniLM-L6-v2 between a requirement and one resume sentence.
# Paraphrases of what a requirement asks score above DOMAIN_MET; sentences that merely
# share its topic words ("public relations team" for "led a PR team") score below it.
DOMAIN_MET = 0.62
SKILL_MET = 0.70  # a named tool is found by name; meaning alone must be very close
LICENCE_MET = 0.75  # and a credential word in the same sentence

_STRONG_CUE = re.compile(
    r"\b(?:fluent|fluency|native|bilingual|advanced|expert|proficient|proficiency|mother tongue)\b",
    re.IGNORECASE,
)


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
        return judge_years(req, ev)
    if req.kind == EDUCATION_KIND:
        return judge_education(req, ev)
    if req.kind == LICENCE:
        return _judge_licence(req, ev)
    if req.role:
        return judge_role(req, ev)
    if req.kind == SKILL:
        return _judge_skill(req, ev)
    return _judge_domain(req, ev)


# A name followed by its credentials: "Jordan Kim, RN, BSN, CCRN - Travel Nurse". Any
# name, however written ("María de la Cruz", "O'Neil-Ba"): the shape of a name must not
# decide whether its holder's credentials count.
_POSTNOMINALS = re.compile(
    r"^[^\d,|@]{2,60}?(?:,\s*[A-Z]{2,6}(?:-[A-Z]{1,4})?)+\s*(?:$|(?<=\s)[-\u2013|])"
)


# Items of a keyword list: "Elementary education; state teaching certificate; IEPs".
_KEYWORD_LIST = re.compile(r"[;|\u2022]|,.*,")


def _judge_licence(req: Requirement, ev: ResumeEvidence) -> Verdict:
    names = req.names or [req.text]
    found: dict[str, Mention] = {}
    refused: list[tuple[Mention, str]] = []
    for name in names:
        for m in ev.by_strength:
            if m.section == OBJECTIVE:
                continue
            pos = find_name(name, m.text, partial=False)
            if pos is None:
                continue
            why = read_cues(m.text, pos, licence=True)
            credential = (
                m.section in (CERTIFICATIONS, EDUCATION)
                or CREDENTIAL.search(m.text)
                or DEGREE_RE.search(m.text)  # "BA (Hons) Primary Education with QTS"
                or (m.section == HEADER and _POSTNOMINALS.match(m.text))
            )
            if not credential:
                why = why or "no credential claimed"
            elif _pasted(name, m, ev):
                why = why or LISTED_ONLY
            if why:
                refused.append((m, why))
                continue
            found.setdefault(name, m)
            break
    if req.all_of and found and len(found) == len(names):
        return make_verdict(req, MET, found.values(), "credential held")
    if not req.all_of and found:
        return make_verdict(req, MET, found.values(), "credential held")
    if req.subject and all(why == LISTED_ONLY for _, why in refused):
        # Named by what it is for ("Texas Teaching Certificate" for "Valid state
        # teaching certificate for elementary grades"), its noun beside it. In a skills
        # list or a summary only on a line of its own, as real resumes list it under
        # "Highlights": an item of a keyword list is as easily pasted from the posting.
        for m in ev.by_strength:
            pos = credential_named(req.subject, m.text)
            if m.section == OBJECTIVE or pos is None:
                continue
            if m.section in (SKILLS, SUMMARY) and _KEYWORD_LIST.search(m.text):
                continue
            why = read_cues(m.text, pos, licence=True)
            if why:
                refused.append((m, why))
                continue
            return make_verdict(req, MET, [m], "credential held")
    if refused:
        m, why = refused[0]
        return make_verdict(req, NOT_MET, [m], why)
    # Named otherwise ("certified to teach Body Pump"): close meaning and a credential word.
    sims = ev.sims(req.text)
    if sims is not None:
        for k in np.argsort(-sims)[:3]:
            m = ev.mentions[int(k)]
            if sims[k] < LICENCE_MET or m.section == OBJECTIVE:
                break
            if CREDENTIAL.search(m.text) and not read_cues(m.text, len(m.text), licence=True):
                return make_verdict(req, MET, [m], "credential held (in other words)")
    return make_verdict(req, NOT_MET, [], "not listed")


def _pasted(name: str, m: Mention, ev: ResumeEvidence) -> bool:
    """A credential named in a keyword list of skills or a summary ("Registered Nurse |
    active RN license | BLS"), and in no experience line: as easily pasted from the
    posting as any keyword. A certifications section, a header's post-nominals or a role
    held under its name ("Registered Nurse, Mercy Hospital") are where holders name it."""
    if m.section not in (SKILLS, SUMMARY) or not _KEYWORD_LIST.search(m.text):
        return False
    return not any(
        x.section == EXPERIENCE and find_name(name, x.text, partial=False) is not None
        for x in ev.mentions
    )


def _judge_skill(req: Requirement, ev: ResumeEvidence) -> Verdict:
    names = req.names or [req.text]
    found: dict[str, Mention] = {}
    refused: list[tuple[Mention, str]] = []
    for name in names:
        for m in ev.by_strength:
            if m.section == OBJECTIVE:
                continue
            pos, why = _tool_mention(name, m.text)
            if pos is None:
                continue
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
            for m in ev.by_strength
            if m.section != OBJECTIVE and _STRONG_CUE.search(m.text) and find_name(n, m.text)
        }
        if strong and (not req.all_of or len(strong) == len(names)):
            return make_verdict(req, MET, strong.values(), "named at the asked level")
        return make_verdict(req, NOT_MET, found.values(), "level not stated")
    if found and (not req.all_of or len(found) == len(names)):
        return make_verdict(req, MET, found.values(), "named")
    if refused:
        m, why = refused[0]
        return make_verdict(req, NOT_MET, [m], why)
    return _semantic(
        req, ev, SKILL_MET, sections=(EXPERIENCE, SUMMARY, SKILLS, HEADER, CERTIFICATIONS)
    )


def _tool_mention(name: str, text: str) -> tuple[int | None, str]:
    """Where a skill or tool stands in a sentence, and why it does not count ("" when it
    does). Working with a tool is using it; a mention naming where others come from
    ("consultants from Salesforce") gives way to a later one in the same sentence ("... to
    roll out Salesforce CRM")."""
    start = 0
    first: tuple[int | None, str] = (None, "")
    while (found := find_name(name, text[start:])) is not None:
        pos = start + found
        why = read_cues(text, pos)
        if why != OTHERS_FROM:
            return pos, "" if why == OTHERS else why
        first = first if first[0] is not None else (pos, why)
        gap = text.find(" ", pos)
        if gap < 0:
            break
        start = gap + 1
    return first


def _judge_domain(req: Requirement, ev: ResumeEvidence) -> Verdict:
    # Named as a whole in a sentence of what the candidate did ("Strong in account
    # reconciliations, revenue recognition ..."), and not only as a heading or a list item
    # repeating the requirement: met, unless the words around it say otherwise.
    for m in ev.mentions:
        if m.section not in ev.done or _only_shared_words(req.text, m.text):
            continue
        pos = find_name(req.text, m.text, partial=False)
        if pos is None:
            continue
        why = read_cues(m.text, pos) or sentence_cues(m.text)
        if why:
            continue
        return make_verdict(req, MET, [m], "named in experience")
    # Lines above the first heading count unless they are claims (evidence.py).
    header = () if HEADER in ev.claims else (HEADER,)
    verdict = _semantic(req, ev, DOMAIN_MET, sections=(*ev.done, *header))
    if verdict.status == NOT_MET and not verdict.evidence:
        listing = _listed(req, ev)
        if listing is not None:
            return make_verdict(req, NOT_MET, [listing], LISTED_ONLY)
    return verdict


# A requirement whose words stand in a skills list, an objective or (beside an experience
# section) a summary but nowhere in what the candidate did: the page says so, beside the
# ✗, quoting the listing.
LISTED_ONLY = "listed without experience"


def _listed(req: Requirement, ev: ResumeEvidence) -> Mention | None:
    """The claim (skills list, objective, summary) naming most of the requirement's words
    (half of them at least), or None."""
    asked = {s for s in stem_list(req.text) if s not in GENERIC_WORDS and s not in terms.STOPWORDS}
    if not asked:
        return None
    best, best_share = None, 0.5
    for m in ev.mentions:
        if m.section not in ev.claims:
            continue
        share = len(asked & set(stem_list(m.text))) / len(asked)
        if share >= best_share:
            best, best_share = m, share
    return best


def _only_shared_words(requirement: str, sentence: str) -> bool:
    """A sentence that only repeats the requirement's words (a title, a list item) is
    not evidence of doing it: "Public Relations" for "Led a public relations team"."""
    words = [s for s in stem_list(sentence) if s not in GENERIC_WORDS and s not in terms.STOPWORDS]
    asked = set(stem_list(requirement))
    return len(words) <= 3 or all(w in asked for w in words)


def _first_shared_word(requirement: str, sentence: str) -> int | None:
    asked = {s for s in stem_list(requirement) if s not in terms.STOPWORDS}
    for w in WORD_RE.finditer(sentence):
        if terms.stem(w.group().lower()) in asked:
            return w.start()
    return None


def _semantic(
    req: Requirement, ev: ResumeEvidence, threshold: float, *, sections: tuple[str, ...]
) -> Verdict:
    sims = ev.sims(req.text)
    if sims is None:
        return make_verdict(req, NOT_MET, [], "not found")
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
        why = sentence_cues(m.text)
        shared = _first_shared_word(req.text, m.text)
        if not why and shared is not None:
            # "Worked together with the pastry team" for "Led a pastry team".
            cue = read_cues(m.text, shared)
            why = cue if cue in (OTHERS, OTHERS_FROM) else ""
        if why:  # negated, intent or weak anywhere; others around a shared word
            best_refused = best_refused or (m, why)
            continue
        return make_verdict(req, MET, [m], f"same meaning ({float(sims[k]):.2f})")
    if best_refused:
        return make_verdict(req, NOT_MET, [best_refused[0]], best_refused[1])
    # The closest sentence is not evidence of anything: quoting it beside a ✗ would read
    # as the reason. Its similarity stays in the reason, for tuning.
    return make_verdict(
        req,
        NOT_MET,
        [],
        f"not found (closest sentence {float(sims[order[0]]):.2f})" if len(order) else "no text",
    )


__all__ = [
    "DOMAIN_MET",
    "LICENCE_MET",
    "LISTED_ONLY",
    "SKILL_MET",
    "judge",
    "judge_one",
    "judge_text",
]
