"""Verdicts read from the profile's records: years in dated roles (or the candidate's
own "N years of ..."), a held role, and degrees of a level and field."""

from __future__ import annotations

import re

from matching.intake.education import LEVEL_RANK
from matching.intake.roles import Role, months_merged
from matching.intake.sections import EXPERIENCE, OBJECTIVE, Mention
from matching.scoring.evidence import (
    GENERIC_WORDS,
    MET,
    NOT_MET,
    UNCLEAR,
    ResumeEvidence,
    Verdict,
    make_verdict,
    stem_list,
    word_list,
)
from matching.scoring.requirements import (
    GENERIC_SUBJECTS,
    NUMBER_WORDS,
    Requirement,
    clean_subject,
    number_of,
)

# Cosine similarities of all-MiniLM-L6-v2 (verdicts.py says how they were chosen).
ROLE_RELEVANT = 0.55
ROLE_BODY_RELEVANT = 0.62  # a role's title or one of its sentences is about a years subject
CLAIM_RELEVANT = 0.50
FIELD_MATCH = 0.80  # "kinesiology" for "exercise science", not "animal science"

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


def _role_header(ev: ResumeEvidence, role: Role) -> str:
    end = "present" if role.present else role.end
    return f"{role.title or 'Role'} ({role.start} to {end})"


def _title_matches(want: str, title: str, ev: ResumeEvidence) -> bool:
    want_stems = [s for s in stem_list(want) if s not in ("a", "an", "the", "of", "and")]
    title_stems = set(stem_list(title))
    if want_stems and all(s in title_stems for s in want_stems):
        return True
    words = [w for w in word_list(want) if w.lower() not in ("of", "and", "the")]
    initials = "".join(w[0].lower() for w in words)
    return len(words) >= 2 and initials in {w.lower() for w in word_list(title)}


def judge_role(req: Requirement, ev: ResumeEvidence) -> Verdict:
    roles = [r for r in ev.profile.roles if r.title and _title_matches(req.role, r.title, ev)]
    if roles:
        return make_verdict(req, MET, [_role_header(ev, r) for r in roles], "held the role")
    titles = [r.title for r in ev.profile.roles if r.title]
    return make_verdict(req, NOT_MET, [], "no role titled so; titles: " + "; ".join(titles[:6]))


def _relevant_roles(subject: str, role_title: str, ev: ResumeEvidence) -> list[int]:
    prof = ev.profile
    picked = []
    subject_stems = {s for s in stem_list(subject) if s not in GENERIC_WORDS}
    for i, role in enumerate(prof.roles):
        if role_title:
            if role.title and _title_matches(role_title, role.title, ev):
                picked.append(i)
            continue
        title_stems = set(stem_list(role.title))
        head = [s for s in stem_list(subject) if s not in GENERIC_WORDS][-1:]
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
    rf"(?P<n>\d+(?:\.\d+)?|{'|'.join(w for w in NUMBER_WORDS if len(w) > 2)})"
    r"\s*\+?\s*(?:years?|yrs?)\b",
    re.IGNORECASE,
)


def _claims(subject: str, ev: ResumeEvidence) -> list[tuple[float, Mention]]:
    """The candidate's own "N years of <subject>" (not in an objective)."""
    out = []
    subject_stems = {s for s in stem_list(subject) if s not in GENERIC_WORDS}
    for m in ev.mentions:
        if m.section == OBJECTIVE:
            continue
        for c in _CLAIM.finditer(m.text):
            # What the years are of: the words after them, to the next number or stop.
            tail = re.split(r"[,;.(]|\d", m.text[c.end() : c.end() + 60])[0]
            local = clean_subject(tail)
            if not local:
                continue
            local_stems = set(stem_list(local))
            overlap = len(subject_stems & local_stems) / len(subject_stems) if subject_stems else 0
            sim = ev.sim_pair(subject, local)
            if overlap >= 0.6 or (sim is not None and sim >= CLAIM_RELEVANT and overlap > 0):
                out.append((overlap, sim or 0.0, number_of(c.group("n")), m))
    # The claim most about the subject decides, not the largest number.
    return [(n, m) for _, _, n, m in sorted(out, key=lambda c: (-c[0], -c[1]))]


def judge_years(req: Requirement, ev: ResumeEvidence) -> Verdict:
    prof = ev.profile
    want = req.years or 0.0
    subject = req.subject
    generic = subject.lower() in GENERIC_SUBJECTS
    claims = [] if generic or req.role else _claims(subject, ev)
    if claims:
        years, mention = claims[0]
        status = MET if years >= want else NOT_MET
        return make_verdict(req, status, [mention], f"states {years:g} years", years)
    if not prof.roles:
        return make_verdict(req, UNCLEAR, [], "no dated roles")
    picked = list(range(len(prof.roles))) if generic else _relevant_roles(subject, req.role, ev)
    roles = [prof.roles[i] for i in picked]
    years = round(months_merged(roles) / 12, 1)
    status = MET if years >= want else NOT_MET
    reason = f"{years:g} years in {len(roles)} relevant dated role(s)"
    return make_verdict(req, status, [_role_header(ev, r) for r in roles], reason, years)


def _field_matches(want: str, have: str, ev: ResumeEvidence) -> bool:
    have_stems = set(stem_list(have))
    options = [want]
    syn = _FIELD_SYNONYMS.get(want.lower())
    if syn:
        options.append(syn)
    for opt in options:
        stems = [s for s in stem_list(opt) if s not in _FIELD_GENERIC] or stem_list(opt)
        if stems and all(s in have_stems for s in stems):
            return True
    sim = ev.sim_pair(want, have)
    return sim is not None and sim >= FIELD_MATCH


def judge_education(req: Requirement, ev: ResumeEvidence) -> Verdict:
    prof = ev.profile
    need = LEVEL_RANK.get(req.level, LEVEL_RANK["bachelor"])
    degrees = [d for d in prof.degrees if LEVEL_RANK[d.level] >= need]
    if not prof.degrees:
        return make_verdict(req, NOT_MET, [], "no degree named")
    if not degrees:
        return make_verdict(req, NOT_MET, [d.text for d in prof.degrees], "lower degree")
    if not req.fields:
        return make_verdict(req, MET, [degrees[0].text], "degree level")
    for d in degrees:
        have = " ".join(d.fields) or d.text
        if any(_field_matches(f, have, ev) for f in req.fields):
            return make_verdict(req, MET, [d.text], "degree level and field")
    return make_verdict(req, NOT_MET, [d.text for d in degrees], "degree in another field")
