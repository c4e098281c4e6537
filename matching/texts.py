"""Text rules shared by every layer: the text hash, the one normal form of extracted text,
the key that finds copies of a resume's text, and how a job's requirements are split and
written into the text that is embedded. Pure (re, hashlib, unicodedata): models.py and the
extraction child may import it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Lone surrogates come out of broken PDF font maps and JSON escapes; no database or
# UTF-8 encoder accepts them.
_SURROGATES = re.compile("[\ud800-\udfff]")


def normalize_text(text: str) -> str:
    """One canonical form of extracted text: NFC, no control characters, tidy blank lines.

    Idempotent: normalising twice gives the same text (and so the same text hash).
    """
    text = _SURROGATES.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00ad", "")  # soft hyphens split words in PDFs
    text = CONTROL.sub(" ", text)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    # Last, so characters brought together by the removals above are composed too.
    return unicodedata.normalize("NFC", text).strip()


def resume_text_key(text: str) -> str:
    """The hash that finds copies of a resume's text kept outside matching (labeled
    examples, rows of training files) when the resume is erased.

    The text as extraction normalises it, with every run of whitespace made one space: a
    copy that differs from the stored text only in line endings, a trailing newline, blank
    lines or spacing (pasted into a JSON file, sent as feedback) is the same person.
    """
    return text_hash(" ".join(normalize_text(text).split()))


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


def job_text(*, title: str, description: str, must_have: str, nice_to_have: str) -> str:
    """The text embedded for a job (Job.embedded_text); its requirement headings parse back
    with requirements_from_text, so a job scores the same from the database or a file."""
    parts = [title, description]
    for heading, raw in (("Must have:", must_have), ("Nice to have:", nice_to_have)):
        items = split_requirements(raw)
        if items:
            parts.append("\n".join([heading, *items]))
    return "\n\n".join(parts)
