"""Reads about mass-testing rounds and testing sites.

Every read here aggregates the rollup and current-state tables (`testinghourly`,
`testingsitestate`); none scans the site-report history.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import case, func, select
from sqlmodel import Session

from data import models
from data.measures.testing import (
    DEFAULT_WINDOW_HOURS,
    QUEUE_BANDS,
    floor_hour,
    pending_results,
    percent_complete,
    queue_band,
    round_outlook,
    stale_flags,
)
from data.timeutil import as_utc

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


def list_round_totals(
    *,
    session: Session,
    under_way_at: datetime | None = None,
    as_of: datetime | None = None,
) -> pd.DataFrame:
    """Each round with its totals (up to `as_of` if given); only rounds under way at a moment."""
    r, h, d = models.TestingRound, models.TestingHourly, models.District
    totals = select(
        h.round_id,
        func.sum(h.sampled).label("sampled"),
        func.sum(h.resulted).label("resulted"),
        func.sum(h.positive).label("positive"),
        func.sum(h.pools_positive).label("pools_positive"),
    ).group_by(h.round_id)
    if as_of is not None:
        totals = totals.where(h.hour <= as_of)
    totals = totals.subquery()
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


def _sampled_since(session: Session, since: datetime, now: datetime) -> dict[int, int]:
    """Samples per round in the hourly buckets from `since` up to `now`."""
    h = models.TestingHourly
    query = (
        select(h.round_id, func.sum(h.sampled))
        .where(h.hour >= since, h.hour <= now)
        .group_by(h.round_id)
    )
    return {round_id: int(sampled or 0) for round_id, sampled in session.execute(query)}


def _completed_hours(session: Session, now: datetime) -> dict[int, datetime]:
    """Per round, the first hourly bucket (up to `now`) in which the target was reached."""
    h, r = models.TestingHourly, models.TestingRound
    running = (
        select(
            h.round_id,
            h.hour,
            r.target_population,
            func.sum(h.sampled).over(partition_by=h.round_id, order_by=h.hour).label("cumulative"),
        )
        .join(r, r.id == h.round_id)
        .where(h.hour <= now)
        .subquery()
    )
    query = (
        select(running.c.round_id, func.min(running.c.hour))
        .where(running.c.cumulative >= running.c.target_population)
        .group_by(running.c.round_id)
    )
    return {round_id: as_utc(hour) for round_id, hour in session.execute(query)}


def list_round_outlook(
    *, session: Session, now: datetime, window_hours: int = DEFAULT_WINDOW_HOURS
) -> pd.DataFrame:
    """Every round as of `now`: totals, pending, percent, throughput and deadline outlook."""
    rounds = list_round_totals(session=session, as_of=now)
    # One window for all rounds: a round begun within it has no samples before its start, so
    # its share is the same as over its own (shorter) window, which round_outlook divides by.
    window = _sampled_since(session, floor_hour(now - timedelta(hours=window_hours)), now)
    completed = _completed_hours(session, now)
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
            completed_hour=completed.get(row.round_id),
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


def list_round_hourly(
    *, session: Session, round_ids: tuple[int, ...], until: datetime
) -> pd.DataFrame:
    """Per round and hour up to `until`: the hour's counts, cumulative counts and pending."""
    if not round_ids:
        return pd.DataFrame(columns=HOURLY_COLUMNS)
    h = models.TestingHourly
    window = {"partition_by": h.round_id, "order_by": h.hour}
    query = (
        select(
            h.round_id,
            h.hour,
            h.sampled,
            h.resulted,
            h.positive,
            h.pools_positive,
            func.sum(h.sampled).over(**window).label("cum_sampled"),
            func.sum(h.resulted).over(**window).label("cum_resulted"),
        )
        .where(h.round_id.in_(round_ids), h.hour <= until)
        .order_by(h.round_id, h.hour)
    )
    table = pd.DataFrame(session.execute(query).mappings().all(), columns=HOURLY_COLUMNS[:-1])
    table["pending"] = (table["cum_sampled"] - table["cum_resulted"]).clip(lower=0)
    return table


def list_backlog_by_district(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    """Samples awaiting results per district, at the end of each hour from `since` to `until`.

    Every round counts (the lab's queue holds them all); an hour without reports carries the
    previous backlog forward. Districts with no backlog in the whole period are left out.
    """
    h, d = models.TestingHourly, models.District
    start, end = floor_hour(as_utc(since)), floor_hour(as_utc(until))
    if end < start:
        return pd.DataFrame(columns=BACKLOG_COLUMNS)
    before = dict(
        session.execute(
            select(h.district_code, func.sum(h.sampled) - func.sum(h.resulted))
            .where(h.hour < start)
            .group_by(h.district_code)
        ).all()
    )
    hourly = pd.DataFrame(
        session.execute(
            select(
                h.district_code,
                h.hour,
                (func.sum(h.sampled) - func.sum(h.resulted)).label("net"),
            )
            .where(h.hour >= start, h.hour <= end)
            .group_by(h.district_code, h.hour)
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


def list_site_status(
    *,
    session: Session,
    now: datetime,
    today: date,
    district_codes: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Testing sites, worst queue first: open or closed, queue wait, sampled today, staleness.

    A site that has never reported counts as closed and stale. Only the districts given, if any.
    """
    f, s, d = models.Facility, models.TestingSiteState, models.District
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
            s.round_id,
            func.coalesce(s.is_open, False).label("is_open"),
            func.coalesce(s.queue_wait_minutes, 0).label("queue_wait_minutes"),
            case((s.day == today, s.sampled_day), else_=0).label("sampled_today"),
            s.last_reported_at,
            f.report_interval_minutes,
        )
        .join(d, d.code == f.district_code)
        .outerjoin(s, s.site_id == f.id)
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


def get_site_state(*, session: Session, site_id: int) -> dict | None:
    """A testing site's latest report as kept in its current state (for an update form)."""
    state = session.get(models.TestingSiteState, site_id)
    return None if state is None else state.model_dump()


def list_district_rounds(*, session: Session, district_code: str) -> list[tuple[int, int]]:
    """(round id, round number) of a district's testing rounds, newest first."""
    r = models.TestingRound
    query = select(r.id, r.round_no).where(r.district_code == district_code)
    return [tuple(row) for row in session.execute(query.order_by(r.round_no.desc()))]


def get_round(*, session: Session, round_id: int) -> dict | None:
    """A testing round as stored (for its update form: target, start, deadline, version)."""
    testing_round = session.get(models.TestingRound, round_id)
    return None if testing_round is None else testing_round.model_dump()
