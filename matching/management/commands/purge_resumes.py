"""Erase resumes older than RESUME_RETENTION_DAYS now (the daily schedule does the same)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from matching.intake.erasure import resumes_purge_expired


class Command(BaseCommand):
    help = (
        "Erase resumes uploaded more than RESUME_RETENTION_DAYS days ago, with their pairs, "
        "ratings, vectors and training copies. --dry-run lists them without erasing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override RESUME_RETENTION_DAYS for this run.",
        )

    def handle(self, *args, dry_run: bool, days: int | None, **options) -> None:
        days = settings.RESUME_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        if days == 0:
            self.stdout.write("RESUME_RETENTION_DAYS is 0: resumes are kept forever.")
            return
        result = resumes_purge_expired(days=days, dry_run=dry_run)
        verb = "would be erased" if dry_run else "erased"
        self.stdout.write(
            f"{len(result.resume_ids)} resume(s) uploaded before "
            f"{result.cutoff:%Y-%m-%d %H:%M} UTC {verb}."
        )
