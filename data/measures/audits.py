"""Infection-control audit arithmetic: normalised score, IPCAF level, overdue actions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

# IPCAF scores a facility out of 800 (8 core components x 100); audits against any checklist
# version are normalised onto that scale so that they stay comparable.
MAX_SCORE = 800.0
RESULT_VALUE = {"pass": 1.0, "partial": 0.5, "fail": 0.0}
# Upper bounds (inclusive) of the IPCAF levels on the 0-800 scale.
LEVEL_BANDS: tuple[tuple[float, str], ...] = (
    (200.0, "inadequate"),
    (400.0, "basic"),
    (600.0, "intermediate"),
    (800.0, "advanced"),
)


def audit_score(results: Iterable[tuple[float, str]]) -> float:
    """Weighted compliance of (weight, result) pairs on the 0-800 scale; 'na' items drop out.

    An audit whose items are all not applicable scores 0: nothing was shown to comply.
    """
    achieved = possible = 0.0
    for weight, result in results:
        if result == "na":
            continue
        if result not in RESULT_VALUE:
            raise ValueError(f"unknown audit result {result!r}")
        possible += weight
        achieved += weight * RESULT_VALUE[result]
    if possible == 0:
        return 0.0
    return round(MAX_SCORE * achieved / possible, 1)


def audit_level(score: float) -> str:
    """The IPCAF level of a 0-800 score: inadequate, basic, intermediate or advanced."""
    for upper, level in LEVEL_BANDS:
        if score <= upper:
            return level
    raise ValueError(f"score {score} is above {MAX_SCORE}")


def is_overdue(due_date: date, closed_date: date | None, today: date) -> bool:
    """An open corrective action past its due date is overdue; a closed one never is."""
    return closed_date is None and due_date < today
