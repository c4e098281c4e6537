"""Ranking traps, and what the must-have verdicts would do to the ranking (issue 16).

The dev set's two ranking-trap roles (../shared/datasets/requirements-dev.json): a
keyword-stuffed resume and a junior one against three qualified real resumes; a recruiter
ranks all three above both traps. Reported for the pre-trained score as it is ("blend")
and for the blend scaled by the share of must-haves judged met,
blend x (a + (1 - a) x met), for a few a (1.0 is the blend alone), with the role set and
the role set with neighbours (p@10, MAP) beside it, so a gain on the traps is not bought
with retrieval. The product does not scale scores by verdicts yet: this measures whether
it should.

    .venv/bin/python bench/verdicts_in_score.py [--no-roles]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "resumeproject.settings"
os.environ["DATABASE_URL"] = ""
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-verdicts-")) / "b.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from matching.models import Job, ScoringModel  # noqa: E402
from matching.models_store import PRETRAINED_KEY  # noqa: E402
from matching.scoring.evidence import MET, ResumeEvidence, default_embedder  # noqa: E402
from matching.scoring.inputs import TextPair  # noqa: E402
from matching.scoring.requirements import parse_requirement  # noqa: E402
from matching.scoring.services import texts_score  # noqa: E402
from matching.scoring.verdicts import judge_one  # noqa: E402

DEV = ROOT.parent / "shared" / "datasets" / "requirements-dev.json"
ROLES = ROOT / "bench" / "data" / "roles"
PRETRAINED = ScoringModel(version="pretrained", kind="pretrained", encoder_key=PRETRAINED_KEY)
SHARES = (1.0, 0.7, 0.5, 0.3)  # a: the part of the score the verdicts leave alone
DEV_TODAY = date(2018, 1, 1)  # "present" in the dev set's resumes


def met_share(evidence: list[ResumeEvidence], must: list[str]) -> np.ndarray:
    reqs = [parse_requirement(r) for r in must]
    if not reqs:
        return np.ones(len(evidence))
    return np.array([np.mean([judge_one(q, ev).status == MET for q in reqs]) for ev in evidence])


def scaled(blend: np.ndarray, met: np.ndarray, a: float) -> np.ndarray:
    return blend * (a + (1 - a) * met)


def traps(embedder) -> dict:
    data = json.loads(DEV.read_text())
    texts = {rid: r["text"] for rid, r in data["resumes"].items()}
    out: dict = {}
    for role in data["ranking_traps"]:
        job = Job(title=role["title"], description=role["description"])
        names = ["stuffed", "junior", *role["qualified_ids"]]
        resumes = [role["stuffed_resume"], role["junior_resume"]]
        resumes += [texts[q] for q in role["qualified_ids"]]
        pairs = [TextPair(resume=r, job=job.embedded_text, title=job.title) for r in resumes]
        blend, _ = texts_score(pairs=pairs, model=PRETRAINED, cache=False)
        evidence = [ResumeEvidence(r, embedder=embedder, today=DEV_TODAY) for r in resumes]
        met = met_share(evidence, role["must_have"])
        row = {
            "candidates": {
                n: {"blend": round(float(b), 3), "must_met": round(float(m), 2)}
                for n, b, m in zip(names, blend, met, strict=True)
            }
        }
        for a in SHARES:
            s = scaled(blend, met, a)
            row[f"a={a}"] = int(sum(x >= min(s[2:]) for x in s[:2]))
        out[role["role"]] = row
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
    args = parser.parse_args()
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
