"""What the must-have verdicts would do to the ranking (issue 16), on the ranking traps.

The ten trap roles of bench/traps.py (the dev set's two and our own eight: a
keyword-stuffed and a junior resume against three qualified real resumes; a recruiter
ranks all three above both traps). Reported for the pre-trained score as it is and for
it scaled by the share of must-haves judged met, score x (a + (1 - a) x met), for a few a
(1.0 is the score alone), with the role set and the role set with neighbours (p@10, MAP)
beside it, so a gain on the traps is not bought with retrieval. The product does not
scale scores by verdicts: this measures whether it should.

    .venv/bin/python bench/verdicts_in_score.py [--no-roles] [--kinds all|credentials]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django.core.management import call_command
from traps import PRETRAINED, ROOT, trap_roles

from matching.models import Job
from matching.scoring.evidence import MET, ResumeEvidence, default_embedder
from matching.scoring.inputs import TextPair
from matching.scoring.requirements import parse_requirement
from matching.scoring.services import texts_score
from matching.scoring.verdicts import judge_one
from matching.texts import split_requirements

ROLES = ROOT / "bench" / "data" / "roles"
SHARES = (1.0, 0.7, 0.5, 0.3)  # a: the part of the score the verdicts leave alone
DEV_TODAY = date(2018, 1, 1)  # "present" in the dev set's resumes


# --kinds credentials: only the must-haves of these kinds count (licences and degrees,
# whose verdicts are the most often right: docs/benchmarks.md).
KINDS: set[str] | None = None


def met_share(evidence: list[ResumeEvidence], must: list[str]) -> np.ndarray:
    reqs = [parse_requirement(r) for r in must]
    reqs = [q for q in reqs if KINDS is None or q.kind in KINDS]
    if not reqs:
        return np.ones(len(evidence))
    return np.array([np.mean([judge_one(q, ev).status == MET for q in reqs]) for ev in evidence])


def scaled(blend: np.ndarray, met: np.ndarray, a: float) -> np.ndarray:
    return blend * (a + (1 - a) * met)


def traps(embedder) -> dict:
    out: dict = {}
    for role in trap_roles():
        job, resumes = role["job"], role["resumes"]
        pairs = [TextPair(resume=r, job=job.embedded_text, title=job.title) for r in resumes]
        blend, _ = texts_score(pairs=pairs, model=PRETRAINED, cache=False)
        today = DEV_TODAY if role["name"].startswith("dev") else None
        evidence = [ResumeEvidence(r, embedder=embedder, today=today) for r in resumes]
        met = met_share(evidence, split_requirements(job.must_have))
        row: dict = {
            "candidates": {
                n: {"score": round(float(b), 3), "must_met": round(float(m), 2)}
                for n, b, m in zip(
                    ["stuffed", "junior", "qualified 1", "qualified 2", "qualified 3"],
                    blend,
                    met,
                    strict=True,
                )
            }
        }
        for a in SHARES:
            scores = scaled(blend, met, a)
            row[f"a={a}"] = int(sum(x >= min(scores[2:]) for x in scores[:2]))
        out[role["name"]] = row
    return out


def roles(path: Path, embedder) -> dict:
    data = json.loads(path.read_text())
    resumes = data["resumes"]
    evidence = [ResumeEvidence(r["text"], embedder=embedder) for r in resumes]
    p10: dict[float, list[float]] = {a: [] for a in SHARES}
    ap: dict[float, list[float]] = {a: [] for a in SHARES}
    for spec in data["jobs"]:
        job = Job(
            title=spec["title"],
            description=spec["description"],
            must_have="\n".join(spec.get("must_have", [])),
            nice_to_have="\n".join(spec.get("nice_to_have", [])),
        )
        pairs = [
            TextPair(resume=r["text"], job=job.embedded_text, title=job.title) for r in resumes
        ]
        blend, _ = texts_score(pairs=pairs, model=PRETRAINED, cache=False)
        met = met_share(evidence, spec.get("must_have", []))
        relevant = np.array([r["role"] == spec["id"] for r in resumes])
        for a in SHARES:
            ranked = relevant[np.argsort(-scaled(blend, met, a), kind="stable")]
            p10[a].append(float(ranked[:10].mean()))
            hits = np.cumsum(ranked)
            ap[a].append(float((hits[ranked] / (np.flatnonzero(ranked) + 1)).mean()))
    return {
        f"a={a}": {"p@10": round(np.mean(p10[a]), 3), "map": round(np.mean(ap[a]), 3)}
        for a in SHARES
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-roles", action="store_true", help="Only the traps (fast).")
    parser.add_argument(
        "--kinds", choices=("all", "credentials"), default="all", help="Which must-haves count."
    )
    args = parser.parse_args()
    global KINDS
    KINDS = {"licence", "education"} if args.kinds == "credentials" else None
    call_command("migrate", verbosity=0)
    embedder = default_embedder()
    t0 = time.perf_counter()
    out = {"traps at or above a qualified resume": traps(embedder)}
    if not args.no_roles:
        out["roles"] = roles(ROLES / "roles.json", embedder)
        out["roles_neighbours"] = roles(ROLES / "roles-neighbours.json", embedder)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
