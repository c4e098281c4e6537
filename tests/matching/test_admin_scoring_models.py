"""The admin's Scoring models list: how a version compared with the model live at its
training."""

from __future__ import annotations

import pytest

from matching.admin.models import ScoringModelAdmin
from matching.models import ScoringModel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("spearman", "live", "better", "shown"),
    [
        (0.8, 0.7, True, "better (0.8 vs 0.7)"),
        (0.6, 0.7, False, "worse (0.6 vs 0.7)"),
        # A tie passes the gate but was shown as "better (0.7641 vs 0.7641)".
        (0.7641, 0.7641, True, "as good (0.7641 vs 0.7641)"),
    ],
)
def test_the_comparison_with_the_live_model_says_better_worse_or_as_good(
    spearman, live, better, shown
):
    model = ScoringModel(
        version="custom-x",
        metrics={
            "spearman": spearman,
            "better_than_live": better,
            "live_at_training": {"model": "pretrained", "spearman": live},
        },
    )
    admin = ScoringModelAdmin(ScoringModel, None)
    assert admin.compared_with_live(model) == shown
