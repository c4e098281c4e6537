"""The metrics every evaluation reports, on the same definitions everywhere."""

from __future__ import annotations

import numpy as np
from scipy.stats import pearsonr, spearmanr

from matching.bands import band_index


def evaluate(human: np.ndarray, predicted: np.ndarray) -> dict:
    human = np.asarray(human, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    n = len(human)
    # Correlations are undefined for fewer than two points or a constant side.
    varied = n >= 2 and human.std() > 0 and predicted.std() > 0
    return {
        "n": n,
        "spearman": round(float(spearmanr(human, predicted)[0]), 4) if varied else None,
        "pearson": round(float(pearsonr(human, predicted)[0]), 4) if varied else None,
        "mae": round(float(np.abs(human - predicted).mean()), 4) if n else None,
        "band_accuracy": round(float((band_index(human) == band_index(predicted)).mean()), 4)
        if n
        else None,
    }


def calibration_by_band(human: np.ndarray, predicted: np.ndarray) -> list[dict]:
    """Per predicted band: how many pairs, and the mean human and predicted score."""
    human, predicted = np.asarray(human), np.asarray(predicted)
    out = []
    for k, name in enumerate(("poor", "partial", "good")):
        mask = band_index(predicted) == k
        out.append(
            {
                "band": name,
                "n": int(mask.sum()),
                "human_mean": round(float(human[mask].mean()), 3) if mask.any() else None,
                "predicted_mean": round(float(predicted[mask].mean()), 3) if mask.any() else None,
            }
        )
    return out
