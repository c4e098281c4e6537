"""django-filter filter sets of matching's list endpoints (query parameters of GET lists)."""

from __future__ import annotations

import django_filters

from matching.models import Job, Rating, Resume
from resumeproject.api.filters import BooleanFilter, DateTimeRangeFilter, IdFilter


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
