"""Index terms of a text: hashed term vectors, computed when a resume or job comes in.

Terms are hashed into a fixed space so a resume's term vector can be cached as two small
arrays and a whole corpus stacked into one sparse matrix for a vectorised pass (IDF and
coverage are in matching.scoring.lexical).

Words are indexed by their English Snowball stem, as search engines do, so "negotiated"
meets "Negotiation" and "nurses" meets "nursing"; tokenize() keeps the surface words for
display. Stems are what a resume's cached term vector holds: changing stem(), tokenize()
or what resume_term_vector reads needs a migration that recomputes them (0005, 0011).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import snowballstemmer

from matching.intake.sections import evidence_text

N_FEATURES = 1 << 20
# Keeps "c++", "c#", ".net", "node.js", "ci/cd"-like tokens whole; strips sentence dots.
TOKEN = re.compile(r"[#+.]?[^\W_](?:[\w#+.]*[\w#+])?", re.UNICODE)

# English and German function words: they carry no skill and swamp short requirements.
_STOPWORD_TEXT = """
a about above after all also am an and any are as at be been being but by can could did do
does doing for from had has have having he her here him his how i if in into is it its
itself just me more most my no nor not of off on once only or other our out over own same
she should so some such than that the their them then there these they this those through
to too under until up very was we were what when where which while who whom why will with
would you your yours years year experience work working team skills
der die das den dem des ein eine einer eines einem einen und oder mit für fur von zu zum
zur im ist sind als auf bei nach aus wir sie ich es auch sowie wie über uber unter durch
bis sehr gute guter gutes kenntnisse erfahrung jahre jahr
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def tokenize(text: str) -> list[str]:
    tokens = []
    for raw in TOKEN.findall(text.lower()):
        token = raw.strip(".")
        if len(token) < 2 and token not in {"c", "r"}:
            continue
        if token in STOPWORDS or token.isdigit():
            continue
        tokens.append(token)
    return tokens


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 16)
def stem(token: str) -> str:
    """A token's index form. Only words of letters are stemmed: "c++", "node.js" and
    "python3" stay as written. Memoised: a corpus repeats a small vocabulary, and the
    pure-Python stemmer costs ~20 us a word."""
    return _STEMMER.stemWord(token) if token.isalpha() else token


def terms(text: str) -> list[str]:
    """The index terms of a text: its tokens, stemmed."""
    return [stem(t) for t in tokenize(text)]


def contains_phrase(words: Sequence[str], phrase: Sequence[str]) -> bool:
    """Whether `phrase` occurs in `words` as consecutive words."""
    n = len(phrase)
    return n > 0 and any(list(words[i : i + n]) == list(phrase) for i in range(len(words) - n + 1))


def term_id(term: str) -> int:
    return zlib.crc32(term.encode("utf-8")) & (N_FEATURES - 1)


@dataclass(frozen=True)
class TermVector:
    ids: np.ndarray  # int32, sorted unique hashed term ids
    counts: np.ndarray  # float32 term frequencies

    def to_bytes(self) -> tuple[bytes, bytes]:
        return self.ids.astype(np.int32).tobytes(), self.counts.astype(np.float32).tobytes()

    @classmethod
    def from_bytes(cls, ids: bytes, counts: bytes) -> TermVector:
        return cls(np.frombuffer(ids, dtype=np.int32), np.frombuffer(counts, dtype=np.float32))


def term_vector(text: str) -> TermVector:
    ids = np.fromiter((term_id(t) for t in terms(text)), dtype=np.int64)
    if ids.size == 0:
        return TermVector(np.zeros(0, np.int32), np.zeros(0, np.float32))
    uniq, counts = np.unique(ids, return_counts=True)
    return TermVector(uniq.astype(np.int32), counts.astype(np.float32))


def resume_term_vector(text: str) -> TermVector:
    """A resume's terms: those of its evidence (sections.evidence_text), so a posting's
    words pasted into an objective or a skills list add nothing to the lexical score."""
    return term_vector(evidence_text(text))
