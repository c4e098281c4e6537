"""Run a django-q2 cluster (and, for `make run`, the web server) as children that stop
cleanly: `manage.py worker` and `manage.py serve`.

Each child runs in a session of its own, so a signal sent to this process's whole group
(Ctrl-C in a terminal, a supervisor that signals process groups) reaches only this
process, which then stops each child the way it stops cleanly:

- a cluster: SIGTERM to the `qcluster` parent alone. Its handler tells the sentinel to
  stop the pusher, lets the workers finish every task already taken from the broker, and
  exits. Signalling the whole cluster instead kills the sentinel and the workers at once
  (their SIGTERM is the default action): the tasks they held are lost, and the parent,
  whose stop may wait on a lock the dead sentinel held, hangs deaf to TERM and INT.
- anything else (runserver): SIGTERM to its group.

Whatever has not exited after the grace period (a worker in the middle of a long training
run) is killed with its group. What it held is not lost for good: a scoring task's
resumes are queued again by the reconciler (matching.scoring.reconcile), a training run
is failed as stale (training.runs.runs_fail_stale). A second signal kills at once.

Cgroups are not sessions: systemd's default KillMode=control-group sends SIGTERM to every
process of the unit, past any session. The unit in docs/deploy/ sets KillMode=mixed
(SIGTERM to the main process, SIGKILL to the rest only at the end).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class Child:
    name: str
    proc: subprocess.Popen
    parent_only: bool  # stopped through its parent alone (a django-q2 cluster)


@dataclass
class Supervised:
    ended: str = ""  # the child that exited on its own, when one did
    exit_code: int | None = None
    killed: list[str] = field(default_factory=list)  # what the grace period did not see out


def manage_command(*args: str, parent_only: bool, name: str) -> Child:
    """Start `manage.py <args>` in a session of its own."""
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args]
    return Child(name, subprocess.Popen(manage, start_new_session=True), parent_only)


def supervise(start, *, grace: float) -> Supervised:
    """Start the children (`start()` returns them) with the stop signals caught, wait for
    a stop signal or for a child to exit, then stop them all within `grace` seconds."""
    requested = threading.Event()
    signals_seen: list[int] = []

    def on_signal(signum: int, frame) -> None:
        signals_seen.append(signum)
        requested.set()

    # Caught before the children start, and kept to the end: a second signal during the
    # grace period kills at once.
    for signum in STOP_SIGNALS:
        signal.signal(signum, on_signal)
    children: list[Child] = start()
    result = Supervised()
    while not requested.wait(0.5):
        ended = next((c for c in children if c.proc.poll() is not None), None)
        if ended:
            result.ended, result.exit_code = ended.name, ended.proc.returncode
            break
    result.killed = stop_children(children, grace=grace, hurry=lambda: len(signals_seen) > 1)
    return result


def stop_children(children: list[Child], *, grace: float, hurry) -> list[str]:
    """Ask each child to stop, wait up to `grace` seconds, kill what is left (with its
    process group: a worker whose parent is gone is still in it). Returns what had to be
    killed."""
    for child in children:
        if child.proc.poll() is not None:
            continue
        if child.parent_only:
            os.kill(child.proc.pid, signal.SIGTERM)
        else:
            signal_group(child.proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and not hurry():
        if all(c.proc.poll() is not None for c in children):
            break
        time.sleep(0.1)
    killed = []
    for child in children:
        if child.proc.poll() is None:
            killed.append(child.name)
        # Also when the leader has exited: its group may still hold orphans.
        if signal_group(child.proc.pid, signal.SIGKILL) and child.name not in killed:
            killed.append(f"{child.name} (left-over processes)")
        child.proc.wait()
    return killed


def signal_group(pgid: int, signum: int) -> bool:
    """Send `signum` to a process group; False when the group has no process left."""
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        return False
    return True
