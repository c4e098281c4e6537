"""Latency under load of the ranked-candidates page and the ranking API for a job with
10,000 scored candidates, served by gunicorn on loopback and driven by wrk.

A throwaway database (SQLite file, or with --postgres URL a new database on that
server) gets N resumes with cached vectors (bench/synthetic.py) and one job, scored by
the real scoring pass; a reviewer logs in (a session cookie for the page, a token for
the API). gunicorn serves it on 127.0.0.1 and a free port; wrk runs a bounded time
against each URL (first page and a deep page) and reports p50/p95/p99 and requests/s.

    .venv/bin/python bench/load_test.py [--resumes 10000] [--duration 20] [--connections 8]

Needs Debian's wrk (`make bench` installs it; or apt-get install wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
# wrk's summary as JSON: its own report has no 95th percentile.
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "errors": %d, "non_2xx": %d, "seconds": %.3f, '
    .. '"p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f}\\n',
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""


def database_env(postgres: str | None) -> dict[str, str]:
    if not postgres:
        return {"DATABASE_URL": "", "SQLITE_PATH": str(_tmp / "load.sqlite3")}
    import psycopg

    base, _, _ = postgres.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "resumes_bench_load"')
        conn.execute('CREATE DATABASE "resumes_bench_load"')
    return {"DATABASE_URL": f"{base}/resumes_bench_load"}


def prepare(n: int) -> dict:
    """Rows, login and token, in this process (the server is another process)."""
    import django

    django.setup()
    import numpy as np
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from bench.synthetic import create_job, populate_resumes
    from matching.scoring import services as scoring_services

    call_command("migrate", verbosity=0)
    rng = np.random.default_rng(0)
    populate_resumes(n, rng, progress=n >= 50_000)
    job = create_job(rng)
    t = time.perf_counter()
    scored = scoring_services.pairs_score(jobs=[job])
    scoring_s = time.perf_counter() - t
    user = get_user_model().objects.create_user(
        username="loadtest", password="load-test-pw-2026", is_staff=True, is_superuser=True
    )
    token = Token.objects.create(user=user).key
    client = Client()
    assert client.login(username="loadtest", password="load-test-pw-2026")
    return {
        "job": job.pk,
        "pairs": scored,
        "scoring_s": round(scoring_s, 2),
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "token": token,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, headers: dict[str, str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers=headers)
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout} s")


def run_wrk(url: str, header: str, args: argparse.Namespace) -> dict:
    script = _tmp / "report.lua"
    script.write_text(WRK_REPORT)
    out = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--timeout",
            "10s",
            "-H",
            header,
            "-s",
            str(script),
            url,
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    report = json.loads(out.strip().splitlines()[-1])
    report["requests_per_s"] = round(report["requests"] / report["seconds"], 1)
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resumes", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=20, help="Seconds of wrk per URL.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--worker-threads", type=int, default=2, help="Threads per worker.")
    parser.add_argument("--postgres", metavar="URL", help="Use a new database on this server.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (make bench does it).")
    env = {
        **os.environ,
        **database_env(args.postgres),
        "DJANGO_SETTINGS_MODULE": "resumeproject.settings",
        "DEBUG": "0",
        "MATCHING_SYNC_TASKS": "1",
        "MEDIA_ROOT": str(_tmp / "media"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    data = prepare(args.resumes)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "resumeproject.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.worker_threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    cookie = f"Cookie: sessionid={data['session']}"
    auth = f"Authorization: Token {data['token']}"
    job = data["job"]
    last_page = (args.resumes + 24) // 25
    targets = {
        "ranking_page_first": (f"{base}/jobs/{job}/", cookie),
        "ranking_page_deep": (f"{base}/jobs/{job}/?page={last_page // 2}", cookie),
        "ranking_api_first": (f"{base}/api/v1/jobs/{job}/ranking/", auth),
        "ranking_api_deep": (f"{base}/api/v1/jobs/{job}/ranking/?page={last_page // 2}", auth),
    }
    results: dict = {
        "resumes": args.resumes,
        "database": "postgresql" if args.postgres else "sqlite",
        "gunicorn": f"{args.workers} workers x {args.worker_threads} threads",
        "wrk": f"{args.threads} threads, {args.connections} connections, {args.duration} s",
        "initial_scoring_s": data["scoring_s"],
    }
    try:
        for name, (url, header) in targets.items():
            key, _, value = header.partition(": ")
            wait_until_up(url, {key: value})
            results[name] = run_wrk(url, header, args)
            print(name, json.dumps(results[name]), flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(_tmp, ignore_errors=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
