"""The gate's answer (issue 17, items 3 and 4) on gulp-dev and on bad label sets made from it.

Each scenario is a real training run (`training.runs`, fast mode, the real pre-trained
model) on a scratch SQLite database and model store:

- as given: gulp-dev as the notes' command would train on it;
- inverted: every score flipped (1 - score), as a file on the wrong scale would be;
- copied: every score replaced by the live model's own score of the pair;
- one reviewer: gulp-dev's labels as ratings in the database, all by one reviewer
  (`--from-ratings`);
- three reviewers: the same, plus a second reviewer agreeing on the pairs of 10 resumes
  (those pairs become the gold set) and a third who rates the same pairs on an inverted
  scale;
- inverted and forced, with the gold set of the scenario before: what the gold set says.

For each: the run's status, the checks that fired, the validation figures of both models
with their 95% intervals (resampling resumes), the gold figures where there is a gold
set, and the verdict.

    .venv/bin/python bench/gate.py [--json OUT]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="bench-gate-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="resumeproject.settings",
    SQLITE_PATH=str(SCRATCH / "db.sqlite3"),
    DATABASE_URL="",
    MODELS_STORE_DIR=str(SCRATCH / "models"),
    MEDIA_ROOT=str(SCRATCH / "media"),
    MATCHING_SYNC_TASKS="1",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from matching.intake import terms  # noqa: E402
from matching.models import Job, Pair, Rating, Resume  # noqa: E402
from matching.scoring import services as scoring_services  # noqa: E402
from matching.scoring.inputs import TextPair  # noqa: E402
from matching.texts import text_hash  # noqa: E402
from training import runs  # noqa: E402
from training.models import TrainingRun  # noqa: E402

GULP = ROOT.parent / "shared" / "datasets" / "gulp-dev.json"


def _run(name: str, rows: list[dict] | None = None, **options) -> dict:
    t = time.perf_counter()
    created = runs.training_run_create(
        train_file=("train.json", json.dumps(rows).encode()) if rows is not None else None,
        enqueue=False,
        **options,
    )
    run = runs.training_run_execute(created.pk)
    comparison = run.output_model.metrics.get("comparison", {}) if run.output_model else {}
    out = {
        "scenario": name,
        "status": run.status,
        "checks": [f"{c['level']}:{c['code']}" for c in run.checks],
        "verdict": comparison.get("verdict", "refused" if run.status == "failed" else ""),
        "reasons": comparison.get("reasons", []),
        "live": _figures(run.metrics_live),
        "candidate": _figures(run.metrics_candidate),
        "error": run.error[:300],
        "seconds": round(time.perf_counter() - t, 1),
    }
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return out


def _figures(metrics: dict) -> dict:
    if not metrics:
        return {}
    keys = ("n", "resumes", "spearman", "band_accuracy", "ci")
    out = {k: metrics.get(k) for k in keys}
    if metrics.get("gold"):
        out["gold"] = {k: metrics["gold"].get(k) for k in keys}
    return out


def _rows_in_database(rows: list[dict]) -> list[tuple[Pair, float, str]]:
    """gulp-dev's resumes, jobs and pairs as rows (bulk: no signal scores them)."""
    resumes: dict[str, Resume] = {}
    jobs: dict[str, Job] = {}
    for row in rows:
        if row["resume_id"] not in resumes:
            text = row["resume"]
            vector = terms.resume_term_vector(text).to_bytes()
            resume = Resume(
                original_name=f"{row['resume_id']}.txt",
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                text_sha256=text_hash(text),
                term_ids=vector[0],
                term_counts=vector[1],
                status=Resume.Status.EXTRACTED,
            )
            resume.file.save(f"{row['resume_id']}.txt", ContentFile(text.encode()), save=False)
            resumes[row["resume_id"]] = resume
        if row["job_id"] not in jobs:
            jobs[row["job_id"]] = Job(title="", description=row["job_description"])
    Resume.objects.bulk_create(resumes.values())
    Job.objects.bulk_create(jobs.values())
    # A pair graded twice by the source is one pair, labeled with the mean of its grades.
    grades: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        grades.setdefault((r["resume_id"], r["job_id"]), []).append(r["score"])
    pairs = [Pair(resume=resumes[r], job=jobs[j]) for r, j in grades]
    Pair.objects.bulk_create(pairs)
    return [
        (p, round(sum(g) / len(g), 4), key[0])
        for p, (key, g) in zip(pairs, grades.items(), strict=True)
    ]


def _rate(pairs: list[tuple[Pair, float, str]], reviewer: User, flip: bool = False) -> None:
    Rating.objects.bulk_create(
        Rating(pair=p, reviewer=reviewer, score=round(1 - s, 4) if flip else s, source="admin")
        for p, s, _ in pairs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="Write the results here too.")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rows = json.loads(GULP.read_text())
    for row in rows:
        row["score"] = float(row["score"])
    inverted = [{**r, "score": round(1 - r["score"], 4)} for r in rows]
    results = [_run("as given", rows)]
    results.append(_run("inverted", inverted))
    live, _ = scoring_services.texts_score(
        pairs=[TextPair(resume=r["resume"], job=r["job_description"]) for r in rows]
    )
    copied = [{**r, "score": round(float(s), 4)} for r, s in zip(rows, live, strict=True)]
    results.append(_run("copied from the live model", copied))

    ann, bob, cy = (User.objects.create_user(username=u) for u in ("ann", "bob", "cy"))
    pairs = _rows_in_database(rows)
    _rate(pairs, ann)
    results.append(_run("one reviewer (from ratings)", from_ratings=True))
    ten = sorted({resume for _, _, resume in pairs})[:10]
    shared = [p for p in pairs if p[2] in ten]
    _rate(shared, bob)
    _rate(shared, cy, flip=True)
    for pair, _, _ in shared:
        Pair.objects.filter(pk=pair.pk).update(rating_count=3)
    results.append(_run("three reviewers, one inverted (from ratings)", from_ratings=True))
    results.append(_run("inverted, forced (gold set of the above)", inverted, force=True))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"scratch: {SCRATCH}; runs: {TrainingRun.objects.count()}")


if __name__ == "__main__":
    main()
