"""Small readers for settings from the environment.

Each one fails loudly with ImproperlyConfigured on a value it cannot use, so a typo in
a deployment shows up at start-up instead of as odd behaviour later (healthchecks'
hc/settings.py does the same).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no), got {raw!r}")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {value}")
    return value


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_score_map(name: str, default: dict[str, float]) -> dict[str, float]:
    """`a=0.9,b=0.3` as {"a": 0.9, "b": 0.3}; every value must lie in 0..1."""
    raw = os.environ.get(name)
    if raw is None:
        return dict(default)
    out: dict[str, float] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        try:
            score = float(value)
        except ValueError:
            score = -1.0
        if not sep or not key.strip() or not 0.0 <= score <= 1.0:
            raise ImproperlyConfigured(
                f"{name}: {item.strip()!r} is not name=score with a score between 0 and 1."
            )
        out[key.strip().lower()] = score
    return out
