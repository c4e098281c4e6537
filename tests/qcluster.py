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

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def flushed_redis(url: str) -> redis.Redis:
    """A client of the Redis database at `url`, emptied: a broker of the test's own, or
    one that lost everything. Skips the test where no Redis runs."""
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    return client


def _database_env() -> dict[str, str]:
    """Point the child process at the database this test runs on."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"SQLITE_PATH": str(db["NAME"]), "DATABASE_URL": ""}
    user, host, port = db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or "5432"
    return {"DATABASE_URL": f"postgres://{user}@{host}:{port}/{db['NAME']}"}


def cluster_env(settings_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a child process on this test's database, tasks queued."""
    env = {**os.environ, **_database_env(), "MATCHING_SYNC_TASKS": "0", **(settings_env or {})}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def manage_shell(code: str, settings_env: dict[str, str] | None = None) -> None:
    """Run `code` in `manage.py shell` with those settings: to queue tasks through the
    broker a cluster of those settings uses (this process's broker is the ORM's)."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=cluster_env(settings_env),
        check=True,
    )


@contextmanager
def running_cluster(settings_env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    env = cluster_env(settings_env)
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


def descendants(pid: int) -> set[int]:
    rows = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True)
    parents = [tuple(map(int, row.split())) for row in rows.stdout.splitlines() if row.strip()]
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    """The processes among `pids` that still exist and are not zombies waiting for a reap."""
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                state = fh.read().rpartition(")")[2].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            continue
        if state != "Z":
            alive.add(pid)
    return alive
