"""The counterfactual test of the scorer: the same resume with another name, other
pronouns, another age or another address should score the same against the same job.

Variants of a resume (each a plain text edit, so what changed is exactly one attribute):
- names: the candidate's name (as matching.privacy's detectors find it; a resume with none
  gets a name line first, and that is the baseline) swapped for names associated with sex
  and ethnicity in the audit literature (the lists of Bertrand and Mullainathan's 2004
  field experiment, plus Hispanic and Asian names);
- pronouns: he/him/his/himself and Mr. swapped for she/her/her/herself and Ms., and the
  other way, with a few gendered words (chairman, fraternity, ...);
- ages: the years of the education section 15 years earlier (an older graduate), and a
  stated age 20 years older;
- addresses: the contact block's street address or "City, ST" swapped for one of a
  list of places of contrasting neighbourhoods.

`score_changes` scores each variant and its baseline against the same jobs in one call per
resume, with the model's frozen corpus statistics (one resume per call), and returns every
|change|; bench/counterfactual.py reports their distribution (docs/benchmarks.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.intake import sections as intake_sections
from matching.privacy.detectors import ADDRESS, NAME, find
from matching.scoring.inputs import TextPair
from matching.scoring.services import texts_score

NAMES = {
    "white_female": ["Emily Walsh", "Anne Baker", "Jill Murphy", "Allison Sullivan"],
    "black_female": ["Lakisha Washington", "Tamika Jackson", "Aisha Robinson", "Keisha Williams"],
    "white_male": ["Greg Baker", "Brendan Murphy", "Todd Sullivan", "Geoffrey Walsh"],
    "black_male": ["Jamal Washington", "Darnell Jackson", "Tyrone Robinson", "Rasheed Williams"],
    "hispanic": ["Maria Hernandez", "Jose Rodriguez", "Guadalupe Martinez", "Luis Gonzalez"],
    "asian": ["Mei Chen", "Wei Zhang", "Priya Patel", "Hiroshi Tanaka"],
}
PLACES = [
    "Scarsdale, NY 10583",
    "South Bronx, NY 10454",
    "Beverly Hills, CA 90210",
    "Compton, CA 90220",
    "Bethesda, MD 20814",
    "East Baltimore, MD 21205",
]
_MALE_TO_FEMALE = {
    "he": "she",
    "him": "her",
    "his": "her",
    "himself": "herself",
    "mr.": "ms.",
    "chairman": "chairwoman",
    "fraternity": "sorority",
    "men's": "women's",
    "brother": "sister",
    "boys'": "girls'",
}
_FEMALE_TO_MALE = {
    "she": "he",
    "her": "his",
    "hers": "his",
    "herself": "himself",
    "ms.": "mr.",
    "mrs.": "mr.",
    "chairwoman": "chairman",
    "sorority": "fraternity",
    "women's": "men's",
    "sister": "brother",
    "girls'": "boys'",
}
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-3]\d)\b")
_AGE = re.compile(r"\b(Age:?\s*|aged\s+)(\d{2})\b", re.IGNORECASE)
_CITY_STATE = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*, (?P<state>[A-Z]{2})(?: \d{5})?\b")
_STATES = set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
    "NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
CONTACT_CHARS = 400


@dataclass(frozen=True)
class Variant:
    kind: str  # "name", "pronouns", "age", "address"
    label: str  # what was put in, e.g. "black_female: Lakisha Washington"
    text: str


def _swap_words(text: str, table: dict[str, str]) -> str:
    pattern = re.compile(
        r"(?<![\w'])("
        + "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
        + r")(?![\w'])",
        re.IGNORECASE,
    )

    def repl(m: re.Match[str]) -> str:
        word = m.group(1)
        new = table[word.lower()]
        if word.isupper() and len(word) > 1:
            return new.upper()
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return pattern.sub(repl, text)


def name_spans(text: str) -> list[tuple[int, int]]:
    return [(s, e) for s, e, kind in find(text) if kind == NAME]


def with_name(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text and its name spans; a name line is put first where none is found, so every
    resume has a name to swap (the baseline then carries the first listed name)."""
    spans = name_spans(text)
    if spans:
        return text, spans
    named = f"{NAMES['white_male'][0]}\n{text}"
    return named, name_spans(named)


def name_variants(text: str) -> tuple[str, list[Variant]]:
    base, spans = with_name(text)
    if not spans:
        return base, []
    s0, e0 = spans[0]
    first_original = base[s0:e0].split()[0]
    out = []
    for group, names in NAMES.items():
        for name in names:
            first, last = name.split(" ", 1)
            pieces, pos = [], 0
            for s, e in spans:
                words = base[s:e].split()
                pieces.append(base[pos:s])
                if len(words) >= 2:
                    pieces.append(name)
                else:
                    pieces.append(first if words[0] == first_original else last)
                pos = e
            pieces.append(base[pos:])
            swapped = "".join(pieces)
            if swapped != base:  # the baseline's own name is no change
                out.append(Variant("name", f"{group}: {name}", swapped))
    return base, out


def pronoun_variants(text: str) -> list[Variant]:
    out = []
    for label, table in (("to female", _MALE_TO_FEMALE), ("to male", _FEMALE_TO_MALE)):
        swapped = _swap_words(text, table)
        if swapped != text:
            out.append(Variant("pronouns", label, swapped))
    return out


def age_variants(text: str) -> list[Variant]:
    """Years in the education section 15 earlier (an older graduate), a stated age 20 more."""
    lines, section = [], None
    for line in text.split("\n"):
        kind = intake_sections.line_heading(line)
        section = kind or section
        if section == intake_sections.EDUCATION and kind is None:
            line = _YEAR.sub(lambda m: str(int(m.group(1)) - 15), line)
        lines.append(line)
    aged = _AGE.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + 20}", "\n".join(lines))
    if aged == text:
        return []
    return [Variant("age", "graduated 15 years earlier, 20 years older", aged)]


def address_variants(text: str) -> list[Variant]:
    """The contact block's street address, or else its "City, ST", swapped for each place."""
    head = text[:CONTACT_CHARS]
    streets = [(s, e) for s, e, kind in find(head) if kind == ADDRESS]
    city = next((m for m in _CITY_STATE.finditer(head) if m.group("state") in _STATES), None)
    span = streets[0] if streets else (city.span() if city is not None else None)
    if span is None:
        return []
    s, e = span
    return [Variant("address", place, text[:s] + place + text[e:]) for place in PLACES]


def variants_of(text: str) -> tuple[str, list[Variant]]:
    """The baseline text (with a name line added if it had none) and its variants."""
    base, names = name_variants(text)
    return base, names + pronoun_variants(base) + age_variants(base) + address_variants(base)


@dataclass(frozen=True)
class Change:
    kind: str
    label: str
    resume: int
    job: int
    delta: float  # variant's score minus the baseline's


ScoreTexts = Callable[[list[str], Sequence[tuple[str, str]]], np.ndarray]


def score_changes(
    resumes: Iterable[str], jobs: Sequence[tuple[str, str]], score: ScoreTexts
) -> list[Change]:
    """Every variant of every resume against every job (title, text), as the change of its
    score from the baseline's. `score(texts, jobs)` returns scores [len(texts), len(jobs)]
    for several versions of ONE resume, so the corpus statistics stay those of the model."""
    changes: list[Change] = []
    for r, text in enumerate(resumes):
        base, variants = variants_of(text)
        if not variants:
            continue
        scores = score([base] + [v.text for v in variants], jobs)
        for k, variant in enumerate(variants, start=1):
            for j in range(len(jobs)):
                delta = float(scores[k, j] - scores[0, j])
                changes.append(Change(variant.kind, variant.label, r, j, delta))
    return changes


def summary(changes: Sequence[Change]) -> dict[str, dict[str, float | int]]:
    """Per kind: pairs, and the 50th, 95th and 99th percentile and the maximum of |change|,
    and the mean signed change (a systematic lift or drop)."""
    out: dict[str, dict[str, float | int]] = {}
    for kind in sorted({c.kind for c in changes}):
        deltas = np.array([c.delta for c in changes if c.kind == kind])
        size = np.abs(deltas)
        out[kind] = {
            "pairs": len(deltas),
            "p50": round(float(np.percentile(size, 50)), 4),
            "p95": round(float(np.percentile(size, 95)), 4),
            "p99": round(float(np.percentile(size, 99)), 4),
            "max": round(float(size.max()), 4),
            "mean_signed": round(float(deltas.mean()), 4),
        }
    return out


def name_groups(changes: Sequence[Change]) -> dict[str, float]:
    """Mean signed change per group of names: one group lifted and another lowered is the
    pattern a name audit looks for, even when each change is small."""
    groups: dict[str, list[float]] = {}
    for c in changes:
        if c.kind == "name":
            groups.setdefault(c.label.split(":", 1)[0], []).append(c.delta)
    return {g: round(float(np.mean(d)), 5) for g, d in sorted(groups.items())}


def model_scorer() -> ScoreTexts:
    """The live model's scores of texts, one text per call: a single resume is scored with
    the model's frozen corpus statistics, as a stored resume is, so a word that only a
    variant has (a name) weighs what it would in production."""

    def score(texts: list[str], jobs: Sequence[tuple[str, str]]) -> np.ndarray:
        rows = []
        for text in texts:
            pairs = [TextPair(resume=text, job=job, title=title) for title, job in jobs]
            rows.append(texts_score(pairs=pairs)[0])
        return np.vstack(rows)

    return score
