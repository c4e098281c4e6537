"""The anonymized view: what a reviewer sees of a resume (matching.privacy.anonymize)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User

from matching.models import Resume, ReviewerPreference
from matching.privacy.anonymize import anonymize, anonymous_label


def reviewer_anonymizes(*, user: User | AnonymousUser) -> bool:
    """Whether `user` sees resumes anonymized: their own choice if they made one, else
    ANONYMIZE_REVIEWS. No query for a session user: matching.backends loads the
    preference with the user; elsewhere one query per user object, then cached on it."""
    choice = None
    if user is not None and user.is_authenticated:
        try:
            choice = user.reviewer_preference.anonymize
        except ReviewerPreference.DoesNotExist:
            choice = None
    return settings.ANONYMIZE_REVIEWS if choice is None else choice


def resume_label(*, resume: Resume, anonymized: bool) -> str:
    """A resume's name on pages and in exports: the candidate's name read from the
    resume, else its file name; "Candidate #<id>" in the anonymized view."""
    if anonymized:
        return anonymous_label(resume.pk)
    return resume.candidate_name or resume.original_name


def resume_file_name(*, resume: Resume, anonymized: bool) -> str:
    """A resume's file name as uploaded, which often carries the candidate's name:
    "Candidate #<id>" in the anonymized view."""
    return anonymous_label(resume.pk) if anonymized else resume.original_name


# The parts of a resume's profile that say who the candidate is.
PROFILE_CONTACT = ("name", "email", "phone", "location")


def resume_display_profile(*, profile: dict, anonymized: bool) -> dict:
    """A resume's stored profile as pages and the API show it: in the anonymized view,
    without the candidate's name, e-mail, phone, location and the places they work from
    (their availability stays)."""
    if not anonymized:
        return profile
    hidden: dict[str, object] = {key: "" for key in PROFILE_CONTACT if key in profile}
    if profile.get("work_terms"):
        hidden["work_terms"] = {**profile["work_terms"], "places": []}
    return {**profile, **hidden}


def resume_work_places(*, profile: dict) -> list[dict]:
    """The places a shown profile says the candidate works from, for "Works from ...":
    none when the only one is the head line's town without a radius, which the page
    already shows as the location."""
    places: list[dict] = (profile.get("work_terms") or {}).get("places") or []
    only = places[0] if len(places) == 1 else None
    if only and only.get("radius_km") is None and only.get("name") == profile.get("location"):
        return []
    return places


def resume_display_text(*, text: str, anonymized: bool) -> str:
    if not anonymized:
        return text
    return anonymize(text).text


def shown_span(text: str, *, anonymized: bool) -> Callable[[int, int], tuple[int, int]] | None:
    """How a span of the embedded resume text (window spans of the cached vectors) maps
    onto the text shown, or None when the two are the same text: the embedded text keeps
    every offset of the resume (matching.intake.sections.evidence_text blanks, never
    removes), so only the anonymized view moves them."""
    return anonymize(text).span_to_masked if anonymized else None
