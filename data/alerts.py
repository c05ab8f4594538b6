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
kind (`group_alerts`), each group showing its worst few (`WORST_SHOWN`) and counting the
rest, so that a hundred short supply lines never hide a full hotel or a stale source.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from sqlmodel import Session

from data.measures.freshness import SOURCE_PAGES, SOURCES
from data.queries.audits import list_facility_audit_status
from data.queries.common import Clock
from data.queries.freshness import list_source_freshness
from data.queries.hotels import list_hotels
from data.queries.supplies import list_stock_lines
from data.queries.testing import list_round_outlook, list_site_status
from data.timeutil import as_utc, local_day

# Alert kinds, in the order alerts of one severity are listed.
ALERT_KINDS: tuple[str, ...] = (
    "round_behind",
    "hotel_full",
    "supply_short",
    "queue_long",
    "action_overdue",
    "source_stale",
)
# Most severe first.
SEVERITIES: tuple[str, ...] = ("critical", "warning")
# A list of alerts shows this many of each group (severity and kind), the worst first, or
# one more rather than hide a single alert behind "1 more".
WORST_SHOWN = 3


@dataclass(frozen=True)
class Alert:
    """One thing needing attention: what (kind, key), how urgent, where to look, and the
    values its sentence says (names as name_zh/name_en, numbers, moments in UTC)."""

    key: str
    kind: str
    severity: str
    page: str
    district_code: str | None
    values: Mapping[str, object] = field(default_factory=dict)


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


def _supply_alerts(session: Session, at: datetime) -> list[Alert]:
    lines = list_stock_lines(session=session, today=local_day(at), at=at)
    short = lines[lines["level"] == "critical"]
    return [
        Alert(
            key=f"supply_short:{int(row.item_id)}:{int(row.location_id)}",
            kind="supply_short",
            severity="critical",
            page="supplies",
            district_code=row.district_code,
            values={
                "name_zh": row.location_name_zh,
                "name_en": row.location_name_en,
                "item_zh": row.item_name_zh,
                "item_en": row.item_name_en,
                "days": math.floor(float(row.days_of_supply)),
                "on_hand": int(row.on_hand),
                "unit_zh": row.unit_zh,
                "unit_en": row.unit_en,
            },
        )
        for row in short.itertuples(index=False)
    ]


def _queue_alerts(session: Session, at: datetime) -> list[Alert]:
    sites = list_site_status(session=session, now=at, today=local_day(at))
    red = sites[sites["band"] == "red"]
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


def _source_rank(alert: Alert) -> int:
    source = alert.values.get("source")
    return SOURCES.index(source) if source in SOURCES else 0


# Within a kind, the worst first: a line out of stock before one with 3 days left, the
# fullest hotel, the longest queue, the most overdue actions, the least-sampled round.
_WORST_FIRST: dict[str, tuple[tuple[str, int], ...]] = {
    "supply_short": (("days", 1), ("on_hand", 1)),
    "hotel_full": (("percent", -1),),
    "queue_long": (("minutes", -1),),
    "action_overdue": (("overdue", -1),),
    "round_behind": (("percent", 1),),
}


def _worst_first(alert: Alert) -> tuple:
    return tuple(
        sign * alert.values.get(name, 0) for name, sign in _WORST_FIRST.get(alert.kind, ())
    )


def sort_alerts(alerts: list[Alert]) -> list[Alert]:
    """Most severe first; then by kind (ALERT_KINDS order), the worst of a kind first (a
    line out of stock before one with days left), district, source (SOURCES order) and
    key."""
    return sorted(
        alerts,
        key=lambda alert: (
            SEVERITIES.index(alert.severity),
            ALERT_KINDS.index(alert.kind),
            _worst_first(alert),
            alert.district_code or "",
            _source_rank(alert),
            alert.key,
        ),
    )


def compute_alerts(session: Session, *, at: datetime) -> list[Alert]:
    """Every alert as of `at` (nothing reported after it counts), most severe first."""
    at = as_utc(at)
    alerts: list[Alert] = []
    for rule in _RULES:
        alerts.extend(rule(session, at))
    return sort_alerts(alerts)


@dataclass(frozen=True)
class AlertGroup:
    """The alerts of one severity and kind, the worst first."""

    severity: str
    kind: str
    alerts: tuple[Alert, ...]

    @property
    def page(self) -> str | None:
        """The page that lists them all, when they share one (stale sources have each their
        own page)."""
        pages = {alert.page for alert in self.alerts}
        return pages.pop() if len(pages) == 1 else None

    @property
    def worst(self) -> tuple[Alert, ...]:
        """The alerts a list shows of the group: its worst WORST_SHOWN, or all of them when
        only one would be left out."""
        shown = len(self.alerts) if len(self.alerts) <= WORST_SHOWN + 1 else WORST_SHOWN
        return self.alerts[:shown]

    @property
    def left_out(self) -> int:
        """How many of the group's alerts a list leaves out (counted, not shown)."""
        return len(self.alerts) - len(self.worst)


def group_alerts(alerts: Iterable[Alert]) -> list[AlertGroup]:
    """Alerts by severity (most severe first) and kind (ALERT_KINDS order), each group in
    sort_alerts' order (the worst first)."""
    return [
        AlertGroup(severity, kind, tuple(members))
        for (severity, kind), members in groupby(
            sort_alerts(list(alerts)), key=lambda alert: (alert.severity, alert.kind)
        )
    ]
