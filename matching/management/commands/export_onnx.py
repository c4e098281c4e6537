"""Export model encoders to ONNX int8 ahead of time (EMBEDDING_BACKEND=onnx).

Without it each encoder is exported on first use, which costs that request or task
some seconds; run it after deploying or activating, before the workers get traffic.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from matching.encoding.onnx_backend import encoder_export_onnx
from matching.encoding.windows import UnsupportedModel
from matching.models import ScoringModel
from matching.models_store import encoder_path
from matching.scoring.activation import scoring_model_active


class Command(BaseCommand):
    help = "Export the live model's encoder (or --model VERSION, or --all) to ONNX int8."

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group()
        # --model as in `evaluate`: Django's own --version prints Django's version.
        which.add_argument(
            "--model", metavar="VERSION", help="A model version (see activate_model --list)."
        )
        which.add_argument(
            "--all", action="store_true", dest="all_versions", help="Every model version."
        )

    def handle(self, *args, model: str | None, all_versions: bool, **options) -> None:
        if model:
            found = ScoringModel.objects.filter(version=model).first()
            if found is None:
                raise CommandError(f"No model version {model!r}.")
            models = [found]
        elif all_versions:
            models = list(ScoringModel.objects.order_by("created_at"))
        else:
            models = [scoring_model_active()]
        # Versions that reuse their base's encoder share one export.
        keys = list(dict.fromkeys(m.encoder_key for m in models))
        for key in keys:
            path = encoder_path(key)
            try:
                result = encoder_export_onnx(path=path)
            except UnsupportedModel as exc:
                self.stdout.write(f"{key}: not exported ({exc}); it is embedded with torch.")
                continue
            what = "exported" if result.created else "already exported"
            self.stdout.write(f"{key}: {what} in {result.seconds:.1f}s -> {result.folder}")
