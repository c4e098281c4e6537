"""Plots of a finished run, as inline SVG: no plotting library, no JavaScript, no CDN.

Drawn from the validation predictions a run stores: human against predicted score for
the live model and the candidate, and the mean human score per predicted band.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from training.metrics import calibration_by_band

SIZE = 260
PAD = 30
COLOURS = {"live": "#94a3b8", "candidate": "#2563eb"}


def _xy(human: float, predicted: float) -> tuple[float, float]:
    span = SIZE - 2 * PAD
    return PAD + predicted * span, SIZE - PAD - human * span


def scatter(predictions: dict) -> SafeString:
    """Human score (y) against predicted score (x), both models, with the diagonal."""
    human = predictions.get("human") or []
    if not human:
        return mark_safe("")
    dots = []
    for name in ("live", "candidate"):
        for h, p in zip(human, predictions.get(name) or [], strict=False):
            x, y = _xy(h, p)
            dots.append((f"{x:.1f}", f"{y:.1f}", COLOURS[name], name))
    lo, hi = _xy(0, 0), _xy(1, 1)
    return format_html(
        '<svg class="run-plot" id="plot-scatter" width="{s}" height="{s}" viewBox="0 0 {s} {s}" '
        'role="img" aria-label="Human against predicted score">'
        '<rect x="{p}" y="{p}" width="{w}" height="{w}" fill="none" stroke="#cbd5e1"/>'
        '<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#cbd5e1" stroke-dasharray="4"/>'
        "{dots}"
        '<text x="{mid}" y="{s}" font-size="11" text-anchor="middle" dy="-8">predicted</text>'
        '<text x="10" y="{mid}" font-size="11" transform="rotate(-90 10 {mid})" '
        'text-anchor="middle">human</text></svg>',
        s=SIZE,
        p=PAD,
        w=SIZE - 2 * PAD,
        x0=lo[0],
        y0=lo[1],
        x1=hi[0],
        y1=hi[1],
        mid=SIZE // 2,
        dots=format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="2.5" fill="{}" fill-opacity="0.6" class="dot-{}"/>',
            dots,
        ),
    )


def calibration(predictions: dict) -> SafeString:
    """Per predicted band (poor, partial, good): mean human score, live and candidate."""
    human = predictions.get("human") or []
    if not human:
        return mark_safe("")
    bars = []
    width = (SIZE - 2 * PAD) / 3
    for name, offset in (("live", 0.15), ("candidate", 0.5)):
        for k, row in enumerate(calibration_by_band(human, predictions.get(name) or [])):
            mean = row["human_mean"] or 0.0
            height = mean * (SIZE - 2 * PAD)
            x = PAD + k * width + offset * width
            bars.append(
                (
                    f"{x:.1f}",
                    f"{SIZE - PAD - height:.1f}",
                    f"{width * 0.33:.1f}",
                    f"{height:.1f}",
                    COLOURS[name],
                    f"{name} {row['band']}: human mean {mean:.2f} over {row['n']} pairs",
                )
            )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
        [
            (f"{PAD + (k + 0.5) * width:.1f}", SIZE - PAD + 14, band)
            for k, band in enumerate(("poor", "partial", "good"))
        ],
    )
    return format_html(
        '<svg class="run-plot" id="plot-calibration" width="{s}" height="{s}" '
        'viewBox="0 0 {s} {s}" role="img" aria-label="Mean human score per predicted band">'
        '<line x1="{p}" y1="{b}" x2="{e}" y2="{b}" stroke="#cbd5e1"/>{bars}{labels}</svg>',
        s=SIZE,
        p=PAD,
        b=SIZE - PAD,
        e=SIZE - PAD,
        bars=format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
            bars,
        ),
        labels=labels,
    )
