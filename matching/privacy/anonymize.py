"""Mask what identifies a candidate in a resume's text: names, contact details, photos.

Heuristics, not a model: no NER model is available offline, and a regular expression
that is wrong is easier to see and fix than a model that is. What is masked and where
the heuristics stop is in docs/reviewing.md ("Anonymized view"); in short:

- name: the resume's own name, read from its first line (after a "Resume"/"CV" title)
  when that line looks like a name (two to four capitalised words, no job words), and
  from "Name:" fields; then every capitalised occurrence of those words anywhere. A
  resume whose first line is a headline ("Senior Java developer") has no name found,
  and names of other people (referees) are not recognised;
- e-mail addresses; phone numbers (international and national formats with spaces,
  dots, dashes, parentheses; not years, date ranges, dates or plain counts);
- street addresses: a number, capitalised street name words and a suffix (Street, Ave,
  Road ...), German "...straße 12", with the city/postcode that follows; the zip or
  postcode of the contact block; and "Address:" lines;
- photos: image markup, "[photo]" placeholders, image file names, "Photo:" captions;
- dates of birth: a date after "Date of birth", "DOB", "Born", "Geburtsdatum" ...;
  employment dates have no such label and are kept;
- profile URLs: LinkedIn, XING, GitHub, GitLab and similar anywhere; any other URL or
  bare domain in the contact block (the first lines) or on a "Website:" line.

The masked text keeps everything else, line breaks included, so passages and words can
still be highlighted in it; `Masked` maps character positions between the two texts.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

from matching.privacy.detectors import (
    ADDRESS,
    BIRTH,
    EMAIL,
    NAME,
    PHONE,
    PHOTO,
    URL,
    find,
)

TOKENS = {
    NAME: "[NAME]",
    EMAIL: "[EMAIL]",
    PHONE: "[PHONE]",
    ADDRESS: "[ADDRESS]",
    PHOTO: "[PHOTO]",
    BIRTH: "[DATE OF BIRTH]",
    URL: "[URL]",
}
# When two findings overlap and start at the same place, the longer wins; at equal
# length the kind listed first (a name inside an e-mail address is the e-mail).
_PRIORITY = {kind: i for i, kind in enumerate((EMAIL, URL, PHOTO, BIRTH, ADDRESS, PHONE, NAME))}


@dataclass(frozen=True)
class MaskedSpan:
    start: int  # in the original text
    end: int
    kind: str
    masked_start: int  # in the masked text
    masked_end: int


@dataclass(frozen=True)
class Masked:
    """The masked text, what was masked, and positions mapped between the two texts."""

    text: str
    spans: tuple[MaskedSpan, ...]

    @property
    def kinds(self) -> set[str]:
        return {s.kind for s in self.spans}

    def to_masked(self, pos: int, *, end: bool = False) -> int:
        """A position in the original text as a position in the masked one. A position
        inside a masked span moves to the token's start (or its end, for `end=True`),
        so a passage that cuts through a name still covers the whole token."""
        return _map(pos, self.spans, "start", "end", "masked_start", "masked_end", end)

    def to_original(self, pos: int, *, end: bool = False) -> int:
        """A position in the masked text as a position in the original one."""
        return _map(pos, self.spans, "masked_start", "masked_end", "start", "end", end)

    def span_to_masked(self, start: int, end: int) -> tuple[int, int]:
        return self.to_masked(start), self.to_masked(end, end=True)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original(end, end=True)


def _map(
    pos: int, spans: tuple[MaskedSpan, ...], a0: str, a1: str, b0: str, b1: str, end: bool
) -> int:
    starts = [getattr(s, a0) for s in spans]
    i = bisect.bisect_right(starts, pos) - 1
    if i < 0:
        return pos
    span = spans[i]
    if pos < getattr(span, a1) and pos > getattr(span, a0):
        return getattr(span, b1) if end else getattr(span, b0)
    if pos == getattr(span, a0):
        return getattr(span, b0)
    return pos - getattr(span, a1) + getattr(span, b1)


def _resolve(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping findings: the earliest first, then the longest, then by kind."""
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, kind in sorted(found, key=lambda f: (f[0], f[0] - f[1], _PRIORITY[f[2]])):
        if start >= last_end and end > start:
            chosen.append((start, end, kind))
            last_end = end
    return chosen


def blank_personal(text: str, *, found_in: str | None = None) -> str:
    """`text` with every personal detail blanked to spaces (line breaks kept), so each
    character keeps its offset. The details are those found in `found_in` (default: the
    text itself), which must have the same offsets: the scorer's evidence is the resume
    with parts already blanked, and its name is found in the resume as written."""
    chars = list(text)
    for start, end, _ in _resolve(find(text if found_in is None else found_in)):
        for i in range(start, min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


@lru_cache(maxsize=512)
def anonymize(text: str) -> Masked:
    """`text` with names, contact details, photos and dates of birth replaced by tokens
    such as "[NAME]"; the rest of the text and its layout unchanged. Cached: a page
    shows the same resume to many reviewers."""
    pieces: list[str] = []
    spans: list[MaskedSpan] = []
    pos = out = 0
    for start, end, kind in _resolve(find(text)):
        pieces.append(text[pos:start])
        out += start - pos
        token = TOKENS[kind]
        spans.append(MaskedSpan(start, end, kind, out, out + len(token)))
        pieces.append(token)
        out += len(token)
        pos = end
    pieces.append(text[pos:])
    return Masked(text="".join(pieces), spans=tuple(spans))


ORIGINAL_FILE_HIDDEN = (
    "The original file is hidden while your anonymized view is on: it shows the "
    "candidate's name and contact details. Switch the view off in the top bar to download it."
)


def anonymous_label(resume_id: int) -> str:
    """What stands for a resume's file name, which often carries the candidate's name."""
    return f"Candidate #{resume_id}"
