"""The facilities of the scenario: hospitals, fever clinics, hotels, testing sites, warehouses.

Only the designated hospitals carry real names (the notice names them). Every other name is
made from its street's name and a generic word, and stands for no particular institution.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from data.demo.places import (
    BAIYUN,
    HAIZHU,
    HUADU,
    LIWAN,
    STREETS,
    YUEXIU,
    Street,
    point_near,
    street,
)
from data.demo.timeline import Scale
from data.reference.districts import DISTRICT_TABLE

DAILY_MINUTES = 24 * 60
HOTEL_REPORT_MINUTES = 240
# Hospitals and warehouses count their stock once a day.
STOCK_REPORT_MINUTES = DAILY_MINUTES

HOSPITAL_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("医院", "Hospital"),
    ("人民医院", "People's Hospital"),
    ("中医医院", "Hospital of Traditional Chinese Medicine"),
    ("妇幼保健院", "Maternal and Child Health Hospital"),
    ("第二医院", "Second Hospital"),
    ("康复医院", "Rehabilitation Hospital"),
    ("中西医结合医院", "Integrated Chinese and Western Medicine Hospital"),
)
HOTEL_WORDS: tuple[tuple[str, str], ...] = (
    ("明珠", "Mingzhu"),
    ("江湾", "Jiangwan"),
    ("翠苑", "Cuiyuan"),
    ("嘉园", "Jiayuan"),
    ("星河", "Xinghe"),
    ("丽景", "Lijing"),
    ("悦来", "Yuelai"),
    ("港湾", "Gangwan"),
    ("雅居", "Yaju"),
    ("华庭", "Huating"),
    ("锦绣", "Jinxiu"),
    ("南粤", "Nanyue"),
    ("康宁", "Kangning"),
    ("怡景", "Yijing"),
    ("天悦", "Tianyue"),
    ("云山", "Yunshan"),
)
HOTEL_KINDS: tuple[tuple[str, str], ...] = (
    ("酒店", "Hotel"),
    ("商务酒店", "Business Hotel"),
    ("大酒店", "Grand Hotel"),
    ("公寓酒店", "Apartment Hotel"),
)
SITE_VENUES: tuple[tuple[str, str], ...] = (
    ("文化广场", "Culture Square"),
    ("体育中心", "Sports Centre"),
    ("小学", "Primary School"),
    ("中学", "Secondary School"),
    ("社区服务中心", "Community Service Centre"),
    ("公园", "Park"),
    ("街坊会", "Neighbourhood Hall"),
    ("市场", "Market"),
    ("停车场", "Car Park"),
    ("党群服务中心", "Community Service Hall"),
    ("篮球场", "Basketball Court"),
)
# Inbound travellers arrive through the airport (Baiyun, Huadu): their hotels sit nearby.
INBOUND_DISTRICT_WEIGHTS = {BAIYUN: 4.0, HUADU: 3.0}
# More testing sites where the outbreak was: Liwan, then Yuexiu and Haizhu.
SITE_DISTRICT_BOOST = {LIWAN: 2.5, YUEXIU: 1.3, HAIZHU: 1.3}


@dataclass
class FacilityPlan:
    """A facility to insert, with what later parts of the scenario need to know about it."""

    code: str
    kind: str
    district_code: str
    name_zh: str
    name_en: str
    lon: float
    lat: float
    street: Street
    status: str = "active"
    cohort: str | None = None
    capacity: int | None = None
    report_interval_minutes: int = STOCK_REPORT_MINUTES
    # Scenario-only facts: quality of infection control (0-1), size factor, etc.
    traits: dict[str, float] = field(default_factory=dict)
    id: int | None = None

    def row(self) -> dict[str, Any]:
        """The facility table row."""
        return {
            "code": self.code,
            "kind": self.kind,
            "district_code": self.district_code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "lon": self.lon,
            "lat": self.lat,
            "status": self.status,
            "cohort": self.cohort,
            "capacity": self.capacity,
            "report_interval_minutes": self.report_interval_minutes,
        }


def short_zh(place: Street) -> str:
    """A street's Chinese name without 街 / 镇, for composing names."""
    return place.name_zh.removesuffix("街").removesuffix("镇")


def short_en(place: Street) -> str:
    """A street's English name without Street / Town."""
    return place.name_en.removesuffix(" Street").removesuffix(" Town")


def _weighted_districts(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    """District codes with the given weights (1 for those not listed)."""
    codes = [code for code, *_ in DISTRICT_TABLE]
    return codes, [weights.get(code, 1.0) for code in codes]


def _population_weights(boost: dict[str, float]) -> tuple[list[str], list[float]]:
    """District codes weighted by population, times an optional boost."""
    codes = [code for code, *_ in DISTRICT_TABLE]
    return codes, [population * boost.get(code, 1.0) for code, *_, population in DISTRICT_TABLE]


def _spread(total: int, codes: list[str], weights: list[float], minimum: int) -> dict[str, int]:
    """Split `total` over districts in proportion to `weights`, at least `minimum` each."""
    counts = {code: minimum for code in codes}
    rest = total - minimum * len(codes)
    scale = sum(weights)
    shares = [rest * weight / scale for weight in weights]
    for code, share in zip(codes, shares, strict=True):
        counts[code] += int(share)
    leftover = total - sum(counts.values())
    order = sorted(range(len(codes)), key=lambda index: (-(shares[index] % 1.0), codes[index]))
    for index in order[:leftover]:
        counts[codes[index]] += 1
    return counts


def designated_hospitals(rng: random.Random) -> list[FacilityPlan]:
    """The designated hospitals: the Eighth People's Hospital treats every case."""
    specs = (
        (
            "DH-001",
            BAIYUN,
            "嘉禾街",
            "广州市第八人民医院",
            "Guangzhou Eighth People's Hospital",
            800,
            "active",
        ),
        (
            "DH-002",
            YUEXIU,
            "大东街",
            "广州市第八人民医院（东风院区）",
            "Guangzhou Eighth People's Hospital (Dongfeng campus)",
            450,
            "active",
        ),
        ("DH-003", YUEXIU, "登峰街", "广州市胸科医院", "Guangzhou Chest Hospital", 400, "standby"),
    )
    plans = []
    for code, district, street_zh, name_zh, name_en, beds, status in specs:
        place = street(district, street_zh)
        lon, lat = point_near(rng, district, place.lon, place.lat, 400)
        plans.append(
            FacilityPlan(
                code=code,
                kind="designated_hospital",
                district_code=district,
                name_zh=name_zh,
                name_en=name_en,
                lon=lon,
                lat=lat,
                street=place,
                status=status,
                capacity=beds,
                traits={"quality": rng.uniform(0.9, 0.97), "size": beds / 100},
            )
        )
    return plans


def _quality(rng: random.Random) -> float:
    """How well a facility keeps infection control (share of items passed)."""
    draw = rng.random()
    if draw < 0.6:
        return rng.uniform(0.86, 0.97)
    if draw < 0.85:
        return rng.uniform(0.72, 0.86)
    if draw < 0.96:
        return rng.uniform(0.52, 0.72)
    return rng.uniform(0.05, 0.25)  # a few struggle: IPCAF "basic" (score 400 or less)


def general_hospitals(rng: random.Random, count: int) -> list[FacilityPlan]:
    """General hospitals spread over the districts by population."""
    codes, weights = _population_weights({})
    per_district = _spread(count, codes, weights, minimum=1)
    plans: list[FacilityPlan] = []
    for district in codes:
        used: set[tuple[str, str]] = set()
        names = len(STREETS[district]) * len(HOSPITAL_SUFFIXES)
        for number in range(per_district[district]):
            place = rng.choice(STREETS[district])
            suffix = rng.choice(HOSPITAL_SUFFIXES)
            # Each name once, while there are names left (a province has more hospitals
            # than a district's streets give names: then branches, numbered).
            while number < names and (place.name_zh, suffix[0]) in used:
                place, suffix = rng.choice(STREETS[district]), rng.choice(HOSPITAL_SUFFIXES)
            used.add((place.name_zh, suffix[0]))
            branch_zh, branch_en = ("", "") if number < names else _branch(number // names)
            beds = rng.choice((150, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500))
            lon, lat = point_near(rng, district, place.lon, place.lat, 900)
            plans.append(
                FacilityPlan(
                    code=f"GH-{len(plans) + 1:04d}",
                    kind="general_hospital",
                    district_code=district,
                    name_zh=f"{short_zh(place)}{suffix[0]}{branch_zh}",
                    name_en=f"{short_en(place)} {suffix[1]}{branch_en}",
                    lon=lon,
                    lat=lat,
                    street=place,
                    capacity=beds,
                    traits={"quality": _quality(rng), "size": beds / 100},
                )
            )
    return plans


def _branch(number: int) -> tuple[str, str]:
    """A branch's name after its hospital's: (第2分院, branch 2)."""
    return f"第{number + 1}分院", f" branch {number + 1}"


def fever_clinics(
    rng: random.Random, count: int, hospitals: list[FacilityPlan]
) -> list[FacilityPlan]:
    """Fever clinics: half in general hospitals, half in community health centres."""
    plans: list[FacilityPlan] = []
    in_hospitals = rng.sample(hospitals, min(len(hospitals), (count + 1) // 2))
    in_hospitals.sort(key=lambda plan: plan.code)
    for hospital in in_hospitals:
        lon, lat = point_near(rng, hospital.district_code, hospital.lon, hospital.lat, 60)
        plans.append(
            _fever_clinic(
                rng,
                len(plans) + 1,
                hospital.street,
                f"{hospital.name_zh}发热门诊",
                f"{hospital.name_en} fever clinic",
                (lon, lat),
            )
        )
    places = [place for district in STREETS for place in STREETS[district]]
    wanted = count - len(plans)
    # One per community while there are enough (a province's clinics: some have two).
    chosen = (
        rng.sample(places, wanted)
        if wanted <= len(places)
        else [rng.choice(places) for _ in range(wanted)]
    )
    for place in chosen:
        centre = "卫生院" if place.name_zh.endswith("镇") else "社区卫生服务中心"
        centre_en = "Town Health Centre" if centre == "卫生院" else "Community Health Centre"
        lon, lat = point_near(rng, place.district_code, place.lon, place.lat, 700)
        plans.append(
            _fever_clinic(
                rng,
                len(plans) + 1,
                place,
                f"{short_zh(place)}{centre}发热诊室",
                f"{short_en(place)} {centre_en} fever clinic",
                (lon, lat),
            )
        )
    return plans


def _fever_clinic(
    rng: random.Random,
    number: int,
    place: Street,
    name_zh: str,
    name_en: str,
    point: tuple[float, float],
) -> FacilityPlan:
    """A fever clinic with a few observation beds."""
    beds = rng.choice((8, 10, 12, 16, 20, 30))
    return FacilityPlan(
        code=f"FC-{number:04d}",
        kind="fever_clinic",
        district_code=place.district_code,
        name_zh=name_zh,
        name_en=name_en,
        lon=point[0],
        lat=point[1],
        street=place,
        capacity=beds,
        traits={"quality": _quality(rng), "size": beds / 20},
    )


def quarantine_hotels(rng: random.Random, count: int) -> list[FacilityPlan]:
    """Quarantine hotels for inbound travellers, close contacts and secondary contacts."""
    inbound = round(count * 0.3)
    secondary = round(count * 0.2)
    cohorts = ["inbound"] * inbound + ["secondary_contact"] * secondary
    cohorts += ["close_contact"] * (count - len(cohorts))
    rng.shuffle(cohorts)
    inbound_codes, inbound_weights = _weighted_districts(INBOUND_DISTRICT_WEIGHTS)
    contact_codes, contact_weights = _population_weights({LIWAN: 2.0})
    plans: list[FacilityPlan] = []
    used: set[str] = set()
    for cohort in cohorts:
        if cohort == "inbound":
            district = rng.choices(inbound_codes, inbound_weights)[0]
        else:
            district = rng.choices(contact_codes, contact_weights)[0]
        place = rng.choice(STREETS[district])
        word, kind = rng.choice(HOTEL_WORDS), rng.choice(HOTEL_KINDS)
        name_zh = f"{short_zh(place)}{word[0]}{kind[0]}"
        while name_zh in used:
            place = rng.choice(STREETS[district])
            word, kind = rng.choice(HOTEL_WORDS), rng.choice(HOTEL_KINDS)
            name_zh = f"{short_zh(place)}{word[0]}{kind[0]}"
        used.add(name_zh)
        lon, lat = point_near(rng, district, place.lon, place.lat, 1000)
        rooms = rng.randrange(60, 401, 10)
        plans.append(
            FacilityPlan(
                code=f"QH-{len(plans) + 1:04d}",
                kind="quarantine_hotel",
                district_code=district,
                name_zh=name_zh,
                name_en=f"{short_en(place)} {word[1]} {kind[1]}",
                lon=lon,
                lat=lat,
                street=place,
                cohort=cohort,
                capacity=rooms,
                report_interval_minutes=HOTEL_REPORT_MINUTES,
                traits={"quality": _quality(rng), "size": rooms / 100},
            )
        )
    return plans


def testing_sites(rng: random.Random, scale: Scale) -> list[FacilityPlan]:
    """Nucleic-acid sampling sites, more of them where the outbreak was."""
    codes, weights = _population_weights(SITE_DISTRICT_BOOST)
    per_district = _spread(scale.testing_sites, codes, weights, minimum=4)
    plans: list[FacilityPlan] = []
    for district in codes:
        numbers: dict[tuple[str, str], int] = {}
        for _ in range(per_district[district]):
            place = rng.choice(STREETS[district])
            venue = rng.choice(SITE_VENUES)
            number = numbers[(place.name_zh, venue[0])] = (
                numbers.get((place.name_zh, venue[0]), 0) + 1
            )
            suffix_zh = f"{number}号" if number > 1 else ""
            suffix_en = f" {number}" if number > 1 else ""
            draw = rng.random()
            status = "active" if draw < 0.96 else "standby" if draw < 0.99 else "closed"
            lon, lat = point_near(rng, district, place.lon, place.lat, 900)
            plans.append(
                FacilityPlan(
                    code=f"TS-{len(plans) + 1:05d}",
                    kind="testing_site",
                    district_code=district,
                    name_zh=f"{place.name_zh}{venue[0]}核酸采样点{suffix_zh}",
                    name_en=f"{short_en(place)} {venue[1]} sampling site{suffix_en}",
                    lon=lon,
                    lat=lat,
                    street=place,
                    status=status,
                    report_interval_minutes=scale.site_interval_minutes,
                    traits={
                        "size": rng.uniform(0.5, 1.8),
                        "queue_base": rng.uniform(5.0, 22.0),
                        # One site in ten samples only by day (07:00-23:00).
                        "day_only": 1.0 if rng.random() < 0.1 else 0.0,
                    },
                )
            )
    return plans


def warehouses(rng: random.Random) -> list[FacilityPlan]:
    """One epidemic-supplies warehouse per district, and the city's central reserve."""
    plans: list[FacilityPlan] = []
    for code, name_zh, name_en, population in DISTRICT_TABLE:
        place = rng.choice(STREETS[code])
        lon, lat = point_near(rng, code, place.lon, place.lat, 1200)
        plans.append(
            FacilityPlan(
                code=f"WH-{code}",
                kind="warehouse",
                district_code=code,
                name_zh=f"{name_zh}防疫物资仓库",
                name_en=f"{name_en} District epidemic-supplies warehouse",
                lon=lon,
                lat=lat,
                street=place,
                traits={"size": population / 1_000_000},
            )
        )
    place = street(BAIYUN, "太和镇")
    lon, lat = point_near(rng, BAIYUN, place.lon, place.lat, 1200)
    plans.append(
        FacilityPlan(
            code="WH-CITY",
            kind="warehouse",
            district_code=BAIYUN,
            name_zh="广州市防疫物资储备中心仓库",
            name_en="Guangzhou central epidemic-supplies reserve",
            lon=lon,
            lat=lat,
            street=place,
            traits={"size": 6.0},
        )
    )
    return plans


@dataclass
class Facilities:
    """Every facility of the scenario, by kind."""

    designated: list[FacilityPlan]
    hospitals: list[FacilityPlan]
    clinics: list[FacilityPlan]
    hotels: list[FacilityPlan]
    sites: list[FacilityPlan]
    warehouses: list[FacilityPlan]

    def all(self) -> list[FacilityPlan]:
        """All facilities in insertion order."""
        return [
            *self.designated,
            *self.hospitals,
            *self.clinics,
            *self.hotels,
            *self.sites,
            *self.warehouses,
        ]

    @property
    def eighth_hospital(self) -> FacilityPlan:
        """The designated hospital that treats every case."""
        return self.designated[0]


def plan_facilities(rng: random.Random, scale: Scale) -> Facilities:
    """All facilities of the scenario at this scale."""
    hospitals = general_hospitals(rng, scale.general_hospitals)
    return Facilities(
        designated=designated_hospitals(rng),
        hospitals=hospitals,
        clinics=fever_clinics(rng, scale.fever_clinics, hospitals),
        hotels=quarantine_hotels(rng, scale.hotels),
        sites=testing_sites(rng, scale),
        warehouses=warehouses(rng),
    )
