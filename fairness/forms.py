from __future__ import annotations

from django import forms

from fairness.selectors import Scope
from matching.models import Job


class ScopeForm(forms.Form):
    job = forms.ModelChoiceField(
        queryset=Job.objects.order_by("title", "pk"), required=False, empty_label="All jobs"
    )
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The period's start is after its end.")
        return data

    def scope(self) -> Scope:
        data = self.cleaned_data if self.is_bound else {}
        return Scope(job=data.get("job"), since=data.get("since"), until=data.get("until"))
