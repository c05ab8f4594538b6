"""The scenario's clock and size: its days, its "as of" time, its scale and random streams."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from data.timeutil import as_utc, local_day, to_utc

# Day 0 is the first local case; the last day (the anchor) is day 20, as 2021-05-21 .. 06-10.
SCENARIO_DAYS = 21
LAST_DAY = SCENARIO_DAYS - 1
# The evening briefing hour used as "as of" when the scenario ends on a past day.
BRIEFING_HOUR = 20


@dataclass(frozen=True)
class Scale:
    """How big the generated city is."""

    name: str
    case_factor: int
    imported_cases: int
    general_hospitals: int
    fever_clinics: int
    hotels: int
    testing_sites: int
    site_interval_minutes: int
    # Sites also report (closed) every interval outside rounds: a city that logs every site.
    site_heartbeat: bool
    testing_site_stock_share: float
    # First day of daily stock counts (days from the first case; negative: before it).
    stock_first_day: int


SCALES: dict[str, Scale] = {
    "demo": Scale(
        name="demo",
        case_factor=1,
        imported_cases=10,
        general_hospitals=12,
        fever_clinics=10,
        hotels=40,
        testing_sites=250,
        site_interval_minutes=120,
        site_heartbeat=False,
        testing_site_stock_share=0.05,
        stock_first_day=0,
    ),
    "city": Scale(
        name="city",
        case_factor=10,
        imported_cases=60,
        general_hospitals=190,
        fever_clinics=150,
        hotels=220,
        testing_sites=4_500,
        site_interval_minutes=60,
        site_heartbeat=True,
        testing_site_stock_share=0.15,
        stock_first_day=-9,
    ),
    # Ten cities' worth of everything on one database (a province, ROADMAP "bigger than a
    # city"), on Guangzhou's districts: the scale every page must stay flat in cost at.
    "province": Scale(
        name="province",
        case_factor=100,
        imported_cases=600,
        general_hospitals=1_900,
        fever_clinics=1_500,
        hotels=2_200,
        testing_sites=45_000,
        site_interval_minutes=60,
        site_heartbeat=True,
        testing_site_stock_share=0.15,
        stock_first_day=-9,
    ),
}


@dataclass(frozen=True)
class Timeline:
    """Scenario days counted from day 0 (the first case) to the anchor day, in local time."""

    anchor: date
    as_of: datetime
    zone: ZoneInfo

    @property
    def day0(self) -> date:
        """The day of the first local case."""
        return self.anchor - timedelta(days=LAST_DAY)

    def day(self, offset: int) -> date:
        """The local calendar date of scenario day `offset` (negative: before the outbreak)."""
        return self.day0 + timedelta(days=offset)

    def at(self, offset: float, hour: float = 0.0) -> datetime:
        """UTC time of local `hour` on scenario day `offset` (fractions allowed)."""
        local = datetime.combine(self.day0, time.min) + timedelta(days=offset, hours=hour)
        return to_utc(local, self.zone)

    def offset_of(self, moment: datetime) -> float:
        """Scenario days (fractional) from day 0 00:00 local to `moment`."""
        return (as_utc(moment) - self.at(0)).total_seconds() / 86_400.0

    def local_day_of(self, moment: datetime) -> date:
        """The local calendar date of a UTC moment."""
        return local_day(moment, self.zone)

    def local_hour(self, moment: datetime) -> float:
        """The local hour of day (fractional) of a UTC moment."""
        local = as_utc(moment).astimezone(self.zone)
        return local.hour + local.minute / 60.0

    def as_of_offset(self) -> float:
        """The "as of" time in fractional scenario days."""
        return self.offset_of(self.as_of)


def make_timeline(anchor: date | None, now: datetime, zone: ZoneInfo) -> Timeline:
    """The timeline ending on `anchor` (default today); "as of" is now today, else 20:00 local."""
    today = local_day(now, zone)
    anchor = anchor or today
    if anchor > today:
        raise ValueError(f"the anchor date {anchor} is after today ({today}) in {zone.key}")
    if anchor == today:
        as_of = as_utc(now).replace(microsecond=0)
    else:
        as_of = to_utc(datetime.combine(anchor, time(BRIEFING_HOUR)), zone)
    return Timeline(anchor=anchor, as_of=as_of, zone=zone)


def stream(seed: int, name: str) -> random.Random:
    """An independent random stream per part of the scenario, so parts do not shift each other."""
    return random.Random(f"{seed}:{name}")
