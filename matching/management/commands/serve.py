"""`make run`: the development web server and a django-q2 cluster, started and stopped
together.

Each runs in a session of its own, so a Ctrl-C in the terminal (SIGINT to the whole
foreground group) reaches only this process, which then stops them in the way each one
stops cleanly:

- the cluster: SIGTERM to the `qcluster` parent alone. Its handler tells the sentinel to
  stop the workers. Signalling the whole cluster instead (what `kill 0` in a shell trap
  did) kills the sentinel while it may hold the lock of the cluster's stop event, and the
  parent then waits on that lock forever, deaf to TERM and INT.
- the web server: SIGTERM to its group (runserver's autoreloader and the server it runs
  both exit on it).

Whatever has not exited after the grace period (a worker in the middle of an hour-long
training task) is killed with its group; the run it was on is failed as stale by the next
cluster (training.runs.runs_fail_stale). A second Ctrl-C kills at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
        requested = threading.Event()
        signals_seen: list[int] = []

        def on_signal(signum: int, frame) -> None:
            signals_seen.append(signum)
            requested.set()

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, on_signal)

        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        children = {
            "cluster": subprocess.Popen([*manage, "qcluster"], start_new_session=True),
            "web server": subprocess.Popen([*manage, "runserver", addr], start_new_session=True),
        }
        ended = None
        while not requested.wait(0.5):
            ended = next((name for name, p in children.items() if p.poll() is not None), None)
            if ended:
                break
        # Both sets of handlers stay: a second signal during the grace period kills at once.
        killed = self._stop(children, grace=grace, hurry=lambda: len(signals_seen) > 1)
        if ended:
            raise CommandError(
                f"The {ended} exited (code {children[ended].returncode}); the rest was stopped."
            )
        if killed:
            self.stderr.write(
                f"Killed after {grace:g} s: {', '.join(killed)} (a task was still running; "
                "the broker hands a killed task out again after Q_RETRY, docs/reliability.md)."
            )
        else:
            self.stdout.write("Stopped the web server and the cluster.")

    def _stop(self, children: dict[str, subprocess.Popen], *, grace: float, hurry) -> list[str]:
        """Ask each child to stop, wait up to `grace` seconds, kill what is left (with its
        process group: a worker whose parent is gone is still in it). Returns what had
        to be killed."""
        for name, proc in children.items():
            if proc.poll() is not None:
                continue
            if name == "cluster":
                os.kill(proc.pid, signal.SIGTERM)
            else:
                _signal_group(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and not hurry():
            if all(p.poll() is not None for p in children.values()):
                break
            time.sleep(0.1)
        killed = []
        for name, proc in children.items():
            if proc.poll() is None:
                killed.append(name)
            # Also when the leader has exited: its group may still hold orphans.
            if _signal_group(proc.pid, signal.SIGKILL) and name not in killed:
                killed.append(f"{name} (left-over processes)")
            proc.wait()
        return killed


def _signal_group(pgid: int, signum: int) -> bool:
    """Send `signum` to a process group; False when the group has no process left."""
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        return False
    return True
