"""Control zones: sealed, controlled and prevention areas, as imposed and lifted day by day."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from data.demo.cases import CasePlan
from data.demo.facilities import short_en, short_zh
from data.demo.places import (
    HAIZHU,
    LIWAN,
    PANYU,
    YUEXIU,
    Street,
    in_district,
    point_near,
    ring_around,
    street,
)
from data.demo.timeline import LAST_DAY, Timeline

LEVEL_NAMES = {
    "sealed": ("封闭区", "sealed area"),
    "controlled": ("封控区", "controlled area"),
    "prevention": ("防范区", "prevention area"),
}


@dataclass(frozen=True)
class ZoneSpec:
    """A zone of the scenario: where, how strict, how big, and when imposed and lifted."""

    district: str
    street_zh: str
    level: str
    imposed: tuple[int, float]
    radius_m: float
    population: int
    shape: str = "polygon"
    compound: bool = False
    lifted: tuple[int, float] | None = None
    name: tuple[str, str] | None = None


# Days count from the first case (day 0 = 05-21 in the original). Liwan's five streets stay
# home from day 8 (05-29); 白鹤洞 and 中南 are sealed on day 10 (05-31); compounds in Panyu
# (洛浦街) and Haizhu (瑞宝街) are controlled from day 12 (06-02).
ZONES: tuple[ZoneSpec, ...] = (
    ZoneSpec(LIWAN, "中南街海南村", "sealed", (7, 18.0), 450, 12_000),
    ZoneSpec(LIWAN, "白鹤洞街", "sealed", (10, 0.0), 1_100, 76_000),
    ZoneSpec(LIWAN, "中南街", "sealed", (10, 0.0), 1_200, 64_000),
    ZoneSpec(LIWAN, "海龙街", "controlled", (8, 0.0), 1_300, 45_000),
    ZoneSpec(LIWAN, "东漖街", "controlled", (8, 0.0), 1_200, 108_000),
    ZoneSpec(LIWAN, "冲口街", "controlled", (8, 0.0), 1_000, 82_000, lifted=(LAST_DAY - 1, 10.0)),
    ZoneSpec(
        LIWAN,
        "茶滘街",
        "prevention",
        (8, 0.0),
        3_000,
        280_000,
        shape="circle",
        name=("芳村片区防范区", "Fangcun area prevention area"),
    ),
    ZoneSpec(
        LIWAN,
        "多宝街",
        "controlled",
        (11, 12.0),
        250,
        3_500,
        shape="circle",
        compound=True,
        lifted=(LAST_DAY, 9.0),
    ),
    ZoneSpec(
        YUEXIU, "人民街", "controlled", (9, 14.0), 220, 2_800, "circle", True, (LAST_DAY - 2, 10.0)
    ),
    ZoneSpec(PANYU, "洛浦街", "controlled", (12, 0.0), 300, 5_200, "circle", True),
    ZoneSpec(PANYU, "洛浦街", "prevention", (12, 0.0), 1_500, 60_000, "circle"),
    ZoneSpec(HAIZHU, "瑞宝街", "controlled", (12, 0.0), 250, 4_100, "circle", True),
    ZoneSpec(HAIZHU, "瑞宝街", "prevention", (12, 0.0), 1_200, 45_000, "circle"),
)
# Outside the fixed zones, a street with this many cases (per case factor) gets a compound
# under control the day after its second case; lifted a week after its last case.
COMPOUND_CASES = 3
COMPOUND_LIFT_DAYS = 7


def _name(spec: ZoneSpec, place: Street, number: int) -> tuple[str, str]:
    """The zone's Chinese and English names."""
    if spec.name is not None:
        return spec.name
    level_zh, level_en = LEVEL_NAMES[spec.level]
    if spec.compound:
        suffix_zh = f"（{number}）" if number > 1 else ""
        suffix_en = f" ({number})" if number > 1 else ""
        return (
            f"{place.name_zh}某小区{level_zh}{suffix_zh}",
            f"Residential compound in {place.name_en}, {level_en}{suffix_en}",
        )
    if spec.level == "prevention":
        return f"{short_zh(place)}周边{level_zh}", f"Around {short_en(place)}, {level_en}"
    return f"{place.name_zh}{level_zh}", f"{place.name_en} {level_en}"


def _polygon(rng: random.Random, place: Street, radius_m: float) -> str:
    """A small irregular polygon around the street centre, kept inside the district."""
    for _ in range(6):
        ring = ring_around(rng, place.lon, place.lat, radius_m)
        if all(in_district(place.district_code, lon, lat) for lon, lat in ring):
            break
        radius_m *= 0.8
    return json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":"))


def _compound_specs(cases: list[CasePlan], factor: int) -> list[ZoneSpec]:
    """Controlled compounds for streets outside Liwan with many cases."""
    fixed = {(spec.district, spec.street_zh) for spec in ZONES}
    counts = Counter(
        (plan.place.district_code, plan.place.name_zh)
        for plan in cases
        if plan.source == "local" and plan.place.district_code != LIWAN
    )
    specs = []
    for (district, street_zh), count in sorted(counts.items()):
        if count < COMPOUND_CASES * factor or (district, street_zh) in fixed:
            continue
        days = sorted(
            plan.report_day
            for plan in cases
            if plan.source == "local"
            and plan.place.name_zh == street_zh
            and plan.place.district_code == district
        )
        lift_day = days[-1] + COMPOUND_LIFT_DAYS
        specs.append(
            ZoneSpec(
                district,
                street_zh,
                "controlled",
                (days[1] + 1, 12.0),
                200,
                2_000 + 150 * count,
                shape="circle",
                compound=True,
                lifted=(lift_day, 10.0) if lift_day <= LAST_DAY else None,
            )
        )
    return specs


def plan_zones(
    rng: random.Random, timeline: Timeline, cases: list[CasePlan], factor: int
) -> list[dict[str, Any]]:
    """Control-zone rows, none imposed or lifted after the "as of" time."""
    rows: list[dict[str, Any]] = []
    numbers: Counter[tuple[str, str, str]] = Counter()
    for spec in (*ZONES, *_compound_specs(cases, factor)):
        imposed_at = timeline.at(*spec.imposed)
        if imposed_at > timeline.as_of:
            continue
        lifted_at = timeline.at(*spec.lifted) if spec.lifted else None
        if lifted_at is not None and lifted_at > timeline.as_of:
            lifted_at = None
        place = street(spec.district, spec.street_zh)
        numbers[(spec.district, spec.street_zh, spec.level)] += 1
        name_zh, name_en = _name(spec, place, numbers[(spec.district, spec.street_zh, spec.level)])
        polygon = _polygon(rng, place, spec.radius_m) if spec.shape == "polygon" else None
        lon, lat = place.lon, place.lat
        if spec.compound:
            lon, lat = point_near(rng, spec.district, place.lon, place.lat, 400)
        rows.append(
            {
                "code": f"Z-{len(rows) + 1:04d}",
                "level": spec.level,
                "district_code": spec.district,
                "name_zh": name_zh,
                "name_en": name_en,
                "polygon_geojson": polygon,
                "center_lon": lon,
                "center_lat": lat,
                "radius_m": None if polygon else float(spec.radius_m),
                "population": spec.population,
                "imposed_at": imposed_at,
                "lifted_at": lifted_at,
            }
        )
    return rows
