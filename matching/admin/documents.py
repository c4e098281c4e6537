"""Admin of the documents: resumes (bulk upload, erasure) and jobs."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from matching import queue
from matching.admin.common import AnonymizedViewMixin, LargeTablePaginator
from matching.admin.forms import JobAdminForm, ResumeUploadForm
from matching.intake import erasure as intake_erasure
from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.models import Job, Resume
from matching.scoring import oversight, reconcile


class ScoringFilter(admin.SimpleListFilter):
    """Resumes the live model has not scored (and judged) against every open job: waiting
    for their task, lost (past SCORING_RECONCILE_GRACE_S; the reconciler queues them
    again) or given up after the reconciler's last retry. The "Re-score" action scores
    the ones selected."""

    title = "scoring"
    parameter_name = "scoring"

    def lookups(self, request, model_admin):
        return [
            ("waiting", "Not scored yet"),
            ("lost", "Lost (queued again)"),
            ("given_up", "Retries stopped"),
        ]

    def queryset(self, request, queryset):
        chosen = {
            "waiting": reconcile.unscored_resumes,
            "lost": reconcile.lost_resumes,
            "given_up": reconcile.resumes_given_up,
        }.get(self.value() or "")
        return queryset.filter(pk__in=chosen().values("pk")) if chosen else queryset


class PeopleOnlyFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "people_only"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "People only (asked for an alternative process)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Resume]) -> QuerySet[Resume]:
        if self.value() == "yes":
            return queryset.filter(alternative_process_at__isnull=False)
        return queryset


@admin.register(Resume)
class ResumeAdmin(AnonymizedViewMixin, admin.ModelAdmin):
    anonymized_swaps = {
        "original_name": "name_anonymized",
        "text": "text_anonymized",
        "original_file": "name_anonymized",
    }
    list_display = ["original_name", "status", "error_code", "size_kb", "created_at", "uploaded_by"]
    list_filter = ["status", ScoringFilter, PeopleOnlyFilter, "error_code"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["uploaded_by"]
    readonly_fields = [
        "original_name",
        "original_file",
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
        "alternative_process_at",
        "text",
    ]
    exclude = ["file", "term_ids", "term_counts"]
    actions = ["rescore", "people_only", "back_to_scoring"]
    paginator = LargeTablePaginator
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Resume]:
        return super().get_queryset(request).defer("text", "term_ids", "term_counts")

    @admin.display(description="File")
    def original_file(self, obj: Resume) -> str:
        """The original through the login-protected download (media is not served), which
        also keeps a rejected upload's original to those with the permission."""
        if not obj.file or obj.error_code == "too_large":
            return "not stored"
        link = format_html(
            '<a href="{}">{}</a>', reverse("matching:resume_file", args=[obj.pk]), obj.file.name
        )
        if obj.status == Resume.Status.FAILED:
            return format_html("{} (a rejected upload: only for leads)", link)
        return link

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
            results = intake_resumes.resumes_upload(
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
        ids = list(queryset.filter(status=Resume.Status.EXTRACTED).values_list("pk", flat=True))
        queue.enqueue_score_resumes(ids)
        self.message_user(request, f"Re-scoring of {len(ids)} resumes queued.")

    @admin.action(
        description="Candidate asked for people-only review: no automated score",
        permissions=["change"],
    )
    def people_only(self, request: HttpRequest, queryset: QuerySet[Resume]) -> None:
        for resume in queryset:
            oversight.resume_alternative_process(resume=resume, requested=True, actor=request.user)
        self.message_user(
            request,
            f"{queryset.count()} resumes are rated by people only: no score or verdict is "
            "computed for them.",
        )

    @admin.action(
        description="Back to automated scoring (the request was withdrawn)",
        permissions=["change"],
    )
    def back_to_scoring(self, request: HttpRequest, queryset: QuerySet[Resume]) -> None:
        for resume in queryset:
            oversight.resume_alternative_process(resume=resume, requested=False, actor=request.user)
        self.message_user(request, f"{queryset.count()} resumes queued for scoring.")

    # Deleting in the admin (one, or the bulk action) is erasure: file, text, pairs,
    # vectors and training copies, recorded in the audit log (intake_erasure.resume_delete).
    def delete_model(self, request: HttpRequest, obj: Resume) -> None:
        intake_erasure.resume_delete(resume=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Resume]) -> None:
        for resume in queryset:
            intake_erasure.resume_delete(resume=resume, actor=request.user)


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
            intake_jobs.job_update(job=Job.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = intake_jobs.job_create(**fields).pk

    @admin.action(description="Re-score all resumes against the selected jobs")
    def rescore(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        for job in queryset.filter(is_open=True):
            queue.enqueue_score_job(job.pk)
        self.message_user(request, "Re-scoring queued.")
