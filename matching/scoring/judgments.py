"""Requirement verdicts stored per pair: met / not met / unclear for each must-have and
nice-to-have of the job, with the resume sentences that decide it (verdicts.py judges).

Judged once, when a pair is scored (matching.tasks), and read by the ranking page, the
rating screen, the CSV export and the API, never recomputed per page view. The stored
score reads them too: a candidate whose resume shows none of the licences and degrees a
posting must have keeps CREDENTIAL_FLOOR of the score (`credentials_factors`). A pair is
judged again only when what it was judged on changed: the rules (RULES_VERSION), the
resume's text or the job's requirements (`Pair.verdicts_key`). Verdicts do not depend on
the live scoring model: they read the bundled pre-trained encoder, so activating a model
leaves them as they are.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Set
from dataclasses import dataclass

import numpy as np

from matching.encoding.cache import sentences_key, store_sentence_vectors, stored_sentence_vectors
from matching.models import Job, Pair, Resume, ScoringPause
from matching.scoring.cues import forget_words
from matching.scoring.evidence import MET, NOT_MET, Embedder, ResumeEvidence, default_embedder
from matching.scoring.requirements import EDUCATION, LICENCE, Requirement, parse_requirement
from matching.scoring.verdicts import judge_one
from matching.texts import split_requirements

logger = logging.getLogger(__name__)

# Bump when a rule in verdicts.py, records.py, cues.py or the profile changes what it
# decides: every pair is judged again the next time it is scored (or by judge_pairs).
RULES_VERSION = "8"

# Pairs written per bulk update; a resume's evidence is built once for all its pairs.
JUDGE_BATCH = 500

# The must-haves whose verdicts move the stored score: degrees and licences, the kinds
# judged right most often (1.00 and 0.91 of the dev set's, docs/judgments.md). A skill
# or a domain met in other words is still missed too often (a ✓ for 6% of paraphrases)
# for its ✗ to cost a candidate.
SCORED_KINDS = frozenset({LICENCE, EDUCATION})
# The share of the score left to a candidate with none of the asked licences and degrees,
# as features.SENIORITY_FLOOR is for years: they rank below those who hold them and can
# still be found. Chosen on bench/verdicts_in_score.py (docs/judgments.md).
CREDENTIAL_FLOOR = 0.7


@dataclass(frozen=True)
class JobRequirements:
    must: list[Requirement]
    nice: list[Requirement]
    key: str  # what of the job the verdicts read

    @property
    def scored(self) -> bool:
        """Whether the verdicts can move the score: a must-have of SCORED_KINDS."""
        return any(r.kind in SCORED_KINDS for r in self.must)

    @classmethod
    def of(cls, job: Job) -> JobRequirements:
        must, nice = split_requirements(job.must_have), split_requirements(job.nice_to_have)
        digest = hashlib.sha256("\x1f".join([*must, "\x1e", *nice]).encode()).hexdigest()
        return cls(
            must=[parse_requirement(r) for r in must],
            nice=[parse_requirement(r) for r in nice],
            key=digest,
        )


def verdicts_key(*, resume_text_sha256: str, requirements: JobRequirements) -> str:
    raw = f"{RULES_VERSION}:{resume_text_sha256}:{requirements.key}"
    return hashlib.sha256(raw.encode()).hexdigest()


def pairs_judge(
    *, jobs: Iterable[Job] | None = None, resume_ids: list[int] | None = None, force: bool = False
) -> int:
    """Judge the requirements of every pair of `jobs` (default: the open ones) and
    `resume_ids` (default: every readable resume) whose verdicts are missing or stale;
    returns the number of pairs judged. `force` judges them all again. Nothing while
    automated scoring is paused (matching.scoring.oversight)."""
    judged = pairs_judged(jobs=jobs, resume_ids=resume_ids, force=force)
    return sum(len(ids) for ids in judged.values())


def pairs_judged(
    *, jobs: Iterable[Job] | None = None, resume_ids: list[int] | None = None, force: bool = False
) -> dict[int, list[int]]:
    """pairs_judge, returning which pairs it judged: job id -> resume ids."""
    jobs = list(Job.objects.filter(is_open=True) if jobs is None else jobs)
    if not jobs or ScoringPause.objects.exists():
        return {}
    requirements = {job.pk: JobRequirements.of(job) for job in jobs}
    # A candidate who asked for people-only review gets no automated verdict either.
    pairs = Pair.objects.filter(Resume.scorable_q("resume"), job__in=jobs)
    if resume_ids is not None:
        pairs = pairs.filter(resume_id__in=resume_ids)
    rows = list(
        pairs.order_by("resume_id", "job_id").values_list(
            "pk", "resume_id", "job_id", "verdicts_key", "resume__text_sha256"
        )
    )
    todo = [
        (pk, resume_id, job_id, key)
        for pk, resume_id, job_id, stored, text_sha in rows
        if (key := verdicts_key(resume_text_sha256=text_sha, requirements=requirements[job_id]))
        != stored
        or force
    ]
    if not todo:
        return {}
    embedder = default_embedder()
    judged: list[Pair] = []
    written = 0
    for start in range(0, len(todo), JUDGE_BATCH):
        chunk = todo[start : start + JUDGE_BATCH]
        resumes = {
            pk: (text, sha)
            for pk, text, sha in Resume.objects.filter(
                pk__in={r for _, r, _, _ in chunk}
            ).values_list("pk", "text", "text_sha256")
        }
        kept = SentenceVectors(embedder, [sha for _, sha in resumes.values()])
        evidence: dict[int, ResumeEvidence] = {}
        for pk, resume_id, job_id, key in chunk:
            if resume_id not in evidence:
                text, sha = resumes[resume_id]
                evidence = {resume_id: kept.evidence(text, sha)}
            reqs = requirements[job_id]
            judged.append(
                Pair(pk=pk, verdicts=judge_all(reqs, evidence[resume_id]), verdicts_key=key)
            )
        written += len(judged)
        Pair.objects.bulk_update(judged, ["verdicts", "verdicts_key"])
        judged.clear()
        kept.save()
        # What was read of resumes already judged is not needed again.
        embedder.forget()
        forget_words()
    logger.info("judged the requirements of %d pairs", written)
    done: dict[int, list[int]] = {}
    for _, resume_id, job_id, _ in todo:
        done.setdefault(job_id, []).append(resume_id)
    return done


class SentenceVectors:
    """Resume evidence whose sentence vectors are read from those kept with the resume
    (matching.encoding.cache), and the vectors embedded meanwhile, kept by save(): a job
    opened later reads them instead of embedding every resume's sentences again."""

    def __init__(self, embedder: Embedder, hashes: list[str]) -> None:
        self.embedder = embedder
        self.stored = (
            stored_sentence_vectors(hashes=hashes, encoder_key=embedder.key) if embedder.key else {}
        )
        # The evidence being judged, whose vectors are taken once it is done, so that
        # only one resume's evidence is held at a time.
        self._judging: tuple[str, str, ResumeEvidence] | None = None
        self._new: list[tuple[str, str, np.ndarray]] = []

    def evidence(self, text: str, text_sha: str) -> ResumeEvidence:
        self._take_vectors()
        ev = ResumeEvidence(text, embedder=self.embedder)
        if not self.embedder.key:
            return ev
        key = sentences_key(self.embedder.key, ev.sentences)
        vectors = self.stored.get((text_sha, key))
        if vectors is not None:  # the key's digest names these very sentences
            ev.use_vectors(vectors)
        else:
            self._judging = (text_sha, key, ev)
        return ev

    def _take_vectors(self) -> None:
        if self._judging is not None:
            text_sha, key, ev = self._judging
            if ev.embedded and ev.sentence_vectors is not None:
                self._new.append((text_sha, key, ev.sentence_vectors))
            self._judging = None

    def save(self) -> int:
        self._take_vectors()
        rows, self._new = self._new, []
        if not rows or not self.embedder.key:
            return 0
        return store_sentence_vectors(rows, encoder_key=self.embedder.key)


def judge_all(requirements: JobRequirements, evidence: ResumeEvidence) -> list[dict]:
    """The stored form: one dict per requirement, must-haves first, in the job's order."""
    out = []
    for must, reqs in ((True, requirements.must), (False, requirements.nice)):
        for req in reqs:
            verdict = judge_one(req, evidence)
            out.append({**verdict.to_json(), "must": must})
    return out


def credentials_decided(verdicts: list[dict], *, kinds: Set[str] = SCORED_KINDS) -> list[dict]:
    """The verdicts that move the score: must-have licences and degrees judged met or not
    met. "Unclear" is neither (a resume in another language, a pair not judged)."""
    return [
        v
        for v in verdicts
        if v.get("must") and v.get("kind") in kinds and v.get("status") in (MET, NOT_MET)
    ]


def credentials_factor(
    verdicts: list[dict], *, floor: float = CREDENTIAL_FLOOR, kinds: Set[str] = SCORED_KINDS
) -> float:
    """What a pair's score is multiplied by: `floor` plus the rest in proportion to the
    must-have licences and degrees judged met, of those decided (credentials_decided); 1
    with none. `floor` and `kinds` other than the product's are for
    bench/verdicts_in_score.py."""
    decided = [v["status"] == MET for v in credentials_decided(verdicts, kinds=kinds)]
    if not decided:
        return 1.0
    return floor + (1 - floor) * sum(decided) / len(decided)


def credentials_factors(*, job: Job, resume_ids: list[int]) -> np.ndarray:
    """credentials_factor of each resume's pair with `job`, from the stored verdicts; 1
    where the pair is not judged yet, or was judged on other rules, text or requirements
    (it is judged again next, and scored again: matching.scoring.services). float32[n]."""
    out = np.ones(len(resume_ids), np.float32)
    requirements = JobRequirements.of(job)
    if not requirements.scored or not resume_ids:
        return out
    rows = Pair.objects.filter(job=job, resume_id__in=resume_ids).values_list(
        "resume_id", "verdicts", "verdicts_key", "resume__text_sha256"
    )
    factor = {
        resume_id: credentials_factor(verdicts)
        for resume_id, verdicts, key, text_sha in rows
        if key and key == verdicts_key(resume_text_sha256=text_sha, requirements=requirements)
    }
    for i, resume_id in enumerate(resume_ids):
        out[i] = factor.get(resume_id, 1.0)
    return out
