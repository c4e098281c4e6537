"""Score now, in this process, what the background work has left: `--pending` the
resumes the live model has not scored against every open job, `--all` every pair."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from matching.scoring.reconcile import resumes_unscored
from matching.scoring.services import pairs_score_judged


class Command(BaseCommand):
    help = (
        "Score with the live model now: --pending the resumes not yet scored against every "
        "open job (whatever lost their task), --all every pair."
    )

    def add_arguments(self, parser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--pending", action="store_true", help="Only what is left unscored.")
        what.add_argument("--all", action="store_true", help="Every resume against every job.")

    def handle(self, *args, pending: bool, all: bool, **options) -> None:
        ids = resumes_unscored() if pending else None
        if ids == []:
            self.stdout.write("Nothing to score: every resume is scored against every open job.")
            return
        written, judged = pairs_score_judged(resume_ids=ids)
        if pending and (left := resumes_unscored()):
            raise CommandError(f"{len(left)} resumes are still unscored; see the log above.")
        what = f"{len(ids)} resumes" if ids is not None else "every resume"
        self.stdout.write(f"Scored {written} pairs of {what}; judged {judged}.")
