"""Resumes, jobs, the pairs between them, human ratings and the scoring models.

No ML imports in this module: it is loaded by the django-q2 parent process before it
forks workers (see apps.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from matching import texts

UNIT_INTERVAL = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Resume(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        EXTRACTED = "extracted", "Text extracted"
        FAILED = "failed", "Rejected"

    file = models.FileField(upload_to="resumes/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    # The same bytes uploaded twice are one resume.
    sha256 = models.CharField(max_length=64, unique=True)
    text = models.TextField(blank=True)
    # Hash of the extracted text: the key of the embedding cache, so two files with the
    # same text (a PDF and its DOCX) share vectors.
    text_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    # Hashed term counts of the text (matching.intake.terms): cached so lexical scoring of a
    # whole corpus is one sparse-matrix product.
    term_ids = models.BinaryField(default=b"", editable=False)
    term_counts = models.BinaryField(default=b"", editable=False)
    # The structured profile read from the text at import (matching.intake.profile):
    # contact, title, dated roles, years, education, certifications, ESCO skills; empty
    # fields where the resume does not say (or is not in English). rebuild_profiles
    # fills it for resumes imported before.
    profile = models.JSONField(default=dict, blank=True, editable=False)
    # The candidate's name from the profile ("" when the resume does not say): pages, the
    # CSV and the API show it in place of the file name, unless the view is anonymized.
    candidate_name = models.CharField(max_length=200, blank=True, editable=False)
    # The reconciler's retries of a resume whose scoring was lost or failed
    # (matching.scoring.reconcile): how many, and not before when. Reset once it is scored.
    scoring_requeues = models.PositiveSmallIntegerField(default=0, editable=False)
    scoring_retry_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the candidate asked for people-only review (an alternative process): nothing
    # scores or judges them (matching.scoring.oversight). None: not asked.
    alternative_process_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    error_code = models.CharField(max_length=32, blank=True)
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        permissions = [
            ("download_rejected_resume", "Can download the original of a rejected upload")
        ]

    def __str__(self) -> str:
        return self.original_name

    @staticmethod
    def scorable_q(relation: str = "") -> Q:
        """The resumes automated scoring reads (one rule for scoring, the reconciler and
        progress): text extracted, and the candidate did not ask for people-only review.
        `relation`: the path to the resume ("resume" from a pair)."""
        at = f"{relation}__" if relation else ""
        return Q(**{f"{at}status": Resume.Status.EXTRACTED, f"{at}alternative_process_at": None})

    def file_downloadable_by(self, user: Any) -> bool:
        """Whether `user` may download the stored original. A rejected upload may be
        anything (a program renamed .pdf, a file crafted to break a reader): it is kept
        for someone with the permission to look into, not handed to every reviewer."""
        if self.status != Resume.Status.FAILED:
            return True
        return bool(user.has_perm("matching.download_rejected_resume"))


class Job(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField()
    # One requirement per line (or comma separated): checked one by one in explanations.
    must_have = models.TextField(blank=True, help_text="One requirement per line.")
    nice_to_have = models.TextField(blank=True, help_text="One requirement per line.")
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def embedded_text(self) -> str:
        """The text embedded for this job (matching.texts.job_text)."""
        return texts.job_text(
            title=self.title,
            description=self.description,
            must_have=self.must_have,
            nice_to_have=self.nice_to_have,
        )


class ScoringModel(models.Model):
    class Kind(models.TextChoices):
        PRETRAINED = "pretrained", "Pre-trained"
        CUSTOM = "custom", "Custom trained"

    # Unique, human-readable and the folder name under MODELS_STORE_DIR for custom ones.
    version = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    path = models.CharField(max_length=500, blank=True, help_text="Empty: the bundled model.")
    # Which model folder embeds documents. A fast head trained on frozen vectors shares
    # the encoder of its base, so activating it needs no re-embedding.
    encoder_key = models.CharField(max_length=64)
    metrics = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    # The lexical features' document frequencies, frozen when the model first scores after
    # going live and refreshed when the corpus doubles (matching.scoring.corpus): int32
    # term ids then their counts. Every pair is scored with the same statistics.
    corpus_df = models.BinaryField(default=b"", editable=False)
    corpus_size = models.PositiveIntegerField(default=0, editable=False)
    corpus_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Exactly one live model: at most one row may be active.
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_scoring_model"
            )
        ]

    def __str__(self) -> str:
        return self.version

    @property
    def scores_since(self) -> datetime | None:
        """Its scores written before this are stale: it went live, or its corpus
        statistics were refreshed, since."""
        return max((t for t in (self.activated_at, self.corpus_at) if t), default=None)


class Embedding(models.Model):
    """Vectors of one text under one encoder, as float32 bytes.

    Keyed by the text's hash, not the resume, so re-uploads, duplicates across formats
    and the same job text are embedded once.
    """

    text_sha256 = models.CharField(max_length=64)
    encoder_key = models.CharField(max_length=64)
    dim = models.PositiveSmallIntegerField()
    vector = models.BinaryField()  # normalised mean of the window vectors, float32[dim]
    chunk_vectors = models.BinaryField()  # float32[n_chunks, dim], each normalised
    # [[start, end], ...] character spans of the windows in the text, for explanations.
    chunk_spans = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["text_sha256", "encoder_key"], name="one_embedding")
        ]

    def __str__(self) -> str:
        return f"{self.text_sha256[:12]} ({self.encoder_key})"


class Pair(models.Model):
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="pairs")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="pairs")
    score = models.FloatField(null=True, blank=True, validators=UNIT_INTERVAL)
    scoring_model = models.ForeignKey(
        ScoringModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(null=True, blank=True)
    # Kept in step with the ratings by services, so ranking pages filter and sort on
    # them without an aggregate per row.
    rating_count = models.PositiveIntegerField(default=0)
    rating_mean = models.FloatField(null=True, blank=True)
    # Highest minus lowest rating: the labeling queue and the conflicts list find pairs
    # whose reviewers disagree by a band or more without aggregating ratings per row.
    rating_spread = models.FloatField(null=True, blank=True)
    # A lead's decision on a pair whose reviewers disagree; training uses it instead of
    # the reviewers' mean (training.datasets.examples_from_db).
    settled_score = models.FloatField(null=True, blank=True, validators=UNIT_INTERVAL)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    # Met / not met / unclear for each requirement of the job, with the resume sentences
    # that decide it (matching.scoring.judgments): judged once when the pair is scored,
    # read by the pages, the CSV and the API. `verdicts_key` says what they were judged
    # on (the rules' version, the resume's text, the job's requirements), so a pair is
    # judged again only when one of those changed; "" is not judged yet.
    verdicts = models.JSONField(default=list, blank=True)
    verdicts_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resume", "job"], name="one_pair")]
        indexes = [
            # The ranking page: one job's pairs by descending score.
            models.Index(fields=["job", "-score"], name="pair_job_score"),
            models.Index(fields=["resume", "-score"], name="pair_resume_score"),
        ]

    def __str__(self) -> str:
        return f"{self.resume} x {self.job}"


class RatingSource(models.TextChoices):
    ADMIN = "admin", "Admin"
    QUEUE = "queue", "Labeling queue"
    API = "api", "API"
    FEEDBACK = "feedback", "Feedback"
    IMPORT = "import", "Import"
    HISTORY = "history", "Hiring history"


# Where a person rates a pair in this product's own screens and API: one rating per
# reviewer and pair among them (services.rating_submit updates it instead of adding one).
REVIEWER_SOURCES = (RatingSource.QUEUE, RatingSource.ADMIN, RatingSource.API)


class Rating(models.Model):
    Source = RatingSource

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="ratings")
    score = models.FloatField(validators=UNIT_INTERVAL)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.ADMIN)
    # The model's score when the rating was given: training checks that labels are not
    # copies of predictions, and the admin shows disagreements.
    predicted_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"])]
        constraints = [
            # A reviewer rates a pair once, wherever they rate it (queue, admin, API): a
            # second rating updates the first (services.rating_submit), and this catches
            # any writer that does not. Imports and hiring history have no reviewer and
            # may hold several labels of one pair.
            models.UniqueConstraint(
                fields=["pair", "reviewer"],
                condition=Q(source__in=REVIEWER_SOURCES, reviewer__isnull=False),
                name="one_rating_per_reviewer",
            )
        ]
        permissions = [
            # Team leads correct or remove another reviewer's rating (audited); reviewers
            # change only their own.
            ("change_others_rating", "Can change other reviewers' ratings"),
        ]

    def __str__(self) -> str:
        return f"{self.score:.2f} for {self.pair_id}"

    def changeable_by(self, user) -> bool:
        """Reviewers change and delete only their own ratings; a lead with the permission
        "Can change other reviewers' ratings" also those of others and of imports. The one
        rule for the admin and the services."""
        if user is None or not user.is_authenticated:
            return False
        return self.reviewer_id == user.pk or user.has_perm("matching.change_others_rating")

    @staticmethod
    def stars_to_score(stars: int) -> float:
        """1..5 stars onto 0..1: 1 star is 0.0, 5 stars 1.0."""
        if not 1 <= stars <= 5:
            raise ValueError("stars must be between 1 and 5")
        return (stars - 1) / 4


class VerdictCorrection(models.Model):
    """A reviewer's own verdict on one requirement of a pair where they read it otherwise
    than the rules (matching.scoring.verdicts): one per reviewer, pair and requirement.
    Measures the rules (matching.review.corrections) and is exported with the ratings."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="verdict_corrections")
    requirement = models.CharField(max_length=500)
    must = models.BooleanField(default=True)
    kind = models.CharField(max_length=16, blank=True)
    met = models.BooleanField()
    # What the rules said when the reviewer corrected them (met, not_met, unclear).
    rule_status = models.CharField(max_length=16, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "requirement", "reviewer"], name="one_correction_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{'met' if self.met else 'not met'}: {self.requirement[:60]}"


class ReviewSkip(models.Model):
    """A reviewer put a pair aside in the labeling queue until `until`.

    Stored in the database rather than the session: a skip survives a logout, another
    browser and a restart, and the queue excludes skipped pairs in the same SQL query
    that orders the rest.
    """

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pair", "reviewer"], name="one_skip_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.pair_id} skipped by {self.reviewer_id} until {self.until:%Y-%m-%d %H:%M}"


class PairConflict(Pair):
    """Pairs whose reviewers disagree by a band or more: the admin list a lead settles."""

    class Meta:
        proxy = True
        verbose_name = "conflicting pair"
        permissions = [("settle_pair", "Can settle the score of a conflicting pair")]


class ScoringPause(models.Model):
    """While this row exists, automated scoring is paused (matching.scoring.oversight)."""

    paused_at = models.DateTimeField(auto_now_add=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        default_permissions = ()
        permissions = [("pause_scoring", "Can pause and resume automated scoring")]

    def __str__(self) -> str:
        return f"scoring paused since {self.paused_at:%Y-%m-%d %H:%M}"


class ReviewerPreference(models.Model):
    """Per-reviewer display choices; for now whether resumes are shown anonymized.

    `anonymize` is nullable on purpose: None follows the ANONYMIZE_REVIEWS setting, so
    changing the global default reaches every reviewer who never chose for themselves.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_preference"
    )
    anonymize = models.BooleanField(
        null=True,
        blank=True,
        help_text="Mask names, contact details and photos in resumes. Empty: the site default.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"
