"""A run's dataset statistics, data checks and metrics as tables for its admin page.

The run stores them as JSON (the API serves that JSON as is); people read tables. Keys this
module does not know yet are still shown, by name, so nothing a run records is hidden.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

EMPTY = "—"
SIDES = (("train", "Training"), ("validation", "Validation"))
SIDE_ROWS = (
    ("examples", "Examples"),
    ("resumes", "Resumes"),
    ("jobs", "Jobs"),
    ("score_mean", "Mean human score"),
    ("bands", "Bands (poor / partial / good)"),
    ("multi_rated", "Pairs rated by several reviewers"),
    ("sources", "Sources"),
)
TIMINGS = (
    ("embedding_s", "embedding"),
    ("training_s", "training"),
    ("learning_curve_s", "learning curve"),
    ("total_s", "total"),
)
METRICS = (
    ("spearman", "Spearman (ranking)"),
    ("pearson", "Pearson"),
    ("band_accuracy", "Band accuracy"),
    ("mae", "Mean absolute error (lower is better)"),
    ("n", "Validation pairs"),
    ("resumes", "Validation resumes (the intervals resample them)"),
)
# Shown in their own rows (gold) or inside the cells (ci), not as extra keys.
METRIC_PARTS = ("model", "ci", "gold")
VERDICTS = {
    "better": "Better than the live model beyond noise",
    "worse": "Worse than the live model",
    "unclear": "No clear difference from the live model (within noise)",
    "untrusted": "Not trusted: the labels failed a check",
}
LEVELS = {"error": "Error", "warning": "Warning", "info": "Info"}


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _value(value: Any) -> str:
    """One cell: counts by name ("file 50, rating 12"), lists joined, numbers as stored."""
    if value is None or value == "" or value == {} or value == []:
        return EMPTY
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _table(css: str, head: list[str], rows: list[list[Any]]) -> SafeString:
    return format_html(
        '<table class="run-table {}">{}<tbody>{}</tbody></table>',
        css,
        format_html(
            "<thead><tr>{}</tr></thead>", format_html_join("", "<th>{}</th>", ((h,) for h in head))
        )
        if any(head)
        else "",
        mark_safe(
            "".join(
                format_html(
                    "<tr><th>{}</th>{}</tr>",
                    row[0],
                    format_html_join("", "<td>{}</td>", ((cell,) for cell in row[1:])),
                )
                for row in rows
            )
        ),
    )


def _bands(bands: Any) -> str:
    if not isinstance(bands, dict):
        return _value(bands)
    return " / ".join(str(bands.get(band, 0)) for band in ("poor", "partial", "good"))


def dataset_table(dataset: dict) -> SafeString | str:
    """Training and validation side by side, then what concerns both (sources, reviewer
    disagreements, timings)."""
    if not dataset:
        return EMPTY
    sides = [(key, title) for key, title in SIDES if isinstance(dataset.get(key), dict)]
    rows = []
    known = [key for key, _ in SIDE_ROWS]
    extra = sorted({k for key, _ in sides for k in dataset[key] if k not in known})
    for key, label in [*SIDE_ROWS, *((k, _label(k)) for k in extra)]:
        cells = [
            _bands(dataset[side].get(key)) if key == "bands" else _value(dataset[side].get(key))
            for side, _ in sides
        ]
        rows.append([label, *cells])
    parts = [_table("run-dataset", ["", *(title for _, title in sides)], rows)] if sides else []
    general = []
    for key, value in dataset.items():
        if key in dict(SIDES):
            continue
        if key == "timings" and isinstance(value, dict):
            value = ", ".join(
                f"{name} {value[k]:.1f} s"
                for k, name in TIMINGS
                if isinstance(value.get(k), int | float)
            )
        elif key == "conflicts":
            general.append(["Pairs whose reviewers disagree (their mean is used)", _value(value)])
            continue
        general.append([_label(key) if key != "sources" else "All sources", _value(value)])
    if general:
        parts.append(_table("run-dataset-general", ["", ""], general))
    return mark_safe("".join(parts))


def checks_table(checks: list) -> SafeString | str:
    """Each data check: how serious, which, and what it found."""
    if not checks:
        return EMPTY
    rows = [
        [
            LEVELS.get(c.get("level", ""), _value(c.get("level"))),
            _value(c.get("code")),
            c.get("message", ""),
        ]
        if isinstance(c, dict)
        else [EMPTY, EMPTY, _value(c)]
        for c in checks
    ]
    return _table("run-checks", ["Level", "Check", "What it found"], rows)


def _with_interval(metrics: dict, key: str) -> str:
    """A figure and its 95% interval, "0.58 (0.41 to 0.70)", where the run has one."""
    value = _value(metrics.get(key))
    ci = (metrics.get("ci") or {}).get(key)
    return f"{value} ({ci[0]:.3g} to {ci[1]:.3g})" if ci and value != EMPTY else value


def _metric_rows(columns: list[tuple[dict, str]], prefix: str = "") -> list[list[Any]]:
    known = [key for key, _ in METRICS]
    extra = sorted({k for m, _ in columns for k in m if k not in known and k not in METRIC_PARTS})
    return [
        [prefix + label, *(_with_interval(m, key) for m, _ in columns)]
        for key, label in [*METRICS, *((k, _label(k)) for k in extra)]
    ]


def metrics_table(
    metrics_live: dict, metrics_candidate: dict, comparison: dict | None = None
) -> SafeString | str:
    """The verdict of the gate (training.gate), then the live model and the candidate on
    the same validation pairs and on the gold set, metric by metric, each figure with its
    95% interval over resumes."""
    if not metrics_live and not metrics_candidate:
        return EMPTY
    columns = [
        (metrics_live or {}, "Live model"),
        (metrics_candidate or {}, "Candidate"),
    ]
    head = [
        "",
        *(f"{title} ({m['model']})" if m.get("model") else title for m, title in columns),
    ]
    rows = _metric_rows(columns)
    if any(isinstance(m.get("gold"), dict) for m, _ in columns):
        gold = [(m.get("gold") or {}, title) for m, title in columns]
        rows += _metric_rows(gold, prefix="Gold set: ")
    verdict = ""
    if comparison:
        verdict = format_html(
            '<p class="run-verdict run-verdict-{}"><strong>{}</strong>: {}.</p>',
            comparison.get("verdict", ""),
            VERDICTS.get(comparison.get("verdict", ""), _value(comparison.get("verdict"))),
            "; ".join(comparison.get("reasons", [])),
        )
    return mark_safe(verdict + _table("run-metrics", head, rows))


def params_table(params: dict) -> SafeString | str:
    """The options the run was queued with, one a row."""
    if not params:
        return EMPTY
    return _table("run-params", [], [[_label(k), _value(v)] for k, v in params.items()])


def fairness_table(fairness: dict | None) -> SafeString | str:
    """The fairness check (fairness.activation): each category's impact ratios under the
    live model and under the candidate, and the drops that make activation ask again."""
    if not fairness:
        return EMPTY
    if not fairness.get("measured"):
        return f"Not measured: {fairness.get('why', '')}."
    rows = [
        [
            f"{c['breakdown']}: {c['category']}" + (" (under 2%)" if c.get("small") else ""),
            c.get("count"),
            _value(c.get("live_scoring")),
            _value(c.get("candidate_scoring")),
            _value(c.get("live_selection")),
            _value(c.get("candidate_selection")),
        ]
        for c in fairness.get("categories", [])
    ]
    table = _table(
        "run-fairness",
        [
            f"Category ({fairness.get('applications')} applications)",
            "Count",
            "Scoring ratio, live",
            "Scoring ratio, candidate",
            "Selection ratio, live",
            "Selection ratio, candidate",
        ],
        rows,
    )
    drops = fairness.get("drops") or []
    if not drops:
        return format_html(
            "{}<p>No category falls below 0.8 where the live model was at or above it.</p>", table
        )
    return format_html(
        '{}<p class="fairness-drops"><strong>Activation asks for confirmation:</strong> {}</p>',
        table,
        "; ".join(drops),
    )
