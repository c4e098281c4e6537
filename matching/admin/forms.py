"""Forms of the admin's documents: the bulk resume upload and the job form."""

from __future__ import annotations

from django import forms
from django.conf import settings

from matching.intake.extraction import SUPPORTED_EXTENSIONS
from matching.intake.jobs import job_text_errors
from matching.models import Job


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for multiple uploads)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty file is one rejected file, named by the upload service (as in the API),
        # not a form error that turns the whole batch away.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ResumeUploadForm(forms.Form):
    files = MultipleFileField(
        help_text=(
            f"One or more files ({', '.join(sorted(SUPPORTED_EXTENSIONS))}), "
            f"up to {settings.RESUME_MAX_BYTES // (1024 * 1024)} MB each. "
            "A file that cannot be read is kept as rejected, with the reason."
        )
    )


class JobAdminForm(forms.ModelForm):
    """The admin's job form: a text past the service's limit is shown next to its field
    instead of failing on save."""

    class Meta:
        model = Job
        fields = ["title", "description", "must_have", "nice_to_have", "is_open"]

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, messages in job_text_errors(cleaned).items():
            self.add_error(name, messages)
        return cleaned
