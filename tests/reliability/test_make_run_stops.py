"""`make run` (manage.py serve: runserver beside a django-q2 cluster) stops within seconds
on Ctrl-C or SIGTERM, leaving no process behind. Before, `kill 0` in the Makefile's trap
killed the cluster's sentinel mid-lock and the qcluster parent then ignored TERM and INT
until killed."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from tests.qcluster import ROOT, _database_env, alive, descendants

pytestmark = pytest.mark.django_db(transaction=True)

STOP_WITHIN_S = 15  # the command's grace is 5 s; a loaded machine gets the rest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _started(proc: subprocess.Popen, output: list[str], port: int, timeout: float) -> bool:
    """Whether the site answers and the cluster says it runs, before `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if any("running." in line for line in output):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5):
                    return True
            except OSError:
                pass
        time.sleep(0.5)
    return False


@pytest.mark.parametrize(
    ("signum", "to_group"),
    [
        pytest.param(signal.SIGINT, True, id="ctrl-c"),  # the terminal signals the group
        pytest.param(signal.SIGTERM, False, id="sigterm"),
    ],
)
def test_make_run_stops_the_site_and_the_cluster_within_seconds_leaving_nothing(signum, to_group):
    port = _free_port()
    env = {**os.environ, **_database_env(), "MATCHING_SYNC_TASKS": "0", "Q_WORKERS": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    started: set[int] = set()
    try:
        assert _started(proc, output, port, timeout=120), "".join(output)[-3000:]
        started = descendants(proc.pid)
        assert len(started) >= 4  # runserver (reloader and server), qcluster and its sentinel
        if to_group:
            os.killpg(proc.pid, signum)
        else:
            os.kill(proc.pid, signum)
        proc.wait(timeout=STOP_WITHIN_S)
        reader.join(timeout=5)
        log = "".join(output)
        assert alive(started) == set(), log[-3000:]
        assert proc.returncode == 0, log[-3000:]
        assert "Stopped the web server and the cluster." in log
        assert "Killed after" not in log and "Segmentation fault" not in log
    finally:
        for pid in alive(started | {proc.pid}):
            os.kill(pid, signal.SIGKILL)
        proc.wait()


def test_make_run_serves_through_the_command_tested_here():
    if shutil.which("make") is None:
        pytest.skip("no make")
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "manage.py serve --addr 127.0.0.1:" in recipe
    assert "kill 0" not in recipe
