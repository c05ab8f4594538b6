"""What an alert is, how alerts are ordered and how a list groups them: no database, so the
components that draw alerts and the rules that raise them (data.alerts) share it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby

from data.measures.freshness import SOURCES

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


@dataclass(frozen=True)
class AlertGroup:
    """The alerts of one severity and kind, the worst first."""

    severity: str
    kind: str
    alerts: tuple[Alert, ...]
    # A group that keeps only the alerts a list draws (alert_board): how many it has in all,
    # and the page of them all.
    whole: tuple[int, str | None] | None = None

    @property
    def count(self) -> int:
        """How many alerts the group has."""
        return len(self.alerts) if self.whole is None else self.whole[0]

    @property
    def page(self) -> str | None:
        """The page that lists them all, when they share one (stale sources have each their
        own page)."""
        if self.whole is not None:
            return self.whole[1]
        pages = {alert.page for alert in self.alerts}
        return pages.pop() if len(pages) == 1 else None

    @property
    def worst(self) -> tuple[Alert, ...]:
        """The alerts a list shows of the group: its worst WORST_SHOWN, or all of them when
        only one would be left out."""
        shown = self.count if self.count <= WORST_SHOWN + 1 else WORST_SHOWN
        return self.alerts[:shown]

    @property
    def left_out(self) -> int:
        """How many of the group's alerts a list leaves out (counted, not shown)."""
        return self.count - len(self.worst)


# What acknowledging an alert needs of it: its key, kind and district. A plain tuple: a
# province's ~8,000 critical alerts' references are read back from the data cache on every
# run of the Overview (as dataclasses: 15 ms; as tuples: 1.4 ms).
AlertRef = tuple[str, str, str | None]


def alert_ref(alert: Alert) -> AlertRef:
    """What acknowledging `alert` needs of it."""
    return (alert.key, alert.kind, alert.district_code)


@dataclass(frozen=True)
class AlertBoard:
    """What a list draws of the alerts (the Overview's): how many of each severity, each
    group with only its worst and the next `expanded` alerts (and its count and page), and
    every critical alert's reference (to acknowledge them all). A province's ~10,000 alerts
    were read back whole and sorted again on every run of the page."""

    critical: int
    warning: int
    groups: tuple[AlertGroup, ...]
    critical_refs: tuple[AlertRef, ...]


def alert_board(alerts: Iterable[Alert], *, expanded: int) -> AlertBoard:
    """The board of `alerts` for a list that opens `expanded` more of a group on demand."""
    groups = group_alerts(alerts)
    kept = tuple(
        AlertGroup(
            group.severity,
            group.kind,
            group.alerts[: len(group.worst) + expanded],
            whole=(group.count, group.page),
        )
        for group in groups
    )
    critical = [alert for group in groups if group.severity == "critical" for alert in group.alerts]
    return AlertBoard(
        critical=len(critical),
        warning=sum(group.count for group in groups) - len(critical),
        groups=kept,
        critical_refs=tuple(alert_ref(alert) for alert in critical),
    )


def group_alerts(alerts: Iterable[Alert]) -> list[AlertGroup]:
    """Alerts by severity (most severe first) and kind (ALERT_KINDS order), each group in
    sort_alerts' order (the worst first)."""
    return [
        AlertGroup(severity, kind, tuple(members))
        for (severity, kind), members in groupby(
            sort_alerts(list(alerts)), key=lambda alert: (alert.severity, alert.kind)
        )
    ]
