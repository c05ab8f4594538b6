"""Reads about cases, contacts and control zones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from data import models
from data.models import ZONE_LEVELS


@dataclass(frozen=True)
class CaseTotals:
    """Local infections: new on a day and the day before, and in total by kind."""

    new_today: int
    new_yesterday: int
    total: int
    confirmed: int
    asymptomatic: int


@dataclass(frozen=True)
class ContactTotals:
    """Close and secondary contacts identified and placed under control."""

    close_identified: int
    close_controlled: int
    secondary_identified: int
    secondary_controlled: int

    @property
    def controlled(self) -> int:
        return self.close_controlled + self.secondary_controlled

    @property
    def identified(self) -> int:
        return self.close_identified + self.secondary_identified


def get_local_case_totals(*, session: Session, today: date) -> CaseTotals:
    """New local infections today and yesterday, and totals up to today, by kind."""
    c = models.Case
    row = session.execute(
        select(
            func.count().filter(c.report_date == today),
            func.count().filter(c.report_date == today - timedelta(days=1)),
            func.count(),
            func.count().filter(c.kind == "confirmed"),
            func.count().filter(c.kind == "asymptomatic"),
        ).where(c.source == "local", c.report_date <= today)
    ).one()
    return CaseTotals(*(int(value) for value in row))


def get_contact_totals(*, session: Session, today: date) -> ContactTotals:
    """Contacts of all cases reported up to today: identified and under control."""
    c = models.Case
    row = session.execute(
        select(
            func.coalesce(func.sum(c.close_contacts_identified), 0),
            func.coalesce(func.sum(c.close_contacts_controlled), 0),
            func.coalesce(func.sum(c.secondary_contacts_identified), 0),
            func.coalesce(func.sum(c.secondary_contacts_controlled), 0),
        ).where(c.report_date <= today)
    ).one()
    return ContactTotals(*(int(value) for value in row))


def zone_active_at(moment: datetime):  # noqa: ANN201 - SQL expression
    """SQL condition: the zone was imposed by `moment` and not yet lifted."""
    z = models.ControlZone
    return and_(z.imposed_at <= moment, or_(z.lifted_at.is_(None), z.lifted_at > moment))


def count_active_zones(*, session: Session, at: datetime) -> dict[str, int]:
    """Zones in force at a moment, by level (every level present, zero when none)."""
    z = models.ControlZone
    rows = session.execute(
        select(z.level, func.count()).where(zone_active_at(at)).group_by(z.level)
    ).all()
    counts = dict.fromkeys(ZONE_LEVELS, 0)
    counts.update({level: int(count) for level, count in rows})
    return counts


def count_local_cases_by_district(*, session: Session, today: date) -> pd.DataFrame:
    """Per district: local infections new today, in the last 7 days, and in total."""
    c, d = models.Case, models.District
    week_start = today - timedelta(days=6)
    query = (
        select(
            d.code.label("district_code"),
            d.name_zh,
            d.name_en,
            func.count(c.id).filter(c.report_date == today).label("new_today"),
            func.count(c.id).filter(c.report_date >= week_start).label("last_7_days"),
            func.count(c.id).label("total"),
        )
        .select_from(d)
        .outerjoin(c, and_(c.district_code == d.code, c.source == "local", c.report_date <= today))
        .group_by(d.code, d.name_zh, d.name_en)
        .order_by(d.code)
    )
    return pd.DataFrame(session.execute(query).mappings().all())


def count_local_cases_per_day(
    *, session: Session, start: date | None = None, end: date
) -> pd.DataFrame:
    """New local infections per report date and kind (only days that have cases)."""
    c = models.Case
    conditions = [c.source == "local", c.report_date <= end]
    if start is not None:
        conditions.append(c.report_date >= start)
    query = (
        select(
            c.report_date.label("report_date"),
            c.kind.label("kind"),
            func.count().label("cases"),
        )
        .where(*conditions)
        .group_by(c.report_date, c.kind)
        .order_by(c.report_date, case((c.kind == "confirmed", 0), else_=1))
    )
    return pd.DataFrame(
        session.execute(query).mappings().all(), columns=["report_date", "kind", "cases"]
    )
