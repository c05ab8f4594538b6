"""The current-state and rollup tables as they were at a moment T (point-in-time reads).

Each function here returns a FROM clause with the columns of one derived table
(`HotelState`, `HotelDaily`, `TestingSiteState`, `TestingHourly`, `StockState`, `StockDaily`,
`FacilityAuditState`) as they would be had nothing after T been reported. When no stored
report is later than T (live, and any replay at or after the newest report), that is the
table itself: the fast path. Otherwise it is built from history bounded by T:

- a key's latest report up to T is found by its (key, reported_at) index, one seek per key;
- a rollup's completed buckets (days, hours before T's) are the rollup's own rows, and only
  T's own bucket is summed from the reports in it up to T.

Settings edited in place (a case's severity and status, a facility's status, a round's
target and deadline, a zone's level, a stock line's reorder level, a corrective action) are
read through `settings_at`: the table itself when no edit is later than T, else its rows with
the values the first edit after T replaced (each edit keeps them, data.writes.revisions).

The views' queries read these instead of the tables, so that one mechanism serves "now",
`REPLAY_AT`, a briefing's cut-off and the sidebar's "as of" moment alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    FromClause,
    Integer,
    and_,
    case,
    cast,
    func,
    inspect,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel

from data import models
from data.models import revision_keys
from data.queries.common import state_serves
from data.timeutil import as_utc, day_start_utc, local_day


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _sum(column):  # noqa: ANN001, ANN202 - SQL expressions
    """A sum of counts as an integer (PostgreSQL's sum of integers is bigint, and a sum over
    a union of those would be numeric)."""
    return cast(func.sum(column), Integer)


def _typed(value: object, column) -> object:  # noqa: ANN001 - a table column
    """A constant carrying a column's type (so SQLite stores and reads it the same way)."""
    return literal(value, type_=column.type)


# --- Quarantine hotels ---------------------------------------------------------------------

_HOTEL_SNAPSHOT = (
    "rooms_total",
    "rooms_occupied",
    "rooms_cleaning",
    "occupied_inbound",
    "occupied_close_contact",
    "occupied_secondary_contact",
)


def _latest_hotel_report(at: datetime):  # noqa: ANN202 - SQL subquery
    """Per hotel that has a state row, the id of its latest report up to `at`."""
    s, r = models.HotelState, aliased(models.HotelReport)
    return (
        select(r.id)
        .where(r.hotel_id == s.hotel_id, r.reported_at <= at)
        .order_by(r.reported_at.desc(), r.id.desc())
        .limit(1)
        .correlate(s)
        .scalar_subquery()
    )


def hotel_state_at(session: Session, at: datetime) -> FromClause:
    """`HotelState` at `at`: each hotel's latest report up to then, and that day's flows.

    `day` is T's day; `intake_day` and `discharges_day` sum T's day up to T (zero when the
    hotel's latest report is older, as the state's "today" counters read then).
    """
    s, r = models.HotelState, models.HotelReport
    if state_serves(session, s.last_reported_at, at):
        return s.__table__
    at = as_utc(at)
    day = local_day(at)
    flows = (
        select(
            r.hotel_id,
            _sum(r.intake).label("intake"),
            _sum(r.discharges).label("discharges"),
        )
        .where(r.reported_at >= day_start_utc(day), r.reported_at <= at)
        .group_by(r.hotel_id)
        .subquery()
    )
    return (
        select(
            r.hotel_id,
            r.reported_at.label("last_reported_at"),
            *(getattr(r, name) for name in _HOTEL_SNAPSHOT),
            r.staff_on_duty,
            _typed(day, s.__table__.c.day).label("day"),
            func.coalesce(flows.c.intake, 0).label("intake_day"),
            func.coalesce(flows.c.discharges, 0).label("discharges_day"),
        )
        .select_from(s)
        .join(r, r.id == _latest_hotel_report(at))
        .outerjoin(flows, flows.c.hotel_id == r.hotel_id)
        .subquery("hotelstate_at")
    )


def hotel_daily_at(session: Session, at: datetime) -> FromClause:
    """`HotelDaily` at `at`: the days before T's as stored; T's day from its reports up to T."""
    h, r = models.HotelDaily, models.HotelReport
    if state_serves(session, models.HotelState.last_reported_at, at):
        return h.__table__
    at = as_utc(at)
    day = local_day(at)
    state = hotel_state_at(session, at)
    flows = (
        select(
            r.hotel_id,
            _sum(r.intake).label("intake"),
            _sum(r.discharges).label("discharges"),
        )
        .where(r.reported_at >= day_start_utc(day), r.reported_at <= at)
        .group_by(r.hotel_id)
        .subquery()
    )
    before = select(
        h.hotel_id,
        h.day,
        *(getattr(h, name) for name in _HOTEL_SNAPSHOT),
        h.intake,
        h.discharges,
        h.last_reported_at,
    ).where(h.day < day)
    # A hotel reported on T's day up to T exactly when its latest report is of that day.
    today = (
        select(
            state.c.hotel_id,
            state.c.day,
            *(state.c[name] for name in _HOTEL_SNAPSHOT),
            flows.c.intake,
            flows.c.discharges,
            state.c.last_reported_at,
        )
        .select_from(state)
        .join(flows, flows.c.hotel_id == state.c.hotel_id)
        .where(state.c.last_reported_at >= day_start_utc(day))
    )
    return union_all(before, today).subquery("hoteldaily_at")


# --- Testing -------------------------------------------------------------------------------


def site_state_at(session: Session, at: datetime) -> FromClause:
    """`TestingSiteState` at `at`: each site's latest report up to then (and the round of its
    latest report that named one); `day` is T's day and the day's counts sum it up to T."""
    s, r = models.TestingSiteState, models.TestingSiteReport
    if state_serves(session, s.last_reported_at, at):
        return s.__table__
    at = as_utc(at)
    day = local_day(at)
    latest, with_round = aliased(r), aliased(r)
    latest_id = (
        select(latest.id)
        .where(latest.site_id == s.site_id, latest.reported_at <= at)
        .order_by(latest.reported_at.desc(), latest.id.desc())
        .limit(1)
        .correlate(s)
        .scalar_subquery()
    )
    round_id = (
        select(with_round.round_id)
        .where(
            with_round.site_id == r.site_id,
            with_round.reported_at <= at,
            with_round.round_id.is_not(None),
        )
        .order_by(with_round.reported_at.desc(), with_round.id.desc())
        .limit(1)
        .correlate(r)
        .scalar_subquery()
    )
    counts = aliased(r)

    def day_sum(column):  # noqa: ANN001, ANN202 - SQL column and scalar subquery
        return (
            select(func.coalesce(_sum(column), 0))
            .where(
                counts.site_id == r.site_id,
                counts.reported_at >= day_start_utc(day),
                counts.reported_at <= at,
            )
            .correlate(r)
            .scalar_subquery()
        )

    return (
        select(
            r.site_id,
            round_id.label("round_id"),
            r.reported_at.label("last_reported_at"),
            r.is_open,
            r.queue_wait_minutes,
            _typed(day, s.__table__.c.day).label("day"),
            day_sum(counts.sampled).label("sampled_day"),
            day_sum(counts.resulted).label("resulted_day"),
        )
        .select_from(s)
        .join(r, r.id == latest_id)
        .subquery("testingsitestate_at")
    )


def _hour_sums(at: datetime):  # noqa: ANN202 - SQL select
    """Per round, the reports of T's hour up to T, as one hourly row."""
    r, f, rnd = models.TestingSiteReport, models.Facility, models.TestingRound
    hour = _floor_hour(at)
    return (
        select(
            rnd.id.label("round_id"),
            _typed(hour, models.TestingHourly.__table__.c.hour).label("hour"),
            func.min(f.district_code).label("district_code"),
            _sum(r.sampled).label("sampled"),
            _sum(r.resulted).label("resulted"),
            _sum(r.positive).label("positive"),
            _sum(r.pools_positive).label("pools_positive"),
        )
        .select_from(rnd)
        .join(r, and_(r.round_id == rnd.id, r.reported_at >= hour, r.reported_at <= at))
        .join(f, f.id == r.site_id)
        .group_by(rnd.id)
    )


def testing_hourly_at(session: Session, at: datetime) -> FromClause:
    """`TestingHourly` at `at`: the hours before T's as stored; T's hour up to T only."""
    h = models.TestingHourly
    if state_serves(session, models.TestingSiteState.last_reported_at, at):
        return h.__table__
    at = as_utc(at)
    hours = select(
        h.round_id,
        h.hour,
        h.district_code,
        h.sampled,
        h.resulted,
        h.positive,
        h.pools_positive,
    )
    after = at + timedelta(microseconds=1)
    if after == _floor_hour(after):
        # T is the last moment of its hour (a past day's end): that hour's stored row holds
        # exactly its reports up to T, and no report of it need be summed again (~8 ms a day
        # at city scale).
        return hours.where(h.hour < after).subquery("testinghourly_at")
    before = hours.where(h.hour < _floor_hour(at))
    return union_all(before, _hour_sums(at)).subquery("testinghourly_at")


# --- Supplies ------------------------------------------------------------------------------


def stock_state_at(session: Session, at: datetime) -> FromClause:
    """`StockState` at `at`: each line's latest count up to then (a line first counted later
    has no row), with its reorder level as set by then."""
    s, r = models.StockState, models.StockReport
    lines = settings_at(session, s, at)
    if state_serves(session, s.last_reported_at, at):
        return s.__table__ if lines is s else inspect(lines).selectable
    at = as_utc(at)
    latest = aliased(r)
    latest_id = (
        select(latest.id)
        .where(
            latest.location_id == lines.location_id,
            latest.item_id == lines.item_id,
            latest.reported_at <= at,
        )
        .order_by(latest.reported_at.desc(), latest.id.desc())
        .limit(1)
        .correlate(lines)
        .scalar_subquery()
    )
    return (
        select(
            lines.item_id,
            lines.location_id,
            r.reported_at.label("last_reported_at"),
            r.on_hand,
            r.on_order,
            lines.reorder_level,
            lines.version,
        )
        .select_from(lines)
        .join(r, r.id == latest_id)
        .subquery("stockstate_at")
    )


def stock_daily_at(session: Session, at: datetime) -> FromClause:
    """`StockDaily` at `at`: the days before T's as stored; T's day from its counts up to T."""
    d, r = models.StockDaily, models.StockReport
    if state_serves(session, models.StockState.last_reported_at, at):
        return d.__table__
    at = as_utc(at)
    day = local_day(at)
    state = stock_state_at(session, at)
    flows = (
        select(
            r.item_id,
            r.location_id,
            _sum(r.consumed).label("consumed"),
            _sum(r.received).label("received"),
        )
        .where(r.reported_at >= day_start_utc(day), r.reported_at <= at)
        .group_by(r.item_id, r.location_id)
        .subquery()
    )
    before = select(
        d.item_id, d.location_id, d.day, d.on_hand, d.consumed, d.received, d.last_reported_at
    ).where(d.day < day)
    # The day's on hand is its latest count up to T: the line's latest count, if of that day.
    today = (
        select(
            state.c.item_id,
            state.c.location_id,
            _typed(day, d.__table__.c.day).label("day"),
            state.c.on_hand,
            flows.c.consumed,
            flows.c.received,
            state.c.last_reported_at,
        )
        .select_from(state)
        .join(
            flows,
            and_(flows.c.item_id == state.c.item_id, flows.c.location_id == state.c.location_id),
        )
        .where(state.c.last_reported_at >= day_start_utc(day))
    )
    return union_all(before, today).subquery("stockdaily_at")


# --- Cases' contacts -------------------------------------------------------------------------

CONTACT_COLUMNS = (
    "close_contacts_identified",
    "close_contacts_controlled",
    "secondary_contacts_identified",
    "secondary_contacts_controlled",
)


def contacts_at(session: Session, at: datetime | None) -> FromClause | None:
    """Each case's contact counts as reported by `at` (case_id and the four counts), or None
    when the cases' own current counts are those (nothing reported later, or `at` None)."""
    r = models.CaseContactReport
    if at is None or state_serves(session, r.reported_at, at):
        return None
    at = as_utc(at)
    c, latest = models.Case, aliased(r)
    latest_id = (
        select(latest.id)
        .where(latest.case_id == c.id, latest.reported_at <= at)
        .order_by(latest.reported_at.desc(), latest.id.desc())
        .limit(1)
        .correlate(c)
        .scalar_subquery()
    )
    return (
        select(r.case_id, *(getattr(r, name) for name in CONTACT_COLUMNS))
        .select_from(c)
        .join(r, r.id == latest_id)
        .subquery("contacts_at")
    )


# --- Audits --------------------------------------------------------------------------------


def audit_state_at(session: Session, at: datetime) -> FromClause:
    """`FacilityAuditState` at `at`: each facility's latest audit held by then."""
    s = models.FacilityAuditState
    if state_serves(session, s.audited_at, at) and state_serves(
        session, models.AuditRevision.replaced_at, at
    ):
        return s.__table__
    # Audits as they stood at `at`: a correction made later (its time, its scores) undone.
    a = settings_at(session, models.Audit, at)
    at = as_utc(at)
    latest = aliased(a)
    latest_id = (
        select(latest.id)
        .where(latest.facility_id == s.facility_id, latest.audited_at <= at)
        .order_by(latest.audited_at.desc(), latest.id.desc())
        .limit(1)
        .correlate(s)
        .scalar_subquery()
    )
    return (
        select(
            s.facility_id,
            a.id.label("audit_id"),
            a.audited_at,
            a.score,
            a.level,
            a.covid_score,
        )
        .select_from(s)
        .join(a, a.id == latest_id)
        .subquery("facilityauditstate_at")
    )


# --- Settings edited in place ------------------------------------------------------------


def settings_at(session: Session, model: type[SQLModel], at: datetime | None) -> Any:
    """`model` (a table whose settings are edited in place) as it was at `at`.

    The model itself when `at` is None or no edit of it is later than `at` (the fast path);
    else an alias of it, usable in its place in any query, whose settings are the values
    kept by each record's first edit after `at` (its own where it has none). The revisions
    after `at` are found by their time index and joined by record: the work grows with the
    edits after `at`, not with the table.
    """
    revision_model, fields = models.REVISIONS[model]
    revision = revision_model.__table__
    if at is None or state_serves(session, revision.c.replaced_at, at):
        return model
    at = as_utc(at)
    table = model.__table__
    keys = revision_keys(model)
    first = (
        select(*(revision.c[column] for column, _ in keys), func.min(revision.c.id).label("first"))
        .where(revision.c.replaced_at > at)
        .group_by(*(revision.c[column] for column, _ in keys))
        .subquery()
    )
    kept = revision.alias()
    columns = [
        case((first.c.first.is_(None), column), else_=kept.c[column.key]).label(column.key)
        if column.key in fields
        else column
        for column in table.c
    ]
    joined = table.outerjoin(
        first, and_(*(first.c[column] == table.c[key] for column, key in keys))
    ).outerjoin(kept, kept.c.id == first.c.first)
    rewound = select(*columns).select_from(joined).subquery(f"{table.name}_at")
    return aliased(model, rewound, name=f"{table.name}_at", adapt_on_names=True)
