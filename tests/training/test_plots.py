"""The learning curve a run records, and the plots of a finished run's admin page."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.urls import reverse

from training import plots
from training.fast import learning_curve
from training.models import TrainingRun

pytestmark = pytest.mark.django_db


def test_a_run_records_its_learning_curve_ending_at_the_candidate(better_run):
    curve = better_run.validation_predictions["learning_curve"]
    points = curve["points"]
    fractions = [p["fraction"] for p in points]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(points) >= 3
    # Each share is drawn by resume: more resumes, more pairs.
    assert [p["resumes"] for p in points] == sorted({p["resumes"] for p in points})
    assert points[-1]["spearman"] == better_run.metrics_candidate["spearman"]
    assert points[-1]["band_accuracy"] == better_run.metrics_candidate["band_accuracy"]
    assert curve["live"]["spearman"] == better_run.metrics_live["spearman"]
    assert all(-1 <= p["spearman"] <= 1 for p in points)
    assert "learning_curve_s" in better_run.dataset["timings"]
    assert "learning curve" in better_run.log


def test_too_few_resumes_for_a_share_leave_that_point_out():
    from matching.scoring.features import FEATURE_NAMES
    from matching.scoring.inputs import PairInputs

    rng = np.random.default_rng(0)
    n = 12

    def unit_rows() -> np.ndarray:
        v = rng.normal(size=(n, 8)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    inputs = PairInputs(resume_vectors=unit_rows(), job_vectors=unit_rows(), features={})
    inputs.features = {name: rng.random(n).astype(np.float32) for name in FEATURE_NAMES}
    scores = rng.random(n)
    groups = np.repeat(np.arange(6), 2)  # 6 resumes: 20% and 40% are under 4 of them
    full = {"spearman": 0.5, "band_accuracy": 0.6}
    points = learning_curve(inputs, scores, groups, inputs, scores, full=full)
    assert [p["fraction"] for p in points] == [0.6, 0.8, 1.0]
    assert [p["resumes"] for p in points] == [4, 5, 6]
    assert points[-1]["spearman"] == 0.5


def test_the_comparison_prints_both_models_values():
    svg = plots.comparison(
        {"model": "pretrained", "spearman": 0.41, "pearson": 0.4, "band_accuracy": 0.5, "mae": 0.3},
        {"model": "v7", "spearman": 0.72, "pearson": 0.7, "band_accuracy": 0.78, "mae": None},
    )
    for value in ("0.41", "0.72", "0.50", "0.78", "0.30", "n/a"):
        assert f">{value}</text>" in svg
    assert "live model" in svg and "candidate" in svg and "lower is better" in svg


def test_the_learning_curve_plot_draws_both_metrics_and_the_live_lines():
    predictions = {
        "learning_curve": {
            "points": [
                {"fraction": 0.2, "resumes": 8, "spearman": 0.31, "band_accuracy": 0.5},
                {"fraction": 1.0, "resumes": 40, "spearman": 0.66, "band_accuracy": 0.71},
            ],
            "live": {"spearman": 0.45, "band_accuracy": 0.55},
        }
    }
    svg = str(plots.learning_curve(predictions))
    assert 'class="curve-spearman"' in svg and 'class="curve-band_accuracy"' in svg
    assert 'class="live-spearman"' in svg and ">live 0.45</text>" in svg
    assert ">20%</text>" in svg and ">100%</text>" in svg and "40 training resumes" in svg
    assert plots.learning_curve({}) == ""


def test_a_finished_run_page_shows_the_four_plots(client, reviewer, better_run):
    client.force_login(reviewer)
    page = client.get(reverse("admin:training_trainingrun_change", args=[better_run.pk]))
    html = page.content.decode()
    for plot_id in ("plot-comparison", "plot-learning-curve", "plot-scatter", "plot-calibration"):
        assert f'id="{plot_id}"' in html
    spearman = better_run.metrics_candidate["spearman"]
    assert re.search(rf">{spearman:.2f}</text>", html)
    # Each model's bars carry their 95% intervals as whiskers, four metrics each.
    assert html.count('class="interval"') == 8
    low, high = better_run.metrics_candidate["ci"]["spearman"]
    assert f"(95% interval {low:.2f} to {high:.2f})" in html


def test_a_run_without_a_curve_still_shows_its_other_plots(client, reviewer, better_run):
    predictions = {k: v for k, v in better_run.validation_predictions.items()}
    predictions.pop("learning_curve")
    TrainingRun.objects.filter(pk=better_run.pk).update(validation_predictions=predictions)
    client.force_login(reviewer)
    html = client.get(
        reverse("admin:training_trainingrun_change", args=[better_run.pk])
    ).content.decode()
    assert 'id="plot-scatter"' in html and 'id="plot-learning-curve"' not in html
