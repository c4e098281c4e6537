"""Template tags of the reviewer workflow: the scoring progress panel.

A tag rather than view context so the admin's own pages (the resume list, the bulk
upload) show the same panel without their views passing anything.
"""

from __future__ import annotations

import math

from django import template

from matching.scoring import progress as scoring_progress
from matching.scoring.reconcile import reconcile_bound_s

register = template.Library()


@register.inclusion_tag("matching/_scoring_progress.html")
def scoring_progress_panel() -> dict:
    """The "N of M resumes scored" panel while scoring or re-scoring is under way; it
    polls review/progress.json and updates itself until the work is done."""
    return {
        "progress": scoring_progress.scoring_progress(),
        "reconcile_minutes": math.ceil(reconcile_bound_s() / 60),
    }
