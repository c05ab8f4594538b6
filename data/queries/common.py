"""Reads every page needs: the clock, the data set's description, the change counter."""

from __future__ import annotations

import functools
import inspect
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

import pandas as pd
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlmodel import Session, SQLModel

from data import models
from data.settings import get_settings
from data.timeutil import as_utc, local_day, utc_now

T = TypeVar("T")

# Where a read finds the results it may share with other reads (`shared`).
SHARED_RESULTS = "shared_results"
# Where a read finds results kept across changes of other topics (`shareable`): a function
# (key, topics, work) -> result, set by the app for a page's run (shell._run).
KEPT_RESULTS = "kept_results"


class SharedResults:
    """Intermediate results that several reads of one state of the database work out alike
    (the Overview's headline and its alerts both need today's stock lines): the first read
    works one out, the others take it. The caller that makes one must drop it when the
    database changes (shell.read keeps one per change counter). The `size` latest are kept.
    """

    def __init__(self, size: int = 8) -> None:
        self._results: OrderedDict[Hashable, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable, work: Callable[[], T]) -> T:
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]  # type: ignore[return-value]
        # Worked out outside the lock: two reads that start together may both work it out.
        result = work()
        with self._lock:
            self._results[key] = result
            while len(self._results) > self._size:
                self._results.popitem(last=False)
        return result


def statements(count: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Mark a read made of up to `count` heavy statements one after another (a briefing's
    figures, worked out once per cut-off): the app gives it `count` statement timeouts in
    all, where a page's read has one (each statement still has its own)."""

    def mark(query: Callable[..., T]) -> Callable[..., T]:
        query.statement_budget = count  # type: ignore[attr-defined]
        return query

    return mark


def statement_budget(query: Callable[..., object]) -> int:
    """How many statement timeouts a read may take in all (`statements`; 1 by default)."""
    return int(getattr(query, "statement_budget", 1))


def shareable(query: Callable[..., T]) -> Callable[..., T]:
    """A read (keyword arguments only, `session` among them) whose result reads of the same
    database state share (`shared`), keyed by its name and other arguments; each caller gets
    its own copy of a frame or a list.

    Declared with the topics it reads (`@reaches` above it), its result is also kept across
    changes of other topics when the session carries kept results (`KEPT_RESULTS`): the
    Overview's headline and alerts, read again after a testing-site report, take today's stock
    lines as they were."""

    signature = inspect.signature(query)

    @functools.wraps(query)
    def read(*, session: Session, **arguments: object) -> T:
        # The same read asked with or without its defaults is one.
        given = signature.bind(session=session, **arguments)
        given.apply_defaults()
        key = (query.__qualname__, *((n, v) for n, v in given.arguments.items() if n != "session"))

        def work() -> T:
            # Looked up at each call (`__wrapped__`), so that a test may count the work done.
            return shared(session, key, lambda: read.__wrapped__(session=session, **arguments))

        kept = session.info.get(KEPT_RESULTS)
        topics = getattr(read, "reach", None)
        result = work() if kept is None or topics is None else kept(key, topics, work)
        if isinstance(result, pd.DataFrame):
            return result.copy()  # type: ignore[return-value]
        if isinstance(result, list):
            return list(result)  # type: ignore[return-value]
        return result

    return read


def shared(session: Session, key: Hashable, work: Callable[[], T]) -> T:
    """`work()`, or what another read of the same database state already worked out for
    `key`, when the session carries shared results (`session.info[SHARED_RESULTS]`); a
    session without them (a script, a test, a write) always works it out. The result is
    shared: a caller must not change it."""
    results = session.info.get(SHARED_RESULTS)
    return work() if results is None else results.get(key, work)


@dataclass(frozen=True)
class Clock:
    """The moment T the dashboard shows: live, or replayed (REPLAY_AT, the end of a demo
    scenario, or a moment picked in the sidebar's "as of" control).

    Every figure is what it would be had nothing after `now` been reported. Live, `now` is
    the end of the current minute, so that reruns within a minute share their cached reads.
    """

    now: datetime
    today: date
    replay: bool
    # Picked in the sidebar (as opposed to REPLAY_AT or the end of a demo scenario).
    picked: bool = False


@dataclass(frozen=True)
class Scenario:
    """How the data set was made, when it is the simulated demo scenario."""

    simulated: bool
    scale: str
    anchor_date: date
    as_of: datetime


def get_scenario(*, session: Session) -> Scenario | None:
    """The demo scenario's description, or None when the data is not simulated."""
    info = session.get(models.DatasetInfo, "scenario")
    if info is None:
        return None
    value = json.loads(info.value)
    return Scenario(
        simulated=bool(value.get("simulated", True)),
        scale=str(value.get("scale", "demo")),
        anchor_date=date.fromisoformat(value["anchor_date"]),
        as_of=as_utc(datetime.fromisoformat(value["as_of"])),
    )


def get_clock(*, session: Session, real_now: datetime | None = None) -> Clock:
    """Now, for every figure: REPLAY_AT if set; a scenario that has ended stays at its end."""
    return clock_for(get_scenario(session=session), real_now)


def minute_ceiling(moment: datetime) -> datetime:
    """The end of the minute `moment` falls in (itself when it is a whole minute)."""
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(minutes=1)


def default_clock(scenario: Scenario | None, real_now: datetime | None = None) -> Clock:
    """The clock when nothing is picked: REPLAY_AT if set; a scenario that has ended stays
    at its end; else live (to the end of the current minute)."""
    replay_at = get_settings().replay_at
    if replay_at is not None:
        return Clock(now=as_utc(replay_at), today=local_day(replay_at), replay=True)
    real_now = as_utc(real_now or utc_now())
    if scenario is not None and local_day(real_now) > scenario.anchor_date:
        return Clock(now=scenario.as_of, today=local_day(scenario.as_of), replay=True)
    now = minute_ceiling(real_now)
    return Clock(now=now, today=local_day(now), replay=False)


def clock_for(
    scenario: Scenario | None,
    real_now: datetime | None = None,
    *,
    picked: datetime | None = None,
) -> Clock:
    """The clock, given the data set's scenario (read once and cached by the caller) and a
    moment picked in the sidebar, if any (never later than the default clock)."""
    default = default_clock(scenario, real_now)
    if picked is None:
        return default
    moment = min(as_utc(picked), default.now)
    return Clock(now=moment, today=local_day(moment), replay=True, picked=True)


def state_serves(session: Session, column: ColumnElement, at: datetime) -> bool:
    """Whether a current-state table still shows the moment `at`: no report it holds
    (`column`, its latest-report time) is later than `at`.

    Then the state table is exactly what it would be had nothing after `at` been reported,
    and a read takes the fast path; otherwise it reads history bounded by `at`.
    """
    latest = session.execute(select(func.max(column))).scalar_one_or_none()
    return latest is None or as_utc(latest) <= as_utc(at)


def get_change_counter(*, session: Session) -> int:
    """The database-wide change counter: it moves whenever anything is written."""
    value = session.execute(
        select(models.ChangeCounter.value).where(models.ChangeCounter.id == 1)
    ).scalar_one_or_none()
    return int(value or 0)


def changed_through(*, session: Session, since: int, at: datetime) -> bool:
    """Whether a change after change `since` can alter the figures of moment `at`: one
    dated at or before it, or of unknown reach (models.ChangeLog.effective_at). Changes are
    read by their counter, from `since` on: the writes since a figure was worked out."""
    log = models.ChangeLog
    found = session.execute(
        select(log.id)
        .where(
            log.counter > since,
            or_(log.effective_at.is_(None), log.effective_at <= as_utc(at)),
        )
        .limit(1)
    ).first()
    return found is not None


def get_latest_report_time(*, session: Session) -> datetime | None:
    """The newest report of any source (testing sites, hotels, stock, audits), or None."""
    latest = [
        session.execute(select(func.max(column))).scalar_one_or_none()
        for column in (
            models.TestingSiteState.last_reported_at,
            models.HotelState.last_reported_at,
            models.StockState.last_reported_at,
            models.FacilityAuditState.audited_at,
        )
    ]
    present = [as_utc(moment) for moment in latest if moment is not None]
    return max(present) if present else None


def has_any_data(*, session: Session) -> bool:
    """Whether the database holds any operational record (a facility or a case)."""
    for model in (models.Facility, models.Case):
        if session.execute(select(model.id).limit(1)).first() is not None:
            return True
    return False


def count_rows(*, session: Session) -> dict[str, int]:
    """Rows per table, for every table of the data model."""
    return {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
    }


DISTRICT_COLUMNS = [
    "code",
    "name_zh",
    "name_en",
    "population",
    "centroid_lon",
    "centroid_lat",
    "boundary_geojson",
]


def list_districts(*, session: Session) -> pd.DataFrame:
    """Every district, by code: names, population, label point and boundary (the basemap)."""
    d = models.District
    query = select(*(getattr(d, name) for name in DISTRICT_COLUMNS)).order_by(d.code)
    return pd.DataFrame(session.execute(query).all(), columns=DISTRICT_COLUMNS)


def get_scope_names(
    *, session: Session, district_codes: tuple[str, ...], facility_ids: tuple[int, ...]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The names (name_zh, name_en) of a user's districts and facilities, in code order."""
    districts = session.execute(
        select(models.District.name_zh, models.District.name_en)
        .where(models.District.code.in_(district_codes))
        .order_by(models.District.code)
    ).all()
    facilities = session.execute(
        select(models.Facility.name_zh, models.Facility.name_en)
        .where(models.Facility.id.in_(facility_ids))
        .order_by(models.Facility.code)
    ).all()
    return [dict(row._mapping) for row in districts], [dict(row._mapping) for row in facilities]


def rows_frame(rows: Sequence[Sequence[object]], columns: list[str]) -> pd.DataFrame:
    """Result rows as a frame, built column by column (far faster than from row objects)."""
    if not rows:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    return pd.DataFrame(dict(zip(columns, map(list, zip(*rows, strict=True)), strict=True)))


def plain_frame(session: Session, query: Select, columns: list[str]) -> pd.DataFrame:
    """A query's rows as a frame straight from the database driver's tuples: for queries of
    plain values only (integers, and days and times read as text), which SQLAlchemy has
    nothing to convert in. Twice as fast as `rows_frame` on the 120,000 rows of a city's daily
    rollup over the trend's days (no row objects, and pandas builds the columns in C)."""
    # On the session's connection (Core, not the ORM): its result holds the driver's cursor.
    result = session.connection().execute(query)
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    if not rows:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    return pd.DataFrame.from_records(rows, columns=columns)


def query_frame(session: Session, query: Select, columns: list[str]) -> pd.DataFrame:
    """A query's rows (converted by their column types, as the ORM would) as a frame of
    `columns`, by name, built column by column on the session's connection: a frame built
    from the ORM's row mappings, one dict per row, took ~100 ms for a province's 15,490
    corrective actions."""
    result = session.connection().execute(query)
    return rows_frame(result.all(), list(result.keys()))[columns]
