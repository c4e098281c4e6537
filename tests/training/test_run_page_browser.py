"""A finished training run's admin page in a real browser: its four plots render.

Drives Debian's chromium through Playwright against pytest-django's live server and
saves the screenshot used in the README (docs/screenshots/training_run.png). The run
trains with the real pre-trained model on real German data (the shared gulp-dev set)
where this machine has it, else on the shipped sample, so the figures shown are real.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the test makes while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from tests.browser import chromium
from training import runs as training_runs
from training.models import TrainingRun

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "screenshots" / "training_run.png"
SAMPLE = ROOT / "training" / "sample" / "training_data.json"
GULP = Path("/work/shared/datasets/gulp-dev.json")


def test_a_finished_run_page_shows_comparison_learning_curve_scatter_and_bands(
    transactional_db, live_server, reviewer
):
    from playwright.sync_api import expect

    data = GULP if GULP.exists() else SAMPLE
    created = training_runs.training_run_create(
        train_file=(data.name, data.read_bytes()), enqueue=False
    )
    run = training_runs.training_run_execute(created.pk)
    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    assert json.dumps(run.validation_predictions["learning_curve"])

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", "rita")
        page.fill("#id_password", "pw-rita-2026")
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/training/trainingrun/{run.pk}/change/")
        plots = page.locator(".field-plots")
        for plot_id in (
            "plot-comparison",
            "plot-learning-curve",
            "plot-scatter",
            "plot-calibration",
        ):
            expect(plots.locator(f"#{plot_id}")).to_be_visible()
            box = plots.locator(f"#{plot_id}").bounding_box()
            assert box["width"] > 200 and box["height"] > 200
        expect(plots.locator("#plot-learning-curve .curve-spearman")).to_have_count(1)
        expect(plots).to_contain_text("live model")
        # The page from its title down to the plots, the log shortened to fit.
        page.add_style_tag(content="#run-log { max-height: 6.5em !important; }")
        page.evaluate("window.scrollTo(0, 0)")
        box = plots.bounding_box()
        page.screenshot(
            path=str(SCREENSHOT),
            clip={"x": 0, "y": 0, "width": 1400, "height": box["y"] + box["height"] + 16},
            full_page=True,
        )
    assert SCREENSHOT.stat().st_size > 20_000
