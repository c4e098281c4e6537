"""Dated roles: a date range at the head of a role, its title and employer from the lines
around it, and the years they cover."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from matching.intake.dates import RANGE, YEAR, covered_months, range_months
from matching.intake.sections import (
    CERTIFICATIONS,
    EDUCATION,
    EXPERIENCE,
    HEADER,
    OTHER,
    Line,
    heading,
    line_heading,
)


@dataclass
class Role:
    title: str
    employer: str
    start: str  # "YYYY-MM"
    end: str  # "YYYY-MM"
    present: bool
    years: float
    start_offset: int = 0
    end_offset: int = 0


# The blanks of resume templates ("Company Name - City , State"), not "Oak City Health" or
# "Ohio State University": "City" and "State" count only alone or as "City, State".
PLACEHOLDER = re.compile(
    r"\bcompany name\b|\bcity\s*,\s*state\b|^\s*(?:city|state)\s*$", re.IGNORECASE | re.MULTILINE
)
TITLE_WORDS = frozenset(
    """manager director engineer consultant analyst assistant specialist coordinator officer
    representative accountant nurse teacher developer designer administrator supervisor
    instructor advocate executive associate intern technician clerk agent lead head chief
    president vice owner founder partner advisor adviser trainer reporter editor writer
    scientist researcher professor lecturer attorney lawyer paralegal chef cook cashier
    barista driver operator mechanic electrician architect programmer bookkeeper auditor
    controller counselor therapist pharmacist physician doctor sales marketing finance
    resume curriculum vitae cv""".split()
)


def _is_trivial(line: str) -> bool:
    return not PLACEHOLDER.sub("", line).strip(" ,.-\u2013:;|")


def _title_like(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 8
        and len(line) <= 70
        and not line.endswith(".")
        and not RANGE.search(line)
        and not re.search(YEAR, line)
        and line[:1].isupper()
        and heading(line) is None
        and "@" not in line
    )


def _clean_title(text: str) -> str:
    # Markdown's "### Staff Nurse, ...", "**Staff Nurse**, ..." and "*March 2019 - Present*".
    return PLACEHOLDER.sub("", re.sub(r"\*\*|__", "", text)).strip(" ,.-\u2013:;|#*_>")


# "Senior Backend Engineer, Fernhill Freight - Pittsburgh, PA": the title, then the
# employer and place after the first comma, dash, bar or "at".
_TITLE_SPLIT = re.compile(r"\s*,\s*|\s+[-\u2013\u2014|@]\s+|\s+at\s+")


_BULLET_LINE = re.compile(r"\s*(?:[-*\u2022\u25cf\u25aa\u2013]\s|\d+[.)]\s)")

# A head line that ends in a place ("..., Chicago, IL", "... - Remote") names the employer
# and the place after the title, however short: "Senior DevOps Engineer, Lakeshore
# Payments - Chicago, IL". Without one, a comma may be the title's own ("Manager, Business
# Development").
_PLACE_END = re.compile(r",\s*[A-Z]{2}$|\bRemote$")


# What names an organisation after a title's comma ("Nurse, St Mary", "Analyst, Acme
# Inc", "Lecturer, University of Leeds"), where "Manager, Business Development" and
# "Director, University Relations" are one title: a legal form at the end, a saint's name
# at the start, or an institution named as such.
_ORG = re.compile(
    r"^(?:St\.?|Saint)\s+[A-Z]|"
    r"\b(?:Inc|LLC|LLP|Ltd|PLC|GmbH|AG|Corp|Corporation|Company|Co)\.?$|"
    r"^(?:University|College) of [A-Z]|"
    r"\b(?:University|College|Hospital|Clinic|Medical Center|Bank)$"
)


def _head_parts(line: str) -> tuple[str, str]:
    """The title and the employer a role's head line gives ("" where it gives none)."""
    line = _clean_title(line)
    if _title_like(line) and not _PLACE_END.search(line):
        title, comma, rest = line.partition(",")
        if comma and _ORG.search(rest.strip()) and _title_like(title.strip()):
            return title.strip(), rest.strip()
        return line, ""
    title = _head_title_part(line)
    if not title:
        return "", ""
    rest = re.sub(r"^at\s+", "", line[len(title) :].strip(" ,-\u2013\u2014|@"))
    # "Intensive Care Unit, Mission Bay Medical Center - San Diego, CA": the employer
    # stands last before the dash that opens the place; "Harbor Market, Norfolk, VA" has
    # no such dash, and the employer comes first.
    dash = re.split(r"\s+[-\u2013\u2014|]\s+", rest)
    employer = dash[0].split(",")[0] if len(dash) == 1 else " - ".join(dash[:-1]).split(",")[-1]
    employer = _clean_title(employer)
    return title, employer if _title_like(employer) else ""


def _head_title(line: str) -> str:
    return _head_parts(line)[0]


def _head_title_part(line: str) -> str:
    """The first part of a head line when it reads as a title and the line is no sentence
    ("Senior Backend Engineer, Fernhill Freight Technologies - Pittsburgh, PA" is too long
    as a whole, and "..., Chicago, IL" ends in a place)."""
    parts = _TITLE_SPLIT.split(line, maxsplit=1)
    if (
        len(parts) == 2
        and len(line) <= 140
        and not line.endswith(".")
        and "@" not in line
        and not RANGE.search(line)
        and not re.search(YEAR, line)
    ):
        head = _clean_title(parts[0])
        if _title_like(head):
            return head
    return ""


def roles_of(text: str, lines: list[Line], today: date) -> list[Role]:
    has_experience = any(ln.section == EXPERIENCE for ln in lines)
    roles: list[Role] = []
    layout: str | None = None  # "title_first" or "date_first", fixed by the first role
    for m in RANGE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start : m.start()].strip()
        if not _is_role_head(m, before, lines, has_experience):
            continue
        span = range_months(m, today)
        if span is None:
            continue
        start, end, present = span
        prev = [ln for ln in lines if ln.end <= line_start and not _is_trivial(ln.text)]
        after_line_end = text.find("\n", m.end())
        same_line_after = text[m.end() : after_line_end if after_line_end >= 0 else None]
        # The lines after it in the same section (never the education below the last role).
        section = next((ln.section for ln in lines if ln.end >= m.start()), HEADER)
        nxt = [
            ln
            for ln in lines
            if ln.start >= m.end() and not _is_trivial(ln.text) and ln.section == section
        ][:4]
        if layout is None:
            prev_is_heading = not prev or _is_heading_gap(text, prev[-1].end, line_start)
            layout = "date_first" if prev_is_heading and not before else "title_first"
        title, employer = _title(before, same_line_after, prev, nxt, layout)
        roles.append(
            Role(
                title=title,
                employer=employer or _employer(nxt, title),
                start=f"{start // 12:04d}-{start % 12 + 1:02d}",
                end=f"{end // 12:04d}-{end % 12 + 1:02d}",
                present=present,
                years=round(covered_months(m, start, end, present) / 12, 2),
                start_offset=m.start(),
            )
        )
    _set_end_offsets(text, lines, roles)
    return roles


def _is_role_head(m: re.Match[str], before: str, lines: list[Line], has_experience: bool) -> bool:
    sect = next((ln.section for ln in lines if ln.end >= m.start()), HEADER)
    if has_experience and sect != EXPERIENCE:
        return False
    if sect in (EDUCATION, CERTIFICATIONS, OTHER):
        return False
    # The head of a role stands at the start of a line, after a short title on it, or
    # after its title and employer ("Sales Intern, Midstate Office Supply, Jun 2023 -
    # Aug 2023"); a range inside a sentence ("from 2007-2010") is an achievement.
    if before.endswith(("from", "between")):
        return False
    if len(before) <= 60 and not before.endswith(","):
        return True
    return bool(_head_title(before))


def _title(
    before: str, same_line_after: str, prev: list[Line], nxt: list[Line], layout: str
) -> tuple[str, str]:
    """The role's title, and its employer where the title's own line names it."""
    heads = [before, same_line_after]
    if layout == "title_first" and prev:
        heads.append(prev[-1].text)
    for head in heads:
        title, employer = _head_parts(head) if head else ("", "")
        if title:
            return title, employer
    for ln in nxt:
        cleaned = _clean_title(ln.text)
        if _title_like(cleaned):
            return cleaned, ""
    return "", ""


def _employer(nxt: list[Line], title: str) -> str:
    for ln in nxt[:2]:
        if _BULLET_LINE.match(ln.text):
            break  # "- Precepted new graduates.": what was done there, not where
        cleaned = _clean_title(ln.text)
        if cleaned and cleaned != title and _title_like(cleaned):
            return cleaned
    return ""


def _set_end_offsets(text: str, lines: list[Line], roles: list[Role]) -> None:
    # A role's text runs to the next role's head (or its title line) or the section's end.
    for i, role in enumerate(roles):
        role.end_offset = roles[i + 1].start_offset if i + 1 < len(roles) else len(text)
        nxt_exp_end = next(
            (ln.start for ln in lines if ln.start > role.start_offset and ln.section != EXPERIENCE),
            len(text),
        )
        role.end_offset = min(role.end_offset, nxt_exp_end)


def _is_heading_gap(text: str, prev_end: int, line_start: int) -> bool:
    """Whether a section heading stands between a line and the next text."""
    between = text[prev_end:line_start]
    return any(line_heading(x) for x in between.split("\n"))


def months_merged(roles: list[Role]) -> int:
    """Months covered by roles, overlaps counted once. A role covers its `years` from its
    start (the end month included where it was written: dates.covered_months)."""
    spans = sorted((_ym(r.start), _ym(r.start) + round(r.years * 12)) for r in roles)
    if not spans:
        return 0
    total = 0
    cur_s, cur_e = spans[0]
    for s, e in spans[1:]:
        if s > cur_e:
            total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    return total + cur_e - cur_s


def _ym(value: str) -> int:
    y, m = value.split("-")
    return int(y) * 12 + int(m) - 1
