"""Lexical features: hashed term vectors, TF-IDF cosine and requirement coverage.

Terms are hashed into a fixed space so a resume's term vector can be cached as two small
arrays and a whole corpus stacked into one sparse matrix for a vectorised pass. IDF comes
from the corpus being ranked (all resumes of the job), as in any search engine.

Words are indexed by their English Snowball stem, as search engines do, so "negotiated"
meets "Negotiation" and "nurses" meets "nursing"; tokenize() keeps the surface words for
display. Stems are what a resume's cached term vector holds: changing stem() or tokenize()
needs a migration that recomputes them (matching/migrations/0005).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import snowballstemmer
from scipy import sparse

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


def stack(vectors: Sequence[TermVector]) -> sparse.csr_matrix:
    """Rows of raw term counts as one CSR matrix, built without a Python loop over terms."""
    lengths = np.fromiter((v.ids.size for v in vectors), dtype=np.int64, count=len(vectors))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    if indptr[-1]:
        indices = np.concatenate([v.ids for v in vectors])
        data = np.concatenate([v.counts for v in vectors])
    else:
        indices, data = np.zeros(0, np.int32), np.zeros(0, np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(vectors), N_FEATURES))


def idf_from(corpus: sparse.csr_matrix) -> np.ndarray:
    """Smoothed IDF of every hashed term over the rows of a corpus (sklearn's formula)."""
    n = corpus.shape[0]
    df = np.bincount(corpus.indices, minlength=N_FEATURES).astype(np.float32)
    return (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)


def tfidf_rows(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf times idf, rows scaled to unit length."""
    m = counts.copy().astype(np.float32)
    m.data = (1 + np.log(m.data)) * idf[m.indices]
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ m)


def tfidf_cosine(resumes: sparse.csr_matrix, job: sparse.csr_matrix, idf: np.ndarray) -> np.ndarray:
    """Cosine of each resume row with the job row, in one sparse product."""
    r = tfidf_rows(resumes, idf)
    j = tfidf_rows(job, idf)
    return np.asarray((r @ j.T).todense()).ravel()


# A comma outside parentheses: "3D CAD (SolidWorks, Creo or similar)" is one requirement.
_LIST_COMMA = re.compile(r",(?![^()]*\))")


def split_requirements(text: str) -> list[str]:
    """Requirements as typed by a person: one per line, or comma/semicolon separated
    (a comma inside parentheses lists alternatives of one requirement)."""
    items: list[str] = []
    for line in text.replace(";", "\n").splitlines():
        for part in _LIST_COMMA.split(line):
            item = part.strip(" \t-*•·")
            if item and item not in items:
                items.append(item)
    return items


def requirement_terms(requirements: Iterable[str]) -> list[list[int]]:
    return [[term_id(t) for t in terms(r)] for r in requirements]


def coverage(
    resumes: sparse.csr_matrix, requirements: list[list[int]], idf: np.ndarray | None = None
) -> np.ndarray:
    """For each resume and requirement, the (IDF-weighted) share of its terms present.

    Returns float32[n_resumes, n_requirements]. A requirement with no usable terms
    ("5+ years") counts as covered by no one and is left to the semantic side.
    """
    n = resumes.shape[0]
    out = np.zeros((n, len(requirements)), dtype=np.float32)
    present = resumes.copy()
    present.data = np.ones_like(present.data)
    for k, ids in enumerate(requirements):
        if not ids:
            continue
        ids_arr = np.asarray(ids)
        weights = idf[ids_arr] if idf is not None else np.ones(len(ids), np.float32)
        hits = present[:, ids_arr].toarray()
        out[:, k] = hits @ weights / weights.sum()
    return out


_MUST_HEAD = re.compile(
    r"^\s*(must[- ]have( skills)?|requirements|required( skills)?|qualifications"
    r"|anforderungen)\s*:?\s*$",
    re.I,
)
_NICE_HEAD = re.compile(
    r"^\s*(nice[- ]to[- ]have( skills)?|preferred( skills)?|bonus|wünschenswert)\s*:?\s*$", re.I
)


def requirements_from_text(text: str) -> tuple[list[str], list[str]]:
    """Must-have and nice-to-have items under headings of a job posting given as text.

    A heading alone on its line starts a section; the next blank line or heading ends it.
    """
    must: list[str] = []
    nice: list[str] = []
    target: list[str] | None = None
    for line in text.splitlines():
        if _MUST_HEAD.match(line):
            target = must
        elif _NICE_HEAD.match(line):
            target = nice
        elif not line.strip():
            target = None if target is not None and (must or nice) else target
        elif target is not None:
            target.extend(r for r in split_requirements(line) if r not in target)
    return must, nice
