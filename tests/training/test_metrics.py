"""The evaluation metrics, on a case small enough to compute by hand."""

from __future__ import annotations

import numpy as np
import pytest

from matching.bands import band_index
from training.metrics import calibration_by_band, evaluate, within_group_spearman


def test_metrics_of_a_hand_computed_case():
    human = [0.1, 0.5, 0.9, 0.25]
    predicted = [0.35, 0.5, 0.7, 0.1]
    result = evaluate(np.array(human), np.array(predicted))
    # Ranks 1 3 4 2 against 2 3 4 1: d^2 sums to 2, rho = 1 - 6 * 2 / (4 * 15) = 0.8.
    assert result["spearman"] == pytest.approx(0.8)
    # Deviations from the means 0.4375 and 0.4125: sum of products 0.218125,
    # sums of squares 0.366875 and 0.191875, r = 0.218125 / sqrt(0.366875 * 0.191875).
    assert result["pearson"] == pytest.approx(0.8221, abs=1e-4)
    # |errors| 0.25, 0, 0.2, 0.15.
    assert result["mae"] == pytest.approx(0.15)
    # Bands: human poor, partial, good, poor; predicted partial, partial, good, poor.
    assert result["band_accuracy"] == pytest.approx(0.75)
    assert result["n"] == 4


def test_band_edges_are_0_3_and_0_7():
    assert band_index(np.array([0.0, 0.2999, 0.3, 0.6999, 0.7, 1.0])).tolist() == [0, 0, 1, 1, 2, 2]
    result = evaluate(np.array([0.3, 0.7, 0.29]), np.array([0.29, 0.69, 0.0]))
    assert result["band_accuracy"] == pytest.approx(1 / 3, abs=1e-4)


def test_a_perfect_prediction_scores_one_everywhere():
    human = np.array([0.05, 0.4, 0.8, 0.95])
    assert evaluate(human, human) == {
        "n": 4,
        "spearman": 1.0,
        "pearson": 1.0,
        "mae": 0.0,
        "band_accuracy": 1.0,
    }


def test_correlations_are_none_for_a_constant_side():
    result = evaluate(np.array([0.1, 0.5, 0.9]), np.array([0.5, 0.5, 0.5]))
    assert result["spearman"] is None
    assert result["pearson"] is None
    assert result["mae"] == pytest.approx(0.2667, abs=1e-4)
    assert result["band_accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    constant_human = evaluate(np.array([0.8, 0.8]), np.array([0.1, 0.9]))
    assert constant_human["spearman"] is None and constant_human["pearson"] is None


def test_one_or_no_pairs_give_no_correlation():
    assert evaluate(np.array([0.4]), np.array([0.6]))["spearman"] is None
    assert evaluate(np.array([]), np.array([])) == {
        "n": 0,
        "spearman": None,
        "pearson": None,
        "mae": None,
        "band_accuracy": None,
    }


def test_calibration_by_band_groups_by_predicted_band():
    out = calibration_by_band(np.array([0.1, 0.2, 0.9, 0.6]), np.array([0.2, 0.1, 0.8, 0.75]))
    assert out == [
        {"band": "poor", "n": 2, "human_mean": 0.15, "predicted_mean": 0.15},
        {"band": "partial", "n": 0, "human_mean": None, "predicted_mean": None},
        {"band": "good", "n": 2, "human_mean": 0.75, "predicted_mean": 0.775},
    ]


def test_within_group_spearman_averages_each_jobs_order_and_skips_what_has_none():
    human = np.array([0.1, 0.5, 0.9, 0.2, 0.4, 0.6, 0.3, 0.3, 0.3, 0.8, 0.1])
    # Job a in order, job b reversed, job c's grades all equal, job d too small.
    predicted = np.array([0.2, 0.3, 0.4, 0.9, 0.5, 0.1, 0.1, 0.2, 0.3, 0.5, 0.6])
    jobs = np.array(["a", "a", "a", "b", "b", "b", "c", "c", "c", "d", "d"])
    assert within_group_spearman(human, predicted, jobs) == {"spearman": 0.0, "groups": 2}
    assert within_group_spearman(human[:3], predicted[:3], jobs[:3])["spearman"] == 1.0
    assert within_group_spearman(human[9:], predicted[9:], jobs[9:]) == {
        "spearman": None,
        "groups": 0,
    }
    # A model that scores job a's pairs alike counts 0 there, on the same two jobs.
    flat = predicted.copy()
    flat[:3] = 0.5
    assert within_group_spearman(human, flat, jobs) == {"spearman": -0.5, "groups": 2}
