"""Requirement verdicts (issue 16) against hand judgments, beside today's lexical rule.

Sets: the dev set (../shared/datasets/requirements-dev.json) and our own
(bench/data/judgments/*.json, same form: `resumes` id -> {category, text}, `judgments`
[{resume_id, requirement, kind, met}]). "unclear" counts as wrong. Reports accuracy,
precision and recall of "met", per kind; profile extraction time per resume; the ESCO
index's load time and memory.

    .venv/bin/python bench/judgments.py [--dev PATH] [--json OUT] [--errors]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resumeproject.settings")

import django  # noqa: E402

django.setup()

from matching.intake import taxonomy  # noqa: E402
from matching.intake import terms as intake_terms  # noqa: E402
from matching.intake.profile import profile_of  # noqa: E402
from matching.scoring import explain as scoring_explain  # noqa: E402
from matching.scoring.evidence import MET, ResumeEvidence, default_embedder  # noqa: E402
from matching.scoring.requirements import parse_requirement  # noqa: E402
from matching.scoring.verdicts import judge_one  # noqa: E402

DEV = ROOT.parent / "shared" / "datasets" / "requirements-dev.json"
OWN = ROOT / "bench" / "data" / "judgments"
# "Present" in a resume means the day it was written: the dev set's labels count years up to
# its collection date; a set may say its own ("as_of").
TODAY = date(2018, 1, 1)


def scores(rows: list[tuple[str, bool, bool | None]]) -> dict:
    """rows: (kind, truth, predicted met: True / False / None for unclear)."""

    def summary(items):
        n = len(items)
        correct = sum(p is not None and p == t for _, t, p in items)
        predicted = [r for r in items if r[2] is True]
        actual = [r for r in items if r[1]]
        tp = sum(1 for _, t, p in items if t and p is True)
        return {
            "n": n,
            "accuracy": round(correct / n, 3) if n else None,
            "precision_met": round(tp / len(predicted), 3) if predicted else None,
            "recall_met": round(tp / len(actual), 3) if actual else None,
            "unclear": sum(p is None for _, _, p in items),
        }

    by_kind = defaultdict(list)
    for r in rows:
        by_kind[r[0]].append(r)
    return {"all": summary(rows), **{k: summary(v) for k, v in sorted(by_kind.items())}}


def run_set(name: str, data: dict, embedder, *, show_errors: bool) -> dict:
    evidence: dict[str, ResumeEvidence] = {}
    times = []
    today = date.fromisoformat(data["as_of"]) if data.get("as_of") else TODAY
    for rid, resume in data["resumes"].items():
        if not any(j["resume_id"] == rid for j in data["judgments"]):
            continue
        t0 = time.perf_counter()
        prof = profile_of(resume["text"], today=today)
        times.append(time.perf_counter() - t0)
        evidence[rid] = ResumeEvidence(resume["text"], profile=prof, embedder=embedder)
    ours, today_rule = [], []
    t0 = time.perf_counter()
    for j in data["judgments"]:
        ev = evidence[j["resume_id"]]
        v = judge_one(parse_requirement(j["requirement"]), ev)
        pred = None if v.status == "unclear" else v.status == MET
        ours.append((j["kind"], j["met"], pred))
        terms = set(intake_terms.terms(data["resumes"][j["resume_id"]]["text"]))
        today_rule.append(
            (j["kind"], j["met"], scoring_explain.requirement_met(j["requirement"], terms))
        )
        if show_errors and pred != j["met"]:
            print(
                f"  [{name}] {j['kind']:18} truth={j['met']!s:5} got={v.status:8} "
                f"{j['requirement']!r} :: {v.reason} :: {v.evidence[:1]}"
            )
    judge_s = time.perf_counter() - t0
    times.sort()
    return {
        "judgments": len(ours),
        "resumes": len(evidence),
        "ours": scores(ours),
        "today": scores(today_rule),
        "profile_ms_median": round(1000 * times[len(times) // 2], 1) if times else None,
        "profile_ms_max": round(1000 * times[-1], 1) if times else None,
        "judge_ms_per_requirement": round(1000 * judge_s / max(1, len(ours)), 1),
    }


def load_own() -> dict:
    merged = {"resumes": {}, "judgments": []}
    for path in sorted(OWN.glob("*.json")):
        data = json.loads(path.read_text())
        merged["resumes"].update(data["resumes"])
        merged["as_of"] = data.get("as_of")
        merged["judgments"] += data["judgments"]
    return merged


def esco_cost() -> dict:
    taxonomy._loaded = False
    taxonomy._index = None
    tracemalloc.start()
    t0 = time.perf_counter()
    index = taxonomy.esco_index()
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # tracemalloc slows allocation-heavy code: time it again without.
    taxonomy._loaded = False
    t0 = time.perf_counter()
    taxonomy.esco_index()
    plain = time.perf_counter() - t0
    return {
        "skills": len(index.skills) if index else 0,
        "load_s": round(plain, 2),
        "load_s_traced": round(seconds, 2),
        "peak_mb": round(peak / 1e6, 1),
    }


def table(title: str, result: dict) -> str:
    lines = [
        f"\n{title}: {result['judgments']} judgments on {result['resumes']} resumes",
        f"{'kind':20} {'n':>3}  {'acc':>5} {'P(met)':>6} {'R(met)':>6}   |"
        f"  today: {'acc':>5} {'P(met)':>6} {'R(met)':>6}",
    ]
    for kind, ours in result["ours"].items():
        t = result["today"][kind]

        def f(x):
            return f"{x:.2f}" if isinstance(x, float) else "  -  "

        lines.append(
            f"{kind:20} {ours['n']:>3}  {f(ours['accuracy']):>5} {f(ours['precision_met']):>6} "
            f"{f(ours['recall_met']):>6}   |         {f(t['accuracy']):>5} "
            f"{f(t['precision_met']):>6} {f(t['recall_met']):>6}"
        )
    lines.append(
        f"profile extraction per resume: median {result['profile_ms_median']} ms, "
        f"max {result['profile_ms_max']} ms; verdicts {result['judge_ms_per_requirement']} ms "
        "per requirement (sentence vectors included)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    out = {"esco": esco_cost()}
    print(f"ESCO index: {out['esco']}")
    embedder = default_embedder()
    if args.dev.exists():
        out["dev"] = run_set(
            "dev", json.loads(args.dev.read_text()), embedder, show_errors=args.errors
        )
        print(table("dev set", out["dev"]))
    own = load_own()
    if own["judgments"]:
        out["own"] = run_set("own", own, embedder, show_errors=args.errors)
        print(table("own set", out["own"]))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
