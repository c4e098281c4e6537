from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matching.api.serializers.scoring import MAX_TEXT_CHARS
from training.api.serializers.runs import SuggestionOut
from training.models import LabeledExample


class FeedbackIn(serializers.Serializer):
    """A correction of a score, as in the product notes' collect_feedback."""

    resume_text = serializers.CharField(max_length=MAX_TEXT_CHARS, help_text="The resume's text.")
    job_description = serializers.CharField(
        max_length=MAX_TEXT_CHARS, help_text="The job's text (title, description, requirements)."
    )
    predicted_score = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0.0,
        max_value=1.0,
        help_text="What the model said, 0..1 (lets training notice labels that only echo it).",
    )
    actual_score = serializers.FloatField(
        min_value=0.0, max_value=1.0, help_text="What the reviewer says, 0..1."
    )


class FeedbackOut(serializers.ModelSerializer):
    actual_score = serializers.FloatField(source="score")
    created_by = serializers.CharField(
        source="created_by.username", default=None, allow_null=True, help_text="Username."
    )
    retraining = serializers.SerializerMethodField(
        help_text="Whether enough new labels arrived to retrain (GET /training/suggestion/)."
    )

    class Meta:
        model = LabeledExample
        fields = [
            "id",
            "actual_score",
            "predicted_score",
            "source",
            "created_by",
            "created_at",
            "retraining",
        ]
        read_only_fields = fields

    @extend_schema_field(SuggestionOut)
    def get_retraining(self, example: LabeledExample) -> dict:
        return SuggestionOut(self.context["retraining"]).data
