"""Filter pieces every list endpoint shares: strict ids, booleans and date ranges for
django-filter filter sets, and the default ordering backend. The filter sets themselves
live with each app's endpoints (matching/api/filters.py, training/api/filters.py)."""

from __future__ import annotations

from datetime import UTC

import django_filters
from django import forms
from django.utils import timezone
from django_filters.fields import IsoDateTimeField, RangeField
from django_filters.widgets import DateRangeWidget
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from resumeproject.fields import MAX_ID, IdField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number from 1 to MAX_ID (NumberFilter alone would take 1.5,
    and a number past 64 bits reached the database as an OverflowError)."""

    field_class = IdField


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


class StableOrderingFilter(OrderingFilter):
    """`?ordering=field,-other`, always ending in the primary key, so pages never overlap
    or skip rows when many share a value (a status, a date)."""

    def get_ordering(self, request, queryset, view) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering.append("-pk" if ordering and ordering[0].startswith("-") else "pk")
        return ordering
