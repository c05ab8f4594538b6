"""Folding a large batch of testing-site reports into the derived state, set by set.

A batch of a few rows folds each report into the state tables (`state.apply_site_report`);
rebuilding all of testing's state from history after a large batch cost more than writing
the batch itself. This folds a large batch per key instead:

- hourly totals: the batch's new reports are summed per (round, hour) as they stream by (a
  dict as large as the hours touched, never as the file) and added to the stored totals
  with one upsert per key (INSERT ... ON CONFLICT DO UPDATE SET sampled = sampled + ...);
  sums are additive, so this equals a rebuild from history;
- site state: for each touched site, its row is computed in SQL from its own history the
  way a rebuild does (its latest report, its latest report with a round, the sums of the
  local day of its latest report), by index look-ups per site, not a scan of history.

The state rows of touched sites are locked (sorted, created if absent) before they are
computed, so a concurrent writer's reports are either seen or wait for this batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from data import models
from data.timeutil import command_zone, day_bounds_utc, local_day
from data.writes.lookups import facility_facts

_PART = 500


def _insert(session: Session):  # noqa: ANN202
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert


class SiteReportFold:
    """Collects what a large batch of site reports touched, then folds it in."""

    def __init__(self) -> None:
        self.sites: set[int] = set()
        # (round id, UTC hour) -> [sampled, resulted, positive, pools_positive, a site id]
        self.hourly: dict[tuple[int, datetime], list[int]] = {}

    def add(self, rows: Iterable[dict]) -> None:
        """New reports of the batch (already inserted)."""
        hourly = self.hourly
        sites = self.sites
        hours: dict[datetime, datetime] = {}
        for row in rows:
            site = row["site_id"]
            sites.add(site)
            round_id = row.get("round_id")
            if round_id is None:
                continue
            moment = row["reported_at"]
            hour = hours.get(moment)
            if hour is None:
                utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
                hour = hours[moment] = utc.replace(minute=0, second=0, microsecond=0)
            totals = hourly.get((round_id, hour))
            if totals is None:
                hourly[(round_id, hour)] = [
                    row.get("sampled", 0),
                    row.get("resulted", 0),
                    row.get("positive", 0),
                    row.get("pools_positive", 0),
                    site,
                ]
            else:
                totals[0] += row.get("sampled", 0)
                totals[1] += row.get("resulted", 0)
                totals[2] += row.get("positive", 0)
                totals[3] += row.get("pools_positive", 0)

    def finish(self, session: Session) -> None:
        session.flush()
        self._hourly(session)
        self._sites(session)

    def _hourly(self, session: Session) -> None:
        if not self.hourly:
            return
        districts = facility_facts(session, {totals[4] for totals in self.hourly.values()})
        table = models.TestingHourly.__table__
        statement = _insert(session)(table)
        statement = statement.on_conflict_do_update(
            index_elements=["round_id", "hour"],
            set_={
                name: table.c[name] + statement.excluded[name]
                for name in ("sampled", "resulted", "positive", "pools_positive")
            },
        )
        rows = [
            {
                "round_id": round_id,
                "hour": hour,
                "district_code": districts[totals[4]][1],
                "sampled": totals[0],
                "resulted": totals[1],
                "positive": totals[2],
                "pools_positive": totals[3],
            }
            for (round_id, hour), totals in sorted(self.hourly.items())
        ]
        for start in range(0, len(rows), 5_000):
            session.execute(statement, rows[start : start + 5_000])

    def _sites(self, session: Session) -> None:
        ordered = sorted(self.sites)
        for start in range(0, len(ordered), _PART):
            refresh_site_states(session, ordered[start : start + _PART])


def refresh_site_states(session: Session, sites: list[int]) -> None:
    """Recompute the state rows of `sites` from their history, as a rebuild would."""
    if not sites:
        return
    r = models.TestingSiteReport
    s = models.TestingSiteState.__table__
    f = models.Facility
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # Lock the touched sites' rows (in id order: no deadlock between two batches).
        session.execute(
            postgresql.insert(s)
            .values(
                [
                    {
                        "site_id": site,
                        "last_reported_at": datetime(2000, 1, 1, tzinfo=UTC),
                        "is_open": True,
                        "queue_wait_minutes": 0,
                        "day": datetime(2000, 1, 1).date(),
                        "sampled_day": 0,
                        "resulted_day": 0,
                    }
                    for site in sites
                ]
            )
            .on_conflict_do_nothing(index_elements=["site_id"])
        )
        session.execute(
            select(s.c.site_id)
            .where(s.c.site_id.in_(sites))
            .order_by(s.c.site_id)
            .with_for_update()
        ).all()
    latest = (
        select(r.id)
        .where(r.site_id == f.id)
        .order_by(r.reported_at.desc(), r.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    with_round = (
        select(r.round_id)
        .where(r.site_id == f.id, r.round_id.is_not(None))
        .order_by(r.reported_at.desc(), r.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    picked = select(f.id, latest.label("report"), with_round.label("round")).where(f.id.in_(sites))
    chosen = {site: (report, round_id) for site, report, round_id in session.execute(picked)}
    report_ids = [report for report, _ in chosen.values() if report is not None]
    reports = (
        {
            row.site_id: row
            for row in session.execute(
                select(r.site_id, r.reported_at, r.is_open, r.queue_wait_minutes).where(
                    r.id.in_(report_ids)
                )
            )
        }
        if report_ids
        else {}
    )
    zone = command_zone()
    by_day: dict = defaultdict(list)
    for site, report in reports.items():
        by_day[local_day(report.reported_at, zone)].append(site)
    sums: dict[int, tuple[int, int]] = {}
    for day, day_sites in by_day.items():
        start, end = day_bounds_utc(day, zone)
        query = (
            select(r.site_id, func.sum(r.sampled), func.sum(r.resulted))
            .where(r.site_id.in_(day_sites), and_(r.reported_at >= start, r.reported_at < end))
            .group_by(r.site_id)
        )
        sums.update((site, (int(a or 0), int(b or 0))) for site, a, b in session.execute(query))
    session.execute(s.delete().where(s.c.site_id.in_(sites)))
    rows = [
        {
            "site_id": site,
            "round_id": chosen[site][1],
            "last_reported_at": report.reported_at,
            "is_open": report.is_open,
            "queue_wait_minutes": report.queue_wait_minutes,
            "day": local_day(report.reported_at, zone),
            "sampled_day": sums.get(site, (0, 0))[0],
            "resulted_day": sums.get(site, (0, 0))[1],
        }
        for site, report in sorted(reports.items())
    ]
    if rows:
        session.execute(s.insert(), rows)
