from __future__ import annotations

from typing import Any

from django import forms

from resumeproject import access
from training.models import TrainingRun


class TrainingRunForm(forms.Form):
    """Queue a run from the admin: the same choices as `manage.py train_custom_model`."""

    mode = forms.ChoiceField(choices=TrainingRun.Mode.choices, initial=TrainingRun.Mode.FAST)
    from_ratings = forms.BooleanField(
        required=False, initial=True, label="Train on the database's labels"
    )
    train_file = forms.FileField(required=False, help_text="JSON in the notes' format.")
    validation_file = forms.FileField(
        required=False, help_text="Optional; without it 20% of the resumes are held out."
    )
    epochs = forms.IntegerField(min_value=1, max_value=50, initial=2, help_text="Full mode.")
    batch_size = forms.IntegerField(min_value=1, max_value=256, initial=16, help_text="Full mode.")
    force = forms.BooleanField(required=False, help_text="Train despite failed data checks.")
    train_on_gold = forms.BooleanField(
        required=False,
        label="Train on the gold set",
        help_text="Pairs rated by several reviewers, or settled, are kept out of training to "
        "judge the candidate; tick to train on them instead.",
    )
    activate = forms.BooleanField(required=False, help_text="Activate it if it measures better.")

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if data.get("activate") and not access.can_activate_model(self.user):
            # A run that activates its model at the end makes it live: same permission.
            self.add_error("activate", access.can_activate_model.refusal)
        if not data.get("from_ratings") and not data.get("train_file"):
            raise forms.ValidationError("Train on the database's labels, or give a file.")
        return data

    @staticmethod
    def file_payload(upload) -> tuple[str, bytes] | None:
        return (upload.name, upload.read()) if upload else None
