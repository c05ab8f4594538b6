"""Quarantine hotels: which open when, and the status report each sends every four hours.

Close-contact hotels are requisitioned one after another as tracing finds contacts, so
occupancy rises with the outbreak; guests leave after their quarantine (first in, first
out) and their rooms are cleaned before the next intake. At "as of" a few hotels are over
95 % full, some 85-95 %, most lower, and two have missed their last report (stale).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from data.demo.facilities import FacilityPlan
from data.demo.timeline import LAST_DAY, Timeline

REPORT_HOURS = (2, 6, 10, 14, 18, 22)
REPORTS_PER_DAY = len(REPORT_HOURS)
QUARANTINE_DAYS = {"inbound": 14, "close_contact": 14, "secondary_contact": 7}
SHIFT_STAFF = {2: 0.6, 6: 0.8, 10: 1.0, 14: 1.0, 18: 0.9, 22: 0.7}
# Occupancy at "as of": (share of hotels, lowest, highest).
FULLNESS = ((0.2, 0.955, 0.99), (0.25, 0.85, 0.95), (0.55, 0.4, 0.84))
STALE_HOTELS = 2


@dataclass
class HotelSchedule:
    """When a hotel takes guests and how full it gets."""

    open_day: float
    final_share: float
    fill_days: float
    intake_stops: float | None = None
    close_day: float | None = None
    stale_hours: float = 0.0


def plan_hotels(rng: random.Random, hotels: list[FacilityPlan]) -> dict[str, HotelSchedule]:
    """Decide each hotel's schedule and status (standby, active, closed), by hotel code."""
    schedules: dict[str, HotelSchedule] = {}
    contact = [hotel for hotel in hotels if hotel.cohort != "inbound"]
    standby = set(rng.sample([hotel.code for hotel in contact], max(1, len(contact) // 7)))
    closed_inbound = next(hotel.code for hotel in hotels if hotel.cohort == "inbound")
    closed_contact = next(
        hotel.code
        for hotel in hotels
        if hotel.cohort == "close_contact" and hotel.code not in standby
    )
    for hotel in hotels:
        if hotel.code in standby:
            hotel.status = "standby"
            continue
        draw = rng.random()
        bounds = FULLNESS[0] if draw < 0.2 else FULLNESS[1] if draw < 0.45 else FULLNESS[2]
        final = rng.uniform(bounds[1], bounds[2])
        if hotel.cohort == "inbound":
            schedule = HotelSchedule(open_day=-1.0, final_share=final, fill_days=1.0)
        elif hotel.cohort == "close_contact":
            schedule = HotelSchedule(
                open_day=rng.choice((0, 1, 2)) if rng.random() < 0.15 else rng.uniform(3, 13),
                final_share=final,
                fill_days=rng.uniform(1.5, 4.0),
            )
        else:
            schedule = HotelSchedule(
                open_day=rng.uniform(6, 14), final_share=final, fill_days=rng.uniform(1.5, 3.0)
            )
        if hotel.code == closed_inbound:
            schedule.intake_stops, schedule.close_day = -2.0, 12.0
        if hotel.code == closed_contact:
            schedule.open_day, schedule.intake_stops, schedule.close_day = 1.0, 5.0, 19.5
        if schedule.close_day is not None and schedule.close_day <= LAST_DAY:
            hotel.status = "closed"
        schedules[hotel.code] = schedule
    early = [
        hotel
        for hotel in hotels
        if hotel.status == "active"
        and hotel.cohort == "close_contact"
        and schedules[hotel.code].open_day < 10
    ]
    for hotel in sorted(early, key=lambda plan: plan.code)[:STALE_HOTELS]:
        schedules[hotel.code].stale_hours = rng.uniform(6.0, 9.5)
    return schedules


def _target(schedule: HotelSchedule, day: float, rng: random.Random) -> float:
    """The share of rooms the hotel would fill at scenario day `day`."""
    if schedule.intake_stops is not None and day >= schedule.intake_stops:
        return 0.0
    since = day - schedule.open_day
    if since < 0:
        return 0.0
    ramp = min(1.0, since / schedule.fill_days) ** 0.7
    wobble = 1.0 - 0.04 * rng.random()
    return schedule.final_share * ramp * wobble


def _slots(timeline: Timeline, schedule: HotelSchedule, offset: timedelta) -> list[datetime]:
    """The hotel's report times from opening to closing, stale cut-off or "as of"."""
    first_day = max(0, math.floor(schedule.open_day))
    last = timeline.as_of - timedelta(hours=schedule.stale_hours)
    if schedule.close_day is not None:
        last = min(last, timeline.at(schedule.close_day))
    slots = []
    for day in range(first_day, LAST_DAY + 1):
        for hour in REPORT_HOURS:
            moment = timeline.at(day, hour) + offset
            if timeline.at(schedule.open_day) <= moment <= last:
                slots.append(moment)
    return slots


def hotel_reports(
    rng: random.Random,
    timeline: Timeline,
    hotels: list[FacilityPlan],
    schedules: dict[str, HotelSchedule],
) -> Iterator[dict[str, Any]]:
    """Every hotel's reports: rooms, occupancy by cohort, cleaning, intake, discharges, staff."""
    for hotel in hotels:
        schedule = schedules.get(hotel.code)
        if schedule is None:
            continue
        yield from _one_hotel(rng, timeline, hotel, schedule)


def _one_hotel(
    rng: random.Random, timeline: Timeline, hotel: FacilityPlan, schedule: HotelSchedule
) -> Iterator[dict[str, Any]]:
    """One hotel's reports: guests leave first in, first out; rooms are cleaned after."""
    rooms = hotel.capacity or 0
    stay = QUARANTINE_DAYS[hotel.cohort or "close_contact"] * REPORTS_PER_DAY
    offset = timedelta(minutes=rng.randint(0, 25), seconds=rng.randint(0, 59))
    slots = _slots(timeline, schedule, offset)
    # Inbound hotels were already taking travellers: arrivals spread over the last stay.
    arrivals: list[int] = []
    if schedule.open_day < 0:
        settled = round(rooms * schedule.final_share * rng.uniform(0.85, 1.0))
        arrivals = [settled // stay + (1 if index < settled % stay else 0) for index in range(stay)]
    occupied = sum(arrivals)
    recent_discharges = [0, 0]
    for position, moment in enumerate(slots):
        leaving = arrivals[-stay] if len(arrivals) >= stay else 0
        if schedule.close_day is not None and position == len(slots) - 1:
            leaving = occupied  # the last guests leave before the hotel closes
        remaining = occupied - leaving
        cleaning_room = round(0.7 * (leaving + recent_discharges[-1]))
        wanted = round(rooms * _target(schedule, timeline.offset_of(moment), rng))
        wanted = min(wanted, rooms - cleaning_room)
        intake = max(0, wanted - remaining)
        occupied = remaining + intake
        arrivals.append(intake)
        cleaning = min(cleaning_room, rooms - occupied)
        recent_discharges.append(leaving)
        shift = SHIFT_STAFF.get(int(timeline.local_hour(moment - offset)), 0.9)
        by_cohort = {"inbound": 0, "close_contact": 0, "secondary_contact": 0}
        by_cohort[hotel.cohort or "close_contact"] = occupied
        yield {
            "hotel_id": hotel.id,
            "reported_at": moment,
            "rooms_total": rooms,
            "rooms_occupied": occupied,
            "rooms_cleaning": cleaning,
            "occupied_inbound": by_cohort["inbound"],
            "occupied_close_contact": by_cohort["close_contact"],
            "occupied_secondary_contact": by_cohort["secondary_contact"],
            "intake": intake,
            "discharges": leaving,
            "staff_on_duty": max(6, round(rooms / 10 * shift * rng.uniform(0.9, 1.1))),
        }
