"""Reviewers' corrections of the requirement verdicts in the admin: the list, and a ✓ / ✗
on one requirement of a pair (matching.review.corrections writes and audits it). The
accuracy page (/review/verdicts/) needs the same view permission."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from matching.admin.common import AnonymizedViewMixin
from matching.models import VerdictCorrection
from matching.privacy import selectors as privacy_selectors
from matching.review import corrections as review_corrections


class VerdictCorrectionForm(forms.ModelForm):
    """The pair (by id: its name is the candidate's), one of its judged requirements as
    the rating screen shows it, met or not."""

    class Meta:
        model = VerdictCorrection
        fields = ["pair", "requirement", "met"]
        widgets = {"pair": forms.NumberInput}
        help_texts = {"pair": "The pair's id, as in the rating screen's address."}

    def clean(self):
        data = super().clean()
        pair, requirement = data.get("pair"), data.get("requirement")
        if (
            pair is not None
            and requirement
            and not review_corrections.stored_verdict(pair, requirement)
        ):
            judged = [v.get("requirement") for v in pair.verdicts or []]
            self.add_error(
                "requirement",
                "Not a judged requirement of this pair. Its requirements: "
                + ("; ".join(judged) if judged else "none judged yet"),
            )
        return data


def _candidate(obj: VerdictCorrection, *, anonymized: bool) -> str:
    name = privacy_selectors.resume_label(resume=obj.pair.resume, anonymized=anonymized)
    return f"{name} x {obj.pair.job.title}"


@admin.register(VerdictCorrection)
class VerdictCorrectionAdmin(AnonymizedViewMixin, admin.ModelAdmin):
    form = VerdictCorrectionForm
    anonymized_swaps = {"candidate": "candidate_anonymized"}
    list_display = [
        "requirement",
        "kind",
        "rule_status",
        "met",
        "candidate",
        "reviewer",
        "updated_at",
    ]
    list_filter = ["met", "rule_status", "kind", "must"]
    list_select_related = ["pair__resume", "pair__job", "reviewer"]
    search_fields = ["requirement"]
    shown_after_saving = ["rule_status", "kind", "must", "reviewer", "created_at", "updated_at"]

    def get_fields(self, request: HttpRequest, obj: VerdictCorrection | None = None):
        if obj is None:
            return ["pair", "requirement", "met"]
        return self._swap(request, ["candidate", "requirement", "met", *self.shown_after_saving])

    def get_readonly_fields(self, request: HttpRequest, obj: VerdictCorrection | None = None):
        # A correction is one reviewer's reading of one requirement: only its verdict changes.
        if obj is None:
            return []
        return self._swap(request, ["candidate", "requirement", *self.shown_after_saving])

    def anonymized_str(self, obj: VerdictCorrection) -> str:
        return _candidate(obj, anonymized=True)

    @admin.display(description="Candidate x job")
    def candidate(self, obj: VerdictCorrection) -> str:
        return _candidate(obj, anonymized=False)

    @admin.display(description="Candidate x job")
    def candidate_anonymized(self, obj: VerdictCorrection) -> str:
        return _candidate(obj, anonymized=True)

    def save_model(self, request, obj: VerdictCorrection, form, change) -> None:
        """Through the service, so the correction is audited: a new one is the signed-in
        user's, a changed one stays its reviewer's."""
        saved = review_corrections.verdict_correct(
            pair=obj.pair,
            requirement=obj.requirement,
            met=obj.met,
            reviewer=obj.reviewer if change else request.user,
            actor=request.user,
        )
        if saved is not None:
            obj.pk = saved.pk

    def delete_model(self, request, obj: VerdictCorrection) -> None:
        review_corrections.verdict_correct(
            pair=obj.pair,
            requirement=obj.requirement,
            met=None,
            reviewer=obj.reviewer,
            actor=request.user,
        )

    def delete_queryset(self, request, queryset: QuerySet[VerdictCorrection]) -> None:
        for obj in queryset.select_related("pair", "reviewer"):
            self.delete_model(request, obj)
