"""Labelled lines, as resumes and postings state terms: "Start date: March 2025" on one
line, or "Beginn" with "15.10.2019" on the line below it (GULP's layout)."""

from __future__ import annotations

import re


def label_pattern(names: str) -> re.Pattern[str]:
    """A line that starts with one of these labels, then a colon or nothing: the value
    is the rest of the line ("Start date: March 2025") or the lines below it ("Beginn" /
    "15.10.2019"). "Startup environment" and "Citywide programs" are not labels."""
    return re.compile(rf"^\s*(?:{names})\s*(?::\s*(.*?)\s*)?$", re.IGNORECASE)


def labelled(lines: list[str], label: re.Pattern[str]) -> list[tuple[int, str]]:
    """(line index, the value) of each labelled line: the text after the label on its
    line, else "" (the value is below it)."""
    found = []
    for i, line in enumerate(lines):
        if (m := label.match(line)) is not None:
            found.append((i, (m.group(1) or "").strip()))
    return found


def below(lines: list[str], i: int) -> str:
    return next((ln.strip() for ln in lines[i + 1 : i + 3] if ln.strip()), "")
