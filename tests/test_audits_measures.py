"""Audit arithmetic: score, level, component compliance, overdue actions, due for audit."""

from __future__ import annotations

from datetime import date

import pytest

from data.measures.audits import (
    action_status,
    audit_level,
    audit_score,
    audit_status,
    compliance_percent,
    component_compliance,
    days_overdue,
    due_for_audit,
    is_overdue,
)

TODAY = date(2021, 6, 10)


def test_not_applicable_items_drop_out_of_the_score() -> None:
    # 1 of 3 applicable weight achieved; the weight-5 'na' item counts for nothing.
    results = [(1.0, "pass"), (2.0, "fail"), (5.0, "na")]
    assert audit_score(results) == 266.7
    assert audit_level(audit_score(results)) == "basic"


def test_all_items_failing_scores_zero_and_is_inadequate() -> None:
    results = [(1.0, "fail"), (2.0, "fail"), (1.0, "fail")]
    assert audit_score(results) == 0.0
    assert audit_level(0.0) == "inadequate"


def test_an_audit_with_every_item_not_applicable_scores_zero() -> None:
    assert audit_score([(1.0, "na"), (2.0, "na")]) == 0.0


def test_partial_counts_half_its_weight() -> None:
    assert audit_score([(2.0, "partial"), (2.0, "pass")]) == 600.0


def test_scores_stay_comparable_across_a_checklist_version_change() -> None:
    # Version 1: two items of weight 1, half the weight met.
    version_1 = [(1.0, "pass"), (1.0, "fail")]
    # Version 2 has more items and heavier ones; half the weight met again.
    version_2 = [(1.0, "pass"), (1.0, "fail"), (2.0, "pass"), (2.0, "fail"), (3.0, "na")]
    assert audit_score(version_1) == audit_score(version_2) == 400.0
    # Everything met scores the full 800 whatever the number of items.
    assert audit_score([(1.0, "pass")] * 2) == audit_score([(2.0, "pass")] * 5) == 800.0


def test_unknown_result_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audit result"):
        audit_score([(1.0, "ok")])


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0.0, "inadequate"),
        (200.0, "inadequate"),
        (200.1, "basic"),
        (400.0, "basic"),
        (400.1, "intermediate"),
        (600.0, "intermediate"),
        (600.1, "advanced"),
        (800.0, "advanced"),
    ],
)
def test_levels_follow_the_ipcaf_bands(score: float, level: str) -> None:
    assert audit_level(score) == level


def test_a_score_above_800_is_refused() -> None:
    with pytest.raises(ValueError, match="above"):
        audit_level(800.1)


def test_compliance_percent_and_per_component() -> None:
    assert compliance_percent(1.5, 2.0) == 75.0
    assert compliance_percent(2.0, 3.0) == 66.7
    assert compliance_percent(0.0, 0.0) is None
    results = [
        ("covid", 2.0, "fail"),
        ("covid", 1.0, "na"),
        ("covid", 2.0, "pass"),
        ("training", 2.0, "partial"),
        ("guidelines", 1.0, "na"),
    ]
    assert component_compliance(results) == {"covid": 50.0, "training": 50.0, "guidelines": None}


@pytest.mark.parametrize(
    ("due", "closed", "status", "late"),
    [
        (date(2021, 6, 9), None, "overdue", 1),
        (date(2021, 6, 1), None, "overdue", 9),
        (date(2021, 6, 10), None, "open", 0),  # due today: not yet overdue
        (date(2021, 6, 15), None, "open", 0),
        (date(2021, 6, 1), date(2021, 6, 8), "closed", 0),  # closed late: no longer overdue
        (date(2021, 6, 15), date(2021, 6, 2), "closed", 0),
    ],
)
def test_action_status_and_days_overdue(
    due: date, closed: date | None, status: str, late: int
) -> None:
    assert action_status(due, closed, TODAY) == status
    assert is_overdue(due, closed, TODAY) is (status == "overdue")
    assert days_overdue(due, closed, TODAY) == late


@pytest.mark.parametrize(
    ("last", "status"),
    [
        (None, "never"),
        (date(2021, 6, 10), "current"),
        (date(2021, 5, 28), "current"),  # 13 days ago: still within 14 days
        (date(2021, 5, 27), "due"),  # 14 days ago: due again today
        (date(2021, 4, 1), "due"),
    ],
)
def test_due_for_audit_after_14_days(last: date | None, status: str) -> None:
    assert audit_status(last, TODAY) == status
    assert due_for_audit(last, TODAY) is (status != "current")


def test_due_for_audit_with_another_interval() -> None:
    assert due_for_audit(date(2021, 6, 3), TODAY, interval=7) is True
    assert due_for_audit(date(2021, 6, 4), TODAY, interval=7) is False
