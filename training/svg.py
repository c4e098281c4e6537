"""The SVG toolkit of the run page's plots (training.plots): sizes, colours, escaping,
axes, legends and label placement that keeps labels off each other and off the lines.

Pure: it draws what it is given and reads nothing.
"""

from __future__ import annotations

import itertools

import numpy as np
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 320, 260
# Room for the upright axis title and the tick labels beside it on the left, half of the
# last x tick ("100%") on the right, the axis title below and the legend and a full bar's
# value on top.
LEFT, RIGHT, TOP, BOTTOM = 52, 18, 34, 42
COLOURS = {"live": "#94a3b8", "candidate": "#2563eb"}
# The learning curve's second metric, and the live model's reference lines.
ACCENT = {"band_accuracy": "#059669"}
FONT = 'font-family="system-ui, sans-serif"'


class Number(float):
    """A number passes format_html's escaping as itself, so "{:.1f}" still applies."""

    def __html__(self) -> Number:
        return self


def html(template: str, *args, **kwargs) -> SafeString:
    """format_html keeping number formats: numbers are not markup, the rest is escaped."""

    def wrap(value):
        return (
            Number(value)
            if isinstance(value, float | int) and not isinstance(value, bool)
            else value
        )

    return format_html(template, *map(wrap, args), **{k: wrap(v) for k, v in kwargs.items()})


def html_join(sep: str, template: str, rows) -> SafeString:
    return mark_safe(sep.join(html(template, *row) for row in rows))


# Character widths in em of DejaVu Sans (what system-ui falls back to on Linux), among the
# widest sans fonts: a label placed with them has room in any other.
NARROW, WIDE = set(".,:;'il| "), set("%mwMW")


def text_width(text: str, size: float) -> float:
    return size * sum(
        0.32 if c in NARROW else 0.95 if c in WIDE else 0.72 if c.isupper() else 0.64 for c in text
    )


Box = tuple[float, float, float, float]  # left, top, right, bottom


def text_box(text: str, size: float, x: float, y: float, anchor: str) -> Box:
    """The box of text whose baseline starts (start), centres (middle) or ends at x, y."""
    width = text_width(text, size)
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return (left, y - 0.93 * size, left + width, y + 0.24 * size)  # the font's ascent, descent


def overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def line_points(coords: list[tuple[float, float]], step: float = 3.0) -> list[tuple[float, float]]:
    """Points every `step` pixels along a polyline: what a label must not cover."""
    points = list(coords[:1])
    for (x0, y0), (x1, y1) in itertools.pairwise(coords):
        n = max(1, int(np.hypot(x1 - x0, y1 - y0) / step))
        points += [(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n) for k in range(1, n + 1)]
    return points


# A curve's dot (radius 3): its edge, for the labels to keep off.
DOT = ((3, 0), (-3, 0), (0, 3), (0, -3), (0, 0))


class LabelPlacer:
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
            box = text_box(text, size, *candidate)
            outside = overlap(box, box) - overlap(box, self.bounds)
            covered = sum(
                box[0] - 0.5 <= x <= box[2] + 0.5 and box[1] - 0.5 <= y <= box[3] + 0.5
                for x, y in self.points
            )
            return 100 * outside + 100 * sum(overlap(box, b) for b in self.boxes) + covered

        costs = [cost(c) for c in candidates]
        best = candidates[costs.index(min(costs))]
        self.boxes.append(text_box(text, size, *best))
        return best


def plot_x(fraction: float) -> float:
    return LEFT + fraction * (WIDTH - LEFT - RIGHT)


def plot_y(value: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return HEIGHT - BOTTOM - (value - lo) / (hi - lo) * (HEIGHT - TOP - BOTTOM)


def svg(plot_id: str, label: str, body: SafeString) -> SafeString:
    return html(
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


def y_axis(
    title: str, ticks=(0.0, 0.25, 0.5, 0.75, 1.0), lo: float = 0.0, hi: float = 1.0
) -> SafeString:
    """Grid lines with tick labels on the left, and the axis title turned upright."""
    mid = (TOP + HEIGHT - BOTTOM) / 2
    lines = mark_safe(
        "".join(
            html(
                '<line x1="{}" y1="{y:.1f}" x2="{}" y2="{y:.1f}" stroke="#e2e8f0"/>'
                '<text x="{}" y="{y:.1f}" dy="3.5" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                LEFT - 5,
                f"{t:g}",
                y=plot_y(t, lo, hi),
            )
            for t in ticks
        )
    )
    return html(
        '{}<text x="12" y="{m:.0f}" transform="rotate(-90 12 {m:.0f})" text-anchor="middle">'
        "{}</text>",
        lines,
        title,
        m=mid,
    )


def x_title(title: str) -> SafeString:
    return html(
        '<text x="{:.0f}" y="{}" text-anchor="middle">{}</text>',
        (LEFT + WIDTH - RIGHT) / 2,
        HEIGHT - 6,
        title,
    )


def legend(items: list[tuple[str, str, bool]]) -> SafeString:
    """Swatches along the top: (label, colour, dashed line instead of a square)."""
    parts = []
    x = 8.0
    for label, colour, dashed in items:
        if dashed:
            parts.append(
                html(
                    '<line x1="{}" y1="12" x2="{}" y2="12" stroke="{}" stroke-width="2" '
                    'stroke-dasharray="4 3"/>',
                    x,
                    x + 14,
                    colour,
                )
            )
        else:
            parts.append(html('<rect x="{}" y="7" width="10" height="10" fill="{}"/>', x, colour))
        parts.append(html('<text x="{}" y="16">{}</text>', x + 17, label))
        x += 17 + text_width(label, 11) + 12
    return mark_safe("".join(parts))


def model_legend() -> SafeString:
    return legend(
        [("live model", COLOURS["live"], False), ("candidate", COLOURS["candidate"], False)]
    )
