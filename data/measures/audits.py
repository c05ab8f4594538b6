"""Infection-control audit arithmetic: the IPCAF score, the COVID-response score, levels,
overdue actions.

WHO's Infection Prevention and Control Assessment Framework (IPCAF) scores each of its 8 core
components out of 100 and sums them to 800. Here a component's score is 100 × its weighted
compliance (pass 1, partial ½, fail 0; items not applicable drop out), so that audits against
different checklist versions stay comparable. The COVID-response items are not an IPCAF
component: they make a score of their own (0-100) beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

# IPCAF scores a facility out of 800: 8 core components x 100.
MAX_SCORE = 800.0
COMPONENT_MAX = 100.0
# The 8 IPCAF core components (data.reference.checklist names them), and the COVID items.
CORE_COMPONENTS: tuple[str, ...] = (
    "ipc_programme",
    "guidelines",
    "training",
    "hai_surveillance",
    "multimodal",
    "monitoring_feedback",
    "workload_staffing",
    "built_environment",
)
COVID_COMPONENT = "covid"
RESULT_VALUE = {"pass": 1.0, "partial": 0.5, "fail": 0.0}
# Upper bounds (inclusive) of the IPCAF levels on the 0-800 scale.
LEVEL_BANDS: tuple[tuple[float, str], ...] = (
    (200.0, "inadequate"),
    (400.0, "basic"),
    (600.0, "intermediate"),
    (800.0, "advanced"),
)
# An audit in which no core item applied has no IPCAF score.
NOT_SCORED = "not_scored"
LEVELS: tuple[str, ...] = tuple(level for _, level in LEVEL_BANDS)
# A facility is due for audit when it has not been audited within this many days.
AUDIT_INTERVAL_DAYS = 14
# A corrective action is open (not yet due), overdue, or closed; exactly one of them.
ACTION_STATUSES: tuple[str, ...] = ("overdue", "open", "closed")
# Whether a facility's audits are up to date: never audited, due again, or current.
AUDIT_STATUSES: tuple[str, ...] = ("never", "due", "current")


def weighted_totals(results: Iterable[tuple[float, str]]) -> tuple[float, float]:
    """(achieved, possible) weight of (weight, result) pairs; 'na' items drop out of both."""
    achieved = possible = 0.0
    for weight, result in results:
        if result == "na":
            continue
        if result not in RESULT_VALUE:
            raise ValueError(f"unknown audit result {result!r}")
        possible += weight
        achieved += weight * RESULT_VALUE[result]
    return achieved, possible


def _by_component(
    results: Iterable[tuple[str, float, str]],
) -> dict[str, tuple[float, float]]:
    """(achieved, possible) weight per component of (component, weight, result) triples."""
    grouped: dict[str, list[tuple[float, str]]] = {}
    for component, weight, result in results:
        grouped.setdefault(component, []).append((weight, result))
    return {component: weighted_totals(pairs) for component, pairs in grouped.items()}


def ipcaf_score(results: Iterable[tuple[str, float, str]]) -> float | None:
    """The IPCAF score (0-800) of (component, weight, result) triples, one decimal.

    Each core component scores 100 × its weighted compliance, and the 8 sum to 800. A core
    component none of whose items applied is left out and the others are scaled to 800
    (they are what was assessed). COVID items do not count. None when no core item applied:
    the audit is not scored (rather than "inadequate").
    """
    totals = _by_component(results)
    scores = [
        COMPONENT_MAX * achieved / possible
        for component, (achieved, possible) in totals.items()
        if component in CORE_COMPONENTS and possible > 0
    ]
    if not scores:
        return None
    return round(sum(scores) * len(CORE_COMPONENTS) / len(scores), 1)


def covid_score(results: Iterable[tuple[str, float, str]]) -> float | None:
    """The COVID-response score (0-100): weighted compliance of the COVID items, one decimal;
    None when none of them applied."""
    achieved, possible = _by_component(results).get(COVID_COMPONENT, (0.0, 0.0))
    if possible <= 0:
        return None
    return round(COMPONENT_MAX * achieved / possible, 1)


def audit_level(score: float | None) -> str:
    """The IPCAF level of a 0-800 score: inadequate (0-200), basic (201-400), intermediate
    (401-600) or advanced (601-800); 'not_scored' when there is no score."""
    if score is None or score != score:  # None or NaN
        return NOT_SCORED
    for upper, level in LEVEL_BANDS:
        if score <= upper:
            return level
    raise ValueError(f"score {score} is above {MAX_SCORE}")


def compliance_percent(achieved: float, possible: float) -> float | None:
    """Achieved share of the applicable weight, 0-100 (one decimal); None if none applied.

    A component with no applicable item has no compliance at all:
    the heat grid shows it as not applicable rather than as failing.
    """
    if possible <= 0:
        return None
    return round(100.0 * achieved / possible, 1)


def component_compliance(
    results: Iterable[tuple[str, float, str]],
) -> dict[str, float | None]:
    """Compliance (0-100) per component of (component, weight, result) triples."""
    return {
        component: compliance_percent(achieved, possible)
        for component, (achieved, possible) in _by_component(results).items()
    }


def is_closed(closed_date: date | None, today: date) -> bool:
    """Closed by `today` (an action closed later was still open then: replays stay honest)."""
    return closed_date is not None and closed_date <= today


def is_overdue(due_date: date, closed_date: date | None, today: date) -> bool:
    """An open corrective action past its due date is overdue; a closed one never is."""
    return not is_closed(closed_date, today) and due_date < today


def action_status(due_date: date, closed_date: date | None, today: date) -> str:
    """'closed', 'overdue' (open, due before today) or 'open' (due today or later)."""
    if is_closed(closed_date, today):
        return "closed"
    return "overdue" if is_overdue(due_date, closed_date, today) else "open"


def days_overdue(due_date: date, closed_date: date | None, today: date) -> int:
    """Whole days an overdue action is past its due date; 0 when it is not overdue."""
    return (today - due_date).days if is_overdue(due_date, closed_date, today) else 0


def audit_status(
    last_audited: date | None, today: date, interval: int = AUDIT_INTERVAL_DAYS
) -> str:
    """'never' audited, 'due' (last audit `interval` or more days ago) or 'current'.

    "Within 14 days" is today and the 13 days before it: a facility audited on 1 June is
    current up to 14 June and due again on 15 June.
    """
    if last_audited is None:
        return "never"
    return "due" if (today - last_audited).days >= interval else "current"


def due_for_audit(
    last_audited: date | None, today: date, interval: int = AUDIT_INTERVAL_DAYS
) -> bool:
    """Whether a facility needs an audit: never audited, or not within `interval` days."""
    return audit_status(last_audited, today, interval) != "current"
