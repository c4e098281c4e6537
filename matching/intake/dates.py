"""Dates as resumes write them ("Nov 2009", "03/2015", "Summer 2019") and the ranges
that head a role ("Jan 2015 - Present")."""

from __future__ import annotations

import re
from datetime import date

# Month names and abbreviations, English and German, to their number. Role ranges are
# read in English (_MONTH below); the availability line (intake.logistics) in either.
MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [
            "jan january januar jän",
            "feb february februar",
            "mar march märz maerz mär",
            "apr april",
            "may mai",
            "jun june juni",
            "jul july juli",
            "aug august",
            "sep sept september",
            "oct october oktober okt",
            "nov november",
            "dec december dezember dez",
        ],
        start=1,
    )
    for name in names.split()
}
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DATE = (
    rf"(?:{_MONTH},?\s+(?:\d{{1,2}},?\s+)?{YEAR}"
    rf"|(?:0?[1-9]|1[0-2])\s*[/.-]\s*{YEAR}"
    rf"|{YEAR}\s+{_MONTH}"
    rf"|(?:spring|summer|fall|autumn|winter)\s+{YEAR}"
    rf"|{YEAR})"
)
# One date as written, on its own.
DATE = re.compile(rf"\b{_DATE}\b", re.IGNORECASE)
PRESENT = r"(?:present|current|currently|now|today|date|ongoing)"
RANGE = re.compile(
    rf"(?P<start>{_DATE})\s*(?:-|\u2013|—|to|through|thru|until|till)\s*(?P<end>{_DATE}|{PRESENT})\b",
    re.IGNORECASE,
)


def month_of(text: str, *, is_end: bool) -> int | None:
    """Months since year 0 of a date as written ("Nov 2009", "03/2015", "2019")."""
    t = text.lower()
    year_m = re.search(YEAR, t)
    if not year_m:
        return None
    year = int(year_m.group())
    month = None
    word = re.search(r"[a-z]+", t)
    if word:
        month = _SEASONS.get(word.group()) or MONTH_NUMBERS.get(word.group()[:3])
    else:
        num = re.match(r"\s*(\d{1,2})\s*[/.-]", t)
        if num:
            month = int(num.group(1))
    if month is None:
        # A bare year: counted from January to January, so "2013 - 2014" is one year
        # (the reader cannot know more; this never inflates a span).
        month = 1
    return year * 12 + (month - 1)


def range_months(m: re.Match[str], today: date) -> tuple[int, int, bool] | None:
    """Start and end month of a date range, and whether it runs to the present; None when
    it cannot be a role's span."""
    start = month_of(m.group("start"), is_end=False)
    end_text = m.group("end")
    present = bool(re.fullmatch(PRESENT, end_text.strip(), re.IGNORECASE))
    end = today.year * 12 + today.month - 1 if present else month_of(end_text, is_end=True)
    if start is None or end is None or end < start or end - start > 12 * 50:
        return None
    return start, end, present


def covered_months(m: re.Match[str], start: int, end: int, present: bool) -> int:
    """Months a role's range covers. A written end month was worked, as recruiters and
    LinkedIn count it: "Jan 2022 - Dec 2022" is twelve months, not eleven. A bare end year
    ("2018 - 2023") counts to its January and "present" to the start of this month, so
    neither inflates a span."""
    bare_end = re.fullmatch(YEAR, m.group("end").strip()) is not None
    return end - start + (0 if present or bare_end else 1)
