"""Mass-testing arithmetic: completion, the lab backlog, throughput and the deadline outlook.

A round's throughput is the samples taken per hour over a recent window (the last six hours
by default, never reaching back before the round began); its projected completion is now plus
the samples still to take divided by that throughput. A round is on track while its projected
completion is no later than its deadline. With no samples in the window it never finishes at
the current rate, and the outlook says so rather than dividing by zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

DEFAULT_WINDOW_HOURS = 6
# Queue waits over these many minutes are amber and red.
QUEUE_AMBER_MINUTES = 30
QUEUE_RED_MINUTES = 60
# Round statuses, most urgent first: the page sorts and colours by them.
ROUND_STATUSES = ("missed", "behind", "on_track", "upcoming", "complete")
# Site queue bands, worst first.
QUEUE_BANDS = ("red", "amber", "ok", "closed")

_HOUR = timedelta(hours=1)


def percent_complete(sampled: int, target: int) -> float:
    """Sampled as a percentage of the target population, capped at 100."""
    if target <= 0:
        raise ValueError(f"target population must be positive: {target}")
    return min(100.0, 100.0 * sampled / target)


def pending_results(sampled: int, resulted: int) -> int:
    """Samples taken whose result is not out yet (the lab backlog)."""
    return max(0, sampled - resulted)


def floor_hour(moment: datetime) -> datetime:
    """The start of the hour `moment` falls in (the hourly rollup's bucket)."""
    return moment.replace(minute=0, second=0, microsecond=0)


def throughput_window_start(now: datetime, start_at: datetime, window_hours: float) -> datetime:
    """Where a round's recent window begins: `window_hours` back, not before the round began.

    It is aligned to the hourly buckets, so the buckets from it up to now hold exactly the
    samples of the window.
    """
    if window_hours <= 0:
        raise ValueError(f"the throughput window must be positive: {window_hours}")
    return floor_hour(max(now - timedelta(hours=window_hours), start_at))


def throughput_per_hour(sampled_in_window: int, window_start: datetime, now: datetime) -> float:
    """Samples per hour between the window's start and now; 0 when no time has passed."""
    hours = (now - window_start) / _HOUR
    if hours <= 0:
        return 0.0
    return max(0, sampled_in_window) / hours


def projected_completion(
    now: datetime, sampled: int, target: int, per_hour: float
) -> datetime | None:
    """When the round reaches its target at `per_hour`; None when it never does (no throughput)."""
    remaining = target - sampled
    if remaining <= 0:
        return now
    if per_hour <= 0:
        return None
    return now + timedelta(hours=remaining / per_hour)


def hours_between(earlier: datetime, later: datetime) -> float:
    """Hours from `earlier` to `later` (negative when `later` is earlier)."""
    return (later - earlier) / _HOUR


@dataclass(frozen=True)
class RoundOutlook:
    """Where a round stands against its deadline.

    status: `upcoming` (not begun), `on_track`, `behind` (will finish after the deadline, or
    never at the current rate), `missed` (deadline passed, target not reached) or `complete`.
    `projected_at` is None when the round never finishes at the current rate. `hours_late`
    is how long after the deadline it finishes (projected, or actually for a complete
    round); None when it is not late or never finishes.
    """

    status: str
    per_hour: float
    projected_at: datetime | None
    hours_late: float | None
    completed_at: datetime | None = None

    @property
    def never_finishes(self) -> bool:
        """Under way, short of its target, and no samples in the recent window."""
        return self.status in ("behind", "missed") and self.projected_at is None

    @property
    def on_time(self) -> bool | None:
        """For a complete round: whether it completed by its deadline."""
        if self.status != "complete":
            return None
        return self.hours_late is None


def round_outlook(
    *,
    now: datetime,
    start_at: datetime,
    deadline_at: datetime,
    target: int,
    sampled: int,
    sampled_in_window: int,
    completed_at: datetime | None,
    window_hours: float = DEFAULT_WINDOW_HOURS,
) -> RoundOutlook:
    """The outlook of a round at `now`, from its totals and its recent samples.

    `completed_at` is when the report that brought the cumulative count to the target was
    made (the moment it happened, not the end of its hour); unknown, it is `now`.
    """
    if target <= 0:
        raise ValueError(f"target population must be positive: {target}")
    if sampled >= target:
        completed_at = now if completed_at is None else min(completed_at, now)
        late = hours_between(deadline_at, completed_at)
        return RoundOutlook(
            status="complete",
            per_hour=0.0,
            projected_at=completed_at,
            hours_late=late if late > 0 else None,
            completed_at=completed_at,
        )
    if now < start_at and sampled == 0:
        return RoundOutlook(status="upcoming", per_hour=0.0, projected_at=None, hours_late=None)
    window_start = throughput_window_start(now, start_at, window_hours)
    per_hour = throughput_per_hour(sampled_in_window, window_start, now)
    projected = projected_completion(now, sampled, target, per_hour)
    late = None if projected is None else hours_between(deadline_at, projected)
    if now > deadline_at:
        status = "missed"
    elif projected is None or projected > deadline_at:
        status = "behind"
    else:
        status = "on_track"
    return RoundOutlook(
        status=status,
        per_hour=per_hour,
        projected_at=projected,
        hours_late=late if late is not None and late > 0 else None,
    )


def queue_band(is_open: bool, queue_wait_minutes: int) -> str:
    """`closed`, else `red` over 60 minutes' wait, `amber` over 30, else `ok`."""
    if not is_open:
        return "closed"
    if queue_wait_minutes > QUEUE_RED_MINUTES:
        return "red"
    if queue_wait_minutes > QUEUE_AMBER_MINUTES:
        return "amber"
    return "ok"


def stale_flags(
    last_reported_at: pd.Series, now: datetime, interval_minutes: pd.Series
) -> pd.Series:
    """Per source, whether it has not reported within its expected interval before `now`
    (one that never reported, NaT, is stale). Vectorised: a city has thousands of sites."""
    last = pd.to_datetime(last_reported_at, utc=True)
    overdue = (pd.Timestamp(now) - last) > pd.to_timedelta(interval_minutes, unit="min")
    return (last.isna() | overdue).astype(bool)


def default_round_ids(
    rounds: Sequence[tuple[int, str, datetime, datetime]], now: datetime
) -> list[int]:
    """Rounds to show first, from (id, district, start, deadline): those under way at `now`;
    else each district's latest round begun by now; else the rounds that begin soonest.

    The testing page chooses these by default and the Overview's testing card counts them,
    so that the two show one figure."""
    under_way = [rid for rid, _, start, deadline in rounds if start <= now <= deadline]
    if under_way:
        return under_way
    latest: dict[str, tuple[datetime, int]] = {}
    for rid, district, start, _ in rounds:
        if start <= now and (district not in latest or start > latest[district][0]):
            latest[district] = (start, rid)
    if latest:
        return [rid for _, rid in sorted(latest.values())]
    if not rounds:
        return []
    soonest = min(start for _, _, start, _ in rounds)
    return [rid for rid, _, start, _ in rounds if start == soonest]


def sampled_toward_targets(sampled: Sequence[int], targets: Sequence[int]) -> int:
    """Samples of several rounds that count toward their targets: each capped at its target."""
    if len(sampled) != len(targets):
        raise ValueError("each round needs its sampled count and its target")
    return sum(min(count, target) for count, target in zip(sampled, targets, strict=True))


def combined_percent(sampled: Sequence[int], targets: Sequence[int]) -> float | None:
    """Completion of several rounds together: each round's sampled capped at its target,
    over the sum of targets; None for no rounds."""
    done = sampled_toward_targets(sampled, targets)
    total = sum(targets)
    if total <= 0:
        return None
    return 100.0 * done / total
