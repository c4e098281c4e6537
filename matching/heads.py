"""Scorers: from pair features (and the stacked vectors) to a calibrated score 0..1.

The pre-trained model uses the fixed blend of matching.scoring. A custom model trained by
the training app stores a head in its folder (head.npz, versioned); it is loaded here so
that matching serves any model without importing training.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from matching.models import ScoringModel
from matching.scoring import ResumeBatch, pretrained_scores

Scorer = Callable[[dict[str, np.ndarray], ResumeBatch], np.ndarray]


class ModelUnavailable(Exception):
    """A model's folder is missing or written by an incompatible version."""


def scorer_for(model: ScoringModel) -> Scorer:
    if model.kind == ScoringModel.Kind.PRETRAINED:
        return lambda features, batch: pretrained_scores(features)
    raise ModelUnavailable(f"Model {model.version}: no scoring head is available.")


def head_path(model: ScoringModel) -> Path:
    return Path(model.path) / "head.npz"
