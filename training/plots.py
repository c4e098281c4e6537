"""Plots of a finished run, as inline SVG: no plotting library, no JavaScript, no CDN.

Drawn from what a run stores on the same validation pairs: human against predicted score
for the live model and the candidate, the mean human score per predicted band, the two
models' metrics side by side, and the learning curve (validation metrics of heads fitted
on growing shares of the training resumes). Every plot has axis labels, a legend and its
values printed, so it reads without hovering.
"""

from __future__ import annotations

import itertools

import numpy as np
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from training.metrics import calibration_by_band

WIDTH, HEIGHT = 320, 260
# Room for the upright axis title and the tick labels beside it on the left, half of the
# last x tick ("100%") on the right, the axis title below and the legend and a full bar's
# value on top.
LEFT, RIGHT, TOP, BOTTOM = 52, 18, 34, 42
COLOURS = {"live": "#94a3b8", "candidate": "#2563eb"}
# The learning curve's second metric, and the live model's reference lines.
ACCENT = {"band_accuracy": "#059669"}
FONT = 'font-family="system-ui, sans-serif"'


class _Number(float):
    """A number passes format_html's escaping as itself, so "{:.1f}" still applies."""

    def __html__(self) -> _Number:
        return self


def _html(template: str, *args, **kwargs) -> SafeString:
    """format_html keeping number formats: numbers are not markup, the rest is escaped."""

    def wrap(value):
        return (
            _Number(value)
            if isinstance(value, float | int) and not isinstance(value, bool)
            else value
        )

    return format_html(template, *map(wrap, args), **{k: wrap(v) for k, v in kwargs.items()})


def _html_join(sep: str, template: str, rows) -> SafeString:
    return mark_safe(sep.join(_html(template, *row) for row in rows))


# Character widths in em of DejaVu Sans (what system-ui falls back to on Linux), among the
# widest sans fonts: a label placed with them has room in any other.
_NARROW, _WIDE = set(".,:;'il| "), set("%mwMW")


def _text_width(text: str, size: float) -> float:
    return size * sum(
        0.32 if c in _NARROW else 0.95 if c in _WIDE else 0.72 if c.isupper() else 0.64
        for c in text
    )


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _text_box(text: str, size: float, x: float, y: float, anchor: str) -> Box:
    """The box of text whose baseline starts (start), centres (middle) or ends at x, y."""
    width = _text_width(text, size)
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return (left, y - 0.93 * size, left + width, y + 0.24 * size)  # the font's ascent, descent


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _line_points(coords: list[tuple[float, float]], step: float = 3.0) -> list[tuple[float, float]]:
    """Points every `step` pixels along a polyline: what a label must not cover."""
    points = list(coords[:1])
    for (x0, y0), (x1, y1) in itertools.pairwise(coords):
        n = max(1, int(np.hypot(x1 - x0, y1 - y0) / step))
        points += [(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n) for k in range(1, n + 1)]
    return points


# A curve's dot (radius 3): its edge, for the labels to keep off.
_DOT = ((3, 0), (-3, 0), (0, 3), (0, -3), (0, 0))


class _LabelPlacer:
    """Puts each label at the first of its candidate positions that covers no label placed
    before it, no line and no point, and stays inside the plot area; when none is free,
    at the one that covers least. Callers place the most constrained labels first."""

    def __init__(self, bounds: Box) -> None:
        self.bounds = bounds
        self.boxes: list[Box] = []
        self.points: list[tuple[float, float]] = []

    def avoid(self, points: list[tuple[float, float]]) -> None:
        self.points += points

    def place(
        self, text: str, size: float, candidates: list[tuple[float, float, str]]
    ) -> tuple[float, float, str]:
        def cost(candidate: tuple[float, float, str]) -> float:
            box = _text_box(text, size, *candidate)
            outside = _overlap(box, box) - _overlap(box, self.bounds)
            covered = sum(
                box[0] - 0.5 <= x <= box[2] + 0.5 and box[1] - 0.5 <= y <= box[3] + 0.5
                for x, y in self.points
            )
            return 100 * outside + 100 * sum(_overlap(box, b) for b in self.boxes) + covered

        costs = [cost(c) for c in candidates]
        best = candidates[costs.index(min(costs))]
        self.boxes.append(_text_box(text, size, *best))
        return best


def _plot_x(fraction: float) -> float:
    return LEFT + fraction * (WIDTH - LEFT - RIGHT)


def _plot_y(value: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return HEIGHT - BOTTOM - (value - lo) / (hi - lo) * (HEIGHT - TOP - BOTTOM)


def _svg(plot_id: str, label: str, body: SafeString) -> SafeString:
    return _html(
        '<svg class="run-plot" id="{}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        'role="img" aria-label="{}" {font} font-size="11" fill="#334155">'
        '<title>{}</title><rect width="{w}" height="{h}" fill="#fff"/>{}</svg>',
        plot_id,
        label,
        label,
        body,
        w=WIDTH,
        h=HEIGHT,
        font=mark_safe(FONT),
    )


def _y_axis(
    title: str, ticks=(0.0, 0.25, 0.5, 0.75, 1.0), lo: float = 0.0, hi: float = 1.0
) -> SafeString:
    """Grid lines with tick labels on the left, and the axis title turned upright."""
    mid = (TOP + HEIGHT - BOTTOM) / 2
    lines = mark_safe(
        "".join(
            _html(
                '<line x1="{}" y1="{y:.1f}" x2="{}" y2="{y:.1f}" stroke="#e2e8f0"/>'
                '<text x="{}" y="{y:.1f}" dy="3.5" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                LEFT - 5,
                f"{t:g}",
                y=_plot_y(t, lo, hi),
            )
            for t in ticks
        )
    )
    return _html(
        '{}<text x="12" y="{m:.0f}" transform="rotate(-90 12 {m:.0f})" text-anchor="middle">'
        "{}</text>",
        lines,
        title,
        m=mid,
    )


def _x_title(title: str) -> SafeString:
    return _html(
        '<text x="{:.0f}" y="{}" text-anchor="middle">{}</text>',
        (LEFT + WIDTH - RIGHT) / 2,
        HEIGHT - 6,
        title,
    )


def _legend(items: list[tuple[str, str, bool]]) -> SafeString:
    """Swatches along the top: (label, colour, dashed line instead of a square)."""
    parts = []
    x = 8.0
    for label, colour, dashed in items:
        if dashed:
            parts.append(
                _html(
                    '<line x1="{}" y1="12" x2="{}" y2="12" stroke="{}" stroke-width="2" '
                    'stroke-dasharray="4 3"/>',
                    x,
                    x + 14,
                    colour,
                )
            )
        else:
            parts.append(_html('<rect x="{}" y="7" width="10" height="10" fill="{}"/>', x, colour))
        parts.append(_html('<text x="{}" y="16">{}</text>', x + 17, label))
        x += 17 + _text_width(label, 11) + 12
    return mark_safe("".join(parts))


def _model_legend() -> SafeString:
    return _legend(
        [("live model", COLOURS["live"], False), ("candidate", COLOURS["candidate"], False)]
    )


# --- human against predicted ------------------------------------------------------------


def scatter(predictions: dict) -> SafeString:
    """Human score (y) against predicted score (x), both models on the same validation
    pairs, with the diagonal a perfect model would sit on."""
    human = predictions.get("human") or []
    if not human:
        return mark_safe("")
    dots = []
    for name in ("live", "candidate"):
        for h, p in zip(human, predictions.get(name) or [], strict=False):
            dots.append((f"{_plot_x(p):.1f}", f"{_plot_y(h):.1f}", COLOURS[name], name))
    ticks = _html_join(
        "",
        '<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>',
        ((_plot_x(t), HEIGHT - BOTTOM + 14, f"{t:g}") for t in (0, 0.25, 0.5, 0.75, 1)),
    )
    body = _html(
        '{grid}<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#94a3b8" '
        'stroke-dasharray="4 3"/>{dots}{ticks}{xt}{legend}',
        grid=_y_axis("human score"),
        x0=_plot_x(0),
        y0=_plot_y(0),
        x1=_plot_x(1),
        y1=_plot_y(1),
        dots=_html_join(
            "",
            '<circle cx="{}" cy="{}" r="2.5" fill="{}" fill-opacity="0.6" class="dot-{}"/>',
            dots,
        ),
        ticks=ticks,
        xt=_x_title("predicted score"),
        legend=_model_legend(),
    )
    return _svg("plot-scatter", "Human against predicted score, live model and candidate", body)


# --- calibration by band ----------------------------------------------------------------


def calibration(predictions: dict) -> SafeString:
    """Per predicted band (poor, partial, good): the mean human score of the pairs each
    model put there. A calibrated model climbs from left to right."""
    human = predictions.get("human") or []
    if not human:
        return mark_safe("")
    bars = []
    width = (WIDTH - LEFT - RIGHT) / 3
    for name, offset in (("live", 0.12), ("candidate", 0.54)):
        for k, row in enumerate(calibration_by_band(human, predictions.get(name) or [])):
            x = LEFT + k * width + offset * width
            bar_w = width * 0.34
            if row["human_mean"] is None:
                bars.append(
                    _bar(x, bar_w, 0.0, COLOURS[name], "n/a", f"{name} {row['band']}: none")
                )
                continue
            mean = row["human_mean"]
            bars.append(
                _bar(
                    x,
                    bar_w,
                    mean,
                    COLOURS[name],
                    f"{mean:.2f}",
                    f"{name} {row['band']}: human mean {mean:.2f} over {row['n']} pairs",
                )
            )
    labels = _html_join(
        "",
        '<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>',
        (
            (LEFT + (k + 0.5) * width, HEIGHT - BOTTOM + 14, band)
            for k, band in enumerate(("poor", "partial", "good"))
        ),
    )
    body = _html(
        "{}{}{}{}{}",
        _y_axis("mean human score"),
        mark_safe("".join(bars)),
        labels,
        _x_title("band the model predicted"),
        _model_legend(),
    )
    return _svg("plot-calibration", "Mean human score per predicted band", body)


def _bar(x: float, width: float, value: float, colour: str, text: str, title: str) -> str:
    height = max(0.0, min(value, 1.0)) * (HEIGHT - TOP - BOTTOM)
    top = HEIGHT - BOTTOM - height
    return _html(
        '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{}</title>'
        '</rect><text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="10">{}</text>',
        x,
        top,
        width,
        height,
        colour,
        title,
        x + width / 2,
        top - 3,
        text,
    )


# --- live model against the candidate ---------------------------------------------------

# What the comparison shows, and how each reads: MAE is an error, lower is better.
COMPARED = (
    ("spearman", "Spearman"),
    ("pearson", "Pearson"),
    ("band_accuracy", "band acc."),
    ("mae", "MAE ↓"),
)


def comparison(metrics_live: dict, metrics_candidate: dict) -> SafeString:
    """The two models' metrics on the same validation pairs, side by side, values
    printed on the bars. Spearman, Pearson and band accuracy: higher is better; MAE (mean
    absolute error): lower is better."""
    if not metrics_live or not metrics_candidate:
        return mark_safe("")
    group = (WIDTH - LEFT - RIGHT) / len(COMPARED)
    bars, labels = [], []
    for k, (key, label) in enumerate(COMPARED):
        for name, metrics, offset in (
            ("live", metrics_live, 0.09),
            ("candidate", metrics_candidate, 0.55),
        ):
            value = metrics.get(key)
            x = LEFT + k * group + offset * group
            text = "n/a" if value is None else f"{value:.2f}"
            model = metrics.get("model", name)
            bars.append(
                _bar(x, group * 0.36, value or 0.0, COLOURS[name], text, f"{model}: {label} {text}")
            )
        labels.append((LEFT + (k + 0.5) * group, HEIGHT - BOTTOM + 14, label))
    body = _html(
        "{}{}{}{}{}",
        _y_axis("value on the validation set"),
        mark_safe("".join(bars)),
        _html_join("", '<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>', labels),
        _x_title("metric (↓: lower is better)"),
        _model_legend(),
    )
    return _svg("plot-comparison", "Live model against the candidate on the same pairs", body)


# --- learning curve ---------------------------------------------------------------------


def _curve_range(values: list[float]) -> tuple[float, float, tuple[float, ...]]:
    """The y range of the learning curve: its values with a margin, in steps of 0.1, so a
    curve between 0.70 and 0.80 is not a flat line at the top of a 0..1 axis."""
    lo = max(0.0, np.floor((min(values) - 0.05) * 10) / 10)
    hi = min(1.0, np.ceil((max(values) + 0.05) * 10) / 10)
    if hi - lo < 0.2:
        lo = max(0.0, hi - 0.2)
    step = 0.05 if hi - lo <= 0.3 else 0.1 if hi - lo <= 0.6 else 0.25
    ticks = tuple(round(t, 2) for t in np.arange(lo, hi + 1e-9, step))
    return float(lo), float(hi), ticks


def learning_curve(predictions: dict) -> SafeString:
    """Validation Spearman and band accuracy of heads fitted on 20 ... 100% of the
    training resumes, with the live model's values as dashed lines to beat. Still
    climbing at 100%: more labels should help."""
    curve = predictions.get("learning_curve") or {}
    points = [p for p in curve.get("points") or [] if p.get("spearman") is not None]
    if not points:
        return mark_safe("")
    series = [
        ("spearman", "Spearman", COLOURS["candidate"]),
        ("band_accuracy", "band accuracy", ACCENT["band_accuracy"]),
    ]
    live = curve.get("live") or {}
    values = [p[k] for p in points for k, _, _ in series if p.get(k) is not None]
    values += [live[k] for k, _, _ in series if live.get(k) is not None]
    lo, hi, ticks = _curve_range(values)
    placer = _LabelPlacer((LEFT, TOP - 6, WIDTH - RIGHT, HEIGHT - BOTTOM))
    live_y = {
        key: _plot_y(min(max(lo, live[key]), hi), lo, hi)
        for key, _, _ in series
        if live.get(key) is not None
    }
    curves = {
        key: [
            (_plot_x(p["fraction"]), _plot_y(max(lo, p[key]), lo, hi), p[key])
            for p in points
            if p.get(key) is not None
        ]
        for key, _, _ in series
    }
    for y in live_y.values():
        placer.avoid(_line_points([(LEFT, y), (WIDTH - RIGHT, y)]))
    for coords in curves.values():
        placer.avoid(_line_points([(x, y) for x, y, _ in coords]))
        placer.avoid([(x + dx, y + dy) for x, y, _ in coords for dx, dy in _DOT])
    parts = []
    for key, _, colour in series:
        if key in live_y:
            parts.append(
                _html(
                    '<line class="live-{}" x1="{}" y1="{y:.1f}" x2="{}" y2="{y:.1f}" stroke="{}" '
                    'stroke-width="1.5" stroke-dasharray="5 4" opacity="0.8"/>',
                    key,
                    LEFT,
                    WIDTH - RIGHT,
                    colour,
                    y=live_y[key],
                )
            )
        parts.append(
            _html(
                '<polyline class="curve-{}" points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                key,
                " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in curves[key]),
                colour,
            )
        )
        parts += [
            _html('<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"/>', x, y, colour)
            for x, y, _ in curves[key]
        ]
    # Labels last, most constrained first: the live values (one line each), then the last
    # and first values of each curve (the gain at a glance), each where it covers nothing.
    labels = []
    for key, _, colour in series:
        if key in live_y:
            y = live_y[key]
            text = f"live {live[key]:.2f}"
            spots = [
                (LEFT + 3, y - 4, "start"),
                (LEFT + 3, y + 13, "start"),
                (WIDTH - RIGHT - 3, y - 4, "end"),
                (WIDTH - RIGHT - 3, y + 13, "end"),
            ]
            labels.append((placer.place(text, 10, spots), text, colour, "normal"))
    for last in (True, False):
        for key, _, colour in series:
            coords = curves[key]
            if not coords or (not last and len(coords) == 1):
                continue
            x, y, value = coords[-1] if last else coords[0]
            text = f"{value:.2f}"
            spots = [
                (x - 6, y - 6, "end"),
                (x - 6, y + 14, "end"),
                (x, y - 8, "middle"),
                (x, y + 18, "middle"),
                (x - 6, y - 17, "end"),
                (x - 6, y + 25, "end"),
            ]
            if not last:
                spots = [(x + 6, y - 6, "start"), (x + 6, y + 14, "start"), *spots]
            labels.append((placer.place(text, 10, spots), text, colour, "600"))
    parts += [
        _html(
            '<text x="{:.1f}" y="{:.1f}" text-anchor="{}" font-size="10" font-weight="{}" '
            'fill="{}">{}</text>',
            x,
            y,
            anchor,
            weight,
            colour,
            text,
        )
        for (x, y, anchor), text, colour, weight in labels
    ]
    ticks_x = _html_join(
        "",
        '<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>',
        ((_plot_x(p["fraction"]), HEIGHT - BOTTOM + 14, f"{p['fraction']:.0%}") for p in points),
    )
    body = _html(
        "{}{}{}{}{}",
        _y_axis("validation metric", ticks, lo, hi),
        mark_safe("".join(parts)),
        ticks_x,
        _x_title(f"share of the {points[-1]['resumes']} training resumes"),
        _legend(
            [
                ("Spearman", COLOURS["candidate"], False),
                ("band accuracy", ACCENT["band_accuracy"], False),
                ("live model", COLOURS["live"], True),
            ]
        ),
    )
    return _svg("plot-learning-curve", "Learning curve: validation metrics by share of data", body)
