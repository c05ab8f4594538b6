"""Mass testing: rounds per district, and what every sampling site reports while they run.

Each round samples its target along a daily rhythm (busy mornings and evenings, quiet
nights), finishing near its deadline; one historical round finishes a few hours late, and of
the two rounds running at "as of" one is on track and one clearly behind. Labs work through
the samples a few hours behind, so a backlog builds by day and clears after the round.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from data.demo.cases import STREET_WEIGHTS, CasePlan
from data.demo.facilities import FacilityPlan
from data.demo.places import (
    BAIYUN,
    HAIZHU,
    LIWAN,
    PANYU,
    TIANHE,
    YUEXIU,
)
from data.demo.timeline import LAST_DAY, Scale, Timeline
from data.reference.districts import DISTRICT_TABLE

# Results come out at least this long after sampling (transport, pooling, the PCR run).
LAB_DELAY_HOURS = 3.0
# Labs test this many times the round's average sampling rate: enough by night, not at peaks.
LAB_CAPACITY_FACTOR = 1.35
# Share of the round's cases that its sampling finds; the rest were found by tracing.
POSITIVE_SHARE = 0.6
# Relative sampling intensity by local hour: quiet nights, busy mornings and evenings.
HOUR_WEIGHTS = (
    0.2, 0.15, 0.15, 0.15, 0.2, 0.3, 0.6, 0.9, 1.3, 1.4, 1.3, 1.2,
    1.0, 1.0, 1.1, 1.2, 1.2, 1.1, 1.2, 1.3, 1.2, 1.0, 0.7, 0.4,
)  # fmt: skip
DAY_ONLY_HOURS = range(7, 23)
# After sampling ends, sites keep reporting (closed) until the lab has cleared the backlog.
LAB_TAIL = timedelta(hours=LAB_DELAY_HOURS + 3.0)
QUEUE_MAX_MINUTES = 95


@dataclass(frozen=True)
class RoundSpec:
    """A round as planned: district, number, scope, start, allowed hours and actual pace."""

    district: str
    round_no: int
    scope: str
    start: tuple[int, float]
    hours: float
    pace: float
    target_share: float = 1.0
    queue_factor: float = 1.0


def round_specs() -> list[RoundSpec]:
    """The rounds of the scenario, in the order of the original outbreak."""
    specs = [
        RoundSpec(LIWAN, 1, "whole", (5, 8.0), 60, 0.93),
        RoundSpec(LIWAN, 2, "whole", (9, 8.0), 48, 0.9),
        RoundSpec(LIWAN, 3, "whole", (13, 6.0), 24, 0.85),
        RoundSpec(YUEXIU, 1, "whole", (10, 8.0), 48, 0.94),
        # Haizhu's first whole-district round finishes about four hours after its deadline.
        RoundSpec(HAIZHU, 1, "whole", (10, 8.0), 48, 1.08, queue_factor=1.4),
        RoundSpec(TIANHE, 1, "partial", (10, 14.0), 48, 0.9, 0.3),
        RoundSpec(BAIYUN, 1, "partial", (11, 8.0), 48, 0.92, 0.25),
        RoundSpec(PANYU, 1, "partial", (11, 8.0), 48, 0.9, 0.4),
    ]
    last_round = {spec.district: spec.round_no for spec in specs}
    for code, *_ in DISTRICT_TABLE:
        number = last_round.get(code, 0) + 1
        pace = 0.9 + 0.01 * (int(code) % 7)
        specs.append(RoundSpec(code, number, "whole", (14, 8.0), 62, pace))
        last_round[code] = number
    # Running at "as of": Liwan on track, Panyu clearly behind (long queues, too few sites).
    specs.append(RoundSpec(LIWAN, last_round[LIWAN] + 1, "whole", (LAST_DAY - 1, 8.0), 48, 0.88))
    specs.append(
        RoundSpec(
            PANYU,
            last_round[PANYU] + 1,
            "partial",
            (LAST_DAY - 1, 8.0),
            48,
            1.6,
            0.35,
            queue_factor=2.0,
        )
    )
    return specs


@dataclass
class RoundPlan:
    """A round with its times, target, taking part sites and inserted id."""

    spec: RoundSpec
    target: int
    start_at: datetime
    deadline_at: datetime
    finish_at: datetime
    sites: list[FacilityPlan] = field(default_factory=list)
    id: int | None = None

    def row(self) -> dict[str, Any]:
        """The testinground table row."""
        return {
            "district_code": self.spec.district,
            "round_no": self.spec.round_no,
            "scope": self.spec.scope,
            "target_population": self.target,
            "start_at": self.start_at,
            "deadline_at": self.deadline_at,
        }


def _round_sites(
    rng: random.Random, spec: RoundSpec, sites: list[FacilityPlan]
) -> list[FacilityPlan]:
    """Every active site of the district, or for a partial round those of some streets."""
    active = [site for site in sites if site.district_code == spec.district]
    active = [site for site in active if site.status == "active"]
    if spec.scope == "whole":
        return active
    streets = sorted({site.street.name_zh for site in active})
    preferred = [name for name in STREET_WEIGHTS.get(spec.district, {}) if name in streets]
    others = [name for name in streets if name not in preferred]
    rng.shuffle(others)
    chosen: set[str] = set()
    for name in (*preferred, *others):
        chosen.add(name)
        if sum(site.street.name_zh in chosen for site in active) >= spec.target_share * len(active):
            break
    return [site for site in active if site.street.name_zh in chosen]


def plan_rounds(
    rng: random.Random, timeline: Timeline, sites: list[FacilityPlan]
) -> list[RoundPlan]:
    """Rounds with targets (district population, or a share for partial rounds) and times."""
    population = {code: people for code, *_, people in DISTRICT_TABLE}
    plans = []
    for spec in round_specs():
        start_at = timeline.at(*spec.start)
        target = population[spec.district]
        if spec.scope == "partial":
            target = round(target * spec.target_share, -3)
        plans.append(
            RoundPlan(
                spec=spec,
                target=target,
                start_at=start_at,
                deadline_at=start_at + timedelta(hours=spec.hours),
                finish_at=start_at + timedelta(hours=spec.hours * spec.pace),
                sites=_round_sites(rng, spec, sites),
            )
        )
    return plans


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to `weights` that add up to exactly `total`."""
    scale = sum(weights)
    shares = [total * weight / scale for weight in weights]
    counts = [int(share) for share in shares]
    order = sorted(range(len(shares)), key=lambda index: (counts[index] - shares[index], index))
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


class SlotGrid:
    """Report times on a fixed grid from day 0 00:00 local, one every `interval` minutes."""

    # The grid runs past "as of" to a horizon, so that a running round's plan is known in
    # full; no report is generated for a slot after "as of".

    def __init__(self, timeline: Timeline, interval_minutes: int, horizon: datetime) -> None:
        """Lay out the slots from day 0 to `horizon`."""
        self.timeline = timeline
        self.step = timedelta(minutes=interval_minutes)
        self.hours = interval_minutes / 60.0
        origin = timeline.at(0)
        count = int((max(horizon, timeline.as_of) - origin) / self.step) + 2
        self.times = [origin + self.step * index for index in range(count)]
        self.local_hours = [timeline.local_hour(moment) for moment in self.times]

    def first_after(self, moment: datetime) -> int:
        """Index of the first slot strictly after `moment`."""
        return bisect_right(self.times, moment) if moment >= self.times[0] else 0

    def intensity(self, index: int, start: datetime, finish: datetime) -> float:
        """Sampling effort in the period ending at slot `index`, within [start, finish]."""
        end = self.times[index]
        begin = end - self.step
        overlap = (min(end, finish) - max(begin, start)).total_seconds() / 3600.0
        if overlap <= 0:
            return 0.0
        elapsed = (begin - start).total_seconds() / max(1.0, (finish - start).total_seconds())
        middle_hour = self.local_hours[index] - self.hours / 2.0
        weight = HOUR_WEIGHTS[int(middle_hour) % 24]
        return weight * overlap * (1.25 - 0.5 * min(1.0, max(0.0, elapsed)))


def _round_positives(
    rng: random.Random, plan: RoundPlan, cases: list[CasePlan], timeline: Timeline
) -> tuple[int, int]:
    """Positive people and positive pools a round finds, from the district's case curve."""
    first_day = timeline.offset_of(plan.start_at)
    last_day = timeline.offset_of(min(plan.finish_at, timeline.as_of)) + 1
    found = sum(
        1
        for case in cases
        if case.source == "local"
        and case.place.district_code == plan.spec.district
        and first_day - 1 <= case.report_day <= last_day
    )
    positives = round(found * POSITIVE_SHARE)
    return positives, positives + rng.randint(1, 3)


@dataclass
class _SiteRun:
    """One site's part in a round: its report offset and its share of the samples."""

    site: FacilityPlan
    offset: timedelta
    total: int = 0
    raw: list[float] = field(default_factory=list)


def _round_reports(
    rng: random.Random,
    plan: RoundPlan,
    grid: SlotGrid,
    window: tuple[int, int],
    offsets: dict[int, timedelta],
    positives: tuple[int, int],
) -> list[dict[str, Any]]:
    """The reports of every site of one round in its window of slots (both ends included)."""
    first, last = window
    timeline = grid.timeline
    # Completed rounds overshoot their target a little: visitors and re-tests.
    total = round(plan.target * rng.uniform(1.003, 1.012))
    effort = [grid.intensity(k, plan.start_at, plan.finish_at) for k in range(first, last + 1)]
    mean_effort = sum(effort) / max(1, sum(1 for value in effort if value > 0))
    runs = [_SiteRun(site, offsets[index]) for index, site in enumerate(plan.sites)]
    for run, share in zip(
        runs, _largest_remainder(total, [run.site.traits["size"] for run in runs]), strict=True
    ):
        run.total = share
    lag = math.ceil(LAB_DELAY_HOURS / grid.hours)
    planned_hours = (plan.finish_at - plan.start_at).total_seconds() / 3600.0
    first_day_end = plan.start_at + timedelta(hours=12)
    reports: list[dict[str, Any]] = []
    for run in runs:
        day_only = run.site.traits["day_only"] > 0
        open_slot = [
            value > 0 and (not day_only or int(grid.local_hours[first + i]) in DAY_ONLY_HOURS)
            for i, value in enumerate(effort)
        ]
        raw = [
            value * rng.uniform(0.75, 1.25) if is_open else 0.0
            for value, is_open in zip(effort, open_slot, strict=True)
        ]
        scale = run.total / (sum(raw) or 1.0)
        capacity = math.ceil(run.total / planned_hours * LAB_CAPACITY_FACTOR * grid.hours)
        cumulative, sampled_so_far, resulted_so_far = 0.0, [], 0
        base_queue = run.site.traits["queue_base"] * plan.spec.queue_factor
        for i, slot in enumerate(range(first, last + 1)):
            reported_at = grid.times[slot] + run.offset
            if reported_at > timeline.as_of:
                break
            previous = int(cumulative)
            cumulative += raw[i] * scale
            sampled_so_far.append(int(cumulative))
            ready = sampled_so_far[i - lag] if i >= lag else 0
            resulted = min(ready, resulted_so_far + capacity) - resulted_so_far
            if slot == last:
                # The lab clears what is left before the round's window ends.
                resulted = sampled_so_far[i] - resulted_so_far
            resulted_so_far += resulted
            queue = 0
            if open_slot[i]:
                peak = 1.6 if grid.times[slot] <= first_day_end else 1.0
                queue = base_queue * peak * (effort[i] / mean_effort) * rng.uniform(0.7, 1.3)
                queue = min(QUEUE_MAX_MINUTES, max(1, round(queue)))
            reports.append(
                {
                    "site_id": run.site.id,
                    "round_id": plan.id,
                    "reported_at": reported_at,
                    "is_open": open_slot[i],
                    "sampled": int(cumulative) - previous,
                    "resulted": resulted,
                    "positive": 0,
                    "pools_positive": 0,
                    "queue_wait_minutes": queue,
                }
            )
    _spread_positives(rng, reports, positives)
    return reports


def _spread_positives(
    rng: random.Random, reports: list[dict[str, Any]], positives: tuple[int, int]
) -> None:
    """Put the round's positive people and pools into reports that returned results."""
    weights = [report["resulted"] for report in reports]
    if not reports or sum(weights) == 0:
        return
    people, pools = positives
    for name, count in (("positive", people), ("pools_positive", pools)):
        for index in rng.choices(range(len(reports)), weights, k=count):
            if reports[index][name] < reports[index]["resulted"]:
                reports[index][name] += 1


def _windows(plans: list[RoundPlan], grid: SlotGrid) -> list[tuple[int, int]]:
    """Per round: its first and last slot (the lab clears what is left by the last one)."""
    # A window runs from the round's start until its lab backlog is cleared (sampling end
    # plus LAB_TAIL), cut before the district's next round starts.
    windows: list[tuple[int, int]] = [(0, -1)] * len(plans)
    by_district: dict[str, list[int]] = {}
    for index, plan in enumerate(plans):
        by_district.setdefault(plan.spec.district, []).append(index)
    for indexes in by_district.values():
        indexes.sort(key=lambda index: plans[index].start_at)
        for position, index in enumerate(indexes):
            plan = plans[index]
            last = grid.first_after(plan.finish_at + LAB_TAIL)
            if position + 1 < len(indexes):
                last = min(last, grid.first_after(plans[indexes[position + 1]].start_at) - 1)
            windows[index] = (grid.first_after(plan.start_at), last)
    return windows


def site_reports(
    rng: random.Random,
    timeline: Timeline,
    scale: Scale,
    plans: list[RoundPlan],
    sites: list[FacilityPlan],
    cases: list[CasePlan],
) -> Iterator[dict[str, Any]]:
    """Every testing-site report of the scenario, round by round, then the closed heartbeats."""
    horizon = max(plan.finish_at for plan in plans) + LAB_TAIL + timedelta(days=1)
    grid = SlotGrid(timeline, scale.site_interval_minutes, horizon)
    limit = min(600, scale.site_interval_minutes * 15)
    offsets = {site.id: timedelta(seconds=rng.randint(0, limit)) for site in sites}
    windows = _windows(plans, grid)
    busy: dict[int, list[tuple[int, int]]] = {}
    behind = max(plans, key=lambda plan: plan.spec.pace)
    for plan, window in zip(plans, windows, strict=True):
        for site in plan.sites:
            busy.setdefault(site.id, []).append(window)
        if window[0] > window[1] or not plan.sites:
            continue
        site_offsets = {position: offsets[site.id] for position, site in enumerate(plan.sites)}
        reports = _round_reports(
            rng, plan, grid, window, site_offsets, _round_positives(rng, plan, cases, timeline)
        )
        if plan is behind:
            _long_queues_now(rng, reports)
        yield from reports
    if scale.site_heartbeat:
        yield from _heartbeats(grid, sites, offsets, busy)


def _long_queues_now(rng: random.Random, reports: list[dict[str, Any]]) -> None:
    """A few sites of the behind-schedule round have queues over an hour at "as of"."""
    latest: dict[int, dict[str, Any]] = {}
    for report in reports:
        latest[report["site_id"]] = report
    open_now = [report for report in latest.values() if report["is_open"]]
    for report in rng.sample(open_now, min(3, len(open_now))):
        report["queue_wait_minutes"] = rng.randint(62, 88)


def _heartbeats(
    grid: SlotGrid,
    sites: list[FacilityPlan],
    offsets: dict[int, timedelta],
    busy: dict[int, list[tuple[int, int]]],
) -> Iterator[dict[str, Any]]:
    """Closed reports from every active site in the slots when it takes part in no round."""
    as_of = grid.timeline.as_of
    for site in sites:
        if site.status != "active":
            continue
        taken: set[int] = set()
        for first, last in busy.get(site.id, []):
            taken.update(range(first, last + 1))
        offset = offsets[site.id]
        for slot, moment in enumerate(grid.times):
            reported_at = moment + offset
            if reported_at > as_of:
                break
            if slot in taken:
                continue
            yield {
                "site_id": site.id,
                "round_id": None,
                "reported_at": reported_at,
                "is_open": False,
                "sampled": 0,
                "resulted": 0,
                "positive": 0,
                "pools_positive": 0,
                "queue_wait_minutes": 0,
            }
