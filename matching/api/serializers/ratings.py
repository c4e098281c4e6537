from __future__ import annotations

from rest_framework import serializers

from matching.models import Job, Rating, Resume


class RatingIn(serializers.Serializer):
    """A reviewer's judgement of a resume for a job: a score 0..1 or 1-5 stars."""

    resume = serializers.PrimaryKeyRelatedField(queryset=Resume.objects.only("pk", "status"))
    job = serializers.PrimaryKeyRelatedField(queryset=Job.objects.only("pk"))
    score = serializers.FloatField(
        required=False, min_value=0.0, max_value=1.0, help_text="0 = no fit, 1 = excellent fit."
    )
    stars = serializers.IntegerField(
        required=False, min_value=1, max_value=5, help_text="Or 1-5 stars: 1 = 0.0, 5 = 1.0."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)

    def validate_resume(self, resume: Resume) -> Resume:
        if resume.status != Resume.Status.EXTRACTED:
            raise serializers.ValidationError(
                "This resume has no extracted text (it was rejected), so it cannot be rated."
            )
        return resume

    def validate(self, data: dict) -> dict:
        score, stars = data.get("score"), data.get("stars")
        if (score is None) == (stars is None):
            raise serializers.ValidationError(
                {"score": ["Give a score between 0 and 1 or a number of stars (one of them)."]}
            )
        data["score"] = Rating.stars_to_score(stars) if stars is not None else score
        return data


class RatingOut(serializers.ModelSerializer):
    resume = serializers.IntegerField(source="pair.resume_id")
    job = serializers.IntegerField(source="pair.job_id")
    reviewer = serializers.IntegerField(source="reviewer_id", allow_null=True)
    reviewer_username = serializers.CharField(
        source="reviewer.username", default=None, allow_null=True
    )

    class Meta:
        model = Rating
        fields = [
            "id",
            "pair",
            "resume",
            "job",
            "score",
            "note",
            "source",
            "reviewer",
            "reviewer_username",
            "predicted_score",
            "created_at",
        ]
        read_only_fields = fields


class RatingSubmitOut(RatingOut):
    """The rating as stored after a post, and whether it replaced the reviewer's earlier
    rating of the pair (one rating per reviewer and pair)."""

    updated = serializers.SerializerMethodField(
        help_text="True: your earlier rating of this resume for this job was updated."
    )

    class Meta(RatingOut.Meta):
        fields = [*RatingOut.Meta.fields, "updated"]
        read_only_fields = fields

    def get_updated(self, rating: Rating) -> bool:
        return bool(self.context.get("updated"))
