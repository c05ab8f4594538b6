"""Audit arithmetic: score, level, component compliance, overdue actions, due for audit."""

from __future__ import annotations

from datetime import date

import pytest

from data.measures.audits import (
    CORE_COMPONENTS,
    COVID_COMPONENT,
    action_status,
    audit_level,
    audit_status,
    compliance_percent,
    component_compliance,
    covid_score,
    days_overdue,
    due_for_audit,
    ipcaf_score,
    is_overdue,
)
from data.reference.checklist import COMPONENTS

TODAY = date(2021, 6, 10)


CORE = CORE_COMPONENTS


def _every(component: str, result: str, weight: float = 1.0) -> list[tuple[str, float, str]]:
    return [(component, weight, result)]


def test_ipcaf_is_eight_components_of_100_summed_to_800_with_covid_apart() -> None:
    # Every core item passed, every COVID item failed: 800 ("advanced"), COVID 0 beside it
    # (one compliance over all items would have said 539.5, "intermediate").
    results = [item for component in CORE for item in _every(component, "pass")]
    results += [("covid", 2.0, "fail"), ("covid", 1.0, "fail")]
    assert ipcaf_score(results) == 800.0
    assert audit_level(ipcaf_score(results)) == "advanced"
    assert covid_score(results) == 0.0


def test_each_component_counts_100_whatever_its_number_of_items() -> None:
    # ipc_programme: 1 of 3 weight (33.3); guidelines: partial (50); the other 6 pass (600).
    results = [
        ("ipc_programme", 1.0, "pass"),
        ("ipc_programme", 2.0, "fail"),
        ("ipc_programme", 5.0, "na"),
        ("guidelines", 4.0, "partial"),
        *(item for component in CORE[2:] for item in _every(component, "pass", 3.0)),
        ("covid", 1.0, "partial"),
    ]
    assert ipcaf_score(results) == round(100 / 3 + 50 + 600, 1) == 683.3
    assert covid_score(results) == 50.0
    assert component_compliance(results)["ipc_programme"] == 33.3


def test_a_core_component_with_nothing_applicable_leaves_the_others_scaled_to_800() -> None:
    # Only two components assessed, at 100 and 50: 150 of 200, i.e. 600 of 800.
    results = [("ipc_programme", 1.0, "pass"), ("training", 1.0, "partial")]
    results += [("guidelines", 1.0, "na")]
    assert ipcaf_score(results) == 600.0


def test_an_audit_with_every_item_not_applicable_is_not_scored() -> None:
    results = [("ipc_programme", 1.0, "na"), ("covid", 2.0, "na")]
    assert ipcaf_score(results) is None
    assert covid_score(results) is None
    assert audit_level(ipcaf_score(results)) == "not_scored"
    # COVID items alone give a COVID score but no IPCAF score.
    assert ipcaf_score([("covid", 1.0, "pass")]) is None
    assert covid_score([("covid", 1.0, "pass")]) == 100.0


def test_all_core_items_failing_scores_zero_and_is_inadequate() -> None:
    results = [item for component in CORE for item in _every(component, "fail")]
    assert ipcaf_score(results) == 0.0
    assert audit_level(0.0) == "inadequate"


def test_scores_stay_comparable_across_a_checklist_version_change() -> None:
    version_1 = [("ipc_programme", 1.0, "pass"), ("ipc_programme", 1.0, "fail")]
    version_2 = [
        ("ipc_programme", 1.0, "pass"),
        ("ipc_programme", 1.0, "fail"),
        ("ipc_programme", 2.0, "pass"),
        ("ipc_programme", 2.0, "fail"),
        ("ipc_programme", 3.0, "na"),
    ]
    assert ipcaf_score(version_1) == ipcaf_score(version_2) == 400.0


def test_the_core_components_are_the_checklists_ipcaf_components() -> None:
    assert set(CORE_COMPONENTS) == set(COMPONENTS) - {COVID_COMPONENT}
    assert len(CORE_COMPONENTS) == 8


def test_unknown_result_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audit result"):
        ipcaf_score([("guidelines", 1.0, "ok")])


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


def test_no_score_is_not_scored_rather_than_inadequate() -> None:
    assert audit_level(None) == "not_scored"
    assert audit_level(float("nan")) == "not_scored"


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
