from __future__ import annotations

from rest_framework import serializers

from matching.models import Job

JOB_FIELDS = ["title", "description", "must_have", "nice_to_have", "is_open"]


class JobIn(serializers.ModelSerializer):
    """A job's editable fields; requirements are one per line (or comma separated)."""

    class Meta:
        model = Job
        fields = JOB_FIELDS


class JobOut(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = ["id", *JOB_FIELDS, "created_at", "updated_at"]
        read_only_fields = fields
