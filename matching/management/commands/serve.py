"""`make run`: the development web server and a django-q2 cluster, started and stopped
together (resumeproject.processes: each in a session of its own, the cluster stopped
through its parent, the web server through its group, what is left after the grace
period killed). A second Ctrl-C kills at once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from resumeproject.processes import manage_command, supervise

STOP_GRACE_S = 5.0


class Command(BaseCommand):
    help = (
        "Serve the site (runserver) beside a django-q2 cluster (qcluster); Ctrl-C or "
        "SIGTERM stops both within a few seconds."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="runserver's address.")
        parser.add_argument(
            "--grace",
            type=float,
            default=STOP_GRACE_S,
            help=f"Seconds to let both stop before they are killed (default {STOP_GRACE_S:g}).",
        )

    def handle(self, *args, addr: str, grace: float, **options) -> None:
        result = supervise(
            lambda: [
                manage_command("qcluster", name="cluster", parent_only=True),
                manage_command("runserver", addr, name="web server", parent_only=False),
            ],
            grace=grace,
        )
        if result.ended:
            raise CommandError(
                f"The {result.ended} exited (code {result.exit_code}); the rest was stopped."
            )
        if result.killed:
            self.stderr.write(
                f"Killed after {grace:g} s: {', '.join(result.killed)} (a task was still "
                "running; see docs/reliability.md for what becomes of it)."
            )
        else:
            self.stdout.write("Stopped the web server and the cluster.")
