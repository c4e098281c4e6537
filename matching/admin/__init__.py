"""Admin: upload resumes, create jobs, compare model scores with human ratings, rate pairs.

Writes go through services; long text columns are deferred in lists, and the big tables
use a paginator that does not count every row.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html

from matching import selectors, services
from matching.forms import JobAdminForm, RatingAdminForm, ResumeUploadForm, SettleForm
from matching.heads import ModelUnavailable
from matching.models import (
    Embedding,
    Job,
    Pair,
    PairConflict,
    Rating,
    Resume,
    ReviewerPreference,
    ScoringModel,
)
from resumeproject import access


class NarrowListMedia:
    """Lists whose long names wrap, so their key columns fit a 1366 px screen."""

    css = {"all": ["matching/admin_lists.css"]}


class LargeTablePaginator(Paginator):
    """Skips COUNT(*) on large tables, where it is slow on PostgreSQL; estimates instead."""

    @cached_property
    def count(self) -> int:
        return 100_000 if self.object_list.query.where else super().count


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


class _Labelled:
    """An object shown under another name: the admin templates read its attributes."""

    def __init__(self, obj, label: str) -> None:
        self._obj, self._label = obj, label

    def __getattr__(self, name: str):
        return getattr(self._obj, name)

    def __str__(self) -> str:
        return self._label


class AnonymizedViewMixin:
    """The admin follows the same anonymized-view choice as the pages (the reviewer's own,
    else ANONYMIZE_REVIEWS): file names become "Candidate #<id>" and the resume text is
    masked. Admins who need the original switch their own view off."""

    # Column or field -> what replaces it in the anonymized view.
    anonymized_swaps: dict[str, str] = {}

    def _swap(self, request: HttpRequest, names):
        if not selectors.reviewer_anonymizes(user=request.user):
            return names
        return [self.anonymized_swaps.get(n, n) for n in names]

    def get_list_display(self, request):
        return self._swap(request, super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self._swap(request, super().get_readonly_fields(request, obj))

    def get_fields(self, request, obj=None):
        return self._swap(request, super().get_fields(request, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The page's title and breadcrumb name the object by str(), which carries the
        file name: in the anonymized view they show the candidate's number instead."""
        if selectors.reviewer_anonymizes(user=request.user):
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                label = self.anonymized_str(obj)
                extra_context = {
                    **(extra_context or {}),
                    "subtitle": label,
                    "original": _Labelled(obj, label),
                }
        return super().change_view(request, object_id, form_url, extra_context)

    def anonymized_str(self, obj) -> str:
        if isinstance(obj, Resume):
            return selectors.resume_label(resume=obj, anonymized=True)
        return f"{selectors.resume_label(resume=obj.resume, anonymized=True)} x {obj.job}"

    @admin.display(description="Resume")
    def resume_anonymized(self, obj) -> str:
        return selectors.resume_label(resume=obj.resume, anonymized=True)

    @admin.display(description="Original name")
    def name_anonymized(self, obj: Resume) -> str:
        return selectors.resume_label(resume=obj, anonymized=True)

    @admin.display(description="Text (anonymized)")
    def text_anonymized(self, obj: Resume) -> str:
        text = selectors.resume_display_text(text=obj.text, anonymized=True)
        return format_html('<div style="white-space: pre-wrap">{}</div>', text)


@admin.register(Resume)
class ResumeAdmin(AnonymizedViewMixin, admin.ModelAdmin):
    anonymized_swaps = {
        "original_name": "name_anonymized",
        "text": "text_anonymized",
        "file": "name_anonymized",
    }
    list_display = ["original_name", "status", "error_code", "size_kb", "created_at", "uploaded_by"]
    list_filter = ["status", "error_code"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["uploaded_by"]
    readonly_fields = [
        "original_name",
        "file",
        "content_type",
        "size_bytes",
        "sha256",
        "text_sha256",
        "status",
        "error_code",
        "error",
        "uploaded_by",
        "created_at",
        "updated_at",
        "text",
    ]
    exclude = ["term_ids", "term_counts"]
    actions = ["rescore"]
    paginator = LargeTablePaginator
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Resume]:
        return super().get_queryset(request).defer("text", "term_ids", "term_counts")

    @admin.display(description="Size", ordering="size_bytes")
    def size_kb(self, obj: Resume) -> str:
        return f"{obj.size_bytes / 1024:.0f} KB"

    def get_urls(self):
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="matching_resume_upload"
        )
        return [upload, *super().get_urls()]

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:matching_resume_upload"))

    # The outcome of the last upload, kept in the session for the page shown after the
    # redirect: resume ids and outcomes only, names and errors are read from the resumes
    # (an erased resume leaves nothing behind here).
    UPLOAD_RESULTS_KEY = "matching_resume_upload_results"

    def upload_view(self, request: HttpRequest):
        """Several files at once: each one is imported, a duplicate, or rejected with why.

        The same permission as the API's upload (matching.add_resume). Post, redirect,
        get: reloading the result page shows the outcome again without sending the files
        again."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ResumeUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            results = services.resumes_upload(
                files=form.cleaned_data["files"], uploaded_by=request.user
            )
            counts = {
                o: sum(r.outcome == o for r in results)
                for o in ("imported", "duplicate", "rejected")
            }
            level = messages.WARNING if counts["rejected"] else messages.SUCCESS
            self.message_user(
                request,
                f"{counts['imported']} imported (scoring in the background), "
                f"{counts['duplicate']} already present, {counts['rejected']} rejected.",
                level,
            )
            for r in results:
                if r.outcome == "rejected":
                    self.message_user(request, r.resume.error, messages.ERROR)
            request.session[self.UPLOAD_RESULTS_KEY] = [[r.resume.pk, r.outcome] for r in results]
            return HttpResponseRedirect(reverse("admin:matching_resume_upload"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "results": self._last_upload(request),
            "title": "Upload resumes",
        }
        return render(request, "admin/matching/resume/upload.html", context)

    def _last_upload(self, request: HttpRequest) -> list[dict]:
        outcomes = request.session.get(self.UPLOAD_RESULTS_KEY, [])
        resumes = Resume.objects.only("original_name", "error").in_bulk([pk for pk, _ in outcomes])
        return [
            {
                "resume": resumes[pk],
                "name": resumes[pk].original_name,
                "outcome": outcome,
                "error": resumes[pk].error,
            }
            for pk, outcome in outcomes
            if pk in resumes
        ]

    @admin.action(description="Re-score the selected resumes against all open jobs")
    def rescore(self, request: HttpRequest, queryset: QuerySet[Resume]) -> None:
        from matching.tasks import enqueue_score_resumes

        ids = list(queryset.filter(status=Resume.Status.EXTRACTED).values_list("pk", flat=True))
        enqueue_score_resumes(ids)
        self.message_user(request, f"Re-scoring of {len(ids)} resumes queued.")

    # Deleting in the admin (one, or the bulk action) is erasure: file, text, pairs,
    # vectors and training copies, recorded in the audit log (services.resume_delete).
    def delete_model(self, request: HttpRequest, obj: Resume) -> None:
        services.resume_delete(resume=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Resume]) -> None:
        for resume in queryset:
            services.resume_delete(resume=resume, actor=request.user)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    form = JobAdminForm
    list_display = ["title", "is_open", "created_at", "ranking_link"]
    list_filter = ["is_open"]
    search_fields = ["title", "description"]
    fields = ["title", "description", "must_have", "nice_to_have", "is_open"]
    actions = ["rescore"]

    @admin.display(description="Ranking")
    def ranking_link(self, obj: Job) -> str:
        return format_html(
            '<a href="{}">ranked candidates</a>', reverse("matching:job_ranking", args=[obj.pk])
        )

    def save_model(self, request: HttpRequest, obj: Job, form, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in self.fields}
        if change:
            services.job_update(job=Job.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = services.job_create(**fields).pk

    @admin.action(description="Re-score all resumes against the selected jobs")
    def rescore(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        from matching.tasks import enqueue_score_job

        for job in queryset.filter(is_open=True):
            enqueue_score_job(job.pk)
        self.message_user(request, "Re-scoring queued.")


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
        visible = selectors.ratings_for_viewer(user=request.user).values("pk")
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
            return queryset.filter(selectors.pairs_disagreeing())
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
    ]
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
        return selectors.pairs_for_viewer(pairs, user=request.user)

    def get_fields(self, request, obj: Pair | None = None):
        fields = super().get_fields(request, obj)
        if obj is not None and not obj.ratings_visible:
            # Blind rating: the reviewers' mean and spread wait until the user rated it.
            return [f for f in fields if f not in HIDDEN_UNTIL_RATED]
        return fields

    def has_add_permission(self, request) -> bool:
        return False

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
            .filter(pk__in=selectors.ratings_for_viewer(user=request.user).values("pk"))
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
            services.rating_update(
                rating=obj,
                actor=request.user,
                score=form.cleaned_data["score"],
                note=form.cleaned_data.get("note", ""),
            )
            return
        # One rating per reviewer and pair: rating a pair again updates the first one.
        submitted = services.rating_submit(
            pair=form.cleaned_data["pair"],
            score=form.cleaned_data["score"],
            reviewer=request.user,
            note=form.cleaned_data.get("note", ""),
            source=Rating.Source.ADMIN,
        )
        obj.pk = submitted.rating.pk
        obj.rating_created = submitted.created

    def delete_model(self, request, obj: Rating) -> None:
        services.ratings_delete(ratings=[obj], actor=request.user)

    def delete_queryset(self, request, queryset: QuerySet[Rating]) -> None:
        services.ratings_delete(ratings=queryset, actor=request.user)

    # --- what the reviewer is told: the candidate and the job, added or updated ---

    def _saved(self, request, obj: Rating, verb: str) -> None:
        rating = Rating.objects.select_related("pair__resume", "pair__job", "reviewer").get(
            pk=obj.pk
        )
        anonymized = selectors.reviewer_anonymizes(user=request.user)
        candidate = selectors.resume_label(resume=rating.pair.resume, anonymized=anonymized)
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
        verdict = "better" if obj.metrics.get("better_than_live") else "worse"
        return f"{verdict} ({obj.metrics.get('spearman')} vs {live.get('spearman')})"

    def _activate(self, request, queryset, *, force: bool) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version.", messages.ERROR)
            return
        model = queryset.get()
        try:
            services.scoring_model_activate(model=model, force=force)
        except (services.ActivationRefused, ModelUnavailable) as exc:
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


@admin.register(Embedding)
class EmbeddingAdmin(admin.ModelAdmin):
    list_display = ["text_sha256", "encoder_key", "dim", "created_at"]
    list_filter = ["encoder_key"]
    fields = ["text_sha256", "encoder_key", "dim", "chunk_spans", "created_at"]
    readonly_fields = fields
    paginator = LargeTablePaginator
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("vector", "chunk_vectors")

    def has_add_permission(self, request) -> bool:
        return False


# --- reviewer workflow: conflicting pairs, settling them, agreement (docs/reviewing.md) ----


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
            .filter(selectors.conflicting())
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
            services.pair_settle(pair=pair, score=pair.rating_mean, settled_by=request.user)
        self.message_user(request, f"{len(pairs)} pairs settled at their reviewers' mean.")

    @admin.action(description="Clear the settled score (back to the mean)", permissions=["settle"])
    def unsettle(self, request: HttpRequest, queryset: QuerySet[PairConflict]) -> None:
        pairs = list(queryset.filter(settled_score__isnull=False))
        for pair in pairs:
            services.pair_unsettle(pair=pair)
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
            "report": selectors.reviewer_agreement(),
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
            services.pair_settle(
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
