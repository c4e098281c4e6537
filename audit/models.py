"""The audit log: who rated, settled, trained, activated, deleted and purged what.

Rows are written by audit.services.audit_record from the services that do those things
(matching, training); audit imports neither app. A row names its target by type, id and a
short label, never by personal text (a resume's file name or content), so erasing a
candidate leaves the log intact and free of their data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        RATED = "rated", "Rated a pair"
        RATING_CHANGED = "rating_changed", "Changed a rating"
        RATING_DELETED = "rating_deleted", "Deleted a rating"
        VERDICT_CORRECTED = "verdict_corrected", "Corrected a requirement verdict"
        SETTLED = "settled", "Settled a conflicting pair"
        DELETED_RESUME = "deleted_resume", "Deleted a resume"
        ERASED_TRAINING_COPIES = "erased_training_copies", "Erased a resume's training copies"
        PURGED = "purged", "Purged expired resumes"
        TRAINING_QUEUED = "training_queued", "Queued a training run"
        TRAINING_CANCELLED = "training_cancelled", "Cancelled a training run"
        ACTIVATED = "activated", "Activated a model"
        ROLLED_BACK = "rolled_back", "Rolled back to an earlier model"
        SELF_ID_IMPORTED = "self_id_imported", "Imported self-identification data"
        SELF_ID_READ = "self_id_read", "Read self-identification data"
        AUDIT_PURGED = "audit_purged", "Dropped audit events past their retention"
        SCORING_PAUSED = "scoring_paused", "Paused automated scoring"
        SCORING_RESUMED = "scoring_resumed", "Resumed automated scoring"
        ALTERNATIVE_PROCESS = "alternative_process", "Recorded a request for people-only review"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Null: the system did it (a scheduled purge, an automatic retraining).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The username at the time: the row still says who after the account is deleted.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    # "matching.resume", "training.trainingrun", ...; the id as text, since a target may be
    # gone (a deleted resume) and ids of future targets need not be integers.
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        who = self.actor_name or "system"
        return f"{who} {self.action} {self.target_label or self.target_type}"
