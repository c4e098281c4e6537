"""The counterfactual test of the scorer, small: the variants are the edits they claim to
be, and a name swap cannot move a score at all (the score never reads the name). The full run
with the real model is bench/counterfactual.py (docs/benchmarks.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fairness import counterfactual
from fairness.counterfactual import NAMES, variants_of
from matching.texts import job_text

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "demo"


def _demo_resumes(n: int) -> list[str]:
    return [p.read_text() for p in sorted((DEMO / "resumes_src").glob("*.md"))[:n]]


def _demo_jobs(n: int) -> list[tuple[str, str]]:
    jobs = json.loads((DEMO / "jobs.json").read_text())[:n]
    return [
        (
            j["title"],
            job_text(
                title=j["title"],
                description=j["description"],
                must_have="\n".join(j["must_have"]),
                nice_to_have="\n".join(j["nice_to_have"]),
            ),
        )
        for j in jobs
    ]


def test_each_variant_changes_one_thing_of_a_real_resume():
    text = (DEMO / "resumes_src" / "delgado_rosa.md").read_text()
    base, variants = variants_of(text)
    assert base == text
    kinds = {v.kind for v in variants}
    assert kinds == {"name", "age", "address"}
    lakisha = next(v for v in variants if v.label == "black_female: Lakisha Washington")
    assert lakisha.text.startswith("# Lakisha Washington, RN, BSN, CCRN")
    assert "Rosa Delgado" not in lakisha.text
    older = next(v for v in variants if v.kind == "age")
    assert "*1998 - 2002*" in older.text and "*2013 - 2017*" not in older.text
    assert "March 2019 - Present" in older.text  # work dates stay
    moved = next(v for v in variants if v.label == "Compton, CA 90220")
    assert "(619) 555-0154 | Compton, CA 90220" in moved.text


def test_a_resume_without_a_name_gets_one_and_pronouns_swap_both_ways():
    text = "SALES ASSOCIATE\nSummary\nHe led a team of five. His quota was met by him.\n"
    base, variants = variants_of(text)
    assert base.startswith(f"{NAMES['white_male'][0]}\n")
    swapped = {v.label: v.text for v in variants if v.kind == "pronouns"}
    assert "She led a team of five. Her quota was met by her." in swapped["to female"]
    assert len([v for v in variants if v.kind == "name"]) == sum(map(len, NAMES.values())) - 1


def test_a_name_swap_changes_no_score():
    changes = counterfactual.score_changes(
        _demo_resumes(3), _demo_jobs(2), counterfactual.model_scorer()
    )
    names = [c for c in changes if c.kind == "name"]
    assert len(names) == 3 * 24 * 2
    assert max(abs(c.delta) for c in names) == 0.0
    summary = counterfactual.summary(changes)
    assert summary["name"]["p99"] == 0.0 and summary["age"]["pairs"] == 3 * 2
