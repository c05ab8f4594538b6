"""Current-state and rollup tables kept beside the history tables (write side only).

Each report is folded into the state tables in one of two ways, sharing the same rules:
`apply_*` updates them for one new report (the write path), `rebuild_derived_state` recomputes
them all from history (after a bulk load, or to repair). Tests check both give the same rows.

Rows of the state tables are created with an upsert (INSERT ... ON CONFLICT DO NOTHING) and
then locked and folded, so that concurrent writers of the same site, hotel, hour or day never
collide on a duplicate key: the second waits for the first and folds into its row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

from data import models
from data.timeutil import as_utc, command_zone, local_day

BULK_CHUNK = 5_000


class _Row(SimpleNamespace):
    """A derived row while rebuilding: plain attributes, no ORM or validation cost."""


def _locked_row(session: Session, model: type[SQLModel], values: dict) -> SQLModel:
    """The row of `model` with the primary key in `values`, created from `values` if absent,
    and locked for this transaction."""
    table = model.__table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    keys = [column.name for column in table.primary_key]
    session.flush()  # rows this session changed are in the database before the upsert
    session.execute(
        dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    )
    key = tuple(values[name] for name in keys)
    return session.get(
        model, key if len(key) > 1 else key[0], with_for_update=True, populate_existing=True
    )


def hour_of(moment: datetime) -> datetime:
    """The UTC hour a report falls in (its hourly bucket)."""
    return as_utc(moment).replace(minute=0, second=0, microsecond=0)


# --- Testing -----------------------------------------------------------------------------------


def apply_site_report(session: Session, report: models.TestingSiteReport, district: str) -> None:
    """Fold one new testing-site report into the site's state and the hourly totals."""
    zone = command_zone()
    day = local_day(report.reported_at, zone)
    state = _locked_row(
        session,
        models.TestingSiteState,
        {
            "site_id": report.site_id,
            "last_reported_at": report.reported_at,
            "is_open": report.is_open,
            "queue_wait_minutes": report.queue_wait_minutes,
            "day": day,
            "sampled_day": 0,
            "resulted_day": 0,
        },
    )
    _fold_site_state(state, report, day)
    if report.round_id is not None:
        hourly = _locked_row(
            session,
            models.TestingHourly,
            {
                "round_id": report.round_id,
                "hour": hour_of(report.reported_at),
                "district_code": district,
                "sampled": 0,
                "resulted": 0,
                "positive": 0,
                "pools_positive": 0,
            },
        )
        _fold_hourly(hourly, report)


def _fold_site_state(
    state: models.TestingSiteState, report: models.TestingSiteReport, day: date
) -> None:
    if as_utc(report.reported_at) < as_utc(state.last_reported_at):
        # A late report adds to its day's totals only if that day is still the current one.
        if day == state.day:
            state.sampled_day += report.sampled
            state.resulted_day += report.resulted
        return
    if day != state.day:
        state.day, state.sampled_day, state.resulted_day = day, 0, 0
    state.sampled_day += report.sampled
    state.resulted_day += report.resulted
    state.last_reported_at = report.reported_at
    state.is_open = report.is_open
    state.queue_wait_minutes = report.queue_wait_minutes
    if report.round_id is not None:
        state.round_id = report.round_id


def _fold_hourly(hourly: models.TestingHourly, report: models.TestingSiteReport) -> None:
    hourly.sampled = (hourly.sampled or 0) + report.sampled
    hourly.resulted = (hourly.resulted or 0) + report.resulted
    hourly.positive = (hourly.positive or 0) + report.positive
    hourly.pools_positive = (hourly.pools_positive or 0) + report.pools_positive


def _rebuild_testing(
    session: Session,
    zone: ZoneInfo,
    sites: set[int] | None = None,
    buckets: set[tuple[int, datetime]] | None = None,
) -> None:
    """Recompute site state (of `sites`, else all) and hourly totals (of `buckets`, else
    all) from history."""
    district_of = dict(
        session.execute(
            select(models.Facility.id, models.Facility.district_code).where(
                models.Facility.kind == "testing_site"
            )
        ).all()
    )
    r = models.TestingSiteReport
    states = _site_states(session, zone, select(*r.__table__.columns), sites)
    if sites is None:
        _replace(session, models.TestingSiteState, states.values())
    else:
        _replace_where(session, models.TestingSiteState, states.values(), site_id=sites)
    if buckets is not None and not buckets:
        return
    query = select(*r.__table__.columns).where(r.round_id.is_not(None))
    if buckets is not None:
        hours = [hour for _, hour in buckets]
        query = query.where(
            r.round_id.in_(sorted({round_id for round_id, _ in buckets})),
            r.reported_at >= min(hours),
            r.reported_at < max(hours) + timedelta(hours=1),
        )
    hourly: dict[tuple[int, datetime], _Row] = {}
    for report in session.execute(query.execution_options(yield_per=BULK_CHUNK)):
        key = (report.round_id, hour_of(report.reported_at))
        if buckets is not None and key not in buckets:
            continue
        bucket = hourly.get(key)
        if bucket is None:
            bucket = hourly[key] = _Row(
                round_id=key[0],
                hour=key[1],
                district_code=district_of[report.site_id],
                sampled=0,
                resulted=0,
                positive=0,
                pools_positive=0,
            )
        _fold_hourly(bucket, report)
    if buckets is None:
        _replace(session, models.TestingHourly, hourly.values())
        return
    table = models.TestingHourly.__table__
    session.execute(
        delete(table).where(
            table.c.round_id == bindparam("b_round"), table.c.hour == bindparam("b_hour")
        ),
        [{"b_round": round_id, "b_hour": hour} for round_id, hour in sorted(buckets)],
    )
    _insert(session, models.TestingHourly, hourly.values())


def _site_states(session: Session, zone: ZoneInfo, query: Any, sites: set[int] | None) -> dict:
    r = models.TestingSiteReport
    states: dict[int, _Row] = {}
    for part in _parts(sites):
        chosen = query if part is None else query.where(r.site_id.in_(part))
        chosen = chosen.order_by(r.reported_at, r.id).execution_options(yield_per=BULK_CHUNK)
        for report in session.execute(chosen):
            _fold_site(states, report, zone)
    return states


def _fold_site(states: dict, report, zone: ZoneInfo) -> None:  # noqa: ANN001
    day = local_day(report.reported_at, zone)
    state = states.get(report.site_id)
    if state is None:
        state = states[report.site_id] = _Row(
            site_id=report.site_id,
            last_reported_at=report.reported_at,
            is_open=report.is_open,
            queue_wait_minutes=report.queue_wait_minutes,
            day=day,
            round_id=None,
            sampled_day=0,
            resulted_day=0,
        )
    _fold_site_state(state, report, day)


def refresh_testing(session: Session, rows: list[dict]) -> None:
    """Recompute the state of the sites, and the hourly totals, that replaced reports
    touched (their old and new values)."""
    sites = {row["site_id"] for row in rows}
    buckets = {
        (row["round_id"], hour_of(row["reported_at"]))
        for row in rows
        if row["round_id"] is not None
    }
    _rebuild_testing(session, command_zone(), sites, buckets)


# --- Quarantine hotels -------------------------------------------------------------------------

_HOTEL_SNAPSHOT = (
    "rooms_total",
    "rooms_occupied",
    "rooms_cleaning",
    "occupied_inbound",
    "occupied_close_contact",
    "occupied_secondary_contact",
)


def apply_hotel_report(session: Session, report: models.HotelReport) -> None:
    """Fold one new hotel report into the hotel's state and its daily row."""
    day = local_day(report.reported_at, command_zone())
    state = _locked_row(
        session,
        models.HotelState,
        {
            "hotel_id": report.hotel_id,
            "last_reported_at": report.reported_at,
            "day": day,
            **_hotel_snapshot(report),
            "staff_on_duty": report.staff_on_duty,
            "intake_day": 0,
            "discharges_day": 0,
        },
    )
    _fold_hotel_state(state, report, day)
    daily = _locked_row(
        session,
        models.HotelDaily,
        {
            "hotel_id": report.hotel_id,
            "day": day,
            **_hotel_snapshot(report),
            "intake": 0,
            "discharges": 0,
            "last_reported_at": None,
        },
    )
    _fold_hotel_daily(daily, report)


def _hotel_snapshot(report: models.HotelReport) -> dict[str, int]:
    return {name: getattr(report, name) for name in _HOTEL_SNAPSHOT}


def _fold_hotel_state(state: models.HotelState, report: models.HotelReport, day: date) -> None:
    if as_utc(report.reported_at) < as_utc(state.last_reported_at):
        if day == state.day:
            state.intake_day += report.intake
            state.discharges_day += report.discharges
        return
    if day != state.day:
        state.day, state.intake_day, state.discharges_day = day, 0, 0
    state.intake_day += report.intake
    state.discharges_day += report.discharges
    state.last_reported_at = report.reported_at
    state.staff_on_duty = report.staff_on_duty
    for name, value in _hotel_snapshot(report).items():
        setattr(state, name, value)


def _fold_hotel_daily(daily: models.HotelDaily, report: models.HotelReport) -> None:
    daily.intake = (daily.intake or 0) + report.intake
    daily.discharges = (daily.discharges or 0) + report.discharges
    # The day's snapshot is its latest report; a late one only adds its flows.
    if daily.last_reported_at is None or as_utc(report.reported_at) >= as_utc(
        daily.last_reported_at
    ):
        daily.last_reported_at = report.reported_at
        for name, value in _hotel_snapshot(report).items():
            setattr(daily, name, value)


def _rebuild_hotels(session: Session, zone: ZoneInfo, hotels: set[int] | None = None) -> None:
    """Recompute hotel state and daily rows (of `hotels`, else all) from history."""
    states: dict[int, _Row] = {}
    daily: dict[tuple[int, date], _Row] = {}
    h = models.HotelReport
    for part in _parts(hotels):
        query = select(*h.__table__.columns).order_by(h.reported_at, h.id)
        if part is not None:
            query = query.where(h.hotel_id.in_(part))
        for report in session.execute(query.execution_options(yield_per=BULK_CHUNK)):
            _fold_hotel(states, daily, report, zone)
    if hotels is None:
        _replace(session, models.HotelState, states.values())
        _replace(session, models.HotelDaily, daily.values())
    else:
        _replace_where(session, models.HotelState, states.values(), hotel_id=hotels)
        _replace_where(session, models.HotelDaily, daily.values(), hotel_id=hotels)


def refresh_hotels(session: Session, rows: list[dict]) -> None:
    """Recompute the state and daily rows of the hotels whose reports were replaced."""
    _rebuild_hotels(session, command_zone(), {row["hotel_id"] for row in rows})


def _fold_hotel(states: dict, daily: dict, report, zone: ZoneInfo) -> None:  # noqa: ANN001
    day = local_day(report.reported_at, zone)
    state = states.get(report.hotel_id)
    if state is None:
        state = states[report.hotel_id] = _Row(
            hotel_id=report.hotel_id,
            last_reported_at=report.reported_at,
            day=day,
            intake_day=0,
            discharges_day=0,
            **_hotel_snapshot(report),
            staff_on_duty=report.staff_on_duty,
        )
    _fold_hotel_state(state, report, day)
    row = daily.get((report.hotel_id, day))
    if row is None:
        row = daily[(report.hotel_id, day)] = _Row(
            hotel_id=report.hotel_id,
            day=day,
            intake=0,
            discharges=0,
            last_reported_at=None,
            **_hotel_snapshot(report),
        )
    _fold_hotel_daily(row, report)


# --- Supplies ----------------------------------------------------------------------------------


def apply_stock_report(session: Session, report: models.StockReport) -> None:
    """Fold one new stock count into the line's state and its daily row."""
    day = local_day(report.reported_at, command_zone())
    key = (report.item_id, report.location_id)
    state = _locked_row(
        session,
        models.StockState,
        {
            "item_id": key[0],
            "location_id": key[1],
            "last_reported_at": report.reported_at,
            "on_hand": report.on_hand,
            "on_order": report.on_order,
            "reorder_level": 0,
            "version": 1,
        },
    )
    _fold_stock_state(state, report)
    daily = _locked_row(
        session,
        models.StockDaily,
        {
            "item_id": key[0],
            "location_id": key[1],
            "day": day,
            "on_hand": report.on_hand,
            "consumed": 0,
            "received": 0,
            "last_reported_at": None,
        },
    )
    _fold_stock_daily(daily, report)


def _fold_stock_state(state: models.StockState, report: models.StockReport) -> None:
    if as_utc(report.reported_at) >= as_utc(state.last_reported_at):
        state.last_reported_at = report.reported_at
        state.on_hand = report.on_hand
        state.on_order = report.on_order


def _fold_stock_daily(daily: models.StockDaily, report: models.StockReport) -> None:
    daily.consumed = (daily.consumed or 0) + report.consumed
    daily.received = (daily.received or 0) + report.received
    # The day's on-hand is its latest count; a late count only adds its flows.
    if daily.last_reported_at is None or as_utc(report.reported_at) >= as_utc(
        daily.last_reported_at
    ):
        daily.last_reported_at = report.reported_at
        daily.on_hand = report.on_hand


def _rebuild_stock(
    session: Session, zone: ZoneInfo, lines: set[tuple[int, int]] | None = None
) -> None:
    """Recompute stock-line state and daily rows (of `lines`, else all) from history."""
    # Reorder levels are settings of a line, not derived from history: keep them (and the
    # version an editor of the level compares).
    settings = {
        (item, location): (level, version)
        for item, location, level, version in session.execute(
            select(
                models.StockState.item_id,
                models.StockState.location_id,
                models.StockState.reorder_level,
                models.StockState.version,
            )
        )
    }
    states: dict[tuple[int, int], _Row] = {}
    daily: dict[tuple[int, int, date], _Row] = {}
    s = models.StockReport
    locations = None if lines is None else {location for _, location in lines}
    for part in _parts(locations):
        query = select(*s.__table__.columns).order_by(s.reported_at, s.id)
        if part is not None:
            query = query.where(s.location_id.in_(part))
        for report in session.execute(query.execution_options(yield_per=BULK_CHUNK)):
            if lines is None or (report.item_id, report.location_id) in lines:
                _fold_stock(states, daily, settings, report, zone)
    if lines is None:
        _replace(session, models.StockState, states.values())
        _replace(session, models.StockDaily, daily.values())
        return
    for table in (models.StockState, models.StockDaily):
        columns = table.__table__.c
        session.execute(
            delete(table.__table__).where(
                columns.item_id == bindparam("l_item"),
                columns.location_id == bindparam("l_location"),
            ),
            [{"l_item": item, "l_location": location} for item, location in sorted(lines)],
        )
    _insert(session, models.StockState, states.values())
    _insert(session, models.StockDaily, daily.values())


def refresh_stock(session: Session, rows: list[dict]) -> None:
    """Recompute the state and daily rows of the stock lines whose counts were replaced."""
    lines = {(row["item_id"], row["location_id"]) for row in rows}
    _rebuild_stock(session, command_zone(), lines)


def _fold_stock(states: dict, daily: dict, settings: dict, report, zone: ZoneInfo) -> None:  # noqa: ANN001
    key = (report.item_id, report.location_id)
    state = states.get(key)
    if state is None:
        state = states[key] = _Row(
            item_id=key[0],
            location_id=key[1],
            last_reported_at=report.reported_at,
            on_hand=report.on_hand,
            on_order=report.on_order,
            reorder_level=settings.get(key, (0, 1))[0],
            version=settings.get(key, (0, 1))[1],
        )
    _fold_stock_state(state, report)
    day = local_day(report.reported_at, zone)
    row = daily.get((*key, day))
    if row is None:
        row = daily[(*key, day)] = _Row(
            item_id=key[0],
            location_id=key[1],
            day=day,
            on_hand=report.on_hand,
            consumed=0,
            received=0,
            last_reported_at=None,
        )
    _fold_stock_daily(row, report)


# --- Audits ------------------------------------------------------------------------------------


def apply_audit(session: Session, audit: models.Audit) -> None:
    """Make `audit` the facility's latest one unless a later audit is already recorded."""
    state = _locked_row(
        session,
        models.FacilityAuditState,
        {
            "facility_id": audit.facility_id,
            "audit_id": audit.id,
            "audited_at": audit.audited_at,
            "score": audit.score,
            "level": audit.level,
            "covid_score": audit.covid_score,
        },
    )
    if as_utc(state.audited_at) > as_utc(audit.audited_at):
        return
    state.audit_id, state.audited_at = audit.id, audit.audited_at
    state.score, state.level, state.covid_score = audit.score, audit.level, audit.covid_score


def _rebuild_audits(session: Session) -> None:
    latest: dict[int, _Row] = {}
    query = select(
        models.Audit.id,
        models.Audit.facility_id,
        models.Audit.audited_at,
        models.Audit.score,
        models.Audit.level,
        models.Audit.covid_score,
    ).order_by(models.Audit.audited_at, models.Audit.id)
    for audit_id, facility_id, audited_at, score, level, covid in session.execute(query):
        latest[facility_id] = _Row(
            facility_id=facility_id,
            audit_id=audit_id,
            audited_at=audited_at,
            score=score,
            level=level,
            covid_score=covid,
        )
    _replace(session, models.FacilityAuditState, latest.values())


# --- Whole rebuild -----------------------------------------------------------------------------


def _parts(keys: set | None, size: int = 1_000) -> Iterable[list | None]:
    """`keys` in sorted parts for IN lists; one None (no filter) when keys is None."""
    if keys is None:
        yield None
        return
    ordered = sorted(keys)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _replace_where(session: Session, table: type, rows: Iterable, **keys: set) -> None:
    """Swap the derived rows whose key column holds one of the given values for `rows`."""
    ((name, values),) = keys.items()
    column = table.__table__.c[name]
    for part in _parts(values):
        session.execute(delete(table).where(column.in_(part)))
    _insert(session, table, rows)


def _replace(session: Session, table: type, rows: Iterable) -> None:
    """Swap a derived table's rows for `rows`, in bulk."""
    session.execute(delete(table))
    _insert(session, table, rows)


def _insert(session: Session, table: type, rows: Iterable) -> None:
    columns = [column.name for column in table.__table__.columns]
    batch: list[dict] = []
    for row in rows:
        batch.append({name: getattr(row, name) for name in columns})
        if len(batch) >= BULK_CHUNK:
            session.execute(insert(table), batch)
            batch = []
    if batch:
        session.execute(insert(table), batch)


def rebuild_testing(session: Session) -> None:
    """Recompute testing-site state and hourly totals from history."""
    _rebuild_testing(session, command_zone())


def rebuild_hotels(session: Session) -> None:
    """Recompute hotel state and daily rows from history."""
    _rebuild_hotels(session, command_zone())


def rebuild_stock(session: Session) -> None:
    """Recompute stock-line state and daily rows from history (keeping reorder levels)."""
    _rebuild_stock(session, command_zone())


def rebuild_audits(session: Session) -> None:
    """Recompute each facility's latest audit."""
    _rebuild_audits(session)


def refresh_audit_state(session: Session, facility_id: int) -> None:
    """Make the facility's latest-audit row follow its audits after one was changed."""
    a = models.Audit
    latest = session.execute(
        select(a.id, a.audited_at, a.score, a.level, a.covid_score)
        .where(a.facility_id == facility_id)
        .order_by(a.audited_at.desc(), a.id.desc())
        .limit(1)
    ).first()
    session.execute(
        delete(models.FacilityAuditState).where(
            models.FacilityAuditState.facility_id == facility_id
        )
    )
    if latest is not None:
        session.execute(
            insert(models.FacilityAuditState),
            [
                {
                    "facility_id": facility_id,
                    "audit_id": latest.id,
                    "audited_at": latest.audited_at,
                    "score": latest.score,
                    "level": latest.level,
                    "covid_score": latest.covid_score,
                }
            ],
        )


def rebuild_derived_state(session: Session) -> None:
    """Recompute every state and rollup table from history (does not commit)."""
    zone = command_zone()
    _rebuild_testing(session, zone)
    _rebuild_hotels(session, zone)
    _rebuild_stock(session, zone)
    _rebuild_audits(session)
    session.flush()
