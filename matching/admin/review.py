"""Admin of the reviewer workflow: conflicting pairs, settling them, agreement, the
reviewers' anonymized-view preferences (docs/reviewing.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html

from matching.admin.common import AnonymizedViewMixin, pct
from matching.models import PairConflict, Rating, ReviewerPreference
from matching.review import agreement as review_agreement
from matching.review import selectors as review_selectors
from matching.review import services as review_services
from matching.review.forms import SettleForm


class SettledFilter(admin.SimpleListFilter):
    title = "settled by a lead"
    parameter_name = "settled"

    def lookups(self, request, model_admin):
        return [("no", "Not settled yet"), ("yes", "Settled")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(settled_score__isnull=True)
        if self.value() == "yes":
            return queryset.filter(settled_score__isnull=False)
        return queryset


@admin.register(PairConflict)
class PairConflictAdmin(AnonymizedViewMixin, admin.ModelAdmin):
    """Pairs whose reviewers are a band or more apart; a lead settles the score training
    uses. Settling needs the permission "Can settle the score of a conflicting pair"."""

    anonymized_swaps = {"resume": "resume_anonymized"}
    list_display = [
        "resume",
        "job",
        "ratings_given",
        "human_score",
        "model_score",
        "spread",
        "settled",
        "settle_link",
    ]
    list_filter = [SettledFilter, "job"]
    list_select_related = ["resume", "job", "settled_by"]
    search_fields = ["resume__original_name", "job__title"]
    ordering = ["-rating_spread", "pk"]
    actions = ["settle_at_mean", "unsettle"]
    show_full_result_count = False
    fields = readonly_fields = [
        "resume",
        "job",
        "score",
        "rating_count",
        "rating_mean",
        "rating_spread",
        "settled_score",
        "settled_by",
        "settled_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PairConflict]:
        ratings = Rating.objects.select_related("reviewer").order_by("score", "pk")
        return (
            super()
            .get_queryset(request)
            .filter(review_selectors.conflicting())
            .defer("resume__text", "resume__term_ids", "resume__term_counts", "job__description")
            .prefetch_related(Prefetch("ratings", queryset=ratings))
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_settle_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("matching.settle_pair")

    @admin.display(description="Ratings")
    def ratings_given(self, obj: PairConflict) -> str:
        return ", ".join(
            f"{r.reviewer.get_username() if r.reviewer else r.get_source_display()} {pct(r.score)}"
            for r in obj.ratings.all()
        )

    @admin.display(description="Human (mean)", ordering="rating_mean")
    def human_score(self, obj: PairConflict) -> str:
        return pct(obj.rating_mean)

    @admin.display(description="Model score", ordering="score")
    def model_score(self, obj: PairConflict) -> str:
        return pct(obj.score)

    @admin.display(description="Spread", ordering="rating_spread")
    def spread(self, obj: PairConflict) -> str:
        return pct(obj.rating_spread)

    @admin.display(description="Settled", ordering="settled_score")
    def settled(self, obj: PairConflict) -> str:
        if obj.settled_score is None:
            return "—"
        who = obj.settled_by.get_username() if obj.settled_by else "?"
        return f"{pct(obj.settled_score)} by {who}"

    @admin.display(description="")
    def settle_link(self, obj: PairConflict) -> str:
        return format_html(
            '<a href="{}">settle</a>', reverse("admin:matching_pairconflict_settle", args=[obj.pk])
        )

    @admin.action(description="Settle at the reviewers' mean", permissions=["settle"])
    def settle_at_mean(self, request: HttpRequest, queryset: QuerySet[PairConflict]) -> None:
        pairs = list(queryset)
        for pair in pairs:
            review_services.pair_settle(pair=pair, score=pair.rating_mean, settled_by=request.user)
        self.message_user(request, f"{len(pairs)} pairs settled at their reviewers' mean.")

    @admin.action(description="Clear the settled score (back to the mean)", permissions=["settle"])
    def unsettle(self, request: HttpRequest, queryset: QuerySet[PairConflict]) -> None:
        pairs = list(queryset.filter(settled_score__isnull=False))
        for pair in pairs:
            review_services.pair_unsettle(pair=pair)
        self.message_user(request, f"{len(pairs)} settled scores cleared.")

    def get_urls(self):
        own = [
            path(
                "agreement/",
                self.admin_site.admin_view(self.agreement_view),
                name="matching_agreement",
            ),
            path(
                "<int:pair_id>/settle/",
                self.admin_site.admin_view(self.settle_view),
                name="matching_pairconflict_settle",
            ),
        ]
        return [*own, *super().get_urls()]

    def agreement_view(self, request: HttpRequest):
        """Krippendorff's alpha between reviewers, per job and overall."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Reviewer agreement",
            "report": review_agreement.reviewer_agreement(),
            "wanted": settings.REVIEWS_WANTED_PER_PAIR,
        }
        return render(request, "admin/matching/agreement.html", context)

    def settle_view(self, request: HttpRequest, pair_id: int):
        """One pair's ratings side by side and the score a lead decides on."""
        if not self.has_settle_permission(request):
            raise PermissionDenied
        pair = get_object_or_404(self.get_queryset(request), pk=pair_id)
        posted = request.POST if request.method == "POST" else None
        form = SettleForm(posted, initial={"score": pair.settled_score})
        if request.method == "POST" and form.is_valid():
            review_services.pair_settle(
                pair=pair, score=form.cleaned_data["score"], settled_by=request.user
            )
            self.message_user(
                request,
                f"{pair} settled at {pct(form.cleaned_data['score'])}; training uses this score.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:matching_pairconflict_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Settle {pair}",
            "pair": pair,
            "ratings": [(r, pct(r.score)) for r in pair.ratings.all()],
            "model_pct": pct(pair.score),
            "mean_pct": pct(pair.rating_mean),
            "form": form,
        }
        return render(request, "admin/matching/pairconflict/settle.html", context)


# --- anonymized view: each reviewer's choice (docs/reviewing.md, "Anonymized view") -------


@admin.register(ReviewerPreference)
class ReviewerPreferenceAdmin(admin.ModelAdmin):
    """Set a reviewer's anonymized view; empty follows the ANONYMIZE_REVIEWS default."""

    list_display = ["user", "anonymize", "updated_at"]
    list_filter = ["anonymize"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
    fields = ["user", "anonymize", "updated_at"]
    readonly_fields = ["updated_at"]
