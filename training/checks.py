"""Checks on a dataset before any training starts (the product notes' best practices).

Each check gives a clear message. An `error` stops the run unless it is forced; a
`warning` is recorded and shown; `info` says what the run did about it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings

from matching import bands
from training.datasets import Example
from training.errors import DatasetError

# Labels within this of the model's own prediction "equal" it.
ECHO_TOLERANCE = 0.01
# Above this share of echoed labels, the data mostly teaches the model what it said.
ECHO_SHARE = 0.5


@dataclass(frozen=True)
class Check:
    code: str
    level: str  # error | warning | info
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def dataset_checks(
    train: list[Example],
    validation: list[Example],
    *,
    conflicts: int = 0,
    validation_given: bool = True,
    force: bool = False,
) -> list[Check]:
    """Every check of a run's data, in a fixed order (the API and the run page show it)."""
    level = "warning" if force else "error"  # what a blocking check is when forced
    return [
        *_size_checks(train, validation, level),
        *_band_checks(train, level),
        *_echo_checks(train, validation, level),
        *_duplicate_checks(conflicts),
        *_split_checks(validation, validation_given, level),
    ]


def _size_checks(train: list[Example], validation: list[Example], level: str) -> list[Check]:
    minimum = settings.TRAINING_MIN_EXAMPLES
    total = len(train) + len(validation)
    if total >= minimum:
        return []
    return [
        Check(
            "too_few",
            level,
            f"Only {total} labeled examples; at least {minimum} are needed for a model "
            "worth measuring (200-500 is good). Add labels, or force the run.",
        )
    ]


def _band_checks(train: list[Example], level: str) -> list[Check]:
    out: list[Check] = []
    scores = [e.score for e in train]
    if scores and not any(s < bands.POOR_BELOW for s in scores):
        out.append(
            Check(
                "no_poor_matches",
                level,
                f"No poor matches (score below {bands.POOR_BELOW}) in the training data: the "
                "model cannot learn what a bad candidate looks like. Rate some poor matches too.",
            )
        )
    if scores and not any(s >= bands.GOOD_FROM for s in scores):
        out.append(
            Check(
                "no_good_matches",
                level,
                f"No good matches (score {bands.GOOD_FROM} or more) in the training data: the "
                "model cannot learn what a strong candidate looks like. Rate some good matches "
                "too.",
            )
        )
    return out


def _echo_checks(train: list[Example], validation: list[Example], level: str) -> list[Check]:
    with_prediction = [e for e in train + validation if e.predicted is not None]
    echoed = [
        e
        for e in with_prediction
        if e.predicted is not None and abs(e.score - e.predicted) <= ECHO_TOLERANCE
    ]
    if with_prediction and len(echoed) / len(with_prediction) > ECHO_SHARE:
        return [
            Check(
                "labels_echo_model",
                level,
                f"{len(echoed)} of {len(with_prediction)} labels equal the model's own "
                "prediction: they would teach the model what it already says. Ask reviewers "
                "to rate without looking at the model's score.",
            )
        ]
    if echoed:
        return [
            Check(
                "labels_echo_model",
                "warning",
                f"{len(echoed)} labels equal the model's own prediction.",
            )
        ]
    return []


def _duplicate_checks(conflicts: int) -> list[Check]:
    if not conflicts:
        return []
    return [
        Check(
            "conflicting_duplicates",
            "warning",
            f"{conflicts} resume-job pairs have labels a band or more apart; their mean "
            "is used. Settle them in the admin for cleaner training data.",
        )
    ]


def _split_checks(validation: list[Example], validation_given: bool, level: str) -> list[Check]:
    out: list[Check] = []
    if not validation_given:
        out.append(
            Check(
                "auto_validation_split",
                "info",
                f"No validation data given: {len(validation)} examples of "
                f"{len({e.group for e in validation})} resumes were held out (about 20%), "
                "keeping each resume's pairs on one side.",
            )
        )
    if not validation:
        out.append(
            Check(
                "no_validation",
                level,
                "No validation examples: the candidate cannot be compared with the live model.",
            )
        )
    return out


def blocking(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.level == "error"]


def refuse_if_blocking(checks: list[Check]) -> None:
    """Stop the run with the messages of its blocking checks, if any (DatasetError)."""
    errors = blocking(checks)
    if errors:
        raise DatasetError(" ".join(c.message for c in errors))
