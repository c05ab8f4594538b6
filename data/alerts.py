"""The command hall's alerts: what needs someone's attention now, as of a moment T.

Each rule reads the figure its own page shows, through that page's query, so that an alert
and its page never disagree:

- `round_behind`: a testing round under way that will finish after its deadline at its
  recent throughput (or never, with no samples in the window), or whose deadline has passed
  short of its target (data.measures.testing.round_outlook: `behind`, `missed`);
  critical when missed or never finishing, else a warning.
- `hotel_full`: an active quarantine hotel at 95 % occupancy or more (the hotels page's red
  band); critical when no room is free, else a warning.
- `supply_short`: a stock line with 3 whole days of supply or less (the supplies page's
  `critical` level, bands 0 and 1-3); critical.
- `queue_long`: an open testing site whose queue is over 60 minutes (the testing page's red
  band); a warning.
- `action_overdue`: a facility with corrective actions still open after their due date
  (due yesterday or earlier); a warning.
- `source_stale`: a source (testing sites, hotels, stock, audits, cases) with reporters
  that have not reported within their expected interval (data.measures.freshness); a warning.

An alert's `key` names the thing it is about (the round, hotel, stock line, site, facility
or source), so that the same problem keeps its key from one refresh to the next.

Wherever alerts are listed (the Overview, the briefing) they are grouped by severity and
kind (data.measures.alerts.group_alerts, no database), each group showing its worst few and
counting the rest, so that a hundred short supply lines never hide a full hotel or a stale
source.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlmodel import Session

from data.measures.alerts import Alert, AlertBoard, alert_board, sort_alerts
from data.measures.freshness import SOURCE_PAGES
from data.queries.audits import list_facility_audit_status
from data.queries.common import Clock
from data.queries.freshness import list_source_freshness
from data.queries.hotels import list_hotels
from data.queries.supplies import list_stock_lines
from data.queries.testing import list_long_queues, list_round_outlook
from data.timeutil import as_utc, local_day

__all__ = ["Alert", "compute_alerts"]


def _round_alerts(session: Session, at: datetime) -> list[Alert]:
    rounds = list_round_outlook(session=session, now=at)
    alerts = []
    for row in rounds[rounds["status"].isin(["behind", "missed"])].itertuples(index=False):
        never = bool(row.never_finishes)
        critical = row.status == "missed" or never
        alerts.append(
            Alert(
                key=f"round_behind:{int(row.round_id)}",
                kind="round_behind",
                severity="critical" if critical else "warning",
                page="testing",
                district_code=row.district_code,
                values={
                    "name_zh": row.name_zh,
                    "name_en": row.name_en,
                    "round_no": int(row.round_no),
                    "status": row.status,
                    "percent": float(row.percent),
                    "sampled": int(row.sampled),
                    "target": int(row.target_population),
                    "deadline_at": as_utc(row.deadline_at),
                    "projected_at": None if never else as_utc(row.projected_at),
                    "never_finishes": never,
                },
            )
        )
    return alerts


def _hotel_alerts(session: Session, at: datetime) -> list[Alert]:
    clock = Clock(now=at, today=local_day(at), replay=True)
    hotels = list_hotels(session=session, clock=clock)
    red = hotels[(hotels["status"] == "active") & (hotels["occupancy_band"] == "red")]
    return [
        Alert(
            key=f"hotel_full:{int(row.hotel_id)}",
            kind="hotel_full",
            severity="critical" if int(row.rooms_available) == 0 else "warning",
            page="hotels",
            district_code=row.district_code,
            values={
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "percent": float(row.occupancy_percent),
                "available": int(row.rooms_available),
                "total": int(row.rooms_total),
            },
        )
        for row in red.itertuples(index=False)
    ]


SUPPLY_ALERT_COLUMNS = [
    "item_id",
    "location_id",
    "district_code",
    "location_name_zh",
    "location_name_en",
    "item_name_zh",
    "item_name_en",
    "days_of_supply",
    "on_hand",
    "unit_zh",
    "unit_en",
]


def _supply_alerts(session: Session, at: datetime) -> list[Alert]:
    lines = list_stock_lines(session=session, today=local_day(at), at=at)
    # Only the columns an alert takes, as plain lists: a province has ~8,000 lines at 3 days
    # or less, and a row tuple of every column of each cost a tenth of the Overview's run.
    short = lines.loc[lines["level"] == "critical", SUPPLY_ALERT_COLUMNS]
    return [
        Alert(
            key=f"supply_short:{item_id}:{location_id}",
            kind="supply_short",
            severity="critical",
            page="supplies",
            district_code=district_code,
            values={
                "name_zh": name_zh,
                "name_en": name_en,
                "item_zh": item_zh,
                "item_en": item_en,
                "days": math.floor(days),
                "on_hand": on_hand,
                "unit_zh": unit_zh,
                "unit_en": unit_en,
            },
        )
        for (
            item_id,
            location_id,
            district_code,
            name_zh,
            name_en,
            item_zh,
            item_en,
            days,
            on_hand,
            unit_zh,
            unit_en,
        ) in zip(*(short[column].tolist() for column in SUPPLY_ALERT_COLUMNS), strict=True)
    ]


def _queue_alerts(session: Session, at: datetime) -> list[Alert]:
    red = list_long_queues(session=session, now=at)
    return [
        Alert(
            key=f"queue_long:{int(row.site_id)}",
            kind="queue_long",
            severity="warning",
            page="testing",
            district_code=row.district_code,
            values={
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "minutes": int(row.queue_wait_minutes),
            },
        )
        for row in red.itertuples(index=False)
    ]


def _action_alerts(session: Session, at: datetime) -> list[Alert]:
    facilities = list_facility_audit_status(session=session, today=local_day(at), at=at)
    overdue = facilities[facilities["overdue_actions"] > 0]
    return [
        Alert(
            key=f"action_overdue:{int(row.facility_id)}",
            kind="action_overdue",
            severity="warning",
            page="audits",
            district_code=row.district_code,
            values={
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "overdue": int(row.overdue_actions),
                "open": int(row.open_actions),
            },
        )
        for row in overdue.itertuples(index=False)
    ]


def _stale_alerts(session: Session, at: datetime) -> list[Alert]:
    return [
        Alert(
            key=f"source_stale:{row.source}",
            kind="source_stale",
            severity="warning",
            page=SOURCE_PAGES[row.source],
            district_code=None,
            values={
                "source": row.source,
                "stale": row.stale,
                "reporters": row.reporters,
                "last_reported_at": row.last_reported_at,
            },
        )
        for row in list_source_freshness(session=session, at=at)
        if row.stale > 0
    ]


_RULES = (
    _round_alerts,
    _hotel_alerts,
    _supply_alerts,
    _queue_alerts,
    _action_alerts,
    _stale_alerts,
)


def compute_alerts(session: Session, *, at: datetime) -> list[Alert]:
    """Every alert as of `at` (nothing reported after it counts), most severe first."""
    at = as_utc(at)
    alerts: list[Alert] = []
    for rule in _RULES:
        alerts.extend(rule(session, at))
    return sort_alerts(alerts)


def get_alert_board(session: Session, *, at: datetime, expanded: int) -> AlertBoard:
    """What the Overview's list draws of the alerts as of `at` (measures.alerts.alert_board):
    cached as a read, so that a run takes back only that, not every alert."""
    return alert_board(compute_alerts(session, at=at), expanded=expanded)
