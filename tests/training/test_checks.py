"""The data checks that run before any training (the notes' best practices)."""

from __future__ import annotations

import pytest

from training.checks import blocking, dataset_checks
from training.datasets import Example


def _examples(n: int, *, scores=(0.1, 0.5, 0.9), prefix: str = "R", predicted=None) -> list:
    return [
        Example(f"{prefix}{i}", f"Job {i % 3}", scores[i % len(scores)], predicted=predicted)
        for i in range(n)
    ]


def _codes(checks) -> dict[str, str]:
    return {c.code: c.level for c in checks}


@pytest.fixture(autouse=True)
def _minimum(settings):
    settings.TRAINING_MIN_EXAMPLES = 50


def test_a_varied_dataset_of_enough_examples_passes_every_check():
    assert dataset_checks(_examples(48), _examples(12, prefix="V")) == []


def test_too_few_examples_is_an_error_with_the_counts():
    checks = dataset_checks(_examples(30), _examples(10, prefix="V"))
    assert _codes(checks) == {"too_few": "error"}
    assert "Only 40 labeled examples; at least 50 are needed" in checks[0].message
    assert blocking(checks) == checks


def test_too_few_is_only_a_warning_when_forced():
    checks = dataset_checks(_examples(30), _examples(10, prefix="V"), force=True)
    assert _codes(checks) == {"too_few": "warning"}
    assert blocking(checks) == []


def test_the_minimum_follows_the_setting(settings):
    settings.TRAINING_MIN_EXAMPLES = 10
    assert dataset_checks(_examples(8), _examples(2, prefix="V")) == []
    assert "too_few" in _codes(dataset_checks(_examples(8), _examples(1, prefix="V")))


def test_no_poor_matches_is_an_error():
    # 0.3 is "partial", not poor: the band starts below it.
    checks = dataset_checks(_examples(60, scores=(0.3, 0.5, 0.9)), _examples(12, prefix="V"))
    assert _codes(checks) == {"no_poor_matches": "error"}
    assert "No poor matches (score below 0.3)" in checks[0].message


def test_no_good_matches_is_an_error_and_a_warning_when_forced():
    train = _examples(60, scores=(0.1, 0.5, 0.69))
    assert _codes(dataset_checks(train, _examples(12, prefix="V"))) == {"no_good_matches": "error"}
    forced = dataset_checks(train, _examples(12, prefix="V"), force=True)
    assert _codes(forced) == {"no_good_matches": "warning"}
    assert "No good matches (score 0.7 or more)" in forced[0].message


def test_labels_that_repeat_the_models_prediction_are_an_error():
    echoed = [Example(f"E{i}", "J", s, predicted=s + 0.005) for i, s in enumerate([0.1, 0.5, 0.9])]
    honest = [Example(f"H{i}", "J", s, predicted=1 - s) for i, s in enumerate([0.1, 0.9])]
    train = _examples(50) + echoed + honest
    checks = dataset_checks(train, _examples(12, prefix="V"))
    assert _codes(checks) == {"labels_echo_model": "error"}
    assert "3 of 5 labels equal the model's own prediction" in checks[0].message


def test_a_few_echoed_labels_are_only_a_warning():
    echoed = [Example("E", "J", 0.5, predicted=0.5)]
    honest = [Example(f"H{i}", "J", 0.9, predicted=0.2) for i in range(3)]
    checks = dataset_checks(_examples(50) + echoed + honest, _examples(12, prefix="V"))
    assert _codes(checks) == {"labels_echo_model": "warning"}
    assert checks[0].message == "1 labels equal the model's own prediction."


def test_conflicting_duplicates_are_a_warning_with_their_count():
    checks = dataset_checks(_examples(50), _examples(12, prefix="V"), conflicts=4)
    assert _codes(checks) == {"conflicting_duplicates": "warning"}
    assert checks[0].message.startswith("4 resume-job pairs have labels a band or more apart")
    assert blocking(checks) == []


def test_an_automatic_validation_split_is_reported_as_info():
    validation = [Example(f"V{i // 2}", f"Job {i}", 0.5) for i in range(12)]
    checks = dataset_checks(_examples(50), validation, validation_given=False)
    assert _codes(checks) == {"auto_validation_split": "info"}
    assert "12 examples of 6 resumes were held out (about 20%)" in checks[0].message


def test_no_validation_examples_is_an_error():
    checks = dataset_checks(_examples(60), [], validation_given=False)
    assert _codes(checks) == {"auto_validation_split": "info", "no_validation": "error"}
    assert [c.code for c in blocking(checks)] == ["no_validation"]
    assert "cannot be compared with the live model" in blocking(checks)[0].message


def test_checks_serialise_for_the_run_record():
    (check,) = dataset_checks(_examples(50), _examples(12, prefix="V"), conflicts=1)
    assert check.as_dict() == {
        "code": "conflicting_duplicates",
        "level": "warning",
        "message": check.message,
    }
