"""Ranking traps: keyword-stuffed and junior resumes against qualified ones (issue 16).

A trap role is a posting, a keyword-stuffed resume of an unqualified person (the
posting's words pasted into an objective, a skills list or a summary), a junior resume of
the same profession short of the asked years, and three qualified real resumes; a
recruiter ranks all three above both traps. Two sets: the dev set's two roles
(../shared/datasets/requirements-dev.json) and our own eight, one per role-set posting
(bench/data/traps/own-traps.json, qualified resumes from bench/data/roles/roles.json).

Reported for the pre-trained score as the product stores it (the model's score times the
credentials factor of the pair's verdicts, matching.scoring.judgments), the model's score
alone ("without verdicts"), and as it was before it read only a resume's evidence and its
seniority ("before": the whole text, no seniority, no verdicts), with every score, so the
spread shows too.

    .venv/bin/python bench/traps.py
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "resumeproject.settings"
os.environ["DATABASE_URL"] = ""
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-traps-")) / "b.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from matching.intake import terms as intake_terms  # noqa: E402
from matching.models import Job, ScoringModel  # noqa: E402
from matching.models_store import PRETRAINED_KEY  # noqa: E402
from matching.scoring import features as scoring_features  # noqa: E402
from matching.scoring import inputs as scoring_inputs  # noqa: E402
from matching.scoring.evidence import ResumeEvidence, default_embedder  # noqa: E402
from matching.scoring.inputs import TextPair  # noqa: E402
from matching.scoring.judgments import JobRequirements, credentials_factor, judge_all  # noqa: E402
from matching.scoring.services import texts_score  # noqa: E402

DEV = ROOT.parent / "shared" / "datasets" / "requirements-dev.json"
OWN = ROOT / "bench" / "data" / "traps" / "own-traps.json"
ROLES = ROOT / "bench" / "data" / "roles" / "roles.json"
PRETRAINED = ScoringModel(version="pretrained", kind="pretrained", encoder_key=PRETRAINED_KEY)
DEV_TODAY = date(2018, 1, 1)  # "present" in the dev set's resumes


@contextlib.contextmanager
def as_before() -> Iterator[None]:
    """The score as it was: the whole resume read, no seniority."""
    saved = (
        scoring_inputs.evidence_text,
        intake_terms.resume_term_vector,
        scoring_features.seniority,
    )
    scoring_inputs.evidence_text = lambda text: text  # type: ignore[assignment]
    intake_terms.resume_term_vector = intake_terms.term_vector
    scoring_features.seniority = lambda years, required: np.ones(years.size, np.float32)
    try:
        yield
    finally:
        (
            scoring_inputs.evidence_text,
            intake_terms.resume_term_vector,
            scoring_features.seniority,
        ) = saved


def trap_roles() -> list[dict]:
    dev = json.loads(DEV.read_text())
    texts = {rid: r["text"] for rid, r in dev["resumes"].items()}
    out = [
        {
            "name": f"dev: {role['title']}",
            "job": Job(
                title=role["title"],
                description=role["description"],
                must_have="\n".join(role["must_have"]),
                nice_to_have="\n".join(role.get("nice_to_have", [])),
            ),
            "resumes": [role["stuffed_resume"], role["junior_resume"]]
            + [texts[q] for q in role["qualified_ids"]],
        }
        for role in dev["ranking_traps"]
    ]
    roles = json.loads(ROLES.read_text())
    jobs = {j["id"]: j for j in roles["jobs"]}
    resumes = {r["id"]: r["text"] for r in roles["resumes"]}
    for trap in json.loads(OWN.read_text())["traps"]:
        spec = jobs[trap["job_id"]]
        out.append(
            {
                "name": f"own: {spec['title']}",
                "job": Job(
                    title=spec["title"],
                    description=spec["description"],
                    must_have="\n".join(spec.get("must_have", [])),
                    nice_to_have="\n".join(spec.get("nice_to_have", [])),
                ),
                "resumes": [trap["stuffed_resume"], trap["junior_resume"]]
                + [resumes[q] for q in trap["qualified_ids"]],
            }
        )
    return out


def todays(role: dict) -> list[date | None]:
    """The day each of a role's resumes was written, which "present" and a degree dated
    later are read against: the dev set's real resumes date from its collection
    (DEV_TODAY); the stuffed and junior resumes (the first two) and our own were written
    now (None: today), with dates up to 2026."""
    dev = role["name"].startswith("dev")
    return [DEV_TODAY if dev and k >= 2 else None for k in range(len(role["resumes"]))]


def stored(role: dict, scores: np.ndarray) -> np.ndarray:
    """`scores` as the product stores them: times each pair's credentials factor."""
    reqs = JobRequirements.of(role["job"])
    embedder = default_embedder()
    return scores * np.array(
        [
            credentials_factor(judge_all(reqs, ResumeEvidence(r, embedder=embedder, today=day)))
            for r, day in zip(role["resumes"], todays(role), strict=True)
        ]
    )


def measure(roles: list[dict], *, verdicts: bool = True) -> dict:
    out: dict = {}
    for role in roles:
        job = role["job"]
        pairs = [
            TextPair(resume=r, job=job.embedded_text, title=job.title) for r in role["resumes"]
        ]
        scores, _ = texts_score(pairs=pairs, model=PRETRAINED, cache=False)
        if verdicts:
            scores = stored(role, scores)
        lowest_qualified = float(scores[2:].min())
        out[role["name"]] = {
            "stuffed": round(float(scores[0]), 3),
            "junior": round(float(scores[1]), 3),
            "qualified": [round(float(s), 3) for s in scores[2:]],
            "traps_at_or_above_a_qualified": int((scores[:2] >= lowest_qualified).sum()),
        }
    return out


def main() -> None:
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    roles = trap_roles()
    runs = {"now": measure(roles), "without verdicts": measure(roles, verdicts=False)}
    with as_before():
        runs["before"] = measure(roles, verdicts=False)
    key = "traps_at_or_above_a_qualified"
    summary = {
        name: {
            "traps at or above a qualified resume (of 2)": {
                run: rows[name][key] for run, rows in runs.items()
            },
            **{run: rows[name] for run, rows in runs.items()},
        }
        for name in runs["now"]
    }
    totals = ", ".join(f"{run} {sum(r[key] for r in rows.values())}" for run, rows in runs.items())
    print(json.dumps(summary, indent=2))
    print(
        f"traps at or above a qualified resume: {totals}, of {2 * len(roles)} "
        f"({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
