"""What the must-have verdicts do to the ranking (issue 16), on the ranking traps.

The ten trap roles of bench/traps.py (the dev set's two and our own eight: a
keyword-stuffed and a junior resume against three qualified real resumes; a recruiter
ranks all three above both traps). Reported for the pre-trained model's score alone
(a = 1.0) and times the product's credentials factor with other floors a,
a + (1 - a) x (share of the must-haves judged met, of those judged met or not met:
matching.scoring.judgments.credentials_factor; the product's a is CREDENTIAL_FLOOR), with
the role set and the role set with neighbours (p@10, MAP) beside it, so a gain on the
traps is not bought with retrieval. `--kinds all` counts every must-have, not only the
licences and degrees the product counts; `--kinds credentials+skills` adds the named
skills and tools.

    .venv/bin/python bench/verdicts_in_score.py [--no-roles]
        [--kinds all|credentials|credentials+skills]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django.core.management import call_command
from traps import PRETRAINED, ROOT, todays, trap_roles

from matching.models import Job
from matching.scoring.evidence import ResumeEvidence, default_embedder
from matching.scoring.inputs import TextPair
from matching.scoring.judgments import (
    CREDENTIAL_FLOOR,
    SCORED_KINDS,
    JobRequirements,
    credentials_factor,
    judge_all,
)
from matching.scoring.requirements import DOMAIN, EDUCATION, LICENCE, SKILL, YEARS
from matching.scoring.services import texts_score

ROLES = ROOT / "bench" / "data" / "roles"
SHARES = (1.0, CREDENTIAL_FLOOR, 0.5, 0.3)  # a: the part of the score the verdicts leave alone
KINDS = {
    "credentials": SCORED_KINDS,
    "credentials+skills": SCORED_KINDS | {SKILL},
    "all": frozenset({YEARS, EDUCATION, LICENCE, SKILL, DOMAIN}),
}


def judged(evidence: list[ResumeEvidence], job: Job) -> list[list[dict]]:
    reqs = JobRequirements.of(job)
    return [judge_all(reqs, ev) for ev in evidence]


def factors(verdicts: list[list[dict]], a: float, kinds: frozenset[str]) -> np.ndarray:
    return np.array([credentials_factor(v, floor=a, kinds=kinds) for v in verdicts])


def traps(embedder, kinds: frozenset[str]) -> dict:
    out: dict = {}
    for role in trap_roles():
        job, resumes = role["job"], role["resumes"]
        pairs = [TextPair(resume=r, job=job.embedded_text, title=job.title) for r in resumes]
        blend, _ = texts_score(pairs=pairs, model=PRETRAINED, cache=False)
        evidence = [
            ResumeEvidence(r, embedder=embedder, today=day)
            for r, day in zip(resumes, todays(role), strict=True)
        ]
        verdicts = judged(evidence, job)
        row: dict = {
            "candidates": {
                n: {"score": round(float(b), 3), "met_share": round(float(f), 2)}
                for n, b, f in zip(
                    ["stuffed", "junior", "qualified 1", "qualified 2", "qualified 3"],
                    blend,
                    factors(verdicts, 0.0, kinds),
                    strict=True,
                )
            }
        }
        for a in SHARES:
            scores = blend * factors(verdicts, a, kinds)
            row[f"a={a}"] = int(sum(x >= min(scores[2:]) for x in scores[:2]))
        out[role["name"]] = row
    out["total"] = {f"a={a}": sum(r[f"a={a}"] for r in out.values()) for a in SHARES}
    return out


def roles(path: Path, embedder, kinds: frozenset[str]) -> dict:
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
        verdicts = judged(evidence, job)
        relevant = np.array([r["role"] == spec["id"] for r in resumes])
        for a in SHARES:
            scores = blend * factors(verdicts, a, kinds)
            ranked = relevant[np.argsort(-scores, kind="stable")]
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
        "--kinds", choices=sorted(KINDS), default="credentials", help="Which must-haves count."
    )
    args = parser.parse_args()
    kinds = KINDS[args.kinds]
    call_command("migrate", verbosity=0)
    embedder = default_embedder()
    t0 = time.perf_counter()
    out = {"traps at or above a qualified resume": traps(embedder, kinds)}
    if not args.no_roles:
        out["roles"] = roles(ROLES / "roles.json", embedder, kinds)
        out["roles_neighbours"] = roles(ROLES / "roles-neighbours.json", embedder, kinds)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
