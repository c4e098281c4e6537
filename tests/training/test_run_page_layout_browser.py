"""The training run page as chromium lays it out: plot labels that do not overlap, a failed
run's error as its stage, the log wrapped, the dataset, checks and metrics as tables.

Text boxes are measured by the browser (getBoundingClientRect), with the fonts it really
uses, not estimated.
"""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the test makes while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from tests.browser import chromium
from training import plots
from training.models import TrainingRun

pytestmark = pytest.mark.browser

# A real run's figures (the shipped sample, the pre-trained model): the live Spearman sits
# on the candidate's curve and the band accuracy touches the top of the axis.
SAMPLE_RUN = {
    "metrics_live": {"spearman": 0.8052, "pearson": 0.992, "mae": 0.0649, "band_accuracy": 1.0},
    "metrics_candidate": {
        "spearman": 0.8108,
        "pearson": 0.9765,
        "mae": 0.0851,
        "band_accuracy": 0.9231,
    },
    "human": [0.15, 0.1, 0.9, 0.1, 0.1, 0.9, 0.95, 0.05, 0.85, 0.9, 0.9, 0.85, 0.2],
    "live": [0.07, 0.15, 0.96, 0.06, 0.04, 0.97, 0.98, 0.04, 0.91, 0.88, 1.0, 0.99, 0.06],
    "candidate": [0.26, 0.2, 0.87, 0.26, 0.13, 0.93, 0.92, 0.36, 0.88, 0.8, 1.0, 0.84, 0.26],
    "curve": [
        (0.2, 0.7828, 0.8718),
        (0.4, 0.7883, 1.0),
        (0.6, 0.8004, 0.9744),
        (0.8, 0.8043, 1.0),
        (1.0, 0.8108, 0.9231),
    ],
    "curve_live": {"spearman": 0.8052, "band_accuracy": 1.0},
}
# Both metrics and both live values within a few hundredths, the curves crossing: every
# label's first choice is taken by another.
CROSSING = {
    "metrics_live": {"spearman": 0.99, "pearson": 0.98, "mae": 0.01, "band_accuracy": 1.0},
    "metrics_candidate": {"spearman": 0.98, "pearson": 0.99, "mae": None, "band_accuracy": 0.99},
    "human": [0.5, 0.5, 0.5],
    "live": [0.1, 0.5, 0.9],
    "candidate": [0.12, 0.52, 0.88],
    "curve": [
        (0.2, 0.60, 0.63),
        (0.4, 0.66, 0.64),
        (0.6, 0.64, 0.66),
        (0.8, 0.68, 0.67),
        (1.0, 0.70, 0.71),
    ],
    "curve_live": {"spearman": 0.65, "band_accuracy": 0.66},
}


def _plots_html(case: dict) -> str:
    predictions = {
        "human": case["human"],
        "live": case["live"],
        "candidate": case["candidate"],
        "learning_curve": {
            "points": [
                {"fraction": f, "resumes": round(40 * f), "spearman": s, "band_accuracy": b}
                for f, s, b in case["curve"]
            ],
            "live": case["curve_live"],
        },
    }
    return "<body style='margin:0'>" + "".join(
        [
            plots.comparison(case["metrics_live"], case["metrics_candidate"]),
            plots.learning_curve(predictions),
            plots.scatter(predictions),
            plots.calibration(predictions),
        ]
    )


MEASURE = """svg => {
  const box = r => [r.left, r.top, r.right, r.bottom];
  const ctm = svg.getScreenCTM();
  const lines = [];
  for (const shape of svg.querySelectorAll("polyline, line[class]")) {
    const length = shape.getTotalLength();
    for (let d = 0; d <= length; d += 2) {
      const p = shape.getPointAtLength(d).matrixTransform(ctm);
      lines.push([p.x, p.y]);
    }
  }
  return {
    svg: box(svg.getBoundingClientRect()),
    texts: [...svg.querySelectorAll("text")].map(
      t => [t.textContent, ...box(t.getBoundingClientRect()), t.getAttribute("font-size") === "10"]
    ),
    lines: lines,
  };
}"""


def _overlap(a, b) -> float:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


@pytest.mark.parametrize("case", [SAMPLE_RUN, CROSSING], ids=["sample-run", "crossing"])
def test_no_plot_label_overlaps_another_or_leaves_its_plot(case):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 400})
        page.set_content(_plots_html(case))
        measured = [svg.evaluate(MEASURE) for svg in page.locator("svg.run-plot").all()]
    assert len(measured) == 4
    for plot in measured:
        texts = plot["texts"]
        for i, (text, *a, _) in enumerate(texts):
            left, top, right, bottom = plot["svg"]
            assert a[0] >= left and a[1] >= top and a[2] <= right and a[3] <= bottom, text
            for other, *b, _ in texts[i + 1 :]:
                assert _overlap(a, b) < 1.0, (text, other)
        # Values printed on the learning curve's lines (font size 10) cover none of them.
        for text, *a, value_label in texts:
            if value_label and plot["lines"]:
                covered = [p for p in plot["lines"] if a[0] < p[0] < a[2] and a[1] < p[1] < a[3]]
                assert not covered, text


def test_a_failed_run_page_shows_its_error_wraps_its_log_and_tables_its_figures(
    transactional_db, live_server, reviewer, tmp_path
):
    from playwright.sync_api import expect

    run = TrainingRun.objects.create(
        status=TrainingRun.Status.FAILED,
        stage="fitting the scoring head",
        error="Too few examples: 3 pairs of 2 resumes; at least 20 are needed.",
        log="12:00:01 reading labels\n12:00:02 check warning: " + "a very long line " * 40,
        dataset={
            "sources": {"rating": 3},
            "train": {
                "examples": 3,
                "resumes": 2,
                "jobs": 1,
                "score_mean": 0.5,
                "bands": {"poor": 1, "partial": 1, "good": 1},
                "sources": {"rating": 3},
            },
            "validation": {
                "examples": 0,
                "resumes": 0,
                "jobs": 0,
                "score_mean": None,
                "bands": {"poor": 0, "partial": 0, "good": 0},
                "sources": {},
            },
            "conflicts": 0,
        },
        checks=[{"code": "too_few_examples", "level": "error", "message": "Only 3 examples."}],
        metrics_live={"n": 3, "spearman": 0.5, "model": "pretrained"},
        finished_at=timezone.now(),
    )
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", "rita")
        page.fill("#id_password", "pw-rita-2026")
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/training/trainingrun/{run.pk}/change/")
        expect(page.locator("#run-stage")).to_have_text(f"Failed: {run.error}")
        expect(page.locator(".field-stage_now .readonly")).to_have_text(f"Failed: {run.error}")
        log = page.locator("#run-log")
        assert log.evaluate("e => e.scrollWidth <= e.clientWidth")
        # The History button sits clear of the live panel (it was drawn over the log).
        history, panel = (
            page.locator(".object-tools").bounding_box(),
            (page.locator("#run-live").bounding_box()),
        )
        assert history and panel
        assert history["y"] + history["height"] <= panel["y"] or (
            history["x"] >= panel["x"] + panel["width"]
        ), (history, panel)
        expect(page.locator("table.run-metrics")).to_contain_text("Spearman (ranking)")
        expect(page.locator("table.run-checks")).to_contain_text("Only 3 examples.")
        expect(page.locator("table.run-dataset")).to_contain_text("1 / 1 / 1")
        assert '{"' not in page.locator("#content").inner_text()  # no raw JSON left
        expect(page.locator(".field-status_shown")).to_have_count(1)  # shown once
        page.screenshot(path=str(tmp_path / "failed_run.png"), full_page=True)
