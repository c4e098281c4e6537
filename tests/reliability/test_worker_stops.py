"""`manage.py worker` (issue 19, item 3): a cluster stops within a bounded time on SIGTERM
sent to its whole process group, as a supervisor or a shell sends it, finishing the tasks
it holds and handing back the rest; a task that outlasts the grace period is killed and
the worker still stops, leaving no process. Plain `qcluster` hung for 50 s and more."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import redis
from django_q.models import OrmQ, Success

from tests.qcluster import (
    ROOT,
    alive,
    cluster_env,
    descendants,
    flushed_redis,
    manage_shell,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = "redis://127.0.0.1:6379/13"
SLEEP_S = 2
TASKS = 3


def _env(broker: str) -> dict[str, str]:
    """The worker's settings; a Redis database of its own, flushed, for the Redis broker."""
    env = {"Q_WORKERS": "1", "Q_CLUSTER_NAME": f"stops-{broker}", "REDIS_URL": ""}
    if broker == "redis":
        flushed_redis(REDIS_URL)
        env["REDIS_URL"] = REDIS_URL
    return env


def _enqueue_sleeps(env: dict[str, str], seconds: float, n: int) -> None:
    """Queue `n` tasks that sleep, through the broker the worker will use."""
    code = "from django_q.tasks import async_task\n"
    manage_shell(code + f"for _ in range({n}): async_task('time.sleep', {seconds})", env)


def _queued(broker: str, env: dict[str, str]) -> int:
    if broker == "redis":
        return redis.Redis.from_url(REDIS_URL).llen(f"django_q:{env['Q_CLUSTER_NAME']}:q")
    return OrmQ.objects.count()


class Worker:
    """`manage.py worker` in a session of its own, its output collected as it comes."""

    def __init__(self, env: dict[str, str], grace: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--grace", str(grace)],
            cwd=ROOT,
            env=cluster_env(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.processes: set[int] = set()
        threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True).start()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc) -> None:
        for pid in alive(self.processes | {self.proc.pid}):
            os.kill(pid, signal.SIGKILL)

    def wait_until_logged(self, text: str, what: str) -> None:
        """Wait for `text` in its output, then note its processes (to check none is left)."""
        wait_for(lambda: text in self.log, timeout=90, what=what)
        self.processes = descendants(self.proc.pid)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def stop_group(self) -> float:
        """SIGTERM to the worker's whole process group; seconds until it exited."""
        started = time.monotonic()
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=60)
        took = time.monotonic() - started
        time.sleep(0.5)  # a killed process's parent reaps it
        return took


@pytest.mark.parametrize("broker", ["orm", "redis"])
def test_sigterm_to_the_group_finishes_the_tasks_held_hands_back_the_rest_and_stops(broker):
    env = _env(broker)
    _enqueue_sleeps(env, SLEEP_S, TASKS)
    with Worker(env, grace=30) as worker:
        worker.wait_until_logged("processing", "a task to start")
        took = worker.stop_group()
        assert worker.proc.returncode == 0, worker.log[-3000:]
        assert "every task it held finished" in worker.log
        assert took < 30, worker.log[-3000:]  # the bound: the grace period, not reached
        assert alive(worker.processes) == set()
        # Nothing lost: each task either ran to the end or is still in the broker.
        finished = Success.objects.filter(func="time.sleep").count()
        assert finished >= 1
        assert finished + _queued(broker, env) == TASKS, worker.log[-3000:]


def test_a_task_that_outlasts_the_grace_period_is_killed_and_the_worker_stops():
    env = _env("orm")
    _enqueue_sleeps(env, 600, 1)
    with Worker(env, grace=2) as worker:
        worker.wait_until_logged("processing", "the task to start")
        took = worker.stop_group()
        assert worker.proc.returncode == 0, worker.log[-3000:]
        assert "Killed after 2 s" in worker.log
        assert took < 15  # 2 s of grace; a loaded machine gets the rest
        assert alive(worker.processes) == set()
        # The ORM broker keeps the task to hand it out again after Q_RETRY.
        assert OrmQ.objects.count() == 1 and not Success.objects.exists()


def test_a_cluster_that_dies_on_its_own_ends_the_worker_with_an_error():
    with Worker(_env("orm"), grace=5) as worker:
        worker.wait_until_logged("starting", "the cluster to start")
        # qcluster leads its own session
        [cluster] = [p for p in worker.processes if os.getpgid(p) == p]
        os.killpg(cluster, signal.SIGKILL)
        worker.proc.wait(timeout=30)
        assert worker.proc.returncode == 1  # so systemd's Restart=on-failure restarts it
        assert "The cluster exited on its own" in worker.log
