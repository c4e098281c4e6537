"""Plots of a finished run, as inline SVG: no plotting library, no JavaScript, no CDN.

Drawn from what a run stores on the same validation pairs: human against predicted score
for the live model and the candidate, the mean human score per predicted band, the two
models' metrics side by side, and the learning curve (validation metrics of heads fitted
on growing shares of the training resumes). Every plot has axis labels, a legend and its
values printed, so it reads without hovering.
"""

from __future__ import annotations

import numpy as np
from django.utils.safestring import SafeString, mark_safe

from training.metrics import calibration_by_band
from training.svg import (
    ACCENT,
    BOTTOM,
    COLOURS,
    DOT,
    HEIGHT,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    LabelPlacer,
    html,
    html_join,
    legend,
    line_points,
    model_legend,
    plot_x,
    plot_y,
    svg,
    x_title,
    y_axis,
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
            dots.append((f"{plot_x(p):.1f}", f"{plot_y(h):.1f}", COLOURS[name], name))
    ticks = html_join(
        "",
        '<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>',
        ((plot_x(t), HEIGHT - BOTTOM + 14, f"{t:g}") for t in (0, 0.25, 0.5, 0.75, 1)),
    )
    body = html(
        '{grid}<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#94a3b8" '
        'stroke-dasharray="4 3"/>{dots}{ticks}{xt}{legend}',
        grid=y_axis("human score"),
        x0=plot_x(0),
        y0=plot_y(0),
        x1=plot_x(1),
        y1=plot_y(1),
        dots=html_join(
            "",
            '<circle cx="{}" cy="{}" r="2.5" fill="{}" fill-opacity="0.6" class="dot-{}"/>',
            dots,
        ),
        ticks=ticks,
        xt=x_title("predicted score"),
        legend=model_legend(),
    )
    return svg("plot-scatter", "Human against predicted score, live model and candidate", body)


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
    labels = html_join(
        "",
        '<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>',
        (
            (LEFT + (k + 0.5) * width, HEIGHT - BOTTOM + 14, band)
            for k, band in enumerate(("poor", "partial", "good"))
        ),
    )
    body = html(
        "{}{}{}{}{}",
        y_axis("mean human score"),
        mark_safe("".join(bars)),
        labels,
        x_title("band the model predicted"),
        model_legend(),
    )
    return svg("plot-calibration", "Mean human score per predicted band", body)


def _y(value: float) -> float:
    return HEIGHT - BOTTOM - max(0.0, min(value, 1.0)) * (HEIGHT - TOP - BOTTOM)


def _bar(
    x: float,
    width: float,
    value: float,
    colour: str,
    text: str,
    title: str,
    interval: list[float] | None = None,
) -> str:
    """A bar with its value printed above it and, given one, its 95% interval as a
    whisker (the value then sits above the whisker)."""
    top = _y(value)
    whisker = ""
    label_y = top - 3
    if interval:
        low, high = _y(interval[0]), _y(interval[1])
        centre = x + width / 2
        whisker = html(
            '<path class="interval" d="M{:.1f} {:.1f}V{:.1f}M{:.1f} {:.1f}h{:.1f}M{:.1f} {:.1f}'
            'h{:.1f}" stroke="#1f2937" stroke-width="1" fill="none"/>',
            centre,
            low,
            high,
            centre - 3,
            low,
            6,
            centre - 3,
            high,
            6,
        )
        label_y = min(top, high) - 3
    return html(
        '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{}</title>'
        '</rect>{}<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="10">{}</text>',
        x,
        top,
        width,
        HEIGHT - BOTTOM - top,
        colour,
        title,
        whisker,
        x + width / 2,
        label_y,
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
    printed on the bars, each with its 95% interval over resumes as a whisker. Spearman,
    Pearson and band accuracy: higher is better; MAE (mean absolute error): lower is
    better."""
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
            interval = (metrics.get("ci") or {}).get(key)
            said = f" (95% interval {interval[0]:.2f} to {interval[1]:.2f})" if interval else ""
            bars.append(
                _bar(
                    x,
                    group * 0.36,
                    value or 0.0,
                    COLOURS[name],
                    text,
                    f"{model}: {label} {text}{said}",
                    interval,
                )
            )
        labels.append((LEFT + (k + 0.5) * group, HEIGHT - BOTTOM + 14, label))
    body = html(
        "{}{}{}{}{}",
        y_axis("value on the validation set"),
        mark_safe("".join(bars)),
        html_join("", '<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>', labels),
        x_title("metric (↓: lower is better)"),
        model_legend(),
    )
    return svg("plot-comparison", "Live model against the candidate on the same pairs", body)


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


Series = list[tuple[str, str, str]]  # key, name, colour
Curves = dict[str, list[tuple[float, float, float]]]  # key -> (x, y, value) per point


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
    lo, hi, ticks, live_y, curves = _curve_geometry(points, live, series)
    placer = LabelPlacer((LEFT, TOP - 6, WIDTH - RIGHT, HEIGHT - BOTTOM))
    for y in live_y.values():
        placer.avoid(line_points([(LEFT, y), (WIDTH - RIGHT, y)]))
    for coords in curves.values():
        placer.avoid(line_points([(x, y) for x, y, _ in coords]))
        placer.avoid([(x + dx, y + dy) for x, y, _ in coords for dx, dy in DOT])
    parts = _curve_marks(series, live_y, curves)
    labels = _curve_labels(placer, series, live, live_y, curves)
    parts += [
        html(
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
    ticks_x = html_join(
        "",
        '<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>',
        ((plot_x(p["fraction"]), HEIGHT - BOTTOM + 14, f"{p['fraction']:.0%}") for p in points),
    )
    body = html(
        "{}{}{}{}{}",
        y_axis("validation metric", ticks, lo, hi),
        mark_safe("".join(parts)),
        ticks_x,
        x_title(f"share of the {points[-1]['resumes']} training resumes"),
        legend(
            [
                ("Spearman", COLOURS["candidate"], False),
                ("band accuracy", ACCENT["band_accuracy"], False),
                ("live model", COLOURS["live"], True),
            ]
        ),
    )
    return svg("plot-learning-curve", "Learning curve: validation metrics by share of data", body)


def _curve_geometry(
    points: list[dict], live: dict, series: Series
) -> tuple[float, float, tuple[float, ...], dict[str, float], Curves]:
    """The y range and ticks, the live values' y, and each curve's points on the plot."""
    values = [p[k] for p in points for k, _, _ in series if p.get(k) is not None]
    values += [live[k] for k, _, _ in series if live.get(k) is not None]
    lo, hi, ticks = _curve_range(values)
    live_y = {
        key: plot_y(min(max(lo, live[key]), hi), lo, hi)
        for key, _, _ in series
        if live.get(key) is not None
    }
    curves = {
        key: [
            (plot_x(p["fraction"]), plot_y(max(lo, p[key]), lo, hi), p[key])
            for p in points
            if p.get(key) is not None
        ]
        for key, _, _ in series
    }
    return lo, hi, ticks, live_y, curves


def _curve_marks(series: Series, live_y: dict[str, float], curves: Curves) -> list[SafeString]:
    """The live models' dashed lines, and each curve's line and dots."""
    parts = []
    for key, _, colour in series:
        if key in live_y:
            parts.append(
                html(
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
            html(
                '<polyline class="curve-{}" points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                key,
                " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in curves[key]),
                colour,
            )
        )
        parts += [
            html('<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"/>', x, y, colour)
            for x, y, _ in curves[key]
        ]
    return parts


def _curve_labels(
    placer: LabelPlacer, series: Series, live: dict, live_y: dict[str, float], curves: Curves
) -> list[tuple[tuple[float, float, str], str, str, str]]:
    """Where each value label goes, with its text, colour and weight."""
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
    return labels
