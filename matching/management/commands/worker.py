"""`manage.py worker`: a django-q2 cluster for production (systemd, a container, a
Procfile) that stops cleanly on SIGTERM sent to it or to its whole process group.

Plain `qcluster` hangs when its whole group gets SIGTERM, and loses the tasks it holds;
this runs it in a session of its own and stops it through its parent
(resumeproject.processes), letting the running tasks finish for up to --grace seconds.
Exits 0 after a requested stop, 1 when the cluster ended on its own (so a supervisor
restarts it)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from resumeproject.processes import manage_command, supervise


class Command(BaseCommand):
    help = (
        "Run a django-q2 cluster that stops within --grace seconds on SIGTERM or SIGINT, "
        "sent to it alone or to its process group, finishing the tasks it holds."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--grace",
            type=float,
            default=settings.CLUSTER_STOP_GRACE_S,
            help="Seconds the running tasks get to finish before they are killed "
            "(default CLUSTER_STOP_GRACE_S, %(default)s). Keep it under the supervisor's "
            "own stop timeout.",
        )

    def handle(self, *args, grace: float, **options) -> None:
        result = supervise(
            lambda: [manage_command("qcluster", name="cluster", parent_only=True)], grace=grace
        )
        if result.ended:
            raise CommandError(f"The cluster exited on its own (code {result.exit_code}).")
        if result.killed:
            self.stderr.write(
                f"Killed after {grace:g} s: a task was still running. A scoring task's "
                "resumes are queued again by the reconciler; a training run reads failed "
                "and is not resumed (docs/reliability.md)."
            )
        else:
            self.stdout.write("The cluster stopped; every task it held finished.")
