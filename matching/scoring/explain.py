"""Why a pair scored as it did: its stored requirement verdicts with their evidence,
skills, the closest passages (cached vectors only, so no model is loaded)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matching.encoding.cache import cached_vectors_keyed, resume_cache_key
from matching.encoding.windows import DocumentVectors
from matching.intake import terms as intake_terms
from matching.models import Job, Pair, Resume
from matching.privacy.anonymize import anonymize
from matching.privacy.selectors import resume_display_text, shown_span
from matching.scoring import cues
from matching.scoring.evidence import NOT_MET
from matching.scoring.judgments import credentials_decided, credentials_factor
from matching.scoring.skills import skills_in
from matching.scoring.verdicts import LISTED_ONLY
from matching.texts import split_requirements, text_hash

# How a verdict is marked wherever it is shown ("…": not judged yet).
VERDICT_MARKS = {"met": "✓", "not_met": "✗", "unclear": "?"}

# What the cues around a mention (scoring/cues.py) mean, as a recruiter reads them.
CUE_WORDS = {
    cues.NEGATED: "the resume says not",
    cues.INTENT_CUE: "only planned or in progress",
    cues.WEAK: "basic level only",
    cues.OTHERS: "done by others, not the candidate",
    cues.OTHERS_FROM: "the employer of others, not of the candidate",
    cues.TRAINING: "training for it, not holding it",
}


@dataclass(frozen=True)
class ShownVerdict:
    """One requirement as a page, the CSV or the API shows it: its verdict (met, not_met,
    unclear, or "" when the pair is not judged yet) and the resume sentences behind it,
    masked in the anonymized view."""

    requirement: str
    must: bool
    kind: str
    status: str
    evidence: list[str]
    reason: str
    # The signed-in reviewer's own verdict where they corrected the rules' ("met",
    # "not_met"); the rating screen shows it (matching.review.corrections).
    corrected: str = ""

    @property
    def reason_shown(self) -> str:
        """The reason for people: the cues' codes in words, and without the similarity
        behind "not found (closest sentence 0.32)", which is for tuning."""
        reason = self.reason.split(" (", 1)[0]
        return CUE_WORDS.get(reason, reason)

    @property
    def mark(self) -> str:
        return VERDICT_MARKS.get(self.status, "…")


@dataclass
class Explanation:
    verdicts: list[ShownVerdict]
    skills_found: list[str]
    skills_missing: list[str]
    passages: list[str]

    def _of(self, must: bool, status: str) -> list[str]:
        return [v.requirement for v in self.verdicts if v.must == must and v.status == status]

    @property
    def must_found(self) -> list[str]:
        return self._of(True, "met")

    @property
    def must_missing(self) -> list[str]:
        return self._of(True, "not_met")

    @property
    def must_unclear(self) -> list[str]:
        return self._of(True, "unclear")

    @property
    def nice_found(self) -> list[str]:
        return self._of(False, "met")

    @property
    def nice_missing(self) -> list[str]:
        return self._of(False, "not_met")

    @property
    def listed_without_experience(self) -> list[str]:
        """Must-haves the resume lists (a skills list, an objective) but shows no work
        behind: what a keyword-stuffed resume looks like."""
        return [v.requirement for v in self.verdicts if v.must and v.reason == LISTED_ONLY]

    @property
    def credentials_missing(self) -> list[str]:
        """Must-have licences and degrees judged not met: what lowers the stored score
        (matching.scoring.judgments.credentials_factor)."""
        return [
            v["requirement"]
            for v in credentials_decided(self._stored_verdicts)
            if v["status"] == NOT_MET
        ]

    @property
    def credentials_factor(self) -> float:
        """What the model's score was multiplied by for the stored score."""
        return credentials_factor(self._stored_verdicts)

    @property
    def _stored_verdicts(self) -> list[dict]:
        """The shown verdicts in the stored form the score's factor reads."""
        return [
            {"requirement": v.requirement, "must": v.must, "kind": v.kind, "status": v.status}
            for v in self.verdicts
        ]

    @property
    def verdict_groups(self) -> list[tuple[str, list[ShownVerdict], str]]:
        """(heading, verdicts, list id) of the must-haves and nice-to-haves a job has."""
        groups = [
            ("Must have", [v for v in self.verdicts if v.must], "must-have"),
            ("Nice to have", [v for v in self.verdicts if not v.must], "nice-to-have"),
        ]
        return [g for g in groups if g[1]]


def shown_verdicts(
    *, pair: Pair, job: Job, text: str, anonymized: bool = False
) -> list[ShownVerdict]:
    """The pair's stored verdicts (matching.scoring.judgments), or, for a pair not judged
    yet, the job's requirements with no verdict. Evidence is quoted from the text as
    shown: in the anonymized view, masked as the rest of the resume is."""
    if not pair.verdicts_key:
        return [
            ShownVerdict(r, must, "", "", [], "not judged yet")
            for must, field in ((True, job.must_have), (False, job.nice_to_have))
            for r in split_requirements(field)
        ]
    return [
        ShownVerdict(
            requirement=v["requirement"],
            must=bool(v.get("must")),
            kind=v.get("kind", ""),
            status=v.get("status", ""),
            evidence=[_quote(e, text=text, anonymized=anonymized) for e in v.get("evidence", [])],
            reason=v.get("reason", ""),
        )
        for v in pair.verdicts
    ]


def _quote(sentence: str, *, text: str, anonymized: bool) -> str:
    if not anonymized:
        return sentence
    masked = anonymize(text)
    start = text.find(sentence)
    if start < 0:  # the sentence as the profile normalised it: mask it on its own
        return anonymize(sentence).text
    a, b = masked.span_to_masked(start, start + len(sentence))
    return masked.text[a:b]


def explain_pairs(
    *,
    job: Job,
    pairs: list[Pair],
    encoder_key: str,
    passages: int = 2,
    anonymized: bool = False,
) -> dict[int, Explanation]:
    """Why each pair scored as it did; cached vectors only, so no model is loaded. With
    `anonymized` the passages and the evidence are quoted from the masked text."""
    if not pairs:
        return {}
    resumes = {
        r.pk: r
        for r in Resume.objects.filter(pk__in=[p.resume_id for p in pairs]).only(
            "pk", "text", "text_sha256"
        )
    }
    jtext = job.embedded_text
    resume_key = resume_cache_key(encoder_key)
    found = cached_vectors_keyed(
        {encoder_key: [text_hash(jtext)], resume_key: [r.text_sha256 for r in resumes.values()]}
    )
    job_vec = found.get((encoder_key, text_hash(jtext)))
    vectors = {h: v for (key, h), v in found.items() if key == resume_key}
    job_skills = skills_in(jtext)
    out: dict[int, Explanation] = {}
    for pair in pairs:
        resume = resumes[pair.resume_id]
        have = set(skills_in(resume.text))
        out[pair.pk] = Explanation(
            verdicts=shown_verdicts(pair=pair, job=job, text=resume.text, anonymized=anonymized),
            skills_found=[s for s in job_skills if s in have],
            skills_missing=[s for s in job_skills if s not in have],
            passages=best_passages(
                resume_display_text(text=resume.text, anonymized=anonymized),
                vectors.get(resume.text_sha256),
                job_vec,
                k=passages,
                to_shown=shown_span(resume.text, anonymized=anonymized),
            ),
        )
    return out


def requirement_met(requirement: str, resume_terms: set[str]) -> bool:
    """Most of a requirement's words appear in the resume ("5+ years" has none: unmet).

    Both sides are index terms (intake_terms.terms): "Negotiation" is met by "negotiated",
    as the coverage feature of the score counts it."""
    words = intake_terms.terms(requirement)
    if not words:
        return False
    return sum(w in resume_terms for w in words) / len(words) >= 0.5


def best_passages(
    text: str,
    vectors: DocumentVectors | None,
    job_vectors: DocumentVectors | None,
    *,
    k: int,
    length: int = 320,
    to_shown: Callable[[int, int], tuple[int, int]] | None = None,
) -> list[str]:
    """The k windows of `text` closest to the job; `to_shown` maps a window's span in the
    embedded text to one in `text` when the two differ (anonymized view)."""
    if vectors is None or job_vectors is None:
        return []
    sims = vectors.chunk_vectors @ job_vectors.vector
    picked = []
    for i in np.argsort(-sims)[:k]:
        start, end = vectors.chunk_spans[int(i)]
        if to_shown is not None:
            start, end = to_shown(start, end)
        picked.append(readable_passage(text, start, end, length=length))
    return picked


# A sentence ends at ., ! or ? before a space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_MARKDOWN = re.compile(r"\*\*|__|`|^\s*#{1,6}\s+", re.MULTILINE)
_BULLET = re.compile(r"^\s*[-*•]\s+", re.MULTILINE)


def readable_passage(text: str, start: int, end: int, *, length: int = 320) -> str:
    """The text of a window as a reader wants it: from the start of a sentence (a window
    may open mid-sentence), cut at the end of a sentence or else between words, never
    mid-word, without Markdown marks; bullets read as "•"."""
    before = text[max(0, start - 200) : start].rstrip()
    if 0 < start < end and text[start - 1] != "\n" and before[-1:] not in (".", "!", "?", ""):
        boundary = _SENTENCE_END.search(text, start, min(end, start + length // 2))
        if boundary is not None and boundary.end() < end:
            start = boundary.end()
    if 0 < start < end and text[start - 1].isalnum() and text[start].isalnum():
        space = text.find(" ", start, end)  # no sentence start near: at least a whole word
        start = space + 1 if space >= 0 else start
    piece = _BULLET.sub("• ", _MARKDOWN.sub("", text[start:end]))
    snippet = " ".join(piece.split())
    if len(snippet) <= length:
        return snippet
    head = snippet[: length + 1]
    sentence_end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if sentence_end >= length // 2:
        return head[: sentence_end + 1]
    return head[: head.rfind(" ")].rstrip(" ,;:-") + "…"
