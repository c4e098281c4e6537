"""Admin of pairs and ratings: blind rating, a reviewer's one rating, audited changes."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from matching.admin.common import AnonymizedViewMixin, LargeTablePaginator, NarrowListMedia, pct
from matching.models import Pair, Rating
from matching.privacy import selectors as privacy_selectors
from matching.review import ratings as review_ratings
from matching.review import visibility as review_visibility
from matching.review.forms import RatingAdminForm
from matching.scoring.explain import VERDICT_MARKS


class RatingInline(admin.TabularInline):
    """The pair's ratings, read only: a rating is changed in the ratings admin, where the
    rule on whose ratings one may change holds and the change is audited."""

    model = Rating
    extra = 0
    fields = ["score", "reviewer", "note", "source", "created_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        # Blind rating: other reviewers' ratings only once the user rated the pair.
        visible = review_visibility.ratings_for_viewer(user=request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)


class RatedFilter(admin.SimpleListFilter):
    title = "human rating"
    parameter_name = "rated"

    def lookups(self, request, model_admin):
        return [("no", "Unrated"), ("yes", "Rated"), ("disagree", "Large disagreement")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(rating_count=0)
        if self.value() == "yes":
            return queryset.filter(rating_count__gt=0)
        if self.value() == "disagree":
            return queryset.filter(review_visibility.pairs_disagreeing())
        return queryset


# Pair fields that show other reviewers' ratings, hidden by blind rating until one rated.
HIDDEN_UNTIL_RATED = ("rating_mean", "rating_spread", "settled_score", "settled_by", "settled_at")


@admin.register(Pair)
class PairAdmin(AnonymizedViewMixin, admin.ModelAdmin):
    anonymized_swaps = {"resume": "resume_anonymized"}
    # The model version is on each pair's page: the list keeps what a reviewer compares.
    list_display = ["resume", "job", "model_score", "human_score", "rating_count", "rate_link"]
    list_filter = [RatedFilter, "job"]
    list_select_related = ["resume", "job", "scoring_model"]
    search_fields = ["resume__original_name", "job__title"]
    # All read only: scores come from scoring, statistics from the ratings, a settled
    # score from settling (with its own permission).
    readonly_fields = [
        "resume",
        "job",
        "score",
        "scoring_model",
        "scored_at",
        "rating_count",
        "rating_mean",
        "rating_spread",
        "settled_score",
        "settled_by",
        "settled_at",
        "requirements",
    ]
    # Stored by judging (matching.scoring.judgments), shown read only as `requirements`.
    exclude = ["verdicts", "verdicts_key"]
    inlines = [RatingInline]
    ordering = ["job", "-score"]
    paginator = LargeTablePaginator
    show_full_result_count = False
    Media = NarrowListMedia

    def get_queryset(self, request):
        pairs = (
            super()
            .get_queryset(request)
            .defer("resume__text", "resume__term_ids", "resume__term_counts", "job__description")
        )
        return review_visibility.pairs_for_viewer(pairs, user=request.user)

    def get_fields(self, request, obj: Pair | None = None):
        fields = super().get_fields(request, obj)
        if obj is not None and not obj.ratings_visible:
            # Blind rating: the reviewers' mean and spread wait until the user rated it.
            return [f for f in fields if f not in HIDDEN_UNTIL_RATED]
        return fields

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="Requirements")
    def requirements(self, obj: Pair) -> str:
        """Each requirement's verdict and why, without the quoted sentences (the ranking
        page quotes them, masked in the anonymized view)."""
        if not obj.verdicts_key:
            return "not judged yet"
        return format_html_join(
            format_html("<br>"),
            "{} {} ({})",
            (
                (VERDICT_MARKS.get(v.get("status", ""), "…"), v["requirement"], v.get("reason", ""))
                for v in obj.verdicts
            ),
        )

    @admin.display(description="Model score", ordering="score")
    def model_score(self, obj: Pair) -> str:
        return pct(obj.score)

    @admin.display(description="Human (mean)", ordering="rating_mean")
    def human_score(self, obj: Pair) -> str:
        if obj.rating_count and not obj.ratings_visible:
            return "hidden until you rate"
        return pct(obj.rating_mean)

    @admin.display(description="")
    def rate_link(self, obj: Pair) -> str:
        return format_html(
            '<a href="{}?pair={}">rate</a>', reverse("admin:matching_rating_add"), obj.pk
        )


@admin.register(Rating)
class RatingAdmin(AnonymizedViewMixin, admin.ModelAdmin):
    anonymized_swaps = {"pair": "pair_anonymized"}
    form = RatingAdminForm
    # The source is a filter rather than a column, to leave the width to the pair.
    list_display = ["pair", "human_score", "model_score", "reviewer", "created_at"]
    list_filter = ["source", "reviewer"]
    list_select_related = ["pair__resume", "pair__job", "reviewer"]
    raw_id_fields = ["pair"]
    paginator = LargeTablePaginator
    show_full_result_count = False
    Media = NarrowListMedia

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer(
                "pair__resume__text",
                "pair__resume__term_ids",
                "pair__resume__term_counts",
                "pair__job__description",
            )
            # Blind rating: other reviewers' ratings only once the user rated the pair.
            .filter(pk__in=review_visibility.ratings_for_viewer(user=request.user).values("pk"))
        )

    def anonymized_str(self, obj: Rating) -> str:
        return f"{self.pair_anonymized(obj)}: {pct(obj.score)}"

    @admin.display(description="Pair")
    def pair_anonymized(self, obj: Rating) -> str:
        return super().anonymized_str(obj.pair)

    @admin.display(description="Human", ordering="score")
    def human_score(self, obj: Rating) -> str:
        return pct(obj.score)

    @admin.display(description="Model at rating time")
    def model_score(self, obj: Rating) -> str:
        return pct(obj.predicted_score)

    # --- whose ratings one may change: Rating.changeable_by, the services' rule too ---

    def has_change_permission(self, request, obj: Rating | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.changeable_by(request.user))

    def has_delete_permission(self, request, obj: Rating | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.changeable_by(request.user))

    def get_deleted_objects(self, objs, request):
        """The bulk delete asks this before deleting: other reviewers' ratings among the
        selection need the lead's permission, else the admin refuses the whole action."""
        deletable, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(not rating.changeable_by(request.user) for rating in objs):
            perms_needed = {*perms_needed, "other reviewers' ratings"}
        return deletable, counts, perms_needed, protected

    def get_readonly_fields(self, request, obj: Rating | None = None):
        # A rating stays with its pair and its reviewer: rating another pair is a new rating.
        # The pair is read only then, so the anonymized view may show it by number.
        if obj is not None:
            return self._swap(request, ["pair", "reviewer", "source", "predicted_score"])
        return []

    def get_fields(self, request, obj: Rating | None = None):
        if obj is not None:
            fields = ["pair", "reviewer", "source", "predicted_score", "score", "stars", "note"]
            return self._swap(request, fields)
        return ["pair", "score", "stars", "note"]

    # --- every write through the services: one rating per reviewer, statistics, audit ---

    def save_model(self, request, obj: Rating, form, change: bool) -> None:
        if change:
            review_ratings.rating_update(
                rating=obj,
                actor=request.user,
                score=form.cleaned_data["score"],
                note=form.cleaned_data.get("note", ""),
            )
            return
        # One rating per reviewer and pair: rating a pair again updates the first one.
        submitted = review_ratings.rating_submit(
            pair=form.cleaned_data["pair"],
            score=form.cleaned_data["score"],
            reviewer=request.user,
            note=form.cleaned_data.get("note", ""),
            source=Rating.Source.ADMIN,
        )
        obj.pk = submitted.rating.pk
        obj.rating_created = submitted.created

    def delete_model(self, request, obj: Rating) -> None:
        review_ratings.ratings_delete(ratings=[obj], actor=request.user)

    def delete_queryset(self, request, queryset: QuerySet[Rating]) -> None:
        review_ratings.ratings_delete(ratings=queryset, actor=request.user)

    # --- what the reviewer is told: the candidate and the job, added or updated ---

    def _saved(self, request, obj: Rating, verb: str) -> None:
        rating = Rating.objects.select_related("pair__resume", "pair__job", "reviewer").get(
            pk=obj.pk
        )
        anonymized = privacy_selectors.reviewer_anonymizes(user=request.user)
        candidate = privacy_selectors.resume_label(resume=rating.pair.resume, anonymized=anonymized)
        if rating.reviewer_id == request.user.pk:
            whose = "Your rating"
        else:
            whose = f"The rating by {rating.reviewer or rating.get_source_display()}"
        self.message_user(
            request,
            f"{whose} of {candidate} for {rating.pair.job.title} was {verb}: {pct(rating.score)}.",
            messages.SUCCESS,
        )

    def _after_save(self, request, obj: Rating, default):
        if "_continue" in request.POST:
            return HttpResponseRedirect(reverse("admin:matching_rating_change", args=[obj.pk]))
        if "_addanother" in request.POST:
            return HttpResponseRedirect(reverse("admin:matching_rating_add"))
        return default(request, obj)

    def response_add(self, request, obj: Rating, post_url_continue=None):
        if IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self._saved(request, obj, "added" if getattr(obj, "rating_created", True) else "updated")
        return self._after_save(request, obj, self.response_post_save_add)

    def response_change(self, request, obj: Rating):
        if IS_POPUP_VAR in request.POST:
            return super().response_change(request, obj)
        self._saved(request, obj, "updated")
        return self._after_save(request, obj, self.response_post_save_change)
