"""The gate (issue 17, items 3 and 4): the candidate is compared with the live model on
data the run had no say in, every figure has an interval over resumes, "better" means
better beyond noise, and labels that cannot be trusted are refused or flagged."""

from __future__ import annotations

import numpy as np
import pytest

from matching import errors as matching_errors
from matching.review.ratings import rating_submit
from matching.scoring import activation as scoring_activation
from matching.scoring import inputs as scoring_inputs
from matching.scoring import services as scoring_services
from tests.factories import JobFactory, PairFactory, ResumeFactory
from training import gate, metrics
from training.datasets import Example
from training.label_checks import label_checks
from training.models import TrainingRun

pytestmark = pytest.mark.django_db

Status = TrainingRun.Status


def _codes(run: TrainingRun) -> list[str]:
    return [c["code"] for c in run.checks]


# --- intervals --------------------------------------------------------------------------


def test_every_metric_has_an_interval_around_its_value_resampling_whole_resumes():
    rng = np.random.default_rng(1)
    groups = np.repeat(np.arange(30), 8)
    human = rng.random(240)
    predicted = human + rng.normal(0, 0.3, 240)
    found = metrics.evaluate_with_ci(human, predicted, groups)
    assert found["resumes"] == 30
    for name in metrics.CI_METRICS:
        low, high = found["ci"][name]
        assert low <= found[name] <= high, name
        assert high - low > 0
    # One resume: no resample can say anything beyond it.
    alone = metrics.evaluate_with_ci(human[:8], predicted[:8], groups[:8])
    assert alone["ci"]["spearman"] is None


def test_resumes_whose_pairs_all_err_together_widen_the_interval():
    """Pairs of one resume are not independent: an error shared by a resume's pairs is
    one draw, not eight, and the interval says so."""
    rng = np.random.default_rng(2)
    groups = np.repeat(np.arange(30), 8)
    human = rng.random(240)
    shared = np.repeat(rng.normal(0, 0.4, 30), 8)  # one error per resume
    predicted = human + shared
    by_resume = metrics.evaluate_with_ci(human, predicted, groups)["ci"]["spearman"]
    by_pair = metrics.evaluate_with_ci(human, predicted, np.arange(240))["ci"]["spearman"]
    assert by_resume[1] - by_resume[0] > 1.3 * (by_pair[1] - by_pair[0])


def test_the_gain_of_a_model_over_itself_is_zero_and_a_clear_gain_excludes_zero():
    rng = np.random.default_rng(3)
    groups = np.repeat(np.arange(40), 6)
    human = rng.random(240)
    weak = human + rng.normal(0, 0.6, 240)
    strong = human + rng.normal(0, 0.1, 240)
    same = metrics.difference_ci(human, weak, weak, groups)
    assert same["spearman_gain"] == 0 and same["ci"] == [0.0, 0.0]
    gain = metrics.difference_ci(human, weak, strong, groups)
    assert gain["spearman_gain"] > 0 and gain["ci"][0] > 0


# --- the verdict --------------------------------------------------------------------------


def _examples(n_resumes: int, per: int, seed: int = 0) -> list[Example]:
    rng = np.random.default_rng(seed)
    return [
        Example(f"resume {r}", f"job {j}", float(rng.random()))
        for r in range(n_resumes)
        for j in range(per)
    ]


def _verdict(validation, live, candidate, gold=(), live_gold=None, candidate_gold=None, checks=()):
    return gate.verdict(
        validation=validation,
        live_val=live,
        candidate_val=candidate,
        gold=list(gold),
        live_gold=live_gold,
        candidate_gold=candidate_gold,
        checks=list(checks),
    )


def test_better_only_beyond_noise_worse_when_either_set_says_so():
    rng = np.random.default_rng(4)
    val = _examples(30, 6)
    y = np.array([e.score for e in val])
    weak, strong = y + rng.normal(0, 0.6, len(y)), y + rng.normal(0, 0.1, len(y))
    assert _verdict(val, weak, strong)["verdict"] == gate.BETTER
    assert _verdict(val, strong, weak)["verdict"] == gate.WORSE
    slightly = weak + rng.normal(0, 0.01, len(y))
    assert _verdict(val, weak, slightly)["verdict"] == gate.UNCLEAR
    # Better on the run's own labels, worse on the gold set: worse.
    gold = _examples(12, 4, seed=5)
    g = np.array([e.score for e in gold])
    found = _verdict(val, weak, strong, gold, g, 1 - g)
    assert found["verdict"] == gate.WORSE
    assert found["gold"]["ci"][1] < 0
    assert any(r.startswith("gold: Spearman gain -") for r in found["reasons"])


# --- runs ---------------------------------------------------------------------------------


def test_a_run_on_inverted_labels_is_refused_and_forced_is_never_better(
    run_training, inverted_rows
):
    refused = run_training(inverted_rows)
    assert refused.status == Status.FAILED
    assert "labels_inverted" in _codes(refused)
    assert "inverted" in refused.error
    assert not refused.output_model

    forced = run_training(inverted_rows, force=True, activate=True)
    assert forced.status == Status.SUCCEEDED, forced.error
    comparison = forced.output_model.metrics["comparison"]
    assert comparison["verdict"] == gate.UNTRUSTED
    assert forced.output_model.metrics["better_than_live"] is False
    assert scoring_activation.scoring_model_active().version == "pretrained"
    with pytest.raises(matching_errors.ActivationRefused, match="labels_inverted"):
        scoring_activation.scoring_model_activate(model=forced.output_model)


def test_labels_copied_from_the_live_model_are_refused(run_training, sample_rows):
    pairs = [
        scoring_inputs.TextPair(resume=r["resume"], job=r["job_description"]) for r in sample_rows
    ]
    live, _ = scoring_services.texts_score(pairs=pairs)
    copied = [{**r, "score": round(float(s), 4)} for r, s in zip(sample_rows, live, strict=True)]
    run = run_training(copied)
    assert run.status == Status.FAILED
    assert "labels_copy_model" in _codes(run)


def test_every_figure_of_a_run_has_its_interval(better_run):
    for side in (better_run.metrics_live, better_run.metrics_candidate):
        assert side["resumes"] > 0
        low, high = side["ci"]["spearman"]
        assert low <= side["spearman"] <= high
    comparison = better_run.output_model.metrics["comparison"]
    assert comparison["verdict"] == gate.BETTER
    assert comparison["validation"]["ci"][0] > 0


def _sample_pairs(sample_rows, n: int) -> list:
    """Pairs in the database made of the sample's first `n` rows, and their scores."""
    jobs: dict[str, object] = {}
    resumes: dict[str, object] = {}
    out = []
    for row in sample_rows[:n]:
        job = jobs.get(row["job_description"])
        if job is None:
            job = jobs[row["job_description"]] = JobFactory(
                description=row["job_description"], must_have="", nice_to_have=""
            )
        resume = resumes.get(row["resume"])
        if resume is None:
            resume = resumes[row["resume"]] = ResumeFactory(text=row["resume"])
        out.append((PairFactory(resume=resume, job=job), row["score"]))
    return out


def test_the_gold_set_is_kept_out_of_training_and_measures_both_models(
    run_training, sample_rows, django_user_model
):
    ann, bob = (django_user_model.objects.create_user(username=u) for u in ("ann", "bob"))
    gold = _sample_pairs(sample_rows, 24)
    # Two reviewers on each pair; the file the run trains on holds the gold pairs too
    # (as the database's texts, as an export of the ratings would).
    for pair, score in gold:
        for who in (ann, bob):
            rating_submit(pair=pair, reviewer=who, score=score)
    exported = [
        {"resume": p.resume.text, "job_description": p.job.embedded_text, "score": s}
        for p, s in gold
    ]
    rows = exported + sample_rows[24:]
    run = run_training(rows, rows, force=True)
    assert run.status == Status.SUCCEEDED, run.error
    assert "gold_held_out" in _codes(run)
    assert run.dataset["gold"]["examples"] == 24
    assert run.dataset["train"]["examples"] == len(sample_rows) - 24
    for side in (run.metrics_live, run.metrics_candidate):
        assert side["gold"]["n"] == 24
        assert side["gold"]["ci"]["spearman"] is not None
    comparison = run.output_model.metrics["comparison"]
    assert comparison["gold"]["n"] == 24
    assert any(reason.startswith("gold: Spearman gain") for reason in comparison["reasons"])

    # Asked to, a run trains on them; the gold set then judges nothing.
    trained_on = run_training(sample_rows, sample_rows, force=True, train_on_gold=True)
    assert "gold_in_training" in _codes(trained_on)
    assert "gold" not in trained_on.output_model.metrics["comparison"]


def test_one_reviewer_behind_most_labels_and_a_reviewer_who_disagrees_are_flagged(
    sample_rows, django_user_model
):
    ann, bob, cy = (django_user_model.objects.create_user(username=u) for u in ("ann", "bob", "cy"))
    pairs = _sample_pairs(sample_rows, 30)
    for k, (pair, score) in enumerate(pairs):
        rating_submit(pair=pair, reviewer=ann, score=score)
        if k < 8:  # bob agrees with ann, cy reads the scale upside down
            rating_submit(pair=pair, reviewer=bob, score=score)
            rating_submit(pair=pair, reviewer=cy, score=round(1 - score, 2))
    from training.datasets import examples_from_db

    examples = examples_from_db()
    found = {c.code: c for c in label_checks(examples, np.array([e.score for e in examples]), [])}
    assert "ann rated 30 of the 30" in found["one_reviewer"].message
    assert found["reviewer_disagrees"].message.startswith("cy agrees")
    assert found["reviewer_disagrees"].level == "warning"


def test_a_tiny_validation_set_is_flagged(sample_rows):
    rows = [Example(r["resume"], r["job_description"], r["score"]) for r in sample_rows]
    small = rows[:3]
    found = label_checks(rows, np.array([e.score for e in rows]) * 0.5 + 0.2, small)
    assert "validation_too_small" in [c.code for c in found]
