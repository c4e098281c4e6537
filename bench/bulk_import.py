"""Bulk import with one django-q2 worker, then with two: the same files, a fresh database
each time, timed from the start of `manage.py import_resumes --wait` until every resume
is scored against the open job.

N resume files are generated into a temporary folder from the role set
(bench/data/roles) and gulp-dev (/work/shared/datasets, if present): each is a real
resume with its own header, its lines shuffled and a passage of another resume of the
same kind appended, so no two are duplicates and lengths vary (1-4 windows); 80% .txt,
10% .md, 10% .docx. Each arm: a new SQLite file (or, with --postgres URL, a new
database on that server), migrate, one open job, a real `manage.py qcluster` with the
arm's workers, then the import. The models load inside the workers, so their start-up
is part of the time, as in real use.

Threads: ONNX Runtime and torch use every core per process by default, so one worker
already keeps two cores busy during its matrix products. Each arm gives its workers
cores // workers threads (EMBEDDING_ONNX_THREADS, OMP_NUM_THREADS), the way a cluster is
sized; --threads pins one number for every arm instead. The encoder is loaded once
before the arms, so a one-time ONNX export (EMBEDDING_BACKEND=onnx) is in neither.

    .venv/bin/python bench/bulk_import.py [--resumes 1000] [--workers 1 2] [--batch-size 100]
        [--clusters 1] [--postgres URL] [--redis URL]

Embedding runs at ~20 windows/s per core here: 10,000 resumes take 20+ minutes per arm,
so the default is 1,000. The comparison needs the machine otherwise idle.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ROLES = ROOT / "bench" / "data" / "roles" / "roles.json"
GULP = ROOT.parent / "shared" / "datasets" / "gulp-dev.json"
JOB = (
    "from matching.intake.jobs import job_create; job_create("
    "title='Backend developer', description='Python, Django, PostgreSQL and REST APIs on "
    "AWS; code review and mentoring.', must_have='Python\\nDjango\\nPostgreSQL', "
    "nice_to_have='Docker\\nKubernetes')"
)

WARM_UP = (
    "from matching.encoding.registry import get_encoder; "
    "get_encoder().encode_documents(['warm up'])"
)


def source_texts() -> list[tuple[str, str]]:
    """(kind, text) of every real resume at hand."""
    texts = [(r["role"], r["text"]) for r in json.loads(ROLES.read_text())["resumes"]]
    if GULP.exists():
        seen: set[str] = set()
        for row in json.loads(GULP.read_text()):
            if row["resume_id"] not in seen:
                seen.add(row["resume_id"])
                texts.append(("gulp", row["resume"]))
    return texts


def write_resumes(folder: Path, n: int, seed: int = 0) -> dict[str, int]:
    import docx

    rng = random.Random(seed)
    sources = source_texts()
    by_kind: dict[str, list[str]] = {}
    for kind, text in sources:
        by_kind.setdefault(kind, []).append(text)
    kinds: dict[str, int] = {}
    for i in range(n):
        kind, text = sources[i % len(sources)]
        lines = [line for line in text.splitlines() if line.strip()]
        head, body = lines[:1], lines[1:]
        rng.shuffle(body)
        extra = rng.choice(by_kind[kind]).split()
        start = rng.randrange(max(1, len(extra) - 60))
        passage = " ".join(extra[start : start + rng.randrange(20, 200)])
        content = "\n".join(
            [f"Candidate {i:05d}", *head, *body, "", "Further experience: " + passage]
        )
        if i % 10 == 5:
            document = docx.Document()
            for line in content.splitlines():
                document.add_paragraph(line)
            document.save(folder / f"resume-{i:05d}.docx")
            ext = "docx"
        else:
            ext = "md" if i % 10 == 7 else "txt"
            (folder / f"resume-{i:05d}.{ext}").write_text(content)
        kinds[ext] = kinds.get(ext, 0) + 1
    return kinds


def manage(*args: str, env: dict[str, str], capture: bool = True) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
    )
    return out.stdout or ""


def database_env(arm: str, scratch: Path, postgres: str | None) -> dict[str, str]:
    if not postgres:
        return {"DATABASE_URL": "", "SQLITE_PATH": str(scratch / f"{arm}.sqlite3")}
    import psycopg

    base, _, _ = postgres.rpartition("/")
    name = f"resumes_bench_import_{arm}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return {"DATABASE_URL": f"{base}/{name}"}


def run_arm(
    workers: int, threads: int, files: Path, scratch: Path, args: argparse.Namespace
) -> dict:
    arm = f"c{args.clusters}w{workers}t{threads}"
    env = {
        **os.environ,
        **database_env(arm, scratch, args.postgres),
        "MEDIA_ROOT": str(scratch / f"media-{arm}"),
        "MATCHING_SYNC_TASKS": "0",
        "IMPORT_BATCH_SIZE": str(args.batch_size),
        "Q_WORKERS": str(workers),
        "Q_CLUSTER_NAME": f"bench-{arm}",
        "OMP_NUM_THREADS": str(threads),
        "MKL_NUM_THREADS": str(threads),
        "OPENBLAS_NUM_THREADS": str(threads),
        "EMBEDDING_ONNX_THREADS": str(threads),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": args.redis or "",
    }
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    manage("migrate", "--noinput", env=env)
    manage("shell", "-c", JOB, env={**env, "MATCHING_SYNC_TASKS": "1"})
    log = open(scratch / f"qcluster-{arm}.log", "w")  # noqa: SIM115 - closed below
    # `manage.py worker`: a cluster that stops cleanly on SIGTERM to its group. Several
    # share the broker, as clusters on several machines do.
    clusters = [
        subprocess.Popen(
            [PYTHON, "manage.py", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(args.clusters)
    ]
    try:
        time.sleep(3)  # the cluster forks its workers before the first task arrives
        t = time.perf_counter()
        output = manage(
            "import_resumes", str(files), "--no-progress", "--wait", "--timeout", "7200", env=env
        )
        seconds = time.perf_counter() - t
    finally:
        for cluster in clusters:
            os.killpg(cluster.pid, signal.SIGTERM)
        for cluster in clusters:
            cluster.wait(timeout=120)
        log.close()
    summary = next(line for line in output.splitlines() if "imported," in line)
    scored = next(line for line in output.splitlines() if "resumes scored" in line)
    return {
        "clusters": args.clusters,
        "workers": workers,
        "threads_per_worker": threads,
        "seconds": round(seconds, 1),
        "summary": summary,
        "scored": scored,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resumes", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-size", type=int, default=100, help="IMPORT_BATCH_SIZE.")
    parser.add_argument(
        "--threads", type=int, default=0, help="Threads per worker (0: cores // workers)."
    )
    parser.add_argument("--postgres", metavar="URL", help="Use new databases on this server.")
    parser.add_argument("--redis", metavar="URL", help="The Redis broker (flushed per arm).")
    parser.add_argument(
        "--clusters", type=int, default=1, help="`manage.py worker` clusters, each of --workers."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the scratch folder.")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    scratch = Path(tempfile.mkdtemp(prefix="bench-import-"))
    files = scratch / "resumes"
    files.mkdir()
    kinds = write_resumes(files, args.resumes)
    manage("shell", "-c", WARM_UP, env={**os.environ, **database_env("warmup", scratch, None)})
    arms = []
    try:
        for workers in args.workers:
            threads = args.threads or max(1, cores // (workers * args.clusters))
            arm = run_arm(workers, threads, files, scratch, args)
            print(json.dumps(arm), flush=True)
            arms.append(arm)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    result = {
        "resumes": args.resumes,
        "files": kinds,
        "batch_size": args.batch_size,
        "cores": cores,
        "database": "postgresql" if args.postgres else "sqlite",
        "broker": "redis" if args.redis else "orm",
        "embedding_backend": os.environ.get("EMBEDDING_BACKEND", "default (settings)"),
        "arms": arms,
    }
    if len(arms) >= 2:
        result["ratio_first_over_last"] = round(arms[0]["seconds"] / arms[-1]["seconds"], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
