"""The counterfactual test of the scorer (issue 18, item 4): real resumes with another
name, other pronouns, an older graduation and another address, scored against the same
jobs with the real pre-trained model; the distribution of |score change| per kind.

Resumes: the 12 demo resumes (demo/resumes_src, with names and contact blocks) and the 16
real resumes of requirements-dev (anonymised at the source: a name line is put first).
Jobs: the 5 demo jobs and the 2 postings of requirements-dev's ranking traps. Each version
of a resume is scored alone, so lexical features use the model's frozen corpus statistics
as a stored resume does.

    .venv/bin/python bench/counterfactual.py [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="bench-counterfactual-"))
DATASETS = ROOT.parent / "shared" / "datasets"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="resumeproject.settings",
        SQLITE_PATH=str(SCRATCH / "db.sqlite3"),
        DATABASE_URL="",
        MODELS_STORE_DIR=str(SCRATCH / "models"),
        MEDIA_ROOT=str(SCRATCH / "media"),
    )
    import django

    django.setup()
    from django.core.management import call_command

    from fairness import counterfactual
    from matching.texts import job_text

    call_command("migrate", verbosity=0)
    resumes = [p.read_text() for p in sorted((ROOT / "demo" / "resumes_src").glob("*.md"))]
    jobs = [
        (
            j["title"],
            job_text(
                **{k: _lines(j[k]) for k in ("title", "description", "must_have", "nice_to_have")}
            ),
        )
        for j in json.loads((ROOT / "demo" / "jobs.json").read_text())
    ]
    dev = DATASETS / "requirements-dev.json"
    if dev.exists():
        data = json.loads(dev.read_text())
        resumes += [r["text"] for r in data["resumes"].values()]
        for trap in data["ranking_traps"]:
            fields = {
                k: _lines(trap.get(k, "")) for k in ("description", "must_have", "nice_to_have")
            }
            jobs.append((trap["title"], job_text(title=trap["title"], **fields)))
    started = time.perf_counter()
    changes = counterfactual.score_changes(resumes, jobs, counterfactual.model_scorer())
    result = {
        "resumes": len(resumes),
        "jobs": len(jobs),
        "seconds": round(time.perf_counter() - started, 1),
        "by_kind": counterfactual.summary(changes),
        "names_mean_signed_change_by_group": counterfactual.name_groups(changes),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


def _lines(value: object) -> str:
    """A job field as text: lists (demo/jobs.json, requirements-dev) one item per line."""
    return "\n".join(value) if isinstance(value, list) else str(value or "")


if __name__ == "__main__":
    main()
