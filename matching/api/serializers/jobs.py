from __future__ import annotations

from rest_framework import serializers

from matching.intake import rates
from matching.models import Job

JOB_FIELDS = ["title", "description", "must_have", "nice_to_have", "is_open"]


class JobIn(serializers.ModelSerializer):
    """A job's editable fields; requirements are one per line (or comma separated)."""

    class Meta:
        model = Job
        fields = JOB_FIELDS


class JobOut(serializers.ModelSerializer):
    budget = serializers.SerializerMethodField(
        help_text='The rate or salary the description states under a label ("Budget", '
        '"Stundensatz", "Salary"): low, high, currency, per (hour, day, month, year); '
        "null when it states none."
    )

    class Meta:
        model = Job
        fields = ["id", *JOB_FIELDS, "budget", "created_at", "updated_at"]
        read_only_fields = fields

    def get_budget(self, job: Job) -> dict | None:
        budget = rates.posting_budget(job.description)
        return budget.to_json() if budget else None
