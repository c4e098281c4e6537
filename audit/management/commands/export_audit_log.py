"""manage.py export_audit_log [--since DATE] [--until DATE] [--output FILE]: the audit log
as JSON lines, oldest first (to standard output without --output)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import audit_json_lines


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date like 2026-12-31.") from exc


class Command(BaseCommand):
    help = "Export the audit log as JSON lines (one event per line, oldest first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="First day (YYYY-MM-DD), inclusive.")
        parser.add_argument("--until", help="Last day (YYYY-MM-DD), inclusive.")
        parser.add_argument("--output", type=Path, help="File to write (default: stdout).")

    def handle(
        self, *args, since: str | None, until: str | None, output: Path | None, **options
    ) -> None:
        lines = audit_json_lines(
            since=_date(since) if since else None, until=_date(until) if until else None
        )
        if output is None:
            for line in lines:
                self.stdout.write(line, ending="")
            return
        count = 0
        try:
            with output.open("w", encoding="utf-8") as out:
                for line in lines:
                    out.write(line)
                    count += 1
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror or exc}") from exc
        self.stderr.write(f"{count} events written to {output}.")
