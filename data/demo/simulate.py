"""Keep a demo database moving: new testing-site, hotel and stock reports and now and then a
case, in the scenario's shape, written through the write side like any duty officer's.

Each tick starts from the current state (a site's queue, a hotel's rooms, a line's stock) and
moves it a little, so live screens can be shown and tested. It refuses real data: fake
reports must never mix with real ones.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from data import models, writes
from data.demo.seed import SCENARIO_KEY
from data.queries.common import get_scenario
from data.timeutil import as_utc, local_day, utc_now
from data.writes import Actor

# The simulator's writes are in the change log under this name.
SIMULATOR = Actor(name="simulator", role="admin")
# How much moves in one tick (a few seconds of a city's reporting).
SITES_PER_TICK = 30
HOTELS_PER_TICK = 4
STOCK_LINES_PER_TICK = 12
CASE_CHANCE = 0.05


class NotSimulated(Exception):
    """The database holds real data (or none): the simulator writes nothing there."""


@dataclass(frozen=True)
class Tick:
    """What one tick wrote."""

    site_reports: int
    hotel_reports: int
    stock_reports: int
    cases: int


def _keep_scenario_live(session: Session, now: datetime) -> None:
    """After midnight the demo's last day is yesterday and screens would stay there: move it."""
    info = session.get(models.DatasetInfo, SCENARIO_KEY)
    value = json.loads(info.value)
    today = local_day(now)
    if value.get("anchor_date") != today.isoformat():
        value.update(anchor_date=today.isoformat(), as_of=now.isoformat())
        writes.set_dataset_info(session, actor=SIMULATOR, key=SCENARIO_KEY, value=value, at=now)


def _site_reports(session: Session, rng: random.Random, now: datetime) -> list[dict]:
    s, r = models.TestingSiteState, models.TestingRound
    open_sites = session.execute(
        select(s.site_id, s.round_id, s.queue_wait_minutes)
        .join(r, r.id == s.round_id)
        .where(s.is_open, r.start_at <= now, r.deadline_at >= now - timedelta(hours=12))
    ).all()
    chosen = rng.sample(open_sites, min(SITES_PER_TICK, len(open_sites)))
    reports = []
    for site_id, round_id, queue in chosen:
        sampled = rng.randint(10, 120)
        reports.append(
            {
                "site_id": site_id,
                "round_id": round_id,
                "reported_at": now,
                "is_open": True,
                "sampled": sampled,
                # Results of this report's own samples at most: never more than sampled.
                "resulted": rng.randint(0, sampled),
                "queue_wait_minutes": max(0, min(150, queue + rng.randint(-8, 8))),
            }
        )
    return reports


def _hotel_reports(session: Session, rng: random.Random, now: datetime) -> list[dict]:
    h, f = models.HotelState, models.Facility
    active = (
        session.execute(select(h).join(f, f.id == h.hotel_id).where(f.status == "active"))
        .scalars()
        .all()
    )
    reports = []
    for state in rng.sample(active, min(HOTELS_PER_TICK, len(active))):
        intake, discharges = rng.randint(0, 6), rng.randint(0, 4)
        room_for = state.rooms_total - state.rooms_cleaning
        occupied = max(0, min(room_for, state.rooms_occupied + intake - discharges))
        cohorts = {
            "occupied_inbound": state.occupied_inbound,
            "occupied_close_contact": state.occupied_close_contact,
            "occupied_secondary_contact": state.occupied_secondary_contact,
        }
        # The change falls on the hotel's largest cohort; the cohorts never exceed occupied.
        largest = max(cohorts, key=cohorts.get)
        cohorts[largest] = max(0, cohorts[largest] + occupied - state.rooms_occupied)
        over = sum(cohorts.values()) - occupied
        if over > 0:
            cohorts[largest] = max(0, cohorts[largest] - over)
        reports.append(
            {
                "hotel_id": state.hotel_id,
                "reported_at": now,
                "rooms_total": state.rooms_total,
                "rooms_occupied": occupied,
                "rooms_cleaning": state.rooms_cleaning,
                **cohorts,
                "intake": intake,
                "discharges": discharges,
                "staff_on_duty": state.staff_on_duty,
            }
        )
    return reports


def _stock_reports(session: Session, rng: random.Random, now: datetime) -> list[dict]:
    lines = session.execute(select(models.StockState)).scalars().all()
    reports = []
    for line in rng.sample(lines, min(STOCK_LINES_PER_TICK, len(lines))):
        consumed = rng.randint(0, max(1, line.on_hand // 25))
        received = rng.choice([0] * 19 + [max(50, line.reorder_level)])
        reports.append(
            {
                "item_id": line.item_id,
                "location_id": line.location_id,
                "reported_at": now,
                "on_hand": max(0, line.on_hand - consumed) + received,
                "consumed": min(consumed, line.on_hand),
                "received": received,
                "on_order": line.on_order,
            }
        )
    return reports


def _case(session: Session, rng: random.Random, now: datetime, number: int) -> dict | None:
    """A new local case where recent cases were (the outbreak's own places)."""
    c = models.Case
    recent = session.execute(
        select(c.district_code, c.community_zh, c.community_en, c.lon, c.lat)
        .where(c.source == "local")
        .order_by(c.report_date.desc(), c.id.desc())
        .limit(30)
    ).all()
    if not recent:
        return None
    district, community_zh, community_en, lon, lat = rng.choice(recent)
    return {
        "case_no": f"SIM-{now:%m%d%H%M%S}-{number}",
        "kind": rng.choice(["confirmed", "confirmed", "asymptomatic"]),
        "report_date": local_day(now),
        "district_code": district,
        "community_zh": community_zh,
        "community_en": community_en,
        "lon": round(lon + rng.uniform(-0.004, 0.004), 5),
        "lat": round(lat + rng.uniform(-0.004, 0.004), 5),
    }


def simulate_tick(
    session: Session, *, rng: random.Random, now: datetime | None = None, number: int = 1
) -> Tick:
    """One tick of new reports (and perhaps a case), each kind one checked batch."""
    scenario = get_scenario(session=session)
    if scenario is None or not scenario.simulated:
        raise NotSimulated("the database does not hold the simulated demo")
    now = as_utc(now or utc_now()).replace(microsecond=0)
    _keep_scenario_live(session, now)
    sites = _site_reports(session, rng, now)
    hotels = _hotel_reports(session, rng, now)
    stock = _stock_reports(session, rng, now)
    if sites:
        writes.record_site_reports(session, actor=SIMULATOR, rows=sites)
    if hotels:
        writes.record_hotel_reports(session, actor=SIMULATOR, rows=hotels)
    if stock:
        writes.record_stock_reports(session, actor=SIMULATOR, rows=stock)
    case = _case(session, rng, now, number) if rng.random() < CASE_CHANCE else None
    if case is not None:
        writes.create_case(session, actor=SIMULATOR, values=case)
    return Tick(len(sites), len(hotels), len(stock), int(case is not None))
