"""The adverse-impact arithmetic against the LL144 rules' worked example and hand counts."""

from __future__ import annotations

import pytest
from scipy.stats import fisher_exact

from fairness.impact import Applicant, impact_report

HIGH, LOW = 0.9, 0.2


def _group(sex: str, race: str, above: int, below: int) -> list[Applicant]:
    return [Applicant(HIGH, sex, race)] * above + [Applicant(LOW, sex, race)] * below


def test_the_rules_worked_example_male_54_3_female_44_7_gives_0_82():
    """6 RCNY 5-301's scoring-rate example: males scored above the median at 54.3%,
    females at 44.7%; the female impact ratio is 44.7 / 54.3 = 0.823. 990 of 2,000 score
    high, so the median is the low score and "above the median" is exactly the high ones."""
    sample = _group("male", "", 543, 457) + _group("female", "", 447, 553)
    report = impact_report(sample, selection_threshold=0.7)
    assert report.median_score == LOW
    rows = {r.category: r for r in report.breakdown("Sex").rows}
    assert rows["male"].scoring_rate == pytest.approx(0.543)
    assert rows["female"].scoring_rate == pytest.approx(0.447)
    assert rows["male"].scoring_impact_ratio == pytest.approx(1.0)
    assert round(rows["female"].scoring_impact_ratio, 2) == 0.82
    # Here the high score is also a selection: the same ratio, above four-fifths.
    assert rows["female"].selection_impact_ratio == pytest.approx(447 / 543)
    assert not rows["female"].under_four_fifths
    assert rows["female"].fisher_p == pytest.approx(fisher_exact([[447, 553], [543, 457]])[1])
    assert rows["female"].significant  # 1,000 each: a 9.6-point gap is not chance


def test_intersections_unknowns_and_small_groups_by_hand():
    sample = (
        _group("male", "white", 30, 10)  # 40, rate 0.75
        + _group("female", "white", 15, 15)  # 30, rate 0.5
        + _group("female", "black", 6, 14)  # 20, rate 0.3
        + _group("male", "black", 5, 5)  # 10, rate 0.5
        + _group("female", "", 1, 0)  # race not stated
        + _group("", "", 0, 1)  # nothing stated
    )
    report = impact_report(sample, selection_threshold=0.7)
    assert report.total == 102
    # 57 of 102 score high: the median is the high score, so nobody is above it.
    assert report.median_score == HIGH
    sex = {r.category: r for r in report.breakdown("Sex").rows}
    assert report.breakdown("Sex").unknown == 1
    assert sex["male"].count == 50 and sex["female"].count == 51
    assert sex["male"].scored_above_median == 0
    assert sex["male"].selection_rate == pytest.approx(35 / 50)
    assert sex["female"].selection_rate == pytest.approx(22 / 51)
    assert sex["female"].selection_impact_ratio == pytest.approx((22 / 51) / (35 / 50))
    assert sex["female"].under_four_fifths  # 0.616
    both = {r.category: r for r in report.breakdown("Intersection of sex and race/ethnicity").rows}
    assert report.breakdown("Intersection of sex and race/ethnicity").unknown == 2
    assert set(both) == {"male / white", "female / white", "female / black", "male / black"}
    assert both["female / black"].selection_impact_ratio == pytest.approx(0.3 / 0.75)
    assert both["male / white"].fisher_p is None  # the reference
    race = {r.category: r for r in report.breakdown("Race/ethnicity").rows}
    assert race["black"].count == 30 and race["black"].selection_rate == pytest.approx(11 / 30)


def test_a_category_under_two_percent_is_flagged_and_never_the_reference():
    sample = _group("male", "white", 40, 60) + _group("male", "asian", 1, 0)
    race = {
        r.category: r
        for r in impact_report(sample, selection_threshold=0.7).breakdown("Race/ethnicity").rows
    }
    assert race["asian"].small and not race["white"].small
    # The one Asian applicant scored high (rate 1.0), yet white stays the reference.
    assert race["white"].selection_impact_ratio == pytest.approx(1.0)
    assert race["asian"].selection_impact_ratio == pytest.approx(1.0 / 0.4)


def test_an_empty_sample_has_no_median_and_no_rows():
    report = impact_report([], selection_threshold=0.7)
    assert report.total == 0 and report.median_score is None and report.breakdowns == []
