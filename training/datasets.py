"""Training examples from every source, read strictly, merged and split.

Files are read all or nothing: the first bad row stops the read with its row number and
the reason (DatasetError), so a half-read file never trains anything or lands in the
database.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from django.db.models import Q

from matching import bands
from matching.models import Pair, Rating
from matching.texts import text_hash
from training.errors import DatasetError
from training.models import LabeledExample, TrainingRun

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Example:
    resume: str
    job: str
    score: float
    source: str = "file"
    # Several reviewers on one pair: `score` is their mean, `spread` their deviation.
    n_ratings: int = 1
    spread: float = 0.0
    predicted: float | None = None
    # Rated pairs: who rated them, and whether a lead settled their disagreement.
    reviewers: tuple[int, ...] = ()
    settled: bool = False

    @property
    def is_gold(self) -> bool:
        """A pair whose label more than one person stands behind: rated by two reviewers
        or more, or settled by a lead. The gate measures models on them (training.gate)."""
        return self.source == "ratings" and (self.settled or len(set(self.reviewers)) >= 2)

    @property
    def group(self) -> str:
        """Examples of one resume stay on one side of a train/validation split."""
        return text_hash(self.resume)

    @property
    def key(self) -> tuple[str, str]:
        return text_hash(self.resume), text_hash(self.job)


# --- files ---------------------------------------------------------------------------------


def _decode(raw: bytes | str, name: str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{name}: not UTF-8 text (byte {exc.start}).") from exc


def _load_json_list(raw: bytes | str, name: str) -> list:
    try:
        data = json.loads(_decode(raw, name))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{name}: not valid JSON (line {exc.lineno}: {exc.msg}).") from exc
    except ValueError as exc:  # an integer of more digits than Python converts
        raise DatasetError(f"{name}: not valid JSON ({exc}).") from exc
    except RecursionError:
        raise DatasetError(f"{name}: not valid JSON (nested too deeply).") from None
    if isinstance(data, dict) and isinstance(data.get("examples"), list):
        data = data["examples"]
    if not isinstance(data, list):
        raise DatasetError(f"{name}: expected a JSON list of examples.")
    return data


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _text(row: Mapping, field: str, where: str) -> str:
    value = row.get(field)
    if not isinstance(value, str) or not value.strip():
        raise DatasetError(f"{where}: '{field}' must be non-empty text.")
    # JSON escapes can carry both; no database stores them (PostgreSQL refuses NUL).
    if "\x00" in value or _SURROGATE.search(value):
        raise DatasetError(
            f"{where}: '{field}' contains a NUL character or an unpaired surrogate, "
            "which are not text."
        )
    return value.strip()


def _score(value: object, where: str, field: str = "score") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise DatasetError(f"{where}: '{field}' must be a number between 0 and 1.")
    try:
        score = float(value)
    except (ValueError, OverflowError):
        raise DatasetError(f"{where}: '{field}' must be a number between 0 and 1.") from None
    if not 0.0 <= score <= 1.0 or score != score:
        raise DatasetError(f"{where}: '{field}' is {_short(value)}, not between 0 and 1.")
    return score


def parse_examples(raw: bytes | str, *, name: str = "file", source: str = "file") -> list[Example]:
    """The product notes' format: [{"resume", "job_description", "score"}, ...]."""
    out = []
    for i, row in enumerate(_load_json_list(raw, name), start=1):
        where = f"{name}, example {i}"
        if not isinstance(row, dict):
            raise DatasetError(f"{where}: expected an object with resume, job_description, score.")
        predicted = row.get("predicted_score")
        out.append(
            Example(
                resume=_text(row, "resume", where),
                job=_text(row, "job_description", where),
                score=_score(row.get("score"), where),
                source=source,
                predicted=None
                if predicted is None
                else _score(predicted, where, "predicted_score"),
            )
        )
    return out


def parse_history(
    raw: bytes | str, *, name: str = "file", outcome_scores: Mapping[str, float]
) -> list[Example]:
    """Hiring outcomes as CSV (header resume,job,outcome) or JSON objects with those keys.

    `job_description` is accepted for `job`, as in the notes' format. Each outcome is
    mapped to a score by `outcome_scores` (settings.HIRING_OUTCOME_SCORES).
    """
    text = _decode(raw, name)
    if text.lstrip().startswith("["):
        rows: Iterable[tuple[int, dict]] = enumerate(_load_json_list(text, name), start=1)
        label = "record"
    else:
        # newline="": csv itself splits rows, so quoted line breaks and old Mac "\r"
        # line ends are read as the spreadsheet wrote them.
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            columns = set(reader.fieldnames or [])
        except csv.Error as exc:
            raise DatasetError(f"{name}, row 1: not valid CSV ({exc}).") from exc
        missing = {"resume", "outcome"} - columns
        if missing or not {"job", "job_description"} & columns:
            raise DatasetError(
                f"{name}: a hiring-history CSV needs the columns resume, job and outcome."
            )
        rows = enumerate(reader, start=2)  # row 1 is the header
        label = "row"
    known = ", ".join(sorted(outcome_scores))
    out: list[Example] = []
    try:
        for i, row in rows:
            where = f"{name}, {label} {i}"
            if not isinstance(row, dict):
                raise DatasetError(f"{where}: expected an object with resume, job, outcome.")
            job_field = "job" if row.get("job") else "job_description"
            outcome = str(row.get("outcome") or "").strip().lower()
            if outcome not in outcome_scores:
                raise DatasetError(f"{where}: outcome {_short(outcome)} is not one of: {known}.")
            out.append(
                Example(
                    resume=_text(row, "resume", where),
                    job=_text(row, job_field, where),
                    score=outcome_scores[outcome],
                    source="history",
                )
            )
    except csv.Error as exc:  # the row after the last good one could not be read
        raise DatasetError(f"{name}, {label} {len(out) + 2}: not valid CSV ({exc}).") from exc
    return out


# --- the database --------------------------------------------------------------------------


def examples_from_db() -> list[Example]:
    """Every label the database holds: rated pairs and the imported, historical and
    feedback examples.

    A rated pair's label is the mean of its reviewers, with their spread; a pair whose
    reviewers disagreed and a lead settled (Pair.settled_score) is labeled with the
    settled score instead, spread 0: the lead's decision is the label, not an average.
    """
    out: list[Example] = []
    # A pair's label comes from the ratings it holds, not from the counters kept on Pair:
    # a pair whose counters went stale (a rating deleted past the services) must neither
    # fail the run nor become a label with no rating behind it. Mean and spread are taken
    # here, not with SQL's STDDEV, which Django's SQLite version fails over zero rows.
    given: dict[int, list[float]] = defaultdict(list)
    who: dict[int, list[int]] = defaultdict(list)
    predicted: dict[int, float] = {}  # the model's score at the pair's latest rating
    for pid, score, at_rating, reviewer in Rating.objects.order_by(
        "pair_id", "created_at", "pk"
    ).values_list("pair_id", "score", "predicted_score", "reviewer_id"):
        given[pid].append(score)
        if reviewer is not None:
            who[pid].append(reviewer)
        if at_rating is not None:
            predicted[pid] = at_rating
    rated = (
        Pair.objects.filter(
            Q(pk__in=Rating.objects.values("pair_id")) | Q(settled_score__isnull=False)
        )
        .filter(resume__text__gt="")
        .select_related("resume", "job")
    )
    for pair in rated.iterator(chunk_size=500):
        settled = pair.settled_score is not None
        scores = given.get(pair.pk, [])
        out.append(
            Example(
                resume=pair.resume.text,
                job=pair.job.embedded_text,
                score=float(pair.settled_score if settled else np.mean(scores)),
                source="ratings",
                n_ratings=len(scores),
                spread=0.0 if settled else float(np.std(scores)),
                predicted=predicted.get(pair.pk),
                reviewers=tuple(who.get(pair.pk, ())),
                settled=settled,
            )
        )
    for row in LabeledExample.objects.order_by("pk").iterator(chunk_size=500):
        out.append(
            Example(
                resume=row.resume_text,
                job=row.job_text,
                score=row.score,
                source=row.source,
                predicted=row.predicted_score,
            )
        )
    return out


def run_examples(
    run: TrainingRun, *, db: list[Example] | None = None
) -> tuple[list[Example], list[Example], bool, dict[str, int]]:
    """The run's training and validation examples, whether validation was given, and
    the number of training examples per source. `db`: examples_from_db() when the caller
    has read it already (it is every rating and rated pair's text)."""
    sources: dict[str, int] = {}
    train: list[Example] = []
    if run.train_file:
        with run.train_file.open("rb") as fh:
            train += parse_examples(fh.read(), name=run.train_file.name, source="file")
        sources["file"] = len(train)
    if run.params.get("from_ratings"):
        db = examples_from_db() if db is None else db
        train += db
        for e in db:
            sources[e.source] = sources.get(e.source, 0) + 1
    validation: list[Example] = []
    if run.validation_file:
        with run.validation_file.open("rb") as fh:
            validation = parse_examples(
                fh.read(), name=run.validation_file.name, source="validation_file"
            )
    return train, validation, bool(run.validation_file), sources


# --- merging and splitting ------------------------------------------------------------------


def merge_duplicates(examples: list[Example]) -> tuple[list[Example], int]:
    """One example per (resume, job): duplicates become their mean. Returns the merged
    list and how many pairs had labels more than a band apart (conflicts)."""
    by_key: dict[tuple[str, str], list[Example]] = defaultdict(list)
    for ex in examples:
        by_key[ex.key].append(ex)
    merged, conflicts = [], 0
    for group in by_key.values():
        if len(group) == 1:
            merged.append(group[0])
            continue
        scores = np.array([e.score for e in group])
        if bands.is_conflict(scores.min(), scores.max()):
            conflicts += 1
        first = group[0]
        merged.append(
            Example(
                resume=first.resume,
                job=first.job,
                score=float(scores.mean()),
                source=first.source,
                n_ratings=sum(e.n_ratings for e in group),
                spread=float(scores.std()),
                predicted=first.predicted,
                reviewers=tuple(r for e in group for r in e.reviewers),
                settled=any(e.settled for e in group),
            )
        )
    return merged, conflicts


def split_by_resume(
    examples: list[Example], *, fraction: float = 0.2, seed: int = 0
) -> tuple[list[Example], list[Example]]:
    """About `fraction` of the examples for validation, whole resumes at a time, so the
    validation figures are about resumes the model never saw."""
    groups = sorted({e.group for e in examples})
    random.Random(seed).shuffle(groups)
    target = fraction * len(examples)
    sizes = defaultdict(int)
    for e in examples:
        sizes[e.group] += 1
    held: set[str] = set()
    count = 0
    for g in groups:
        if count >= target or len(held) >= len(groups) - 1:
            break
        held.add(g)
        count += sizes[g]
    return [e for e in examples if e.group not in held], [e for e in examples if e.group in held]


def statistics(examples: list[Example]) -> dict:
    scores = np.array([e.score for e in examples]) if examples else np.zeros(0)
    sources: dict[str, int] = defaultdict(int)
    for e in examples:
        sources[e.source] += 1
    index = bands.band_index(scores) if len(scores) else scores
    return {
        "examples": len(examples),
        "resumes": len({e.group for e in examples}),
        "jobs": len({e.key[1] for e in examples}),
        "sources": dict(sources),
        "score_mean": round(float(scores.mean()), 3) if len(scores) else None,
        "bands": {
            "poor": int((index == 0).sum()),
            "partial": int((index == 1).sum()),
            "good": int((index == 2).sum()),
        },
        "multi_rated": sum(1 for e in examples if e.n_ratings > 1),
    }
