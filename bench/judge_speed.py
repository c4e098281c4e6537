"""What judging the requirements costs beside scoring, on the role set.

A throwaway SQLite database gets the role set's 96 resumes and 8 jobs (bench/data/roles:
real postings with 4-5 must-haves and 3-4 nice-to-haves each). Measured in one run, with
the real pre-trained encoder on the configured backend (ONNX int8 by default), after a
warm-up that loads it:
- scoring: `pairs_score` of every pair (resumes embedded first, as an import does),
- judging: `pairs_judge` of every pair (profiles, sentence vectors, verdicts, stored),
- judging again with nothing changed (what every later re-scoring pays: the keys only),
- judging every pair again as for jobs opened or edited later: the resumes' sentence
  vectors are read from those kept at the first judging, not embedded again; the
  verdicts are compared with the first judging's,
- a job opened afterwards (the first job's requirements under another title), judged
  against every resume with the kept sentence vectors, then again with none kept (as
  before they were kept: every resume's sentences embedded for the one job).

    .venv/bin/python bench/judge_speed.py [--verdicts OUT]

--verdicts writes every pair's stored verdicts to OUT (JSON, by resume and job): two
commits' files compare whether a change to judging changed any decision.
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
os.environ["DJANGO_SETTINGS_MODULE"] = "resumeproject.settings"
os.environ["DATABASE_URL"] = ""
os.environ["MATCHING_SYNC_TASKS"] = "0"  # nothing runs behind the timed calls
_tmp = Path(tempfile.mkdtemp(prefix="bench-judge-"))
os.environ["SQLITE_PATH"] = str(_tmp / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from matching.encoding.registry import get_encoder  # noqa: E402
from matching.intake import jobs as intake_jobs  # noqa: E402
from matching.intake import resumes as intake_resumes  # noqa: E402
from matching.models import Embedding, Pair  # noqa: E402
from matching.models_store import SENTENCES_VIEW  # noqa: E402
from matching.scoring.judgments import pairs_judge  # noqa: E402
from matching.scoring.services import pairs_score  # noqa: E402

ROLES = ROOT / "bench" / "data" / "roles" / "roles.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verdicts", type=Path, help="Write every pair's verdicts here.")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    data = json.loads(ROLES.read_text())
    for job in data["jobs"]:
        intake_jobs.job_create(
            title=job["title"],
            description=job["description"],
            must_have="\n".join(job["must_have"]),
            nice_to_have="\n".join(job["nice_to_have"]),
        )
    for i, resume in enumerate(data["resumes"]):
        intake_resumes.resume_create(
            name=f"resume-{i}.txt", data=resume["text"].encode(), schedule=False
        )
    get_encoder().encode_texts(["warm up"])

    t0 = time.perf_counter()
    scored = pairs_score()
    t_score = time.perf_counter() - t0
    t0 = time.perf_counter()
    judged = pairs_judge()
    t_judge = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = pairs_judge()
    t_again = time.perf_counter() - t0
    first = verdicts()
    t0 = time.perf_counter()
    pairs_judge(force=True)
    t_kept = time.perf_counter() - t0
    same = verdicts() == first
    requirements = sum(len(p.verdicts) for p in Pair.objects.only("verdicts"))
    t_new_kept, t_new_fresh = new_job(data["jobs"][0])

    resumes, jobs = len(data["resumes"]), len(data["jobs"])
    out = {
        "resumes": resumes,
        "jobs": jobs,
        "pairs": scored,
        "requirements_judged": requirements,
        "score_s": round(t_score, 2),
        "judge_s": round(t_judge, 2),
        "judge_ms_per_pair": round(1000 * t_judge / judged, 1),
        "judge_ms_per_requirement": round(1000 * t_judge / requirements, 2),
        "judge_over_score": round(t_judge / t_score, 2),
        "judge_again_s": round(t_again, 3),
        "judged_again": again,
        "judge_kept_vectors_s": round(t_kept, 2),
        "judge_over_judge_kept": round(t_judge / t_kept, 2),
        "kept_vectors_same_verdicts": same,
        "new_job_kept_s": round(t_new_kept, 2),
        "new_job_none_kept_s": round(t_new_fresh, 2),
        "new_job_speedup": round(t_new_fresh / t_new_kept, 2),
        "kept_vectors_bytes_per_resume": round(
            sum(
                len(bytes(v))
                for v in Embedding.objects.filter(encoder_key__contains=SENTENCES_VIEW).values_list(
                    "chunk_vectors", flat=True
                )
            )
            / resumes
        ),
    }
    print(json.dumps(out, indent=2))
    if args.verdicts:
        args.verdicts.write_text(json.dumps(verdicts(), indent=1))


def new_job(job: dict) -> tuple[float, float]:
    """Seconds to judge a job opened after the others against every resume: with the
    sentence vectors kept, and with none kept."""
    new = intake_jobs.job_create(
        title=f"{job['title']} (opened later)",
        description=job["description"],
        must_have="\n".join(job["must_have"]),
        nice_to_have="\n".join(job["nice_to_have"]),
    )
    pairs_score(jobs=[new])
    t0 = time.perf_counter()
    pairs_judge(jobs=[new])
    t_kept = time.perf_counter() - t0
    Embedding.objects.filter(encoder_key__contains=SENTENCES_VIEW).delete()
    t0 = time.perf_counter()
    pairs_judge(jobs=[new], force=True)
    return t_kept, time.perf_counter() - t0


def verdicts() -> list[list]:
    stored = Pair.objects.order_by("resume__original_name", "job__title").values_list(
        "resume__original_name", "job__title", "verdicts"
    )
    return [list(row) for row in stored]


if __name__ == "__main__":
    main()
