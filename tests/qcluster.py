"""Start a real django-q2 cluster (`manage.py qcluster`) against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _database_env() -> dict[str, str]:
    """Point the child process at the database this test runs on."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"SQLITE_PATH": str(db["NAME"]), "DATABASE_URL": ""}
    user, host, port = db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or "5432"
    return {"DATABASE_URL": f"postgres://{user}@{host}:{port}/{db['NAME']}"}


@contextmanager
def running_cluster(settings_env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    env = {**os.environ, **_database_env(), "MATCHING_SYNC_TASKS": "0", **(settings_env or {})}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:  # kill_cluster() may have ended it already
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def kill_cluster(proc: subprocess.Popen) -> None:
    """SIGKILL the whole cluster (parent, sentinel, workers) at once, as when its machine or
    container dies: nothing of it gets to clean up, commit or report."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def wait_for(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    proc=None,
    interval: float = 0.5,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(interval)
    exited = proc is not None and proc.poll() is not None
    log = proc.stdout.read().decode(errors="replace")[-3000:] if exited else ""
    raise AssertionError(f"timed out waiting for {what}. {log}")
