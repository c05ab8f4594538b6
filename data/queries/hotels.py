"""Reads about quarantine hotels: rooms per hotel and cohort, outlook, daily trends, at T.

Every read here uses the current-state table (`HotelState`, one row per hotel) and the daily
rollup (`HotelDaily`) as they were at the clock's moment (`data.queries.asof`): the tables
themselves when nothing later has been reported, else history bounded by that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import FromClause, func, select
from sqlmodel import Session

from data import models
from data.codes import FACILITY_STATUSES, HOTEL_COHORTS
from data.measures.hotels import (
    NET_INTAKE_WINDOW_DAYS,
    available_rooms,
    count_for_today,
    days_until_full,
    elapsed_day_fraction,
    net_daily_intake,
    occupancy_band,
    occupancy_percent,
    report_age_minutes,
    report_status,
    rooms_short,
)
from data.queries.asof import hotel_daily_at, hotel_state_at, settings_at
from data.queries.cases import get_contact_totals
from data.queries.common import Clock, shareable
from data.queries.reach import reaches
from data.timeutil import as_utc, day_bounds_utc

HOTEL = "quarantine_hotel"
# The outlook's rows: the whole city first, then each cohort.
CITY = "all"
TREND_DAYS = 30

HOTEL_COLUMNS = [
    "hotel_id",
    "code",
    "name_zh",
    "name_en",
    "district_code",
    "district_zh",
    "district_en",
    "cohort",
    "status",
    "lon",
    "lat",
    "report_interval_minutes",
    "last_reported_at",
    "report_status",
    "report_age_minutes",
    "rooms_total",
    "rooms_occupied",
    "rooms_cleaning",
    "rooms_available",
    "occupancy_percent",
    "occupancy_band",
    "staff_on_duty",
    "intake_today",
    "discharges_today",
]
OUTLOOK_COLUMNS = [
    "scope",
    "hotels",
    "rooms_total",
    "rooms_occupied",
    "rooms_cleaning",
    "rooms_available",
    "occupancy_percent",
    "occupancy_band",
    "net_per_day",
    "waiting",
    "rooms_short",
    "days_until_full",
]
TREND_COLUMNS = [
    "day",
    "cohort",
    "hotels",
    "rooms_total",
    "rooms_occupied",
    "rooms_cleaning",
    "intake",
    "discharges",
]


@dataclass(frozen=True)
class RoomTotals:
    """Rooms of the active quarantine hotels, from each hotel's latest report."""

    hotels: int
    total: int
    occupied: int
    cleaning: int

    @property
    def available(self) -> int:
        return available_rooms(self.total, self.occupied, self.cleaning)

    @property
    def occupancy(self) -> float | None:
        return occupancy_percent(self.total, self.occupied)


def _state(session: Session, at: datetime | None) -> FromClause:
    """Each hotel's latest report: now (None), or as of a moment."""
    return models.HotelState.__table__ if at is None else hotel_state_at(session, at)


def _room_sums(s: FromClause):  # noqa: ANN202 - SQL column expressions
    return (
        func.count(s.c.hotel_id),
        func.coalesce(func.sum(s.c.rooms_total), 0),
        func.coalesce(func.sum(s.c.rooms_occupied), 0),
        func.coalesce(func.sum(s.c.rooms_cleaning), 0),
    )


def _active_hotels(f: Any):  # noqa: ANN202 - SQL condition
    """Active hotels, of `models.Facility` or of its settings at a moment (`settings_at`)."""
    return (f.kind == HOTEL, f.status == "active")


def get_room_totals(*, session: Session, at: datetime | None = None) -> RoomTotals:
    """City-wide rooms of active hotels: total, occupied, being cleaned (latest reports, now
    or up to `at`)."""
    f, s = settings_at(session, models.Facility, at), _state(session, at)
    row = session.execute(
        select(*_room_sums(s))
        .select_from(s)
        .join(f, f.id == s.c.hotel_id)
        .where(*_active_hotels(f))
    ).one()
    return RoomTotals(*(int(value) for value in row))


def _room_totals_by_cohort(
    session: Session, at: datetime | None = None
) -> dict[str | None, RoomTotals]:
    """Rooms of active hotels per cohort served; None for hotels with no cohort set."""
    f, s = settings_at(session, models.Facility, at), _state(session, at)
    rows = session.execute(
        select(f.cohort, *_room_sums(s))
        .select_from(s)
        .join(f, f.id == s.c.hotel_id)
        .where(*_active_hotels(f))
        .group_by(f.cohort)
    ).all()
    return {cohort: RoomTotals(*(int(value) for value in values)) for cohort, *values in rows}


def list_room_totals_by_cohort(
    *, session: Session, at: datetime | None = None
) -> dict[str, RoomTotals]:
    """Rooms of active hotels per cohort they serve (every cohort present, zero when none)."""
    totals = {cohort: RoomTotals(0, 0, 0, 0) for cohort in HOTEL_COHORTS}
    for cohort, rooms in _room_totals_by_cohort(session, at).items():
        if cohort is not None:
            totals[cohort] = rooms
    return totals


@reaches("hotels", "places")
def count_hotels_by_status(*, session: Session, at: datetime | None = None) -> dict[str, int]:
    """Quarantine hotels by status: active, standby, closed (every status present), now or
    as set at `at`."""
    f = settings_at(session, models.Facility, at)
    rows = session.execute(
        select(f.status, func.count()).where(f.kind == HOTEL).group_by(f.status)
    ).all()
    counts = dict.fromkeys(FACILITY_STATUSES, 0)
    counts.update({status: int(count) for status, count in rows})
    return counts


@reaches("hotels", "places")
def list_hotels(
    *,
    session: Session,
    clock: Clock,
    districts: tuple[str, ...] = (),
    cohort: str | None = None,
) -> pd.DataFrame:
    """Every quarantine hotel with its latest report, today's flows and report status, as of
    the clock's moment."""
    f, s, d = (
        settings_at(session, models.Facility, clock.now),
        hotel_state_at(session, clock.now),
        models.District,
    )
    query = (
        select(
            f.id.label("hotel_id"),
            f.code,
            f.name_zh,
            f.name_en,
            f.district_code,
            d.name_zh.label("district_zh"),
            d.name_en.label("district_en"),
            f.cohort,
            f.status,
            f.lon,
            f.lat,
            f.report_interval_minutes,
            s.c.last_reported_at,
            s.c.rooms_total,
            s.c.rooms_occupied,
            s.c.rooms_cleaning,
            s.c.staff_on_duty,
            s.c.day,
            s.c.intake_day,
            s.c.discharges_day,
        )
        .join(d, d.code == f.district_code)
        .outerjoin(s, s.c.hotel_id == f.id)
        .where(f.kind == HOTEL)
        .order_by(f.code)
    )
    if districts:
        query = query.where(f.district_code.in_(districts))
    if cohort is not None:
        query = query.where(f.cohort == cohort)
    records = [_hotel_row(row, clock) for row in session.execute(query).mappings()]
    frame = pd.DataFrame(records, columns=HOTEL_COLUMNS)
    for name in (
        "rooms_total",
        "rooms_occupied",
        "rooms_cleaning",
        "rooms_available",
        "staff_on_duty",
        "intake_today",
        "discharges_today",
    ):
        frame[name] = frame[name].astype("Int64")
    for name in ("occupancy_percent", "report_age_minutes"):
        frame[name] = frame[name].astype("float64")
    return frame


def _hotel_row(row: dict, clock: Clock) -> dict:
    """One hotel's figures; a hotel with no report yet keeps its row, with figures missing."""
    last = as_utc(row["last_reported_at"]) if row["last_reported_at"] is not None else None
    reported = last is not None
    total, occupied, cleaning = row["rooms_total"], row["rooms_occupied"], row["rooms_cleaning"]
    percent = occupancy_percent(total, occupied) if reported else None
    return {
        **{name: row[name] for name in HOTEL_COLUMNS if name in row},
        "last_reported_at": last,
        "report_status": report_status(last, clock.now, row["report_interval_minutes"]),
        "report_age_minutes": report_age_minutes(last, clock.now),
        "rooms_available": available_rooms(total, occupied, cleaning) if reported else None,
        "occupancy_percent": percent,
        "occupancy_band": occupancy_band(percent),
        "intake_today": count_for_today(row["intake_day"], row["day"], clock.today)
        if reported
        else None,
        "discharges_today": count_for_today(row["discharges_day"], row["day"], clock.today)
        if reported
        else None,
    }


def list_net_intake_by_day(
    *, session: Session, start: date, end: date, at: datetime | None = None
) -> pd.DataFrame:
    """Per day and cohort, active hotels' intake minus discharges (days with reports only),
    as reported up to `at` (everything reported when None)."""
    f = settings_at(session, models.Facility, at)
    h = models.HotelDaily.__table__ if at is None else hotel_daily_at(session, at)
    query = (
        select(h.c.day, f.cohort, func.sum(h.c.intake - h.c.discharges).label("net"))
        .select_from(h)
        .join(f, f.id == h.c.hotel_id)
        .where(*_active_hotels(f), h.c.day >= start, h.c.day <= end)
        .group_by(h.c.day, f.cohort)
        .order_by(h.c.day, f.cohort)
    )
    frame = pd.DataFrame(session.execute(query).mappings().all(), columns=["day", "cohort", "net"])
    frame["net"] = frame["net"].astype("int64")
    return frame


@reaches("hotels", "cases", "places")
@shareable
def list_capacity_outlook(*, session: Session, clock: Clock) -> pd.DataFrame:
    """City-wide and per cohort: rooms, net daily intake, waiting contacts, days until full."""
    start = clock.today - timedelta(days=NET_INTAKE_WINDOW_DAYS)
    net = list_net_intake_by_day(session=session, start=start, end=clock.today, at=clock.now)
    day_start, day_end = day_bounds_utc(clock.today)
    fraction = elapsed_day_fraction(clock.now, day_start, day_end)
    contacts = get_contact_totals(session=session, today=clock.today, at=clock.now)
    close_waiting = contacts.close_identified - contacts.close_controlled
    scopes: list[tuple[str, RoomTotals, pd.DataFrame, int]] = [
        (CITY, get_room_totals(session=session, at=clock.now), net, close_waiting)
    ]
    by_cohort = list_room_totals_by_cohort(session=session, at=clock.now)
    for cohort in HOTEL_COHORTS:
        waiting = close_waiting if cohort == "close_contact" else 0
        scopes.append((cohort, by_cohort[cohort], net[net["cohort"] == cohort], waiting))
    rows = []
    for scope, rooms, scope_net, waiting in scopes:
        net_by_day = {
            day: int(value) for day, value in scope_net.groupby("day")["net"].sum().items()
        }
        per_day = net_daily_intake(net_by_day, today=clock.today, today_fraction=fraction)
        rows.append(
            {
                "scope": scope,
                "hotels": rooms.hotels,
                "rooms_total": rooms.total,
                "rooms_occupied": rooms.occupied,
                "rooms_cleaning": rooms.cleaning,
                "rooms_available": rooms.available,
                "occupancy_percent": rooms.occupancy,
                "occupancy_band": occupancy_band(rooms.occupancy),
                "net_per_day": per_day,
                "waiting": waiting,
                "rooms_short": rooms_short(rooms.available, waiting),
                "days_until_full": days_until_full(rooms.available, per_day, waiting),
            }
        )
    frame = pd.DataFrame(rows, columns=OUTLOOK_COLUMNS)
    for name in ("occupancy_percent", "net_per_day", "days_until_full"):
        frame[name] = frame[name].astype("float64")
    return frame


@reaches("hotels", "places")
def list_daily_rooms(*, session: Session, clock: Clock, days: int = TREND_DAYS) -> pd.DataFrame:
    """Per day and cohort: rooms, occupied, cleaning, intake, discharges (last `days` days).

    Past days show each hotel's last report of the day. Today's rooms are the active hotels'
    latest reports, as in the city totals: a hotel that has not reported yet today counts with
    its last figures instead of dropping out of today's capacity.
    """
    f, h = models.Facility, hotel_daily_at(session, clock.now)
    today = clock.today
    query = (
        select(
            h.c.day,
            f.cohort,
            func.count(h.c.hotel_id).label("hotels"),
            func.sum(h.c.rooms_total).label("rooms_total"),
            func.sum(h.c.rooms_occupied).label("rooms_occupied"),
            func.sum(h.c.rooms_cleaning).label("rooms_cleaning"),
            func.sum(h.c.intake).label("intake"),
            func.sum(h.c.discharges).label("discharges"),
        )
        .select_from(h)
        .join(f, f.id == h.c.hotel_id)
        .where(f.kind == HOTEL, h.c.day > today - timedelta(days=days), h.c.day <= today)
        .group_by(h.c.day, f.cohort)
        .order_by(h.c.day, f.cohort)
    )
    rows = [dict(row) for row in session.execute(query).mappings()]
    past = [row for row in rows if row["day"] != today]
    flows = {
        row["cohort"]: (row["intake"], row["discharges"]) for row in rows if row["day"] == today
    }
    state = _room_totals_by_cohort(session, clock.now)
    current = []
    for cohort in sorted(set(state) | set(flows), key=lambda c: (c is None, c or "")):
        rooms = state.get(cohort, RoomTotals(0, 0, 0, 0))
        intake, discharges = flows.get(cohort, (0, 0))
        current.append(
            {
                "day": today,
                "cohort": cohort,
                "hotels": rooms.hotels,
                "rooms_total": rooms.total,
                "rooms_occupied": rooms.occupied,
                "rooms_cleaning": rooms.cleaning,
                "intake": intake,
                "discharges": discharges,
            }
        )
    frame = pd.DataFrame(past + current, columns=TREND_COLUMNS)
    for name in TREND_COLUMNS[2:]:
        frame[name] = frame[name].astype("int64")
    return frame


@reaches("hotels", "places")
def get_hotel_state(*, session: Session, hotel_id: int) -> dict | None:
    """A hotel's latest report as stored in its current state (for an update form); a hotel
    that has never reported starts from its rooms as registered."""
    state = session.get(models.HotelState, hotel_id)
    if state is not None:
        return state.model_dump()
    hotel = session.get(models.Facility, hotel_id)
    return None if hotel is None else {"rooms_total": hotel.capacity or 0}
