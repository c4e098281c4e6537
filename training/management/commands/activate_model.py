from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from matching.errors import ActivationRefused, ModelUnavailable
from matching.models import ScoringModel
from matching.scoring.activation import scoring_model_activate


class Command(BaseCommand):
    help = (
        "Make a model version live (or roll back to an earlier one, or to 'pretrained'); "
        "pairs are re-scored in the background. --list shows the versions."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("version", nargs="?")
        parser.add_argument("--force", action="store_true", help="Even if it measured worse.")
        parser.add_argument("--list", action="store_true")

    def handle(self, *args, version: str | None, force: bool, list: bool, **opts) -> None:
        from matching.scoring.activation import scoring_model_active

        scoring_model_active()  # the pre-trained row exists from the first call
        if list or not version:
            for m in ScoringModel.objects.order_by("created_at"):
                mark = "*" if m.is_active else " "
                self.stdout.write(
                    f"{mark} {m.version:40} {m.kind:10} spearman={m.metrics.get('spearman')}"
                )
            return
        model = ScoringModel.objects.filter(version=version).first()
        if model is None:
            raise CommandError(f"No model {version!r}; see --list.")
        try:
            scoring_model_activate(model=model, force=force)
        except (ActivationRefused, ModelUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{version} is live; re-scoring is queued."))
