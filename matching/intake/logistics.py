"""Where and when, as resumes and postings write it, in English or German.

A resume: the places a candidate works from, each with a travel radius where one is
stated ("Städte / München / 200 km", "Location: Chicago, IL", a "City, ST" head line),
whether they would go anywhere ("willing to relocate", "bundesweit"), and the day they
are available ("verfügbar ab 01.11.2019", "Available from: March 2025").
A posting: its place ("Einsatzort: Hannover", "Location: Austin, TX"), whether it is
fully remote, and its start ("Beginn 15.10.2019", "Start date: 2025-03-01").

Read from labelled lines only, the way both kinds of document state them; what is not
stated is unknown (None), never guessed: the pair features that read these
(matching.scoring.features.location_fit, availability_fit) treat unknown as no obstacle.
"As soon as possible" is unknown too: it asks nothing a date could miss.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from matching.intake.dates import month_of
from matching.intake.places import Point, geocode, us_state_codes

# "Chicago, IL 60601" in a resume's head lines (also the profile's displayed location).
US_PLACE = re.compile(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*),\s*([A-Z]{2})\b(?:\s+\d{5})?")
HEAD_LINES = 8
# Lines read after a label line: GULP lists one city per line, each with its radius.
_FOLLOWING = 12
_RESUME_PLACE_LABEL = re.compile(
    r"^\s*(?:städte|orte|einsatzorte?|wohnort|standort|location|locations|"
    r"preferred locations?|based in|city|cities|residence|current location)\s*:?\s*(.*)$",
    re.IGNORECASE,
)
_POSTING_PLACE_LABEL = re.compile(
    r"^\s*(?:einsatzort|arbeitsort|standort|dienstort|location|job location|work location|"
    r"place of work|office location)\s*:?\s*(.*)$",
    re.IGNORECASE,
)
_AVAILABLE_LABEL = re.compile(
    r"^\s*(?:verfügbar ab|verfügbarkeit|available(?: from| as of| starting)?|availability)"
    r"\s*:?\s*(.*)$",
    re.IGNORECASE,
)
_START_LABEL = re.compile(
    r"^\s*(?:beginn|start|startdatum|starttermin|projektstart|start date|starting date|"
    r"anticipated start|start of work)\s*:?\s*(.*)$",
    re.IGNORECASE,
)
_RADIUS = re.compile(
    r"(?:umkreis|within|radius)?\s*(\d{1,4})\s*(km|kilomet(?:er|re)s?|miles?|mi)\b", re.I
)
_RADIUS_LINE = re.compile(rf"^\s*(?:\+\s*)?{_RADIUS.pattern}\s*$", re.IGNORECASE)
_ANYWHERE = re.compile(
    r"\b(?:willing to relocate|open to relocation|open to relocating|relocation (?:possible|"
    r"welcome)|umzugsbereit|bundesweit|deutschlandweit|europaweit|weltweit|nationwide|"
    r"anywhere)\b",
    re.IGNORECASE,
)
_FULLY_REMOTE = re.compile(
    r"\b(?:100\s?%|fully|full|completely|komplett|vollständig|rein|nur)[\s-]*remote\b|"
    r"\bremote[\s-]*(?:only|100\s?%)|^\s*remote\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_DAY = re.compile(
    r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d\d)\b|\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"
)
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

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class PostingTerms:
    """Where and from when a posting needs someone."""

    place: WorkPlace | None = None
    remote: bool = False
    start: date | None = None


def day_of(text: str) -> date | None:
    """A date as written ("01.11.2019", "2025-03-01", "March 2025", "11/2019"; a month
    means its first day); None for anything else, "ab sofort" and "ASAP" included."""
    if (m := _DAY.search(text)) is not None:
        day, month, year = (
            (m.group(1), m.group(2), m.group(3))
            if m.group(1)
            else (
                m.group(6),
                m.group(5),
                m.group(4),
            )
        )
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            return None
    months = month_of(text, is_end=False) if len(text) <= 40 else None
    if months is None or not re.search(r"[a-z]{3}|\d{1,2}\s*[/.-]\s*\d{4}", text, re.I):
        return None  # a bare year is too vague to be a start
    return date(months // 12, months % 12 + 1, 1)


def _labelled(lines: list[str], label: re.Pattern[str]) -> list[tuple[int, str]]:
    """(line index, the value) of each labelled line: the text after the label on its
    line, else "" (the value is below it) and the next non-empty line's text."""
    found = []
    for i, line in enumerate(lines):
        if (m := label.match(line)) is not None:
            found.append((i, m.group(1).strip()))
    return found


def _below(lines: list[str], i: int) -> str:
    return next((ln.strip() for ln in lines[i + 1 : i + 3] if ln.strip()), "")


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
        point = geocode(value)
        if point is None:
            return []
        name = re.sub(r"\(\s*\)", "", _RADIUS.sub("", value)).strip(" ,;-")
        return [WorkPlace(name, point.latitude, point.longitude, _radius_km(value))]
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
    city ("Springfield, IL", "Berlin, BE"; "Rosa Delgado, RN" names none), else the first
    below the name line that names a US state (a town too small for the gazetteer, shown
    without coordinates)."""
    head = [line for line in text.split("\n") if line.strip()][:HEAD_LINES]
    unplaced = None
    for number, line in enumerate(head):
        for m in US_PLACE.finditer(line):
            if (point := geocode(m.group())) is not None:
                return m.group(), point
            if number > 0 and unplaced is None and m.group(2) in us_state_codes():
                unplaced = m.group()
    return (unplaced, None) if unplaced else None


def work_terms_of(text: str) -> WorkTerms:
    """The candidate's places, relocation and availability, as the resume states them."""
    lines = text.replace("\r\n", "\n").split("\n")
    terms = WorkTerms()
    for i, value in _labelled(lines, _RESUME_PLACE_LABEL):
        terms.places.extend(_places_after(lines, i, value))
    if not terms.places and (found := head_place(text)) is not None and found[1] is not None:
        terms.places.append(WorkPlace(found[0], found[1].latitude, found[1].longitude))
    terms.relocates = _ANYWHERE.search(text) is not None
    for i, value in _labelled(lines, _AVAILABLE_LABEL):
        if (day := day_of(value or _below(lines, i))) is not None:
            terms.available_from = day.isoformat()
            break
    return terms


def posting_terms_of(text: str) -> PostingTerms:
    """A posting's place, whether it is fully remote, and its start, as stated."""
    lines = text.replace("\r\n", "\n").split("\n")
    terms = PostingTerms(remote=_FULLY_REMOTE.search(text) is not None)
    for i, value in _labelled(lines, _POSTING_PLACE_LABEL):
        value = value or _below(lines, i)
        if re.search(r"\bremote\b|home\s?office", value, re.IGNORECASE) and not geocode(value):
            terms.remote = True
        if (point := geocode(value)) is not None:
            terms.place = WorkPlace(value, point.latitude, point.longitude)
            break
    for i, value in _labelled(lines, _START_LABEL):
        if (day := day_of(value or _below(lines, i))) is not None:
            terms.start = day
            break
    return terms
