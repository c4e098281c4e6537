from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matching.models import ScoringModel
from training.api.serializers.runs import MetricsOut


class ScoringModelOut(serializers.ModelSerializer):
    """A model version with its measurements and how it compared with the live model."""

    training_run = serializers.IntegerField(
        source="training_run.pk",
        default=None,
        allow_null=True,
        help_text="The run that trained it (GET /training/runs/{id}/); null: pre-trained.",
    )
    metrics = serializers.SerializerMethodField(
        help_text="Its measurements on its run's validation examples; null: pre-trained."
    )
    live_at_training = serializers.SerializerMethodField(
        help_text="The model that was live when it was trained, on the same examples."
    )
    better_than_live = serializers.SerializerMethodField(
        help_text="The verdict of that comparison: true if it measured at least as well "
        "(Spearman), false if worse (then activation needs force); null: not measured."
    )

    class Meta:
        model = ScoringModel
        fields = [
            "version",
            "kind",
            "is_active",
            "created_at",
            "activated_at",
            "training_run",
            "metrics",
            "live_at_training",
            "better_than_live",
        ]
        read_only_fields = fields

    @extend_schema_field(MetricsOut(allow_null=True))
    def get_metrics(self, model: ScoringModel) -> dict | None:
        if "n" not in model.metrics:
            return None
        return MetricsOut({"model": model.version, **model.metrics}).data

    @extend_schema_field(MetricsOut(allow_null=True))
    def get_live_at_training(self, model: ScoringModel) -> dict | None:
        live = model.metrics.get("live_at_training")
        return MetricsOut(live).data if live else None

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_better_than_live(self, model: ScoringModel) -> bool | None:
        return model.metrics.get("better_than_live")


class ActivateIn(serializers.Serializer):
    force = serializers.BooleanField(
        default=False,
        help_text="Activate even if it measured worse than the model live at its training.",
    )
