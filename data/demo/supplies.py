"""Supplies: the catalogue, stock lines at warehouses and facilities, and one count a day.

Consumption rises with the outbreak (test kits and reagents with the testing rounds), and
deliveries arrive when stock runs down. Each line's history is built backwards from the
state it should be in at the anchor: most lines healthy, some with 3-7 days of supply, some
under 3, and a few out of stock for the last days with an order still awaited.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from data.demo.facilities import FacilityPlan
from data.demo.hotels import HotelSchedule
from data.demo.testing import RoundPlan
from data.demo.timeline import LAST_DAY, Scale, Timeline

COUNT_HOUR = 17.0
REORDER_DAYS = 7
# Days of supply at the anchor: (share of lines, fate, lowest, highest).
FATES = (
    (0.02, "stockout", 0.0, 0.0),
    (0.08, "critical", 0.6, 2.9),
    (0.15, "low", 3.2, 6.8),
    (0.75, "healthy", 9.0, 28.0),
)


@dataclass(frozen=True)
class SupplySpec:
    """A catalogue item, and its typical daily use per unit of facility size, by kind."""

    code: str
    category: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    use: dict[str, float]

    def row(self) -> dict[str, Any]:
        """The supplyitem table row."""
        return {
            "code": self.code,
            "category": self.category,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "unit_zh": self.unit_zh,
            "unit_en": self.unit_en,
        }


# Daily use per unit of size: hospitals per 100 beds, clinics per 20 beds, hotels per 100
# rooms, testing sites per site, warehouses per million residents (what they send out).
# A kind missing from an item's map holds no stock of it.
D, G, C = "designated_hospital", "general_hospital", "fever_clinic"
Q, T, W = "quarantine_hotel", "testing_site", "warehouse"
SUPPLIES: tuple[SupplySpec, ...] = (
    SupplySpec("PPE-N95", "ppe", "医用防护口罩（N95）", "N95 respirators", "只", "pieces",
               {D: 90, G: 40, C: 40, W: 2_000}),
    SupplySpec("PPE-MASK", "ppe", "医用外科口罩", "Surgical masks", "只", "pieces",
               {D: 400, G: 400, C: 150, Q: 250, W: 15_000}),
    SupplySpec("PPE-GOWN", "ppe", "医用防护服", "Protective coveralls", "套", "sets",
               {D: 60, G: 10, C: 30, T: 20, W: 600}),
    SupplySpec("PPE-SHIELD", "ppe", "防护面屏", "Face shields", "个", "pieces",
               {D: 40, C: 15, W: 400}),
    SupplySpec("PPE-GLOVE", "ppe", "医用检查手套", "Examination gloves", "双", "pairs",
               {D: 400, G: 300, Q: 80, T: 120, W: 8_000}),
    SupplySpec("TK-SWAB", "test_kit", "采样拭子", "Sampling swabs", "支", "swabs",
               {D: 80, C: 60, T: 1_500, W: 30_000}),
    SupplySpec("TK-TUBE10", "test_kit", "十合一混采管", "10-in-1 sampling tubes", "管", "tubes",
               {T: 150, W: 3_000}),
    SupplySpec("RG-NAT", "reagent", "新冠病毒核酸检测试剂", "SARS-CoV-2 nucleic-acid test kits",
               "人份", "tests", {D: 300, W: 30_000}),
    SupplySpec("RG-EXTRACT", "reagent", "核酸提取试剂", "Nucleic-acid extraction reagent",
               "人份", "tests", {D: 300, W: 30_000}),
    SupplySpec("DS-84", "disinfectant", "84消毒液（500毫升）", "84 disinfectant (500 ml)",
               "瓶", "bottles", {D: 10, G: 6, Q: 8, W: 300}),
    SupplySpec("DS-HAND", "disinfectant", "速干手消毒剂（500毫升）", "Alcohol hand rub (500 ml)",
               "瓶", "bottles", {D: 20, G: 15, C: 6, W: 500}),
    SupplySpec("LV-RICE", "living", "大米（10千克）", "Rice (10 kg)", "袋", "bags",
               {Q: 4, W: 300}),
    SupplySpec("LV-OIL", "living", "食用油（5升）", "Cooking oil (5 l)", "桶", "drums",
               {Q: 1, W: 100}),
    SupplySpec("LV-WATER", "living", "饮用水（24瓶装）", "Drinking water (24 bottles)", "箱",
               "cases", {Q: 15, W: 600}),
    SupplySpec("LV-VEG", "living", "蔬菜包", "Vegetable packs", "份", "packs",
               {Q: 100, W: 3_000}),
)  # fmt: skip
# How much more of each category is used at the height of the outbreak.
SURGE = {"ppe": 2.5, "test_kit": 5.0, "reagent": 5.0, "disinfectant": 2.0, "living": 1.0}
# The day the outbreak reaches each district (days from the first case); others from day 13.
ARRIVAL_DAY = {"440103": 0, "440104": 8, "440105": 8, "440113": 10, "440106": 10, "440111": 10}


@dataclass
class StockLine:
    """One item at one location, with its daily history once built."""

    item: SupplySpec
    location: FacilityPlan
    item_id: int
    consumed: list[int]
    received: list[int]
    on_hand: list[int]
    on_order: list[int]
    reorder_level: int


def _outbreak(district: str, day: int) -> float:
    """How far the outbreak has reached a district on `day`: 0 before, 1 at full height."""
    since = day - ARRIVAL_DAY.get(district, 13)
    return min(1.0, max(0.0, (since + 1) / 6.0))


def _testing_days(rounds: list[RoundPlan], timeline: Timeline) -> dict[str, set[int]]:
    """Per district, the scenario days on which one of its rounds was sampling."""
    days: dict[str, set[int]] = {}
    for plan in rounds:
        first = int(timeline.offset_of(plan.start_at))
        last = int(timeline.offset_of(plan.finish_at))
        days.setdefault(plan.spec.district, set()).update(range(first, last + 1))
    return days


def _demand(
    rng: random.Random,
    item: SupplySpec,
    location: FacilityPlan,
    testing_days: set[int],
    schedule: HotelSchedule | None,
    first_day: int,
) -> list[float]:
    """Expected consumption per counted day, from `first_day` to the anchor."""
    base = item.use[location.kind] * location.traits.get("size", 1.0)
    demand = []
    for day in range(first_day, LAST_DAY + 1):
        surge = SURGE[item.category] * _outbreak(location.district_code, day)
        if item.category in ("test_kit", "reagent"):
            surge *= 1.0 if day in testing_days else 0.3
        level = base * (1.0 + surge)
        if schedule is not None:
            # A hotel uses supplies for its guests: nothing before it opens or after it closes.
            open_share = 1.0 if day >= schedule.open_day else 0.0
            if schedule.close_day is not None and day >= schedule.close_day:
                open_share = 0.0
            level = base * (1.0 + 0.5 * surge) * open_share
        demand.append(level * rng.uniform(0.8, 1.2))
    return demand


def _fate(rng: random.Random) -> tuple[str, float]:
    """The state a line should be in at the anchor, and its days of supply then."""
    draw = rng.random()
    for share, fate, lowest, highest in FATES:
        if draw < share:
            return fate, rng.uniform(lowest, highest)
        draw -= share
    return "healthy", rng.uniform(9.0, 28.0)


def _build_line(
    rng: random.Random, item: SupplySpec, location: FacilityPlan, item_id: int, demand: list[float]
) -> StockLine:
    """A line's counts, built backwards from the state it should be in at the anchor."""
    consumed = [round(value) for value in demand]
    typical = max(1.0, sum(consumed[-14:]) / 14.0)
    fate, days_left = _fate(rng)
    if sum(consumed) == 0:
        fate, days_left = "healthy", 0.0
    out_days = rng.randint(2, 4) if fate == "stockout" else 0
    for index in range(len(consumed) - out_days, len(consumed)):
        consumed[index] = 0
    burn = max(1.0, sum(consumed[-7:]) / 7.0)
    stock_cap = typical * rng.uniform(18.0, 30.0)
    batch = max(1, round(typical * rng.uniform(10.0, 16.0)))
    lead = rng.randint(1, 3)
    days = len(consumed)
    on_hand = [0] * days
    received = [0] * days
    on_hand[-1] = 0 if fate == "stockout" else round(burn * days_left)
    if fate == "healthy" and sum(consumed) == 0:
        on_hand[-1] = round(typical * rng.uniform(10.0, 20.0))
    # No delivery in the last days of a short line: its supplier is late.
    quiet = out_days + (rng.randint(2, 5) if fate in ("critical", "low", "stockout") else 0)
    for index in range(days - 1, 0, -1):
        before = on_hand[index] + consumed[index]
        if before > stock_cap and index < days - quiet:
            received[index] = min(before, round(batch * rng.uniform(0.9, 1.1)))
            before -= received[index]
        on_hand[index - 1] = before
    received[0] = 0
    on_order = [0] * days
    for index in range(days):
        upcoming = [received[later] for later in range(index + 1, min(days, index + 1 + lead))]
        on_order[index] = next((amount for amount in upcoming if amount), 0)
    if fate != "healthy":
        on_order[-1] = batch  # ordered, not yet delivered
    return StockLine(
        item=item,
        location=location,
        item_id=item_id,
        consumed=consumed,
        received=received,
        on_hand=on_hand,
        on_order=on_order,
        reorder_level=round(REORDER_DAYS * typical),
    )


def plan_stock_lines(
    rng: random.Random,
    timeline: Timeline,
    facilities: list[FacilityPlan],
    item_ids: dict[str, int],
    rounds: list[RoundPlan],
    schedules: dict[str, HotelSchedule],
    scale: Scale,
) -> list[StockLine]:
    """Stock lines at warehouses, hospitals, clinics, open hotels and some testing sites."""
    testing_days = _testing_days(rounds, timeline)
    lines = []
    for location in facilities:
        if location.status != "active":
            continue
        if location.kind == "testing_site" and rng.random() >= scale.testing_site_stock_share:
            continue
        schedule = schedules.get(location.code)
        for item in SUPPLIES:
            if location.kind not in item.use:
                continue
            district_days = testing_days.get(location.district_code, set())
            demand = _demand(rng, item, location, district_days, schedule, scale.stock_first_day)
            lines.append(_build_line(rng, item, location, item_ids[item.code], demand))
    return lines


def stock_reports(
    rng: random.Random, timeline: Timeline, lines: list[StockLine]
) -> Iterator[dict[str, Any]]:
    """One count per line per day at about 17:00-19:00 local, none after "as of"."""
    for line in lines:
        minutes = rng.randint(0, 120)
        first_day = LAST_DAY + 1 - len(line.on_hand)
        for index, day in enumerate(range(first_day, LAST_DAY + 1)):
            reported_at = timeline.at(day, COUNT_HOUR + minutes / 60.0)
            if reported_at > timeline.as_of:
                break
            yield {
                "item_id": line.item_id,
                "location_id": line.location.id,
                "reported_at": reported_at,
                "on_hand": line.on_hand[index],
                "consumed": line.consumed[index],
                "received": line.received[index],
                "on_order": line.on_order[index],
            }
