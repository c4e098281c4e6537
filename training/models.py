"""Training data that is not a rated pair, and the record of every training run.

Ratings of stored pairs live in matching (Rating). Labels that arrive as texts (a JSON
import in the product notes' format, hiring history, feedback from clients) are kept
here as `LabeledExample`, so they train models without becoming candidates in anyone's
ranking.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from matching.models import ScoringModel
from training.errors import InvalidTransition

UNIT_INTERVAL = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class LabeledExample(models.Model):
    class Source(models.TextChoices):
        IMPORT = "import", "JSON import"
        HISTORY = "history", "Hiring history"
        FEEDBACK = "feedback", "Feedback"

    resume_text = models.TextField()
    job_text = models.TextField()
    # sha256 of the resume text: keeps one resume's examples on one side of a split, and
    # finds them for erasure.
    resume_sha256 = models.CharField(max_length=64, db_index=True)
    score = models.FloatField(validators=UNIT_INTERVAL)
    source = models.CharField(max_length=16, choices=Source.choices)
    # What the model said when the label was given (feedback), to detect labels that
    # only repeat the model.
    predicted_score = models.FloatField(null=True, blank=True, validators=UNIT_INTERVAL)
    # The file or client it came from, for the dataset statistics of a run.
    origin = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.score:.2f}"


class TrainingRun(models.Model):
    """One training run, queued by the command, the admin or the API.

    Status transitions (TRANSITIONS): queued -> running | cancelled | failed;
    running -> succeeded | failed | cancelled. succeeded, failed and cancelled are final.
    A worker that dies leaves `running` with an old heartbeat: the run reads failed at
    once (shown_status, shown_error: derived when read, so a read writes nothing), and the
    schedule (training.runs.runs_fail_stale) writes it failed and removes its folders.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Mode(models.TextChoices):
        FAST = "fast", "Fast: head on frozen vectors"
        FULL = "full", "Full: fine-tune the transformer"

    TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.CANCELLED, Status.FAILED},
        Status.RUNNING: {Status.SUCCEEDED, Status.FAILED, Status.CANCELLED},
        Status.SUCCEEDED: set(),
        Status.FAILED: set(),
        Status.CANCELLED: set(),
    }
    FINAL = {Status.SUCCEEDED, Status.FAILED, Status.CANCELLED}

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.FAST)
    # epochs, batch_size, from_ratings, force, activate, validation_fraction, seed ...
    params = models.JSONField(default=dict, blank=True)
    # Uploaded training / validation files in the notes' format (kept with the run).
    train_file = models.FileField(upload_to="training/", blank=True)
    validation_file = models.FileField(upload_to="training/", blank=True)
    dataset = models.JSONField(default=dict, blank=True, help_text="Sources and counts.")
    checks = models.JSONField(default=list, blank=True)
    progress = models.FloatField(default=0.0)
    stage = models.CharField(max_length=200, blank=True)
    log = models.TextField(blank=True)
    # Metrics of the live model and the candidate on the same validation examples.
    metrics_live = models.JSONField(default=dict, blank=True)
    metrics_candidate = models.JSONField(default=dict, blank=True)
    # Validation pairs' human and predicted scores, for the plots.
    validation_predictions = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    base_model = models.ForeignKey(
        ScoringModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    output_model = models.OneToOneField(
        ScoringModel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_run",
    )
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.mode}, {self.status})"

    @classmethod
    def transition(cls, run_id: int, to: str, **fields: Any) -> TrainingRun:
        """Change a run's status (and `fields`) under a row lock; InvalidTransition when
        its status does not lead to `to` (TRANSITIONS)."""
        with transaction.atomic():
            run = cls.objects.select_for_update().get(pk=run_id)
            if to not in cls.TRANSITIONS[cls.Status(run.status)]:
                raise InvalidTransition(f"Run {run_id} is {run.status}; it cannot become {to}.")
            run.status = to
            for name, value in fields.items():
                setattr(run, name, value)
            run.save()
        return run

    @staticmethod
    def _stale_limit(now: datetime | None = None) -> datetime:
        return (now or timezone.now()) - timedelta(seconds=settings.TRAINING_STALE_AFTER_S)

    def is_stale(self, now: datetime | None = None) -> bool:
        """Running, but its worker has not reported for TRAINING_STALE_AFTER_S."""
        if self.status != self.Status.RUNNING or self.heartbeat_at is None:
            return False
        return self.heartbeat_at < self._stale_limit(now)

    @classmethod
    def stale_q(cls, now: datetime | None = None) -> Q:
        """is_stale as a query: the runs the sweep fails, and those shown failed before."""
        return Q(status=cls.Status.RUNNING, heartbeat_at__lt=cls._stale_limit(now))

    @classmethod
    def shown_status_q(cls, status: str) -> Q:
        """Runs whose shown_status is `status`: a stale run is failed, not running."""
        if status == cls.Status.FAILED:
            return Q(status=status) | cls.stale_q()
        if status == cls.Status.RUNNING:
            return Q(status=status) & ~cls.stale_q()
        return Q(status=status)

    @property
    def stale_error(self) -> str:
        """Why a stale run failed (written by runs_fail_stale, shown before it runs)."""
        return (
            f"The worker stopped reporting at {self.heartbeat_at:%Y-%m-%d %H:%M:%S} "
            "(killed, timed out or crashed). The live model is unchanged. A run is "
            "not resumed: queue it again."
        )

    @property
    def shown_status(self) -> str:
        """The status to show: failed once the run is stale, before the sweep writes it."""
        return self.Status.FAILED if self.is_stale() else self.status

    @property
    def shown_error(self) -> str:
        return self.stale_error if self.is_stale() else self.error

    @property
    def is_final(self) -> bool:
        return self.shown_status in self.FINAL

    @property
    def stage_summary(self) -> str:
        """What the run page says it is at. A failed run shows why it failed: its stage
        still holds the last step it reported, which reads as if all went well."""
        status, error = self.shown_status, self.shown_error
        if status == self.Status.FAILED and error.strip():
            return f"Failed: {error.strip().splitlines()[0]}"
        if status == self.Status.CANCELLED:
            return "Cancelled"
        return self.stage

    @property
    def duration_s(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
