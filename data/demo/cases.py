"""Cases: a Delta-like local outbreak from one case in Liwan, and a trickle of imported ones."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from data.demo.facilities import FacilityPlan
from data.demo.places import (
    BAIYUN,
    HAIZHU,
    HUANGPU,
    LIWAN,
    PANYU,
    STREETS,
    TIANHE,
    YUEXIU,
    Street,
    point_near,
    street,
)
from data.demo.timeline import LAST_DAY, Timeline

# Expected new local cases per day at demo scale (day 0 .. day 20): rising, peaking around
# days 9-13, then falling to one or two a day; about 146 in all.
DAILY_LOCAL_CASES = (1, 1, 2, 3, 4, 6, 7, 9, 11, 12, 14, 14, 13, 12, 10, 8, 7, 5, 4, 2, 1)
ASYMPTOMATIC_SHARE = 0.15
UNKNOWN_INFECTOR_SHARE = 0.12
# The root case reached a restaurant full of morning-tea guests.
ROOT_CLOSE_CONTACTS, ROOT_SECONDARY_CONTACTS = 60, 190
CASE_JITTER_M = 300

# Where new local cases appear, by phase: (first day, district weights).
DISTRICT_PHASES: tuple[tuple[int, dict[str, float]], ...] = (
    (0, {LIWAN: 1.0}),
    (6, {LIWAN: 0.75, YUEXIU: 0.12, HAIZHU: 0.1, BAIYUN: 0.03}),
    (10, {LIWAN: 0.55, YUEXIU: 0.12, HAIZHU: 0.12, PANYU: 0.13, TIANHE: 0.04, BAIYUN: 0.04}),
    (
        15,
        {LIWAN: 0.45, PANYU: 0.25, HAIZHU: 0.12, YUEXIU: 0.1, TIANHE: 0.04, HUANGPU: 0.04},
    ),
)
# Streets weighted within a district: the outbreak's streets and village first.
LIWAN_EARLY = {
    "白鹤洞街": 0.45,
    "中南街海南村": 0.25,
    "中南街": 0.15,
    "东漖街": 0.1,
    "冲口街": 0.05,
}
LIWAN_LATER = {
    "中南街海南村": 0.22,
    "白鹤洞街": 0.2,
    "中南街": 0.12,
    "中南街东塱村": 0.05,
    "海龙街": 0.1,
    "东漖街": 0.1,
    "冲口街": 0.08,
    "茶滘街": 0.04,
    "多宝街": 0.03,
    "花地街": 0.03,
    "东沙街": 0.03,
}
STREET_WEIGHTS = {
    HAIZHU: {"瑞宝街": 0.45, "南石头街": 0.15, "沙园街": 0.15, "昌岗街": 0.1, "江海街": 0.15},
    PANYU: {"洛浦街": 0.5, "大石街": 0.2, "钟村街": 0.15, "南村镇": 0.15},
    YUEXIU: {"人民街": 0.3, "光塔街": 0.2, "六榕街": 0.2, "北京街": 0.15, "洪桥街": 0.15},
}
SEVERITIES = (("mild", 0.52), ("moderate", 0.38), ("severe", 0.07), ("critical", 0.03))
# Days in hospital by severity: (shortest, longest).
STAY_DAYS = {
    "none": (14, 18),
    "mild": (14, 20),
    "moderate": (15, 21),
    "severe": (20, 28),
    "critical": (24, 35),
}


@dataclass
class CasePlan:
    """A case to insert; the infector is another plan, linked by id after the insert."""

    case_no: str
    kind: str
    source: str
    severity: str
    report_day: int
    place: Street
    lon: float
    lat: float
    close_identified: int
    close_controlled: int
    secondary_identified: int
    secondary_controlled: int
    status: str = "admitted"
    discharged_date: date | None = None
    infector: CasePlan | None = None
    generation: int = 0

    def row(self, timeline: Timeline, hospital_id: int) -> dict[str, Any]:
        """The case table row (without the infector, which needs the inserted ids)."""
        return {
            "case_no": self.case_no,
            "kind": self.kind,
            "source": self.source,
            "severity": self.severity,
            "status": self.status,
            "report_date": timeline.day(self.report_day),
            "district_code": self.place.district_code,
            "community_zh": self.place.name_zh,
            "community_en": self.place.name_en,
            "lon": self.lon,
            "lat": self.lat,
            "hospital_id": hospital_id,
            "infector_case_id": None,
            "close_contacts_identified": self.close_identified,
            "close_contacts_controlled": self.close_controlled,
            "secondary_contacts_identified": self.secondary_identified,
            "secondary_contacts_controlled": self.secondary_controlled,
            "discharged_date": self.discharged_date,
        }


CONTACT_FIELDS = (
    "close_contacts_identified",
    "close_contacts_controlled",
    "secondary_contacts_identified",
    "secondary_contacts_controlled",
)


# Contact tracing over the days after a case's report: (days after, hour of day, share of
# the contacts found, share of those found placed under control). The last stage reached
# by the scenario's "as of" carries the case's final counts.
TRACING_STAGES = ((0, 0.0, 0.6, 0.4), (1, 12.0, 0.9, 0.75), (2, 12.0, 1.0, 1.0))


def contact_stages(plan: CasePlan, timeline: Timeline) -> list[tuple[Any, dict[str, int]]]:
    """A case's contact counts as reported over the days after its report: (moment, counts),
    the first at the start of its report day (the case's own row), the last its final counts.
    """
    final = (
        plan.close_identified,
        plan.close_controlled,
        plan.secondary_identified,
        plan.secondary_controlled,
    )
    moments = [
        timeline.at(plan.report_day + days, hour)
        for days, hour, _, _ in TRACING_STAGES
        if timeline.at(plan.report_day + days, hour) <= timeline.as_of
    ] or [timeline.at(plan.report_day)]
    stages = []
    for number, moment in enumerate(moments):
        if number == len(moments) - 1:
            counts = final
        else:
            _, _, found, placed = TRACING_STAGES[number]
            close = int(final[0] * found)
            secondary = int(final[2] * found)
            counts = (
                close,
                min(close, int(final[1] * found * placed)),
                secondary,
                min(secondary, int(final[3] * found * placed)),
            )
        stages.append((moment, dict(zip(CONTACT_FIELDS, counts, strict=True))))
    return stages


def daily_local_counts(rng: random.Random, factor: int) -> list[int]:
    """New local cases per scenario day: the demo curve times `factor`, with some noise."""
    counts = [1]
    for expected in DAILY_LOCAL_CASES[1:]:
        counts.append(max(0, round(expected * factor * rng.uniform(0.85, 1.15))))
    return counts


def _phase_weights(day: int) -> dict[str, float]:
    """The district weights of the outbreak phase `day` falls in."""
    weights = DISTRICT_PHASES[0][1]
    for first_day, phase in DISTRICT_PHASES:
        if day >= first_day:
            weights = phase
    return weights


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    """A key of `weights`, drawn in proportion to its weight."""
    names = list(weights)
    return rng.choices(names, [weights[name] for name in names])[0]


def _place_for(rng: random.Random, district: str, day: int) -> Street:
    """The street (or village) of a new case in `district` on `day`."""
    if district == LIWAN:
        return street(LIWAN, _pick(rng, LIWAN_EARLY if day < 5 else LIWAN_LATER))
    if district in STREET_WEIGHTS and rng.random() < 0.8:
        return street(district, _pick(rng, STREET_WEIGHTS[district]))
    return rng.choice(STREETS[district])


def _kind_and_severity(rng: random.Random) -> tuple[str, str]:
    """Asymptomatic (severity none) or confirmed with a drawn severity."""
    if rng.random() < ASYMPTOMATIC_SHARE:
        return "asymptomatic", "none"
    names = [name for name, _ in SEVERITIES]
    return "confirmed", rng.choices(names, [share for _, share in SEVERITIES])[0]


def _infector(rng: random.Random, plans: list[CasePlan], day: int, place: Street) -> CasePlan:
    """An earlier case, most likely a few days earlier and nearby."""
    candidates = [plan for plan in plans if day - 7 <= plan.report_day < day]
    if not candidates:
        candidates = [plan for plan in plans if plan.report_day < day]
    weights = []
    for plan in candidates:
        if plan.place == place:
            nearness = 4.0
        elif plan.place.district_code == place.district_code:
            nearness = 2.0
        else:
            nearness = 0.6
        gap = day - plan.report_day
        weights.append(nearness * math.exp(-((gap - 3) ** 2) / 4.0))
    return rng.choices(candidates, weights)[0]


def _contacts(rng: random.Random, day: int, root: bool) -> tuple[int, int, int, int]:
    """Close and secondary contacts found, and how many are under control yet."""
    if root:
        close, secondary = ROOT_CLOSE_CONTACTS, ROOT_SECONDARY_CONTACTS
    else:
        close = round(rng.triangular(10, 60, 20))
        secondary = min(200, max(30, round(close * rng.uniform(2.0, 3.5))))
    lag = LAST_DAY - day
    if lag <= 1:
        # Contacts of the newest cases are still being traced and moved to hotels.
        close_share, secondary_share = rng.uniform(0.45, 0.9), rng.uniform(0.3, 0.8)
    elif lag == 2:
        close_share, secondary_share = rng.uniform(0.92, 1.0), rng.uniform(0.85, 1.0)
    else:
        close_share = secondary_share = 1.0
    return close, int(close * close_share), secondary, int(secondary * secondary_share)


def _discharge(rng: random.Random, plan: CasePlan, timeline: Timeline) -> tuple[str, date | None]:
    """Discharged with its date if the stay ends by the anchor, else still admitted."""
    shortest, longest = STAY_DAYS[plan.severity]
    discharged = timeline.day(plan.report_day) + timedelta(days=rng.randint(shortest, longest))
    if discharged <= timeline.anchor:
        return "discharged", discharged
    return "admitted", None


def local_cases(rng: random.Random, timeline: Timeline, factor: int) -> list[CasePlan]:
    """The local outbreak: day counts, places, kinds, infectors and contacts."""
    plans: list[CasePlan] = []
    for day, count in enumerate(daily_local_counts(rng, factor)):
        for _ in range(count):
            root = not plans
            if root:
                place, kind, severity = street(LIWAN, "白鹤洞街"), "confirmed", "moderate"
            else:
                place = _place_for(rng, _pick(rng, _phase_weights(day)), day)
                kind, severity = _kind_and_severity(rng)
            lon, lat = point_near(rng, place.district_code, place.lon, place.lat, CASE_JITTER_M)
            close, close_ok, secondary, secondary_ok = _contacts(rng, day, root)
            plan = CasePlan(
                case_no=f"GZ-L{len(plans) + 1:04d}",
                kind=kind,
                source="local",
                severity=severity,
                report_day=day,
                place=place,
                lon=lon,
                lat=lat,
                close_identified=close,
                close_controlled=close_ok,
                secondary_identified=secondary,
                secondary_controlled=secondary_ok,
            )
            if not root and (day == 1 or rng.random() >= UNKNOWN_INFECTOR_SHARE):
                plan.infector = _infector(rng, plans, day, place)
                plan.generation = plan.infector.generation + 1
            plan.status, plan.discharged_date = _discharge(rng, plan, timeline)
            plans.append(plan)
    return plans


def imported_cases(
    rng: random.Random, timeline: Timeline, count: int, hotels: list[FacilityPlan]
) -> list[CasePlan]:
    """Infections found among inbound travellers in quarantine hotels."""
    inbound = [hotel for hotel in hotels if hotel.cohort == "inbound"] or hotels
    days = sorted(rng.randint(0, LAST_DAY) for _ in range(count))
    plans: list[CasePlan] = []
    for day in days:
        hotel = rng.choice(inbound)
        kind = "asymptomatic" if rng.random() < 0.35 else "confirmed"
        severity = "none" if kind == "asymptomatic" else rng.choice(("mild", "mild", "moderate"))
        close = rng.randint(0, 6)
        lon, lat = point_near(
            rng, hotel.district_code, hotel.street.lon, hotel.street.lat, CASE_JITTER_M
        )
        plan = CasePlan(
            case_no=f"GZ-I{len(plans) + 1:04d}",
            kind=kind,
            source="imported",
            severity=severity,
            report_day=day,
            place=hotel.street,
            lon=lon,
            lat=lat,
            close_identified=close,
            close_controlled=close,
            secondary_identified=0,
            secondary_controlled=0,
        )
        plan.status, plan.discharged_date = _discharge(rng, plan, timeline)
        plans.append(plan)
    return plans


def cases_per_day(plans: list[CasePlan], district: str | None = None) -> list[int]:
    """New local cases per scenario day, optionally of one district."""
    counts = [0] * (LAST_DAY + 1)
    for plan in plans:
        if plan.source == "local" and district in (None, plan.place.district_code):
            counts[plan.report_day] += 1
    return counts
