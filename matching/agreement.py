"""Agreement between reviewers: Krippendorff's alpha with the interval metric.

Pure numpy, no Django: matching.selectors feeds it the ratings of the database. Alpha is
1 when reviewers always agree, 0 when they agree no better than chance, below 0 when
they disagree systematically. Unlike a mean pairwise correlation it copes with any
number of reviewers per pair and with reviewers who rated different pairs.
"""

from __future__ import annotations

import numpy as np


def krippendorff_alpha_interval(units: np.ndarray, values: np.ndarray) -> float | None:
    """Alpha of `values` (one rating each) grouped by `units` (the pair each belongs to).

    Interval metric: the disagreement of two values is their squared difference. Units
    with one value are not pairable and are left out, as Krippendorff (2011) prescribes.
    None when nothing can be measured: no unit with two values, or no variation at all.

        D_o = 1/n * sum over units u of  sum_{i != j in u} (v_i - v_j)^2 / (m_u - 1)
        D_e = 1/(n (n - 1)) * sum_{i != j over all pairable values} (v_i - v_j)^2
        alpha = 1 - D_o / D_e

    For m values, sum_{i != j} (v_i - v_j)^2 = 2 m * sum (v - mean)^2, so both sums are
    per-unit moments: one bincount each, no loop over units.
    """
    units = np.asarray(units)
    values = np.asarray(values, dtype=np.float64)
    if units.shape != values.shape:
        raise ValueError("units and values must have the same length")
    _, idx = np.unique(units, return_inverse=True)
    m_u = np.bincount(idx)
    pairable = m_u[idx] >= 2
    idx, values = idx[pairable], values[pairable]
    n = values.size
    if n < 2:
        return None
    m_u = np.bincount(idx)
    sums = np.bincount(idx, weights=values)
    squares = np.bincount(idx, weights=values**2)
    has = m_u >= 2
    m, s, q = m_u[has], sums[has], squares[has]
    # 2 m * sum (v - mean)^2 = 2 (m q - s^2), per unit
    within = 2 * (m * q - s**2)
    d_observed = float(np.sum(within / (m - 1))) / n
    d_expected = 2 * (n * float(np.sum(values**2)) - float(np.sum(values)) ** 2) / (n * (n - 1))
    if d_expected <= 1e-12:
        return None
    return 1.0 - d_observed / d_expected
