"""Where and from when: places geocoded with GeoNames, a candidate's places, radius and
availability, a posting's place, remote option and start, and the two pair features
that read them (trained heads only)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from matching.intake.logistics import day_of, posting_terms_of, work_terms_of
from matching.intake.places import Point, distance_km, geocode
from matching.intake.profile import profile_of
from matching.privacy.selectors import resume_display_profile
from matching.scoring import features
from matching.scoring.features import availability_fit, location_fit, work_arrays

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


def test_distance_between_two_cities_is_the_great_circle():
    munich, hamburg = geocode("München"), geocode("Hamburg")
    assert munich is not None and hamburg is not None
    km = distance_km(np.array([munich.latitude]), np.array([munich.longitude]), hamburg)
    assert 600 < km[0] < 625  # 612 km as the crow flies


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


def test_a_posting_gives_its_place_remote_option_and_start():
    gulp = posting_terms_of("Projekt\nBeginn\n15.10.2019\nDauer\n1 Jahr\nEinsatzort\nHannover\n")
    assert gulp.place is not None and gulp.place.name == "Hannover"
    assert gulp.start == date(2019, 10, 15) and not gulp.remote
    english = posting_terms_of("Accountant\nLocation: Remote\nStart date: 2025-03-01\n")
    assert english.place is None and english.remote and english.start == date(2025, 3, 1)
    assert posting_terms_of("Dev\nWork is 100% remote.\nStart: ASAP\n").remote
    assert posting_terms_of("Dev\nStart: ASAP\n").start is None


def _fit(resume: str, posting: str) -> float:
    arrays = work_arrays([work_terms_of(resume).to_json()])
    return float(location_fit(arrays["places"], posting_terms_of(posting))[0])


def test_location_fit_falls_with_the_distance_beyond_the_nearest_radius():
    munich = "Dev\nStädte\nMünchen\n200 km\n"
    assert _fit(munich, "Job\nEinsatzort\nAugsburg\n") == 1.0  # 60 km, within 200
    beyond = 612 - 200  # to Hamburg
    assert _fit(munich, "Job\nEinsatzort\nHamburg\n") == pytest.approx(
        np.exp(-beyond / features.LOCATION_SCALE_KM), abs=0.02
    )
    # The nearest of several places counts; no radius stated is a commute.
    assert _fit("Dev\nStädte\nMünchen\nHamburg\n", "Job\nEinsatzort\nHamburg\n") == 1.0
    assert _fit("Dev\nStädte\nMünchen\n", "Job\nEinsatzort\nAugsburg\n") < 1.0


def test_location_fit_is_no_obstacle_when_unknown_remote_or_willing_to_relocate():
    far = "Job\nEinsatzort\nHamburg\n"
    assert _fit("Dev\nExperience\n", far) == 1.0
    assert _fit("Dev\nStädte\nMünchen\nbundesweit\n", far) == 1.0
    assert _fit("Dev\nStädte\nMünchen\n", "Job\nEinsatzort\nHamburg\n100% remote\n") == 1.0
    assert _fit("Dev\nStädte\nMünchen\n", "Job without a place\n") == 1.0


def test_availability_fit_falls_with_the_days_free_after_the_start():
    available = work_arrays(
        [
            {"available_from": "2019-12-14"},  # 60 days after the start
            {"available_from": "2019-09-01"},  # before it
            {"available_from": ""},
            None,
        ]
    )["available"]
    posting = posting_terms_of("Job\nBeginn\n15.10.2019\n")
    fit = availability_fit(available, posting)
    assert fit[0] == pytest.approx(np.exp(-60 / features.AVAILABILITY_SCALE_DAYS), abs=1e-3)
    assert list(fit[1:]) == [1.0, 1.0, 1.0]
    assert list(availability_fit(available, posting_terms_of("Job\n"))) == [1.0] * 4


def test_the_profile_keeps_work_terms_in_any_language_and_hides_places_when_anonymized():
    profile = profile_of(GULP_RESUME, today=date(2026, 1, 1)).stored(as_of=date(2026, 1, 1))
    assert profile["language"] == "other"
    assert profile["work_terms"]["available_from"] == "2019-11-01"
    assert len(profile["work_terms"]["places"]) == 3
    shown = resume_display_profile(profile=profile, anonymized=True)
    assert shown["work_terms"]["places"] == []
    assert shown["work_terms"]["available_from"] == "2019-11-01"
    assert resume_display_profile(profile=profile, anonymized=False) is profile


def test_a_batch_without_stored_work_terms_scores_them_as_unknown():
    arrays = work_arrays([None, {}])
    posting = posting_terms_of("Job\nEinsatzort\nHamburg\nBeginn\n01.10.2019\n")
    assert list(location_fit(arrays["places"], posting)) == [1.0, 1.0]
    assert list(availability_fit(arrays["available"], posting)) == [1.0, 1.0]
    assert Point(0.0, 0.0) != geocode("Hamburg")


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
