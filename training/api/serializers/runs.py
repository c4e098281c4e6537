from __future__ import annotations

import json

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matching.intake.readers import human_size
from training import datasets
from training import errors as training_errors
from training.models import TrainingRun

# About 20,000 examples of resume and job text: more than anyone labels by hand, and a
# bound on what one request may make the server read into memory and parse.
TRAINING_FILE_MAX_BYTES = 50 * 1024 * 1024
# The end of a run's log that the API shows (the admin's run page shows all of it).
LOG_TAIL_LINES = 50


# --- queueing ------------------------------------------------------------------------------


class ExampleIn(serializers.Serializer):
    """One example in the product notes' format (what a training file holds)."""

    resume = serializers.CharField(help_text="The resume's text.")
    job_description = serializers.CharField(help_text="The job's text.")
    score = serializers.FloatField(min_value=0.0, max_value=1.0, help_text="The human score, 0..1.")
    predicted_score = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=0.0,
        max_value=1.0,
        help_text="Optional: what the model said.",
    )


@extend_schema_field(ExampleIn(many=True))
class ExamplesField(serializers.ListField):
    """A JSON list of examples. Read by the same parser as a training file, so a bad
    example is reported the same way: its number (from 1) and the reason."""

    child = serializers.JSONField()


class RunOptionsIn(serializers.Serializer):
    """The options of `manage.py train_custom_model`."""

    mode = serializers.ChoiceField(
        choices=TrainingRun.Mode.choices,
        required=False,
        help_text="fast: a head on the frozen vectors (seconds); full: fine-tune the "
        "transformer, then fit the head (minutes to hours). Default TRAINING_DEFAULT_MODE.",
    )
    epochs = serializers.IntegerField(
        required=False, min_value=1, max_value=50, help_text="Full mode: epochs (default 2)."
    )
    batch_size = serializers.IntegerField(
        required=False, min_value=1, max_value=256, help_text="Full mode: batch size (default 16)."
    )
    from_ratings = serializers.BooleanField(
        default=False,
        help_text="Train on the database's labels too (ratings, imports, history, feedback).",
    )
    force = serializers.BooleanField(
        default=False, help_text="Train even if the data checks fail (they become warnings)."
    )
    train_on_gold = serializers.BooleanField(
        default=False,
        help_text="Train on the gold set too (pairs rated by several reviewers, or settled); "
        "the candidate is then compared on the validation set only.",
    )
    activate = serializers.BooleanField(
        default=False,
        help_text="Activate the new model if it measures better than the live one beyond noise.",
    )
    activate_if_worse = serializers.BooleanField(
        default=False, help_text="With activate: activate it even if it measures worse."
    )


class RunJsonIn(RunOptionsIn):
    """JSON: examples inline."""

    train_examples = ExamplesField(
        required=False, help_text="Training examples (or from_ratings, or both)."
    )
    validation_examples = ExamplesField(
        required=False,
        help_text="Validation examples; without them 20% of the resumes are held out.",
    )


class RunMultipartIn(RunOptionsIn):
    """Multipart: training files in the notes' JSON format."""

    train_file = serializers.FileField(
        required=False,
        allow_empty_file=True,
        use_url=False,
        help_text="Training examples as a JSON file (or from_ratings, or both).",
    )
    validation_file = serializers.FileField(
        required=False,
        allow_empty_file=True,
        use_url=False,
        help_text="Validation examples as a JSON file; without it 20% of the resumes are held out.",
    )


class RunCreateIn(RunJsonIn, RunMultipartIn):
    """Either request body. Files and inline examples are parsed here, so a bad one is a
    400 naming the field, the example and the reason, and nothing is created."""

    def validate(self, data: dict) -> dict:
        errors: dict[str, list[str]] = {}
        for side in ("train", "validation"):
            upload = data.pop(f"{side}_file", None)
            examples = data.pop(f"{side}_examples", None)
            data[f"{side}_file"] = None  # the service's (name, bytes), or None
            if upload is not None and examples is not None:
                errors[f"{side}_file"] = [f"Give {side}_file or {side}_examples, not both."]
                continue
            try:
                if upload is not None:
                    data[f"{side}_file"] = _file_payload(upload)
                elif examples is not None:
                    data[f"{side}_file"] = _examples_payload(examples, name=f"{side}_examples")
            except training_errors.DatasetError as exc:
                field = f"{side}_file" if upload is not None else f"{side}_examples"
                errors[field] = [str(exc)]
        if errors:
            raise serializers.ValidationError(errors)
        return data


def _file_payload(upload: UploadedFile) -> tuple[str, bytes]:
    if upload.size > TRAINING_FILE_MAX_BYTES:
        raise training_errors.DatasetError(
            f"{upload.name} is {human_size(upload.size)}; a training file may be at most "
            f"{human_size(TRAINING_FILE_MAX_BYTES)}."
        )
    raw = upload.read()
    datasets.parse_examples(raw, name=upload.name)
    return upload.name, raw


def _examples_payload(examples: list, *, name: str) -> tuple[str, bytes]:
    """Inline examples as the file the run keeps (the same format as an upload)."""
    raw = json.dumps(examples).encode()
    datasets.parse_examples(raw, name=name)
    return f"{name}.json", raw


# --- a run ---------------------------------------------------------------------------------


class IntervalsOut(serializers.Serializer):
    """95% intervals [low, high] from resampling resumes (null: too few resumes)."""

    spearman = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    pearson = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    mae = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    band_accuracy = serializers.ListField(child=serializers.FloatField(), allow_null=True)


class SetMetricsOut(serializers.Serializer):
    """One model's measurements on one set of examples."""

    n = serializers.IntegerField(help_text="Pairs.")
    resumes = serializers.IntegerField(
        required=False, help_text="Distinct resumes: the intervals resample them."
    )
    spearman = serializers.FloatField(allow_null=True, help_text="Rank correlation with people.")
    pearson = serializers.FloatField(allow_null=True)
    mae = serializers.FloatField(allow_null=True, help_text="Mean absolute error, 0..1.")
    band_accuracy = serializers.FloatField(
        allow_null=True, help_text="Share of pairs in the same band (poor, partial, good)."
    )
    ci = IntervalsOut(required=False, help_text="Runs since the gate: each figure's interval.")


class MetricsOut(SetMetricsOut):
    """One model's measurements on a run's validation examples, and on the gold set."""

    model = serializers.CharField(help_text="The version measured.")
    gold = SetMetricsOut(
        required=False,
        help_text="On the gold set (pairs several reviewers rated, or settled), kept out of "
        "training; absent when it is too small or the run trained on it.",
    )


class GainOut(serializers.Serializer):
    spearman_gain = serializers.FloatField(allow_null=True, help_text="Candidate minus live.")
    ci = serializers.ListField(
        child=serializers.FloatField(), allow_null=True, help_text="Its 95% interval."
    )
    n = serializers.IntegerField(help_text="Pairs.")


class ComparisonOut(serializers.Serializer):
    """The gate's verdict (docs/training.md, "The gate")."""

    verdict = serializers.ChoiceField(choices=["better", "worse", "unclear", "untrusted"])
    validation = GainOut()
    gold = GainOut(required=False)
    reasons = serializers.ListField(child=serializers.CharField())


class CheckOut(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.ChoiceField(
        choices=["error", "warning", "info"], help_text="An error stops the run unless forced."
    )
    message = serializers.CharField()


class BandsOut(serializers.Serializer):
    poor = serializers.IntegerField(help_text="Scores below 0.3.")
    partial = serializers.IntegerField()
    good = serializers.IntegerField(help_text="Scores of 0.7 and above.")


class DatasetSideOut(serializers.Serializer):
    examples = serializers.IntegerField()
    resumes = serializers.IntegerField()
    jobs = serializers.IntegerField()
    sources = serializers.DictField(child=serializers.IntegerField())
    score_mean = serializers.FloatField(allow_null=True)
    bands = BandsOut()
    multi_rated = serializers.IntegerField(help_text="Pairs rated by several reviewers.")


class DatasetOut(serializers.Serializer):
    sources = serializers.DictField(
        child=serializers.IntegerField(), help_text="Examples read per source."
    )
    train = DatasetSideOut()
    validation = DatasetSideOut()
    gold = DatasetSideOut(required=False, help_text="The gold set the models were measured on.")
    conflicts = serializers.IntegerField(help_text="Pairs whose labels were a band or more apart.")


def _metrics_or_none(metrics: dict) -> dict | None:
    return MetricsOut(metrics).data if metrics else None


class RunOut(serializers.ModelSerializer):
    """A training run: where it stands and how the candidate measured."""

    url = serializers.SerializerMethodField(help_text="This run's status URL: poll it.")
    # A run whose worker stopped reporting reads failed at once, before the sweep writes it.
    status = serializers.ChoiceField(
        source="shown_status", choices=TrainingRun.Status.choices, help_text="Where it stands."
    )
    error = serializers.CharField(source="shown_error", help_text="Why it failed, if it did.")
    is_final = serializers.BooleanField(help_text="succeeded, failed or cancelled.")
    progress = serializers.FloatField(help_text="0..1.")
    output_model = serializers.CharField(
        source="output_model.version",
        default=None,
        allow_null=True,
        help_text="The version it trained (succeeded runs); activate it at /models/{version}/"
        "activate/.",
    )
    base_model = serializers.CharField(
        source="base_model.version",
        default=None,
        allow_null=True,
        help_text="The live model it was measured against.",
    )
    created_by = serializers.CharField(
        source="created_by.username", default=None, allow_null=True, help_text="Username."
    )
    duration_s = serializers.FloatField(allow_null=True, help_text="From start to end.")
    metrics_live = serializers.SerializerMethodField(
        help_text="The live model on the validation examples (null until measured)."
    )
    metrics_candidate = serializers.SerializerMethodField(
        help_text="The new model on the same examples (null until trained)."
    )
    comparison = serializers.SerializerMethodField(
        help_text="The candidate against the live model: only a better one goes live "
        "without insisting (null until trained, and for runs from before the gate)."
    )

    class Meta:
        model = TrainingRun
        fields = [
            "id",
            "url",
            "status",
            "is_final",
            "mode",
            "progress",
            "stage",
            "params",
            "error",
            "base_model",
            "output_model",
            "metrics_live",
            "metrics_candidate",
            "comparison",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "duration_s",
        ]
        read_only_fields = fields

    def get_url(self, run: TrainingRun) -> str:
        path = reverse("api:training-run-detail", kwargs={"pk": run.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(MetricsOut(allow_null=True))
    def get_metrics_live(self, run: TrainingRun) -> dict | None:
        return _metrics_or_none(run.metrics_live)

    @extend_schema_field(MetricsOut(allow_null=True))
    def get_metrics_candidate(self, run: TrainingRun) -> dict | None:
        return _metrics_or_none(run.metrics_candidate)

    @extend_schema_field(ComparisonOut(allow_null=True))
    def get_comparison(self, run: TrainingRun) -> dict | None:
        found = run.output_model.metrics.get("comparison") if run.output_model else None
        return ComparisonOut(found).data if found else None


class RunDetailOut(RunOut):
    """A run with its log tail, checks, dataset statistics and timings."""

    log_tail = serializers.SerializerMethodField(
        help_text=f"The last {LOG_TAIL_LINES} lines of the run's log, oldest first."
    )
    checks = CheckOut(many=True, help_text="The data checks, recorded before training.")
    dataset = serializers.SerializerMethodField(help_text="Null until the labels are read.")
    timings = serializers.SerializerMethodField(
        help_text="Seconds per phase (embedding_s, training_s, total_s) once succeeded."
    )
    fine_tune = serializers.SerializerMethodField(
        help_text="Full mode: seconds, validation Spearman per epoch, best epoch."
    )

    class Meta(RunOut.Meta):
        fields = [
            *RunOut.Meta.fields,
            "heartbeat_at",
            "log_tail",
            "checks",
            "dataset",
            "timings",
            "fine_tune",
        ]
        read_only_fields = fields

    def get_log_tail(self, run: TrainingRun) -> list[str]:
        return run.log.splitlines()[-LOG_TAIL_LINES:]

    @extend_schema_field(DatasetOut(allow_null=True))
    def get_dataset(self, run: TrainingRun) -> dict | None:
        return DatasetOut(run.dataset).data if run.dataset.get("train") else None

    @extend_schema_field(serializers.DictField(child=serializers.FloatField()))
    def get_timings(self, run: TrainingRun) -> dict:
        return run.dataset.get("timings", {})

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_fine_tune(self, run: TrainingRun) -> dict | None:
        return run.dataset.get("fine_tune")


# --- the suggestion ------------------------------------------------------------------------


class SuggestionOut(serializers.Serializer):
    """The retraining rule of the product notes: suggest a run after enough new labels."""

    new_labels = serializers.IntegerField(
        help_text="Ratings and examples since the live model was trained (all of them for "
        "the pre-trained model)."
    )
    threshold = serializers.IntegerField(help_text="RETRAIN_SUGGEST_AFTER.")
    suggested = serializers.BooleanField(
        help_text="new_labels reached the threshold and no run is queued or running."
    )
    since = serializers.DateTimeField(
        allow_null=True, help_text="When the live model was trained; null for the pre-trained."
    )
    live_model = serializers.CharField(help_text="The live model's version.")
    run_in_progress = serializers.BooleanField(help_text="A run is queued or running.")
