"""Admin: queue and follow training runs (live progress), see labels, act on suggestions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from resumeproject import access
from training import errors as training_errors
from training import plots as plot
from training import run_tables, selectors
from training import runs as training_runs
from training.errors import DatasetError
from training.forms import TrainingRunForm
from training.models import LabeledExample, TrainingRun


def progress_bar(run: TrainingRun):
    return format_html(
        '<progress max="100" value="{}" data-run-progress="{}"></progress> {}%',
        round(run.progress * 100),
        run.pk,
        round(run.progress * 100),
    )


class ShownStatusFilter(admin.SimpleListFilter):
    """Filters by the status shown (a run whose worker stopped reporting is failed), so
    the list agrees with what each row says without a read writing anything."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return list(TrainingRun.Status.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        return queryset.filter(TrainingRun.shown_status_q(value)) if value else queryset


@admin.register(TrainingRun)
class TrainingRunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "status_shown",
        "mode",
        "bar",
        "stage_now",
        "live_spearman",
        "candidate_spearman",
        "output_model",
        "created_by",
        "created_at",
        "duration",
    ]
    list_filter = [ShownStatusFilter, "mode"]
    list_select_related = ["output_model", "created_by"]
    readonly_fields = [
        "status_shown",
        "mode",
        "bar",
        "stage_now",
        "plots",
        "metrics",
        "fairness",
        "checks_found",
        "dataset_statistics",
        "options",
        "train_file",
        "validation_file",
        "base_model",
        "output_model",
        "model_card",
        "error_shown",
        "log",
        "task_id",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "heartbeat_at",
    ]
    # Shown as tables (the methods below), not as raw JSON.
    # status and error read through shown_status / shown_error (a stale run is failed).
    exclude = [
        "status",
        "error",
        "progress",
        "stage",
        "params",
        "validation_predictions",
        "dataset",
        "checks",
        "metrics_live",
        "metrics_candidate",
    ]
    actions = ["cancel"]
    change_form_template = "admin/training/trainingrun/change_form.html"
    change_list_template = "admin/training/trainingrun/change_list.html"

    # The same checks as the API's (resumeproject.access).
    def has_view_permission(self, request, obj=None) -> bool:
        return access.can_view_runs(request.user)

    def has_add_permission(self, request) -> bool:
        return access.can_train(request.user)

    def has_cancel_permission(self, request) -> bool:
        return access.can_cancel_run(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # runs are written by the trainer, not edited

    @admin.display(description="Progress")
    def bar(self, obj: TrainingRun):
        return progress_bar(obj)

    @admin.display(description="Status", ordering="status")
    def status_shown(self, obj: TrainingRun) -> str:
        return TrainingRun.Status(obj.shown_status).label

    @admin.display(description="Error")
    def error_shown(self, obj: TrainingRun) -> str:
        return obj.shown_error

    @admin.display(description="Stage")
    def stage_now(self, obj: TrainingRun) -> str:
        return obj.stage_summary

    @admin.display(description="Metrics")
    def metrics(self, obj: TrainingRun):
        comparison = obj.output_model.metrics.get("comparison") if obj.output_model else None
        return run_tables.metrics_table(obj.metrics_live, obj.metrics_candidate, comparison)

    @admin.display(description="Fairness check")
    def fairness(self, obj: TrainingRun):
        return run_tables.fairness_table(
            obj.output_model.metrics.get("fairness") if obj.output_model else None
        )

    @admin.display(description="Data checks")
    def checks_found(self, obj: TrainingRun):
        return run_tables.checks_table(obj.checks)

    @admin.display(description="Model card")
    def model_card(self, obj: TrainingRun) -> str:
        """The output version's card (training.cards), as the API serves it."""
        if obj.output_model is None:
            return "—"
        url = reverse("api:model-card", args=[obj.output_model.version])
        return format_html(
            '<a href="{}?as=markdown" id="model-card-md">Markdown</a> · '
            '<a href="{}" id="model-card-json">JSON</a>',
            url,
            url,
        )

    @admin.display(description="Options")
    def options(self, obj: TrainingRun):
        return run_tables.params_table(obj.params)

    @admin.display(description="Dataset")
    def dataset_statistics(self, obj: TrainingRun):
        return run_tables.dataset_table(obj.dataset)

    @admin.display(description="Validation plots")
    def plots(self, obj: TrainingRun):
        """Four plots on the same validation pairs: the live model against the candidate
        (metrics side by side), the learning curve, human against predicted score, and the
        mean human score per predicted band (a calibrated model climbs left to right)."""
        if not obj.validation_predictions:
            return "—"
        predictions = obj.validation_predictions
        curve = predictions.get("learning_curve") or {}
        notes = [
            format_html(
                "Grey: the live model {} · blue: the candidate {}, both on the same {} "
                "validation pairs of {} resumes; whiskers: 95% intervals, resampling those "
                "resumes.",
                obj.metrics_live.get("model", ""),
                obj.metrics_candidate.get("model", ""),
                len(predictions.get("human") or []),
                obj.metrics_candidate.get("resumes", "?"),
            )
        ]
        if curve.get("points"):
            notes.append(
                format_html(
                    "Learning curve: the candidate's head fitted again on 20 to 80% of the "
                    "training resumes ({}), measured on the same validation "
                    "pairs{}; still climbing at 100% means more labels should help.",
                    "one draw each"
                    if curve["points"][0].get("draws", 1) == 1
                    else f"mean of {curve['points'][0]['draws']} draws",
                    format_html(", on the {} encoder", curve["encoder"])
                    if curve.get("encoder")
                    else "",
                )
            )
        return format_html(
            '<div class="run-plots" style="display:flex;flex-wrap:wrap;gap:14px">{}{}{}{}</div>{}',
            plot.comparison(obj.metrics_live, obj.metrics_candidate),
            plot.learning_curve(predictions),
            plot.scatter(predictions),
            plot.calibration(predictions),
            format_html_join("", '<p class="help">{}</p>', ((n,) for n in notes)),
        )

    @admin.display(description="Live (same validation)")
    def live_spearman(self, obj: TrainingRun):
        return obj.metrics_live.get("spearman", "—")

    @admin.display(description="Candidate")
    def candidate_spearman(self, obj: TrainingRun):
        return obj.metrics_candidate.get("spearman", "—")

    @admin.display(description="Duration")
    def duration(self, obj: TrainingRun) -> str:
        return "—" if obj.duration_s is None else f"{obj.duration_s:.1f} s"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:run_id>/status/", view(self.status_view), name="training_trainingrun_status"
            ),
            path("train-now/", view(require_POST(self.train_now_view)), name="training_train_now"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"retrain": selectors.retrain_status(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def add_view(self, request: HttpRequest, form_url="", extra_context=None):
        """Queue a run on the cluster; the page then follows it live."""
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:training_trainingrun_changelist"))
        form = TrainingRunForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                run = training_runs.training_run_create(
                    mode=data["mode"],
                    epochs=data["epochs"],
                    batch_size=data["batch_size"],
                    from_ratings=data["from_ratings"],
                    train_file=form.file_payload(data["train_file"]),
                    validation_file=form.file_payload(data["validation_file"]),
                    force=data["force"],
                    train_on_gold=data["train_on_gold"],
                    activate=data["activate"],
                    user=request.user,
                )
            except (DatasetError, ValueError) as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, f"Training run {run.pk} queued.", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:training_trainingrun_change", args=[run.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Queue a training run",
            "form": form,
            "retrain": selectors.retrain_status(),
        }
        return render(request, "admin/training/trainingrun/queue.html", context)

    def status_view(self, request: HttpRequest, run_id: int) -> JsonResponse:
        """What the run page polls while a run works."""
        if not self.has_view_permission(request):
            raise PermissionDenied(access.can_view_runs.refusal)
        run = get_object_or_404(TrainingRun, pk=run_id)
        return JsonResponse(
            {
                "status": run.shown_status,
                "progress": run.progress,
                "stage": run.stage_summary,
                "log": run.log.splitlines()[-15:],
                "error": run.shown_error,
                "final": run.is_final,
                "metrics_live": run.metrics_live,
                "metrics_candidate": run.metrics_candidate,
            }
        )

    def train_now_view(self, request: HttpRequest):
        """The one-click action of the retraining notice."""
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:training_trainingrun_changelist"))
        run = training_runs.training_run_create(from_ratings=True, user=request.user)
        self.message_user(request, f"Training run {run.pk} queued.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:training_trainingrun_change", args=[run.pk]))

    @admin.action(description="Cancel the selected runs", permissions=["cancel"])
    def cancel(self, request, queryset) -> None:
        done = 0
        for run in queryset:
            try:
                training_runs.training_run_cancel(run=run)
                done += 1
            except training_errors.InvalidTransition as exc:
                self.message_user(request, str(exc), messages.WARNING)
        if done:
            self.message_user(request, f"Cancelled {done} run(s).", messages.SUCCESS)


@admin.register(LabeledExample)
class LabeledExampleAdmin(admin.ModelAdmin):
    list_display = ["id", "source", "score", "predicted_score", "origin", "created_at"]
    list_filter = ["source"]
    search_fields = ["origin", "resume_sha256"]
    readonly_fields = ["resume_sha256", "created_by", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("resume_text", "job_text")
