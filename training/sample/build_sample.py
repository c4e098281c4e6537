"""Builds training_data.json, the file `train_custom_model --create-sample` writes.

The texts are the hand-written role set of bench/data/roles (written for this project;
people and employers are fictitious). Each example pairs a resume with a job posting and
a score a reviewer would give: the posting's own profession 0.75-0.95 (higher for the
resumes that name more of the must-haves), a neighbouring profession 0.35-0.55, an
unrelated one 0.05-0.20. Deterministic: the same file every time.

    .venv/bin/python training/sample/build_sample.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROLES = HERE.parent.parent / "bench" / "data" / "roles" / "roles.json"
NEIGHBOURS = {
    ("backend-developer", "data-scientist"),
    ("data-scientist", "backend-developer"),
    ("accountant", "sales-representative"),
    ("sales-representative", "accountant"),
    ("teacher", "nurse"),
    ("graphic-designer", "sales-representative"),
    ("mechanical-engineer", "backend-developer"),
}


def job_text(job: dict) -> str:
    parts = [job["title"], "", job["description"]]
    if job.get("must_have"):
        parts += ["", "Must have:", *job["must_have"]]
    if job.get("nice_to_have"):
        parts += ["", "Nice to have:", *job["nice_to_have"]]
    return "\n".join(parts)


def main() -> None:
    data = json.loads(ROLES.read_text())
    rng = random.Random(2026)
    by_role: dict[str, list[dict]] = {}
    for r in data["resumes"]:
        by_role.setdefault(r["role"], []).append(r)
    examples = []
    for job in data["jobs"]:
        text = job.embedded_text
        must = [m.lower() for m in job.get("must_have", [])]
        own = rng.sample(by_role[job["id"]], 4)
        for r in own:
            named = sum(any(w in r["text"].lower() for w in m.split()[:2]) for m in must)
            share = named / len(must) if must else 0.5
            examples.append((r, text, 0.75 + 0.2 * share))
        near = [role for (a, role) in NEIGHBOURS if a == job["id"]]
        for role in near:
            examples.append((rng.choice(by_role[role]), text, rng.uniform(0.35, 0.55)))
        others = [role for role in by_role if role != job["id"] and role not in near]
        for role in rng.sample(others, 3):
            examples.append((rng.choice(by_role[role]), text, rng.uniform(0.05, 0.2)))
    rng.shuffle(examples)
    out = [
        {"resume": r["text"], "job_description": text, "score": round(score * 20) / 20}
        for r, text, score in examples
    ]
    (HERE / "training_data.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"{len(out)} examples")


if __name__ == "__main__":
    main()
