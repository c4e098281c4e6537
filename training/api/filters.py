"""django-filter filter sets of training's list endpoints (query parameters of GET lists)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from matching.models import ScoringModel
from resumeproject.api.filters import BooleanFilter, DateTimeRangeFilter
from training.models import TrainingRun


class TrainingRunFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=TrainingRun.Status.choices,
        method="filter_status",
        help_text="The status shown: a run whose worker stopped reporting is failed.",
    )
    mode = django_filters.ChoiceFilter(choices=TrainingRun.Mode.choices)
    created = DateTimeRangeFilter(
        field_name="created_at", help_text="created_after / created_before (ISO 8601)."
    )

    class Meta:
        model = TrainingRun
        fields = ["status", "mode", "created"]

    def filter_status(
        self, queryset: QuerySet[TrainingRun], name: str, value: str
    ) -> QuerySet[TrainingRun]:
        return queryset.filter(TrainingRun.shown_status_q(value))


class ScoringModelFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ScoringModel.Kind.choices)
    is_active = BooleanFilter()

    class Meta:
        model = ScoringModel
        fields = ["kind", "is_active"]
