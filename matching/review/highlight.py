"""The resume text of the rating screen, cut into pieces a template can mark up.

Kept apart from the template so no HTML is built in Python: the template escapes every
piece and wraps the marked ones, so a resume's text can never inject markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from matching.intake import terms as intake_terms


@dataclass
class Piece:
    text: str
    term: bool  # a word of a requirement or skill the resume meets


@dataclass
class Segment:
    passage: bool  # inside one of the passages that match the job best
    pieces: list[Piece] = field(default_factory=list)


def requirement_words(requirements: Iterable[str]) -> set[str]:
    """The words whose occurrences in the resume are marked: those of the requirements
    and skills it meets, as index terms (intake.terms.terms: stemmed, no stop words), so the
    marked words are the ones the score and the found/missing lists counted."""
    return {t for r in requirements for t in intake_terms.terms(r)}


def _pieces(text: str, words: set[str]) -> list[Piece]:
    pieces: list[Piece] = []
    pos = 0
    # A word as terms.tokenize sees one: "C++", "node.js" and "ci/cd"-like pieces stay whole.
    for match in intake_terms.TOKEN.finditer(text):
        if intake_terms.stem(match.group().lower().strip(".")) not in words:
            continue
        if match.start() > pos:
            pieces.append(Piece(text[pos : match.start()], term=False))
        pieces.append(Piece(match.group(), term=True))
        pos = match.end()
    if pos < len(text):
        pieces.append(Piece(text[pos:], term=False))
    return pieces


def highlight(text: str, *, passages: list[tuple[int, int]], words: set[str]) -> list[Segment]:
    """`text` as segments in order: inside or outside the passages (sorted, disjoint
    character spans), each split into plain pieces and marked words."""
    segments: list[Segment] = []
    pos = 0
    for start, end in passages:
        if start > pos:
            segments.append(Segment(passage=False, pieces=_pieces(text[pos:start], words)))
        segments.append(Segment(passage=True, pieces=_pieces(text[start:end], words)))
        pos = end
    if pos < len(text):
        segments.append(Segment(passage=False, pieces=_pieces(text[pos:], words)))
    return segments
