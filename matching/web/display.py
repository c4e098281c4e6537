"""Display helpers shared by the pages: scores as percents. A score's colour is
bands.css_level (the score bands, defined once)."""

from __future__ import annotations


def percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)
