"""Progress, heartbeat and log lines of a running training run.

A trainer reports fractions of its own work to a RunReporter; the reporter writes them to
the run's row at most twice a second and raises RunCancelled when the row is no longer
running. heartbeat() keeps the row's heartbeat fresh from a thread of the worker.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from training.errors import RunCancelled
from training.models import TrainingRun

logger = logging.getLogger(__name__)

LOG_LINES = 200

Listener = Callable[[float, str], None]


class RunReporter:
    """Progress, heartbeat and log lines of a running run; notices cancellation.

    A trainer reports fractions of its own work; span() maps them into a part of the
    whole run, so the bar in the admin only moves forward.
    """

    def __init__(
        self,
        run: TrainingRun,
        *,
        listener: Listener | None = None,
        lines: list[str] | None = None,
        state: dict | None = None,
        start: float = 0.0,
        end: float = 1.0,
    ) -> None:
        self.run = run
        self.listener = listener
        self.lines = run.log.splitlines() if lines is None else lines
        # Shared by a reporter and its spans: the progress so far and the last DB write.
        self.state = {"current": start, "last_write": 0.0} if state is None else state
        self.start, self.end = start, end

    def span(self, start: float, end: float) -> RunReporter:
        width = self.end - self.start
        return RunReporter(
            self.run,
            listener=self.listener,
            lines=self.lines,
            state=self.state,
            start=self.start + width * start,
            end=self.start + width * end,
        )

    def log(self, message: str) -> None:
        logger.debug("run %s: %s", self.run.pk, message)
        self.lines.append(f"{timezone.now():%H:%M:%S} {message}")
        del self.lines[:-LOG_LINES]
        self._write(self.state["current"], message, force=True)

    def __call__(self, fraction: float, stage: str) -> None:
        width = self.end - self.start
        self._write(self.start + width * min(max(fraction, 0.0), 1.0), stage)

    def _write(self, progress: float, stage: str, *, force: bool = False) -> None:
        current = self.state["current"] = max(self.state["current"], progress)
        if self.listener:
            self.listener(current, stage)
        now = time.monotonic()
        if not force and now - self.state["last_write"] < 0.5:
            return  # at most two writes a second, however often a trainer reports
        self.state["last_write"] = now
        updated = TrainingRun.objects.filter(
            pk=self.run.pk, status=TrainingRun.Status.RUNNING
        ).update(
            progress=round(current, 4),
            stage=stage[:200],
            heartbeat_at=timezone.now(),
            log="\n".join(self.lines),
        )
        if not updated:
            raise RunCancelled(f"Run {self.run.pk} was cancelled.")


@contextlib.contextmanager
def heartbeat(run_id: int) -> Iterator[None]:
    """Keep a run's heartbeat fresh while its worker is alive, reporting or not.

    Progress reports also beat, but some steps report nothing for minutes (embedding a
    large training set is one call), and the stale sweep (runs_fail_stale) would mark
    such a live run failed. A thread of the worker beats every TRAINING_HEARTBEAT_S
    instead; it dies with the worker, so a killed run still goes stale."""
    stop = threading.Event()
    every = float(settings.TRAINING_HEARTBEAT_S)

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    TrainingRun.objects.filter(pk=run_id, status=TrainingRun.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # the next beat tries again; the run goes on
                    logger.warning("heartbeat of run %s not written", run_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"training-run-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)
