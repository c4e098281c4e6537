"""Checks on a dataset before any training starts (the product notes' best practices).

Each check gives a clear message. An `error` stops the run unless it is forced; a
`warning` is recorded and shown; `info` says what the run did about it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings

from training.datasets import GOOD, POOR, Example

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
    minimum = settings.TRAINING_MIN_EXAMPLES
    blocking = "warning" if force else "error"
    out: list[Check] = []
    total = len(train) + len(validation)
    if total < minimum:
        out.append(
            Check(
                "too_few",
                blocking,
                f"Only {total} labeled examples; at least {minimum} are needed for a model "
                "worth measuring (200-500 is good). Add labels, or force the run.",
            )
        )
    scores = [e.score for e in train]
    if scores and not any(s < POOR for s in scores):
        out.append(
            Check(
                "no_poor_matches",
                blocking,
                "No poor matches (score below 0.3) in the training data: the model cannot "
                "learn what a bad candidate looks like. Rate some poor matches too.",
            )
        )
    if scores and not any(s >= GOOD for s in scores):
        out.append(
            Check(
                "no_good_matches",
                blocking,
                "No good matches (score 0.7 or more) in the training data: the model cannot "
                "learn what a strong candidate looks like. Rate some good matches too.",
            )
        )
    with_prediction = [e for e in train + validation if e.predicted is not None]
    echoed = [e for e in with_prediction if abs(e.score - e.predicted) <= ECHO_TOLERANCE]
    if with_prediction and len(echoed) / len(with_prediction) > ECHO_SHARE:
        out.append(
            Check(
                "labels_echo_model",
                blocking,
                f"{len(echoed)} of {len(with_prediction)} labels equal the model's own "
                "prediction: they would teach the model what it already says. Ask reviewers "
                "to rate without looking at the model's score.",
            )
        )
    elif echoed:
        out.append(
            Check(
                "labels_echo_model",
                "warning",
                f"{len(echoed)} labels equal the model's own prediction.",
            )
        )
    if conflicts:
        out.append(
            Check(
                "conflicting_duplicates",
                "warning",
                f"{conflicts} resume-job pairs have labels a band or more apart; their mean "
                "is used. Settle them in the admin for cleaner training data.",
            )
        )
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
                blocking,
                "No validation examples: the candidate cannot be compared with the live model.",
            )
        )
    return out


def blocking(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.level == "error"]
