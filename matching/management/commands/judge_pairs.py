from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from matching.models import Job
from matching.scoring.services import pairs_judge_rescore


class Command(BaseCommand):
    help = (
        "Judge the requirements (met / not met / unclear, with evidence) of the pairs whose "
        "verdicts are missing or out of date: after upgrading to a version with new verdict "
        "rules, or for a database scored before verdicts existed. Scoring judges new pairs "
        "by itself. Pairs of jobs that must have a licence or a degree are scored again, "
        "as their verdicts move the score."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--job", type=int, default=None, help="Only this job's pairs.")
        parser.add_argument(
            "--all", action="store_true", help="Judge every pair again, up to date or not."
        )

    def handle(self, *args, job: int | None, all: bool, **options) -> None:
        jobs = list(Job.objects.filter(is_open=True))
        if job is not None:
            found = Job.objects.filter(pk=job).first()
            if found is None:
                raise CommandError(f"No job with id {job}.")
            jobs = [found]
        n = pairs_judge_rescore(jobs=jobs, force=all)
        self.stdout.write(f"Judged the requirements of {n} pairs.")
