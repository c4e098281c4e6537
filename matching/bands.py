"""The score bands and the conflict rule, defined once.

poor < 0.3 <= partial < 0.7 <= good. Two ratings of one pair this far apart or more are a
conflict a lead settles. Pure (numpy only): the review queue, training's datasets, checks
and metrics, the heads' calibration knots and the pages' colours all read these.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

POOR_BELOW = 0.3  # poor < 0.3 <= partial < 0.7 <= good
GOOD_FROM = 0.7
EDGES = (POOR_BELOW, GOOD_FROM)
# The heads' calibration targets (heads.KNOT_SCORES, training.fast's band knots).
KNOTS = (0.0, POOR_BELOW, GOOD_FROM, 1.0)
# Ratings this far apart or more are a conflict a lead settles.
CONFLICT_SPREAD = 0.3
# 0.7 - 0.4 is 0.29999999999999993 in floats.
TOLERANCE = 1e-9
CONFLICT_MIN_SPREAD = CONFLICT_SPREAD - TOLERANCE

BAND_NAMES = ("poor", "partial", "good")
CSS_LEVELS = ("low", "mid", "high")


def band_index(scores: ArrayLike) -> np.ndarray:
    """0 poor, 1 partial, 2 good, for each score."""
    return np.digitize(np.asarray(scores, dtype=np.float64), EDGES)


def band_of(score: float) -> str:
    """ "poor", "partial" or "good"."""
    return BAND_NAMES[int(band_index([score])[0])]


def is_conflict(low: float, high: float) -> bool:
    """Whether two ratings of one pair are far enough apart for a lead to settle."""
    return high - low >= CONFLICT_MIN_SPREAD


def css_level(score: float | None) -> str:
    """The colour class of a score on the pages: "none", "low", "mid" or "high"."""
    if score is None:
        return "none"
    return CSS_LEVELS[int(band_index([score])[0])]
