"""Where and from when a candidate works: places geocoded with GeoNames, each with its
radius, relocation and availability, read into the profile and shown on the resume
page."""

from __future__ import annotations

from datetime import date

import pytest

from matching.intake.logistics import day_of, work_terms_of
from matching.intake.places import geocode
from matching.intake.profile import profile_of
from matching.privacy.selectors import resume_display_profile

GULP_RESUME = """SOA/JEE Entwickler
verfügbar ab
01.11.2019
verfügbar zu
100 %
Städte
Düsseldorf
100 km
Köln
Essen
50 km
Kontaktwunsch
Ich möchte bevorzugt für Projekte in diesen Einsatzorten kontaktiert werden.
Projekte
Entwicklung und Wartung der Anwendungen einer Bank mit Java und Oracle, im Team mit der
Fachabteilung und für die Integration der Märkte in ein zentrales System.
"""

ENGLISH_RESUME = """Maria Lopez
Chicago, IL 60601 | maria@example.com
Senior Accountant
Experience
Staff Accountant, Acme Corp
Jan 2019 - Present
"""


def test_a_place_resolves_in_any_of_its_names_and_a_qualifier_says_which():
    assert geocode("München") == geocode("Munich") == geocode("primär München")
    assert geocode("40670 Meerbusch") is not None
    assert geocode("D2, Hamburg") == geocode("Hamburg")
    il, ma = geocode("Springfield, IL"), geocode("Springfield, MA")
    assert il is not None and ma is not None
    assert abs(il.longitude - ma.longitude) > 10  # Illinois, not Massachusetts
    assert geocode("Paris, France") != geocode("Paris, TX")
    for not_a_city in ("Remote", "PLZ-Gebiet, Land", "", "Kontaktwunsch"):
        assert geocode(not_a_city) is None


def test_a_gulp_profile_gives_its_cities_each_with_its_radius_and_its_availability():
    work = work_terms_of(GULP_RESUME)
    assert [(p.name, p.radius_km) for p in work.places] == [
        ("Düsseldorf", 100.0),
        ("Köln", None),
        ("Essen", 50.0),
    ]
    assert work.available_from == "2019-11-01"
    assert not work.relocates


def test_an_english_resume_gives_its_head_line_place_and_stated_terms():
    work = work_terms_of(ENGLISH_RESUME)
    assert [p.name for p in work.places] == ["Chicago, IL 60601"]
    assert work.places[0].radius_km is None and work.available_from == ""
    stated = work_terms_of(
        "Dev\nLocation: Austin, TX (within 30 miles)\nAvailable from: March 2025\n"
        "Willing to relocate.\n"
    )
    assert stated.places[0].radius_km == pytest.approx(30 * 1.609344)
    assert stated.available_from == "2025-03-01" and stated.relocates


def test_what_a_resume_does_not_state_stays_unknown():
    work = work_terms_of("Cashier\nExperience\nCashier, Shop\n2019 - 2021\nAvailable on request\n")
    assert work.places == [] and work.available_from == "" and not work.relocates
    assert day_of("ab sofort") is None and day_of("ASAP") is None and day_of("2019") is None


def test_the_profile_keeps_work_terms_in_any_language_and_hides_places_when_anonymized():
    profile = profile_of(GULP_RESUME, today=date(2026, 1, 1)).stored(as_of=date(2026, 1, 1))
    assert profile["language"] == "other"
    assert profile["work_terms"]["available_from"] == "2019-11-01"
    assert len(profile["work_terms"]["places"]) == 3
    shown = resume_display_profile(profile=profile, anonymized=True)
    assert shown["work_terms"]["places"] == []
    assert shown["work_terms"]["available_from"] == "2019-11-01"
    assert resume_display_profile(profile=profile, anonymized=False) is profile


def test_the_head_place_is_a_city_and_state_not_the_name_and_its_credentials():
    text = (
        "Rosa Delgado, RN, BSN, CCRN\nRegistered Nurse - Critical Care\n"
        "rosa.delgado@example.com | (619) 555-0154 | San Diego, CA\n\nSUMMARY\nNurse.\n"
    )
    profile = profile_of(text, today=date(2026, 1, 1))
    assert profile.location == "San Diego, CA"
    assert [p.name for p in work_terms_of(text).places] == ["San Diego, CA"]
    # A doctor's "MD" names a state, but the name is no city; a town too small for the
    # gazetteer is shown and has no coordinates.
    small = "Jane Roe, MD\nFamily physician\nTinytownville, MD\n"
    assert profile_of(small, today=date(2026, 1, 1)).location == "Tinytownville, MD"
    assert work_terms_of(small).places == []


def test_labels_are_whole_words_and_prose_is_not_read_as_terms():
    both = work_terms_of("Dev\nLocations: Chicago, IL; Denver, CO\nStartup founder\n")
    assert [p.name for p in both.places] == ["Chicago, IL", "Denver, CO"]
    resume = work_terms_of(
        "Jane Doe\nAustin, TX\nNot willing to relocate\nCitywide programs in Boston, MA\n"
        "Account manager for a company operating worldwide and nationwide accounts.\n"
        "Availability: on-call rotation 2018-2020\n"
        "Experience\nDeveloper, Acme\n2015 - 2018\nLocation: Dallas, TX\n"
    )
    # The head place stands; a past role's place and prose around a date do not count.
    assert [p.name for p in resume.places] == ["Austin, TX"]
    assert not resume.relocates and resume.available_from == ""


def test_country_and_state_names_qualify_a_city_but_are_not_one():
    for not_a_city in ("Remote, USA", "USA (Remote)", "California", "Bay Area", "Downtown"):
        assert geocode(not_a_city) is None, not_a_city
    assert geocode("New York, NY") == geocode("New York")
    assert geocode("Washington, DC") is not None
    assert geocode("Springfield, Illinois") == geocode("Springfield, IL")
    oder, main = geocode("Frankfurt (Oder)"), geocode("Frankfurt am Main")
    assert oder is not None and main is not None and oder.longitude - main.longitude > 5


def test_dates_as_written_and_what_is_no_date():
    assert day_of("03/01/2025") == date(2025, 3, 1)  # US, month first
    assert day_of("15/03/2025") == date(2025, 3, 15)  # can only be day first
    assert day_of("1st March 2025") == day_of("March 2025") == date(2025, 3, 1)
    assert day_of("Mai 2025") == date(2025, 5, 1) and day_of("Dezember 2025") == date(2025, 12, 1)
    for no_date in ("13/2025", "ASAP 2025", "from 2024", "on-call rotation 2018-2020"):
        assert day_of(no_date) is None, no_date
