"""manage.py pause_scoring [--reason TEXT] | --resume | --status: a lead's stop of the
automated scoring from the shell (matching.scoring.oversight)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from matching.scoring import oversight


class Command(BaseCommand):
    help = "Pause automated scoring (new resumes stay unscored), resume it, or say which."

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--resume", action="store_true", help="Resume and score what waits.")
        what.add_argument("--status", action="store_true", help="Only say whether it is paused.")
        parser.add_argument("--reason", default="", help="Why (kept in the audit log).")

    def handle(self, *args, resume: bool, status: bool, reason: str, **options) -> None:
        if resume:
            queued = oversight.scoring_resume(actor=None)
            self.stdout.write(f"Automated scoring runs; {queued} resumes queued for scoring.")
            return
        if not status:
            oversight.scoring_pause(actor=None, reason=reason)
        pause = oversight.scoring_paused()
        self.stdout.write(oversight.paused_message(pause) if pause else "Automated scoring runs.")
