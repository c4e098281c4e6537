from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from rest_framework import serializers

from matching.errors import ExtractionError, extraction_error
from matching.intake.extraction import extract_text
from matching.intake.readers import human_size
from matching.texts import normalize_text

# About 60 pages of text: more than any resume or job description, and a bound on what
# one request may make the encoder read.
MAX_TEXT_CHARS = 200_000


class ScoreTextIn(serializers.Serializer):
    """Score a resume against a job description; nothing is stored."""

    resume_text = serializers.CharField(
        required=False, max_length=MAX_TEXT_CHARS, help_text="The resume as plain text."
    )
    job_text = serializers.CharField(
        required=False,
        max_length=MAX_TEXT_CHARS,
        help_text=(
            "The job description. 'Must have:' and 'Nice to have:' headings followed by one "
            "requirement per line are read as requirements."
        ),
    )
    job_title = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Default: the first line."
    )

    def validate(self, data: dict) -> dict:
        out = {"job_title": data.get("job_title", "")}
        errors: dict[str, list[str]] = {}
        for part in ("resume", "job"):
            text, upload = data.get(f"{part}_text"), data.get(f"{part}_file")
            if (text is None) == (upload is None):
                errors[f"{part}_text"] = [f"Give either {part}_text or {part}_file (one of them)."]
                continue
            try:
                out[part] = _file_text(upload, f"{part}_file") if upload else _text(text, part)
            except serializers.ValidationError as exc:
                errors.update(exc.detail)
        if errors:
            raise serializers.ValidationError(errors)
        return out


class ScoreIn(ScoreTextIn):
    """Texts, or files (PDF, DOCX, TXT, Markdown) in a multipart request."""

    resume_file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)
    job_file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)


class ScoreOut(serializers.Serializer):
    score = serializers.FloatField(help_text="0..1: ~0.8 a strong match, ~0.2 or below a poor one.")
    model = serializers.CharField(help_text="The version of the model that scored.")
    features = serializers.DictField(
        child=serializers.FloatField(), help_text="The inputs of the score, by name."
    )


def _text(value: str, part: str) -> str:
    text = normalize_text(value)
    if not text:
        raise serializers.ValidationError({f"{part}_text": ["This field may not be blank."]})
    return text


def _file_text(upload: UploadedFile, field: str) -> str:
    try:
        if upload.size > settings.RESUME_MAX_BYTES:
            raise extraction_error(
                "too_large",
                name=upload.name,
                detail=human_size(upload.size),
                limit=human_size(settings.RESUME_MAX_BYTES),
            )
        return extract_text(upload.name, upload.read())
    except ExtractionError as exc:
        raise serializers.ValidationError({field: [exc.message]}, code=exc.code) from None
