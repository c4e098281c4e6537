"""Voluntary self-identification of applicants, kept apart from everything that scores.

It usually comes from the applicant tracking system's survey (a CSV or the API). It is read
only by the adverse-impact report, behind its own permission (`read_self_identification`,
which no group holds by default), never by a model, the ranking pages or the ranking API
(an import-linter contract keeps matching from importing this app), and it goes with the
resume: the row cascades when the resume is deleted or erased.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fairness.categories import AgeBand, RaceEthnicity, Sex, YesNo


class SelfIdentification(models.Model):
    # Blank everywhere means "not stated" (declined, or not asked): the report counts it
    # as unknown, never guesses.
    resume = models.OneToOneField(
        "matching.Resume", on_delete=models.CASCADE, related_name="self_identification"
    )
    sex = models.CharField(max_length=16, choices=Sex.choices, blank=True)
    race_ethnicity = models.CharField(max_length=32, choices=RaceEthnicity.choices, blank=True)
    age_band = models.CharField(max_length=16, choices=AgeBand.choices, blank=True)
    disability = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    veteran = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    # Where it came from: "csv:<file name>" or "api".
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "self-identification"
        verbose_name_plural = "self-identifications"
        # No "view": reading is its own permission, so that granting a reviewer every
        # view permission of the site does not expose it.
        default_permissions = ("add", "change", "delete")
        permissions = [
            (
                "read_self_identification",
                "Can read self-identification data and adverse-impact reports",
            )
        ]

    def __str__(self) -> str:
        # Never the categories: a str() ends up in logs and admin messages.
        return f"self-identification of resume #{self.resume_id}"
