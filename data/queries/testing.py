"""Reads about mass-testing rounds and testing sites, as of a moment.

Every read here aggregates the rollup and current-state tables (`testinghourly`,
`testingsitestate`) as they were at its moment (`data.queries.asof`): the tables themselves
when nothing later was reported; else the completed hours as stored and only the hour of
the moment from its reports up to then. A round's completion is dated by the report that
reached its target (read by the round/time index), not by the end of its hour.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, FromClause, and_, case, func, or_, select
from sqlmodel import Session

from data import models
from data.measures.testing import (
    DEFAULT_WINDOW_HOURS,
    QUEUE_BANDS,
    QUEUE_RED_MINUTES,
    floor_hour,
    pending_results,
    percent_complete,
    queue_band,
    round_outlook,
    stale_flags,
)
from data.queries.asof import settings_at, site_state_at, testing_hourly_at
from data.queries.common import shareable
from data.queries.reach import reaches
from data.timeutil import as_utc, local_day

ROUND_COLUMNS = [
    "round_id",
    "district_code",
    "name_zh",
    "name_en",
    "round_no",
    "scope",
    "target_population",
    "start_at",
    "deadline_at",
    "sampled",
    "resulted",
    "positive",
    "pools_positive",
]
OUTLOOK_COLUMNS = [
    *ROUND_COLUMNS,
    "pending",
    "percent",
    "sampled_in_window",
    "per_hour",
    "status",
    "projected_at",
    "hours_late",
    "completed_at",
    "never_finishes",
]
HOURLY_COLUMNS = [
    "round_id",
    "hour",
    "sampled",
    "resulted",
    "positive",
    "pools_positive",
    "cum_sampled",
    "cum_resulted",
    "pending",
]
BACKLOG_COLUMNS = ["district_code", "name_zh", "name_en", "hour", "pending"]
SITE_COLUMNS = [
    "site_id",
    "code",
    "name_zh",
    "name_en",
    "district_code",
    "district_zh",
    "district_en",
    "lon",
    "lat",
    "round_id",
    "is_open",
    "queue_wait_minutes",
    "sampled_today",
    "last_reported_at",
    "report_interval_minutes",
]


@shareable
def list_round_totals(
    *,
    session: Session,
    under_way_at: datetime | None = None,
    as_of: datetime | None = None,
) -> pd.DataFrame:
    """Each round with its totals (reported up to `as_of` if given); only rounds under way at
    a moment if asked. Reads of the same database state share them (the Overview's headline
    and its round alerts)."""
    # Targets, starts and deadlines as set by `as_of` (an edit after it is not known yet).
    r, d = settings_at(session, models.TestingRound, as_of), models.District
    h = _hourly(session, as_of)
    totals = (
        select(
            h.c.round_id,
            func.sum(h.c.sampled).label("sampled"),
            func.sum(h.c.resulted).label("resulted"),
            func.sum(h.c.positive).label("positive"),
            func.sum(h.c.pools_positive).label("pools_positive"),
        )
        .group_by(h.c.round_id)
        .subquery()
    )
    query = (
        select(
            r.id.label("round_id"),
            r.district_code,
            d.name_zh,
            d.name_en,
            r.round_no,
            r.scope,
            r.target_population,
            r.start_at,
            r.deadline_at,
            func.coalesce(totals.c.sampled, 0).label("sampled"),
            func.coalesce(totals.c.resulted, 0).label("resulted"),
            func.coalesce(totals.c.positive, 0).label("positive"),
            func.coalesce(totals.c.pools_positive, 0).label("pools_positive"),
        )
        .join(d, d.code == r.district_code)
        .outerjoin(totals, totals.c.round_id == r.id)
        .order_by(r.start_at, r.district_code, r.round_no)
    )
    if under_way_at is not None:
        query = query.where(r.start_at <= under_way_at, r.deadline_at >= under_way_at)
    return pd.DataFrame(session.execute(query).mappings().all(), columns=ROUND_COLUMNS)


def _hourly(session: Session, at: datetime | None) -> FromClause:
    """The hourly rollup: all of it (None), or as reported up to `at`."""
    return models.TestingHourly.__table__ if at is None else testing_hourly_at(session, at)


def _sampled_since(session: Session, since: datetime, now: datetime) -> dict[int, int]:
    """Samples per round in the hourly buckets from `since` up to `now` (reported by then)."""
    h = _hourly(session, now)
    query = (
        select(h.c.round_id, func.sum(h.c.sampled))
        .where(h.c.hour >= since, h.c.hour <= now)
        .group_by(h.c.round_id)
    )
    return {round_id: int(sampled or 0) for round_id, sampled in session.execute(query)}


def _completion_moments(session: Session, now: datetime) -> dict[int, datetime]:
    """Per round complete by `now`, when the report that reached its target was made.

    The hourly rollup finds the hour; that hour's reports of the round, in time order, find
    the report (by the round/time index).
    """
    h, r = _hourly(session, now), settings_at(session, models.TestingRound, now)
    running = (
        select(
            h.c.round_id,
            h.c.hour,
            h.c.sampled,
            r.target_population,
            func.sum(h.c.sampled)
            .over(partition_by=h.c.round_id, order_by=h.c.hour)
            .label("cumulative"),
        )
        .join(r, r.id == h.c.round_id)
        .where(h.c.hour <= now)
        .subquery()
    )
    query = (
        select(
            running.c.round_id,
            running.c.hour,
            running.c.cumulative - running.c.sampled,
            running.c.target_population,
        )
        .where(running.c.cumulative >= running.c.target_population)
        .order_by(running.c.round_id, running.c.hour)
    )
    firsts: dict[int, tuple[datetime, int, int]] = {}
    for round_id, hour, before, target in session.execute(query):
        firsts.setdefault(round_id, (as_utc(hour), int(before or 0), int(target)))
    if not firsts:
        return {}
    report = models.TestingSiteReport
    # One query for every round's completion hour (the round/time index serves each part):
    # that hour's reports in time order, summed as they came until the round's target less
    # what came before the hour; the first to reach it is the moment. Summed in SQL: a
    # province's hour holds ~45,000 reports a round, which were read here one by one.
    needed = case(
        *(
            (report.round_id == round_id, target - before)
            for round_id, (_, before, target) in firsts.items()
        )
    )
    running = (
        select(
            report.round_id,
            report.reported_at,
            func.sum(report.sampled)
            .over(partition_by=report.round_id, order_by=(report.reported_at, report.id))
            .label("running"),
            needed.label("needed"),
        )
        .where(
            or_(
                *(
                    and_(
                        report.round_id == round_id,
                        report.reported_at >= hour,
                        report.reported_at < hour + timedelta(hours=1),
                    )
                    for round_id, (hour, _, _) in firsts.items()
                )
            ),
            report.reported_at <= now,
        )
        .subquery()
    )
    reached = (
        select(running.c.round_id, func.min(running.c.reported_at))
        .where(running.c.running >= running.c.needed)
        .group_by(running.c.round_id)
    )
    return {round_id: as_utc(moment) for round_id, moment in session.execute(reached)}


@reaches("testing", "places")
@shareable
def list_round_outlook(
    *, session: Session, now: datetime, window_hours: int = DEFAULT_WINDOW_HOURS
) -> pd.DataFrame:
    """Every round as of `now`: totals, pending, percent, throughput and deadline outlook."""
    rounds = list_round_totals(session=session, as_of=now)
    # One window for all rounds: a round begun within it has no samples before its start, so
    # its share is the same as over its own (shorter) window, which round_outlook divides by.
    window = _sampled_since(session, floor_hour(now - timedelta(hours=window_hours)), now)
    completed = _completion_moments(session, now)
    rows = []
    for row in rounds.itertuples(index=False):
        in_window = window.get(row.round_id, 0)
        outlook = round_outlook(
            now=now,
            start_at=as_utc(row.start_at),
            deadline_at=as_utc(row.deadline_at),
            target=int(row.target_population),
            sampled=int(row.sampled),
            sampled_in_window=in_window,
            completed_at=completed.get(row.round_id),
            window_hours=window_hours,
        )
        rows.append(
            {
                **row._asdict(),
                "start_at": as_utc(row.start_at),
                "deadline_at": as_utc(row.deadline_at),
                "pending": pending_results(int(row.sampled), int(row.resulted)),
                "percent": percent_complete(int(row.sampled), int(row.target_population)),
                "sampled_in_window": in_window,
                "per_hour": outlook.per_hour,
                "status": outlook.status,
                "projected_at": outlook.projected_at,
                "hours_late": outlook.hours_late,
                "completed_at": outlook.completed_at,
                "never_finishes": outlook.never_finishes,
            }
        )
    table = pd.DataFrame(rows, columns=OUTLOOK_COLUMNS)
    for column in ("per_hour", "hours_late", "percent"):
        table[column] = table[column].astype("float64")
    return table


@reaches("testing", "places")
def list_round_hourly(
    *, session: Session, round_ids: tuple[int, ...], until: datetime
) -> pd.DataFrame:
    """Per round and hour up to `until`: the hour's counts, cumulative counts and pending."""
    if not round_ids:
        return pd.DataFrame(columns=HOURLY_COLUMNS)
    h = _hourly(session, until)
    window = {"partition_by": h.c.round_id, "order_by": h.c.hour}
    query = (
        select(
            h.c.round_id,
            h.c.hour,
            h.c.sampled,
            h.c.resulted,
            h.c.positive,
            h.c.pools_positive,
            func.sum(h.c.sampled).over(**window).label("cum_sampled"),
            func.sum(h.c.resulted).over(**window).label("cum_resulted"),
        )
        .where(h.c.round_id.in_(round_ids), h.c.hour <= until)
        .order_by(h.c.round_id, h.c.hour)
    )
    table = pd.DataFrame(session.execute(query).mappings().all(), columns=HOURLY_COLUMNS[:-1])
    table["pending"] = (table["cum_sampled"] - table["cum_resulted"]).clip(lower=0)
    return table


@reaches("testing", "places")
def list_backlog_by_district(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    """Samples awaiting results per district, at the end of each hour from `since` to `until`.

    Every round counts (the lab's queue holds them all); an hour without reports carries the
    previous backlog forward. Districts with no backlog in the whole period are left out.
    """
    h, d = _hourly(session, until), models.District
    start, end = floor_hour(as_utc(since)), floor_hour(as_utc(until))
    if end < start:
        return pd.DataFrame(columns=BACKLOG_COLUMNS)
    before = dict(
        session.execute(
            select(h.c.district_code, func.sum(h.c.sampled) - func.sum(h.c.resulted))
            .where(h.c.hour < start)
            .group_by(h.c.district_code)
        ).all()
    )
    hourly = pd.DataFrame(
        session.execute(
            select(
                h.c.district_code,
                h.c.hour,
                (func.sum(h.c.sampled) - func.sum(h.c.resulted)).label("net"),
            )
            .where(h.c.hour >= start, h.c.hour <= end)
            .group_by(h.c.district_code, h.c.hour)
        ).all(),
        columns=["district_code", "hour", "net"],
    )
    codes = sorted(set(before) | set(hourly["district_code"]))
    if not codes:
        return pd.DataFrame(columns=BACKLOG_COLUMNS)
    names = pd.DataFrame(
        session.execute(select(d.code, d.name_zh, d.name_en).where(d.code.in_(codes))).all(),
        columns=["district_code", "name_zh", "name_en"],
    )
    hours = pd.date_range(start, end, freq="h")
    hourly["hour"] = pd.to_datetime(hourly["hour"], utc=True)
    net = (
        hourly.pivot_table(index="hour", columns="district_code", values="net", aggfunc="sum")
        .reindex(index=hours, columns=codes)
        .fillna(0)
    )
    baseline = pd.Series({code: int(before.get(code) or 0) for code in codes})
    backlog = (net.cumsum() + baseline).clip(lower=0).astype("int64")
    # Districts whose results were all out throughout the period would only clutter a chart.
    backlog = backlog.loc[:, backlog.gt(0).any()]
    backlog.index.name, backlog.columns.name = "hour", "district_code"
    if backlog.empty:
        return pd.DataFrame(columns=BACKLOG_COLUMNS)
    table = backlog.stack().rename("pending").reset_index()
    return table.merge(names, on="district_code")[BACKLOG_COLUMNS]


@reaches("testing", "places")
@shareable
def list_site_status(
    *,
    session: Session,
    now: datetime,
    today: date,
    district_codes: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Testing sites, worst queue first: open or closed, queue wait, sampled today, staleness.

    A site that has never reported (by `now`) counts as closed and stale. Only the districts
    given, if any.
    """
    f, s, d = (
        settings_at(session, models.Facility, now),
        site_state_at(session, now),
        models.District,
    )
    query = (
        select(
            f.id.label("site_id"),
            f.code,
            f.name_zh,
            f.name_en,
            f.district_code,
            d.name_zh.label("district_zh"),
            d.name_en.label("district_en"),
            f.lon,
            f.lat,
            s.c.round_id,
            func.coalesce(s.c.is_open, False).label("is_open"),
            func.coalesce(s.c.queue_wait_minutes, 0).label("queue_wait_minutes"),
            _sampled_on(s, today).label("sampled_today"),
            s.c.last_reported_at,
            f.report_interval_minutes,
        )
        .join(d, d.code == f.district_code)
        .outerjoin(s, s.c.site_id == f.id)
        .where(f.kind == "testing_site")
    )
    if district_codes:
        query = query.where(f.district_code.in_(district_codes))
    sites = pd.DataFrame(session.execute(query).all(), columns=SITE_COLUMNS)
    sites["is_open"] = sites["is_open"].astype(bool)
    sites["last_reported_at"] = pd.to_datetime(sites["last_reported_at"], utc=True)
    sites["band"] = [
        queue_band(bool(is_open), int(wait))
        for is_open, wait in zip(sites["is_open"], sites["queue_wait_minutes"], strict=True)
    ]
    sites["stale"] = stale_flags(sites["last_reported_at"], now, sites["report_interval_minutes"])
    order = {band: position for position, band in enumerate(QUEUE_BANDS)}
    sites["band_order"] = sites["band"].map(order)
    return (
        sites.sort_values(
            ["band_order", "queue_wait_minutes", "sampled_today", "site_id"],
            ascending=[True, False, False, True],
        )
        .drop(columns="band_order")
        .reset_index(drop=True)
    )


def _sampled_on(state: Any, day: date) -> ColumnElement[int]:
    """SQL: what a site's state (`site_state_at`) counts as sampled on `day` (0 if its
    latest report is of another day)."""
    return case((state.c.day == day, state.c.sampled_day), else_=0)


LONG_QUEUE_COLUMNS = ["site_id", "name_zh", "name_en", "district_code", "queue_wait_minutes"]


def list_long_queues(*, session: Session, now: datetime) -> pd.DataFrame:
    """The open testing sites whose latest queue by `now` is over QUEUE_RED_MINUTES (the
    `red` band of list_site_status), worst first: the Overview's queue alert reads these few
    instead of every site's status (a city has thousands)."""
    f, s = settings_at(session, models.Facility, now), site_state_at(session, now)
    today = local_day(now)
    query = (
        select(f.id.label("site_id"), f.name_zh, f.name_en, f.district_code, s.c.queue_wait_minutes)
        .join(s, s.c.site_id == f.id)
        .where(
            f.kind == "testing_site",
            s.c.is_open.is_(True),
            s.c.queue_wait_minutes > QUEUE_RED_MINUTES,
        )
        .order_by(
            s.c.queue_wait_minutes.desc(),
            _sampled_on(s, today).desc(),
            f.id,
        )
    )
    return pd.DataFrame(session.execute(query).all(), columns=LONG_QUEUE_COLUMNS)


@reaches("testing", "places")
def get_site_state(*, session: Session, site_id: int) -> dict | None:
    """A testing site's latest report as kept in its current state (for an update form)."""
    state = session.get(models.TestingSiteState, site_id)
    return None if state is None else state.model_dump()


@reaches("testing", "places")
def list_district_rounds(*, session: Session, district_code: str) -> list[tuple[int, int]]:
    """(round id, round number) of a district's testing rounds, newest first."""
    r = models.TestingRound
    query = select(r.id, r.round_no).where(r.district_code == district_code)
    return [tuple(row) for row in session.execute(query.order_by(r.round_no.desc()))]


@reaches("testing", "places")
def get_round(*, session: Session, round_id: int) -> dict | None:
    """A testing round as stored (for its update form: target, start, deadline, version)."""
    testing_round = session.get(models.TestingRound, round_id)
    return None if testing_round is None else testing_round.model_dump()
