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
    # The requirements whose verdict this sentence decides ("" outside every evidence).
    decides: str
    pieces: list[Piece] = field(default_factory=list)


def evidence_spans(text: str, evidence: Iterable[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Where each (requirement, sentence) stands in `text`: sorted, disjoint spans, each
    with the requirements it decides ("Python; Django" where one sentence decides two).
    A sentence not found as it is (the profile normalised its spaces) is left out."""
    found: dict[tuple[int, int], list[str]] = {}
    for requirement, sentence in evidence:
        start = text.find(sentence) if sentence else -1
        if start >= 0:
            found.setdefault((start, start + len(sentence)), []).append(requirement)
    merged: list[tuple[int, int, str]] = []
    for (start, end), reqs in sorted(found.items()):
        label = "; ".join(dict.fromkeys(reqs))
        if merged and start < merged[-1][1]:
            prev_start, prev_end, prev_label = merged[-1]
            merged[-1] = (prev_start, max(prev_end, end), f"{prev_label}; {label}")
        else:
            merged.append((start, end, label))
    return merged


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


def highlight(text: str, *, spans: list[tuple[int, int, str]], words: set[str]) -> list[Segment]:
    """`text` as segments in order: inside or outside the evidence spans (sorted,
    disjoint, with what they decide), each split into plain pieces and marked words."""
    segments: list[Segment] = []
    pos = 0
    for start, end, decides in spans:
        if start > pos:
            segments.append(Segment(decides="", pieces=_pieces(text[pos:start], words)))
        segments.append(Segment(decides=decides, pieces=_pieces(text[start:end], words)))
        pos = end
    if pos < len(text):
        segments.append(Segment(decides="", pieces=_pieces(text[pos:], words)))
    return segments
