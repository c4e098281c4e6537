from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matching.api.serializers.common import anonymized_for
from matching.intake.extraction import SUPPORTED_EXTENSIONS
from matching.models import Resume
from matching.privacy import selectors as privacy_selectors


class ResumeOut(serializers.ModelSerializer):
    """A resume without its text: extraction status and error, and scoring progress.

    `scoring` is "pending" while some open job has no score against it yet, "done" when
    every open job has one, and "skipped" when no text could be extracted.
    """

    uploaded_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Username of the uploader; null for imports without one.",
    )
    scored_jobs = serializers.SerializerMethodField()
    open_jobs = serializers.SerializerMethodField()
    scoring = serializers.SerializerMethodField()

    class Meta:
        model = Resume
        fields = [
            "id",
            "original_name",
            "candidate_name",
            "content_type",
            "size_bytes",
            "sha256",
            "status",
            "error_code",
            "error",
            "uploaded_by",
            "created_at",
            "updated_at",
            "scored_jobs",
            "open_jobs",
            "scoring",
            "alternative_process_at",
        ]
        read_only_fields = fields

    def get_scored_jobs(self, resume: Resume) -> int:
        return getattr(resume, "scored_jobs", 0)

    def get_open_jobs(self, resume: Resume) -> int:
        return self.context["open_jobs"]

    def to_representation(self, resume: Resume) -> dict:
        """Masked for a caller who asked for (or prefers) the anonymized view."""
        data = super().to_representation(resume)
        if "anonymized" not in self.context:
            self.context["anonymized"] = anonymized_for(self.context.get("request"))
        if self.context["anonymized"]:
            data["original_name"] = privacy_selectors.resume_file_name(
                resume=resume, anonymized=True
            )
            data["candidate_name"] = ""
            if "text" in data:
                data["text"] = privacy_selectors.resume_display_text(
                    text=resume.text, anonymized=True
                )
            if "profile" in data:
                data["profile"] = privacy_selectors.resume_display_profile(
                    profile=resume.profile, anonymized=True
                )
        return data

    @extend_schema_field(
        serializers.ChoiceField(choices=["pending", "done", "skipped", "people_only"])
    )
    def get_scoring(self, resume: Resume) -> str:
        if resume.status != Resume.Status.EXTRACTED:
            return "skipped"
        if resume.alternative_process_at is not None:
            return "people_only"  # asked for an alternative process: never scored
        return "done" if self.get_scored_jobs(resume) >= self.get_open_jobs(resume) else "pending"


class ResumeDetailOut(ResumeOut):
    """A resume with its extracted text and structured profile."""

    profile = serializers.JSONField(
        read_only=True,
        help_text=(
            "Read from the text at import (docs/judgments.md): name, email, phone, location "
            "(blank when anonymized), title, roles (title, employer, start, end, present, "
            "years), years_total, education_level, degrees, certifications, skills (ESCO), "
            "work_terms (places with latitude, longitude and radius_km, blank when "
            "anonymized; relocates; available_from; rate: low, high, currency, per, or "
            "null), language, as_of. Empty fields where "
            "the resume does not say."
        ),
    )

    class Meta(ResumeOut.Meta):
        fields = [*ResumeOut.Meta.fields, "text", "profile"]
        read_only_fields = fields


class ResumeUploadIn(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True, use_url=False),
        allow_empty=False,
        help_text=(
            f"One or more files ({', '.join(sorted(SUPPORTED_EXTENSIONS))}), up to "
            f"{settings.RESUME_MAX_BYTES // (1024 * 1024)} MB each; repeat the field for "
            "several. A file that cannot be read is kept as rejected, with the reason."
        ),
    )


class ResumeUploadItemOut(serializers.Serializer):
    name = serializers.CharField(help_text="The file name as uploaded.")
    outcome = serializers.ChoiceField(
        choices=["imported", "duplicate", "rejected"],
        help_text=(
            "imported: a new resume with text; duplicate: the same file was uploaded "
            "before (that resume is returned); rejected: kept, but no text could be read "
            "(see resume.error)."
        ),
    )
    resume = ResumeOut()


class ResumeUploadOut(serializers.Serializer):
    results = ResumeUploadItemOut(many=True)
    imported = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
