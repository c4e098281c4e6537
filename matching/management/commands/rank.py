from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from matching.models import Job
from matching.scoring.selectors import job_ranking


class Command(BaseCommand):
    help = "Print the ranked candidates of a job."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--job", type=int, required=True, help="Job id.")
        parser.add_argument("--top", type=int, default=10, help="How many candidates.")
        parser.add_argument("--min-score", type=float, default=None, help="0..1")

    def handle(self, *args, job: int, top: int, min_score: float | None, **options) -> None:
        found = Job.objects.filter(pk=job).first()
        if found is None:
            raise CommandError(f"No job with id {job}.")
        pairs = list(job_ranking(job=found, min_score=min_score)[:top])
        self.stdout.write(f"{found.title} (job {found.pk})")
        if not pairs:
            self.stdout.write("No scored candidates yet (scoring runs in the background).")
            return
        self.stdout.write(f"{'rank':>4}  {'score':>6}  resume")
        for rank, pair in enumerate(pairs, start=1):
            rated = f"  (human {pair.rating_mean:.0%})" if pair.rating_mean is not None else ""
            self.stdout.write(f"{rank:>4}  {pair.score:>6.1%}  {pair.resume.original_name}{rated}")
