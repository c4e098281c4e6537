"""Assemble bench/data/roles/roles.json from the hand-written sources in src/.

Run from the repository root:

    .venv/bin/python bench/data/roles/build_roles.py

It writes two sets: roles.json (the eight professions of ROLES) and
roles-neighbours.json (those and a neighbouring profession each, NEIGHBOUR_ROLES).

Each src/<role>.txt holds one job posting and twelve resumes for that role,
written by hand for this project (all names and employers are fictitious):

    @job
    title: Job title
    must_have: item; item; item
    nice_to_have: item; item
    description:
    free text, paragraphs separated by blank lines

    @resume <role>-01
    free text ...

The script only parses and checks the sources (counts, ids, word ranges); it
generates no text itself. Output is sorted and stable, so re-running it on
unchanged sources reproduces roles.json byte for byte.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
OUT = HERE / "roles.json"
# The harder set: every profession above plus a neighbouring one each, which shares much
# of its vocabulary (front-end and back-end developers, data analysts and scientists...).
OUT_NEIGHBOURS = HERE / "roles-neighbours.json"

ROLES = [
    "backend-developer",
    "data-scientist",
    "nurse",
    "accountant",
    "sales-representative",
    "mechanical-engineer",
    "teacher",
    "graphic-designer",
]
NEIGHBOUR_ROLES = [
    "frontend-developer",
    "data-analyst",
    "nursing-assistant",
    "bookkeeper",
    "customer-success-manager",
    "manufacturing-engineer",
    "teaching-assistant",
    "ux-designer",
]
RESUMES_PER_ROLE = 12
RESUME_WORDS = (120, 300)
JOB_WORDS = (100, 250)


def clean(text: str) -> str:
    lines = [ln.rstrip() for ln in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def parse_role(role: str) -> tuple[dict, list[dict]]:
    raw = (SRC / f"{role}.txt").read_text(encoding="utf-8")
    chunks = re.split(r"^@", raw, flags=re.M)[1:]
    job: dict | None = None
    resumes: list[dict] = []
    for chunk in chunks:
        head, _, body = chunk.partition("\n")
        head = head.strip()
        if head == "job":
            fields, _, desc = body.partition("description:\n")
            meta = dict(
                (k.strip(), v.strip())
                for k, _, v in (ln.partition(":") for ln in fields.strip().splitlines())
            )
            job = {
                "id": role,
                "title": meta["title"],
                "description": clean(desc),
                "must_have": [s.strip() for s in meta["must_have"].split(";") if s.strip()],
                "nice_to_have": [s.strip() for s in meta["nice_to_have"].split(";") if s.strip()],
            }
        elif head.startswith("resume "):
            rid = head.split(None, 1)[1]
            resumes.append({"id": rid, "role": role, "text": clean(body)})
        else:
            raise ValueError(f"{role}: unknown block @{head}")
    if job is None:
        raise ValueError(f"{role}: no @job block")
    return job, resumes


def build(roles: list[str], out: Path) -> list[str]:
    """Parse and check the sources of `roles` and write them to `out`; the problems."""
    jobs, resumes, problems = [], [], []
    for role in roles:
        job, rs = parse_role(role)
        jobs.append(job)
        resumes.extend(rs)
        n = len(job["description"].split())
        if not JOB_WORDS[0] <= n <= JOB_WORDS[1]:
            problems.append(f"job {role}: {n} words")
        expected = [f"{role}-{i:02d}" for i in range(1, RESUMES_PER_ROLE + 1)]
        if [r["id"] for r in rs] != expected:
            problems.append(f"{role}: resume ids {[r['id'] for r in rs]}")
        for r in rs:
            n = len(r["text"].split())
            if not RESUME_WORDS[0] <= n <= RESUME_WORDS[1]:
                problems.append(f"{r['id']}: {n} words")
    out.write_text(
        json.dumps({"jobs": jobs, "resumes": resumes}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    words = [len(r["text"].split()) for r in resumes]
    print(
        f"wrote {out.name}: {len(jobs)} jobs, {len(resumes)} resumes, "
        f"resume words min/median/max {min(words)}/{sorted(words)[len(words) // 2]}/{max(words)}"
    )
    return problems


def main() -> int:
    problems = build(ROLES, OUT) + build(ROLES + NEIGHBOUR_ROLES, OUT_NEIGHBOURS)
    for p in sorted(set(problems)):
        print("problem:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
