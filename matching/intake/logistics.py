"""Where and from when a candidate works, as resumes write it, in English or German.

The places a candidate works from, each with a travel radius where one is stated
("Städte / München / 200 km", "Location: Austin, TX (within 30 miles)", a "City, ST"
head line), whether they would go anywhere ("willing to relocate", "bundesweit"), and
the day they are available ("verfügbar ab 01.11.2019", "Available from: March 2025"),
and the rate they ask ("Stundensatz: 85 EUR", "Hourly rate: $90/hr"; rates.py).

Read from labelled lines above the first dated role (not where past roles were) and
short lines only, the way resumes state them; what is not stated is unknown, never
guessed. Stored in the profile (Resume.profile["work_terms"]) and shown on the resume
page. Weighed by no score: as features of a trained head they lowered gulp-dev's grouped
cross-validation (docs/benchmarks.md, "Custom training").
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from matching.intake.dates import MONTH_NUMBERS, RANGE
from matching.intake.labels import below, label_pattern, labelled
from matching.intake.places import Point, geocode, us_state_codes
from matching.intake.rates import candidate_rate

# "Chicago, IL 60601" in a resume's head lines (also the profile's displayed location).
US_PLACE = re.compile(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*),\s*([A-Z]{2})\b(?:\s+\d{5})?")
HEAD_LINES = 8
# Lines read after a label line: GULP lists one city per line, each with its radius.
_FOLLOWING = 12


_RESUME_PLACE_LABEL = label_pattern(
    r"städte|orte|einsatzorte?|wohnort|standorte?|locations?|preferred locations?|"
    r"based in|city|cities|residence|current location"
)
_AVAILABLE_LABEL = label_pattern(
    r"verfügbar ab|verfügbarkeit|available(?: from| as of| starting)?|availability"
)
_RADIUS = re.compile(
    r"(?:umkreis|within|radius)?\s*(\d{1,4})\s*(km|kilomet(?:er|re)s?|miles?|mi)\b", re.I
)
_RADIUS_LINE = re.compile(rf"^\s*(?:\+\s*)?{_RADIUS.pattern}\s*$", re.IGNORECASE)
# Said of the candidate on a line of its own, not prose about employers ("a company
# operating worldwide", "nationwide accounts").
_ANYWHERE = re.compile(
    r"\b(?:willing to relocate|open to relocation|open to relocating|relocation (?:possible|"
    r"welcome)|umzugsbereit|bundesweit|deutschlandweit|europaweit)\b",
    re.IGNORECASE,
)
_SHORT_LINE_WORDS = 10
_NEGATION = re.compile(r"\b(?:not|no|never|kein|keine|nicht)\b", re.IGNORECASE)
_DAY = re.compile(
    r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d\d)\b|\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"
)
# "03/01/2025" is US month-first; "15/03/2025" can only be day-first.
_SLASHED_DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")
_MONTH_YEAR = re.compile(r"\b(\d{1,2})\s*[/.-]\s*((?:19|20)\d\d)\b")
_MONTH_WORDS = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_MONTH_NAME = re.compile(
    rf"\b({_MONTH_WORDS})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_UNDATED = re.compile(r"\b(?:asap|as soon as possible|sofort|immediately|now)\b", re.I)
# A value longer than this is prose ("Available for weekend shifts since 2019"), not a date.
_DATE_VALUE_WORDS = 5
KM_PER_MILE = 1.609344


@dataclass
class WorkPlace:
    name: str
    latitude: float
    longitude: float
    radius_km: float | None = None  # None: not stated


@dataclass
class WorkTerms:
    """Where and from when a candidate can work."""

    places: list[WorkPlace] = field(default_factory=list)
    relocates: bool = False
    available_from: str = ""  # ISO date; "" when not stated
    rate: dict | None = None  # the rate asked (rates.Rate as JSON); None when not stated

    def to_json(self) -> dict:
        return asdict(self)


def day_of(text: str) -> date | None:
    """A date as written on its own ("01.11.2019", "2025-03-01", "03/01/2025", "March
    2025", "1st March 2025", "März 2025", "11/2019"; a month means its first day); None
    for anything else: "ab sofort", "ASAP", a bare year, prose around a date."""
    if len(text.split()) > _DATE_VALUE_WORDS or _UNDATED.search(text):
        return None
    if (m := _DAY.search(text)) is not None:
        day, month, year = m.group(1, 2, 3) if m.group(1) else m.group(6, 5, 4)
    elif (m := _SLASHED_DAY.search(text)) is not None:
        first, second, year = m.groups()
        month, day = (second, first) if int(first) > 12 else (first, second)
    elif (m := _MONTH_NAME.search(text)) is not None:
        day, month, year = "1", str(MONTH_NUMBERS[m.group(1).lower()]), m.group(2)
    elif (m := _MONTH_YEAR.search(text)) is not None:
        day, month, year = "1", m.group(1), m.group(2)
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _radius_km(text: str) -> float | None:
    m = _RADIUS.search(text)
    if m is None:
        return None
    value = float(m.group(1))
    return value * KM_PER_MILE if m.group(2).lower().startswith("mi") else value


def _places_after(lines: list[str], i: int, value: str) -> list[WorkPlace]:
    """The places of a label line: its own value, or the lines below it, each city
    followed by an optional radius line, until a line that is neither."""
    if value:
        # "Chicago, IL; Denver, CO", "Hamburg oder Berlin": each a place.
        found = []
        for part in re.split(r";|\s/\s|\s(?:oder|or|und|and)\s", value):
            if (point := geocode(part)) is not None:
                name = re.sub(r"\(\s*\)", "", _RADIUS.sub("", part)).strip(" ,;-")
                found.append(WorkPlace(name, point.latitude, point.longitude, _radius_km(part)))
        return found
    places: list[WorkPlace] = []
    for line in lines[i + 1 : i + 1 + _FOLLOWING]:
        text = line.strip()
        if not text:
            continue
        if _RADIUS_LINE.match(text) and places:
            places[-1].radius_km = _radius_km(text)
            continue
        point = geocode(text)
        if point is None:
            break
        places.append(WorkPlace(text, point.latitude, point.longitude, _radius_km(text)))
    return places


def head_place(text: str) -> tuple[str, Point | None] | None:
    """The "City, ST" of a resume's head lines and where it is: the first that names a
    US state or a city ("Springfield, IL", "Berlin, BE"), below the name line unless it
    names a city ("Rosa Delgado, RN" and "Jane Roe, MD" do not); a town too small for the
    gazetteer is shown without coordinates."""
    head = [line for line in text.split("\n") if line.strip()][:HEAD_LINES]
    for number, line in enumerate(head):
        for m in US_PLACE.finditer(line):
            point = geocode(m.group())
            if point is not None or (number > 0 and m.group(2) in us_state_codes()):
                return m.group(), point
    return None


def _before_experience(lines: list[str]) -> list[str]:
    """The lines above the first dated range: where a resume says where its candidate
    works, not where past roles were ("Location: Dallas, TX" under a 2015 - 2018 role)."""
    first = next((i for i, line in enumerate(lines) if RANGE.search(line)), len(lines))
    return lines[:first]


def work_terms_of(text: str) -> WorkTerms:
    """The candidate's places, relocation and availability, as the resume states them."""
    lines = _before_experience(text.replace("\r\n", "\n").split("\n"))
    terms = WorkTerms()
    for i, value in labelled(lines, _RESUME_PLACE_LABEL):
        terms.places.extend(_places_after(lines, i, value))
    found = head_place(text)
    if found is not None and found[1] is not None:
        point = found[1]
        if all(
            (p.latitude, p.longitude) != (point.latitude, point.longitude) for p in terms.places
        ):
            terms.places.append(WorkPlace(found[0], point.latitude, point.longitude))
    terms.relocates = any(
        _ANYWHERE.search(line) and not _NEGATION.search(line)
        for line in lines
        if len(line.split()) <= _SHORT_LINE_WORDS
    )
    for i, value in labelled(lines, _AVAILABLE_LABEL):
        if (day := day_of(value or below(lines, i))) is not None:
            terms.available_from = day.isoformat()
            break
    if (rate := candidate_rate(lines)) is not None:
        terms.rate = rate.to_json()
    return terms
