"""django-filter filter sets of the list endpoints (query parameters of GET lists)."""

from __future__ import annotations

from datetime import UTC

import django_filters
from django import forms
from django.utils import timezone
from django_filters.fields import IsoDateTimeField, RangeField
from django_filters.widgets import DateRangeWidget
from rest_framework.filters import OrderingFilter

from matching.models import Job, Rating, Resume


class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number (NumberFilter alone would take 1.5)."""

    field_class = forms.IntegerField


class _StrictNullBooleanField(forms.NullBooleanField):
    widget = forms.TextInput  # the select widgets turn an unknown value into "no filter"

    def to_python(self, value):
        if value in ("", None):
            return None
        parsed = super().to_python(value)
        if parsed is None:
            raise forms.ValidationError("Enter true or false.", code="invalid")
        return parsed


class BooleanFilter(django_filters.BooleanFilter):
    """true / false (or 1 / 0); anything else is a 400 rather than silently no filter."""

    field_class = _StrictNullBooleanField


class _UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, passed on in UTC: Python accepts UTC offsets up to 23:59,
    PostgreSQL only up to 15:59, so "...-21:46" would otherwise become a database error."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None or timezone.is_naive(parsed):
            return parsed
        try:
            return parsed.astimezone(UTC)
        except OverflowError:  # year 1 or 9999 moved past the calendar's end
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class _UtcIsoDateTimeRangeField(RangeField):
    widget = DateRangeWidget

    def __init__(self, *args, **kwargs) -> None:
        super().__init__((_UtcIsoDateTimeField(), _UtcIsoDateTimeField()), *args, **kwargs)


class DateTimeRangeFilter(django_filters.IsoDateTimeFromToRangeFilter):
    """`<name>_after` / `<name>_before`: ISO 8601 date-times, both ends included."""

    field_class = _UtcIsoDateTimeRangeField


class ResumeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Resume.Status.choices)
    original_name = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Part of the file name, any case."
    )
    created = DateTimeRangeFilter(
        field_name="created_at",
        help_text="created_after / created_before: ISO 8601 date-times, both ends included.",
    )

    class Meta:
        model = Resume
        fields = ["status", "error_code", "original_name", "created"]


class JobFilter(django_filters.FilterSet):
    is_open = BooleanFilter()
    title = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the title.")

    class Meta:
        model = Job
        fields = ["is_open", "title"]


class RatingFilter(django_filters.FilterSet):
    job = IdFilter(field_name="pair__job_id", help_text="Job id.")
    resume = IdFilter(field_name="pair__resume_id", help_text="Resume id.")
    reviewer = IdFilter(field_name="reviewer_id", help_text="User id of the reviewer.")
    source = django_filters.ChoiceFilter(choices=Rating.Source.choices)
    created = DateTimeRangeFilter(
        field_name="created_at", help_text="created_after / created_before (ISO 8601)."
    )

    class Meta:
        model = Rating
        fields = ["job", "resume", "reviewer", "source", "created"]


class StableOrderingFilter(OrderingFilter):
    """`?ordering=field,-other`, always ending in the primary key, so pages never overlap
    or skip rows when many share a value (a status, a date)."""

    def get_ordering(self, request, queryset, view) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering.append("-pk" if ordering and ordering[0].startswith("-") else "pk")
        return ordering
