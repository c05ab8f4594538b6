"""Reads about infection-control audits and their corrective actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from data import models


@dataclass(frozen=True)
class ActionTotals:
    """Corrective actions still open, and those of them past their due date."""

    open: int
    overdue: int


def get_action_totals(*, session: Session, today: date) -> ActionTotals:
    """Open corrective actions and overdue ones (open, due before today)."""
    a = models.AuditFinding
    row = session.execute(
        select(func.count(), func.count().filter(a.due_date < today)).where(a.closed_date.is_(None))
    ).one()
    return ActionTotals(open=int(row[0]), overdue=int(row[1]))
