"""Admin of scoring models (activation, rollback) and cached embeddings."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html

from matching import models_store
from matching.admin.common import LargeTablePaginator, NarrowListMedia
from matching.errors import ActivationRefused, ModelUnavailable
from matching.models import Embedding, ScoringModel
from matching.scoring import activation as scoring_activation
from resumeproject import access


@admin.register(ScoringModel)
class ScoringModelAdmin(admin.ModelAdmin):
    # The kind is a filter (and in the version's name), to leave the width to the metrics.
    list_display = [
        "version",
        "is_active",
        "spearman",
        "band_accuracy",
        "compared_with_live",
        "created_at",
        "activated_at",
    ]
    list_filter = ["kind", "is_active"]
    Media = NarrowListMedia
    readonly_fields = [
        "version",
        "kind",
        "path",
        "encoder_key",
        "metrics",
        "is_active",
        "created_at",
        "activated_at",
        "training_metadata",
    ]
    actions = ["activate", "activate_anyway"]

    def has_add_permission(self, request) -> bool:
        return False

    # The same checks as the API's (resumeproject.access).
    def has_view_permission(self, request, obj=None) -> bool:
        return access.can_view_models(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return access.can_activate_model(request.user)

    def has_activate_permission(self, request) -> bool:
        return access.can_activate_model(request.user)

    @admin.display(description="Spearman")
    def spearman(self, obj: ScoringModel):
        return obj.metrics.get("spearman", "—")

    @admin.display(description="Band accuracy")
    def band_accuracy(self, obj: ScoringModel):
        return obj.metrics.get("band_accuracy", "—")

    @admin.display(description="Vs live model at training")
    def compared_with_live(self, obj: ScoringModel) -> str:
        live = obj.metrics.get("live_at_training")
        if not live:
            return "—"
        mine, theirs = obj.metrics.get("spearman"), live.get("spearman")
        if mine == theirs:
            verdict = "as good"  # a tie passes the gate (>=), but is no improvement
        else:
            verdict = "better" if obj.metrics.get("better_than_live") else "worse"
        return f"{verdict} ({mine} vs {theirs})"

    @admin.display(description="Training metadata")
    def training_metadata(self, obj: ScoringModel) -> str:
        """The version's training_metadata.json as written at publishing, read back."""
        metadata = models_store.read_metadata(obj.version)
        if metadata is None:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(metadata, indent=2, sort_keys=True))

    def _activate(self, request, queryset, *, force: bool) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version.", messages.ERROR)
            return
        model = queryset.get()
        try:
            scoring_activation.scoring_model_activate(model=model, force=force)
        except (ActivationRefused, ModelUnavailable) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request, f"{model.version} is live; all pairs are being re-scored.", messages.SUCCESS
        )

    @admin.action(
        description="Activate (or roll back to) the selected version", permissions=["activate"]
    )
    def activate(self, request, queryset) -> None:
        self._activate(request, queryset, force=False)

    @admin.action(
        description="Activate even if it measured worse than the live model",
        permissions=["activate"],
    )
    def activate_anyway(self, request, queryset) -> None:
        self._activate(request, queryset, force=True)


class EmbeddingKindFilter(admin.SimpleListFilter):
    """What the vectors are of: a whole text, a resume's evidence, or a resume's sentences
    (one key per resume: as a filter of keys they would list one entry per resume)."""

    title = "vectors of"
    parameter_name = "kind"
    _VIEW = Q(encoder_key__contains=models_store.VIEW_MARK)
    _SENTENCES = Q(encoder_key__contains=models_store.SENTENCES_VIEW)
    KINDS = {
        "text": ("whole texts (jobs)", ~_VIEW),
        "evidence": ("resume evidence", _VIEW & ~_SENTENCES),
        "sentences": ("resume sentences (verdicts)", _SENTENCES),
    }

    def lookups(self, request, model_admin):
        return [(kind, label) for kind, (label, _) in self.KINDS.items()]

    def queryset(self, request, queryset):
        kind = self.KINDS.get(self.value() or "")
        return queryset.filter(kind[1]) if kind else queryset


@admin.register(Embedding)
class EmbeddingAdmin(admin.ModelAdmin):
    list_display = ["text_sha256", "encoder_key", "dim", "created_at"]
    list_filter = [EmbeddingKindFilter]
    fields = ["text_sha256", "encoder_key", "dim", "chunk_spans", "created_at"]
    readonly_fields = fields
    paginator = LargeTablePaginator
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("vector", "chunk_vectors")

    def has_add_permission(self, request) -> bool:
        return False
