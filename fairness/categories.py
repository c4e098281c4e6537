"""The self-identification categories: those of the EEO-1 report, which New York City's
Local Law 144 rules (6 RCNY 5-300) take for bias audits. One place; the model's choices,
the import's validation and the report's rows all read them."""

from __future__ import annotations

from django.db import models


class Sex(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"


class RaceEthnicity(models.TextChoices):
    HISPANIC_OR_LATINO = "hispanic_or_latino", "Hispanic or Latino"
    WHITE = "white", "White"
    BLACK = "black", "Black or African American"
    PACIFIC_ISLANDER = "pacific_islander", "Native Hawaiian or Other Pacific Islander"
    ASIAN = "asian", "Asian"
    NATIVE_AMERICAN = "native_american", "American Indian or Alaska Native"
    TWO_OR_MORE = "two_or_more", "Two or More Races"


class AgeBand(models.TextChoices):
    UNDER_40 = "under_40", "Under 40"
    FORTY_AND_OVER = "40_and_over", "40 and over"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
