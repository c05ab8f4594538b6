"""The daily briefing's figures at a cut-off, read through the views' own queries.

A briefing reports the last whole day before its cut-off (issued at 08:00 on 10 June, it
reports 9 June 0-24h) and the state of testing, hotels, supplies and audits at the cut-off
itself, as the Overview would show them at that moment: the same figure is one figure
everywhere. The figures are plain JSON-able values, so that an issued briefing keeps them
exactly as issued (models.IssuedBriefing).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlmodel import Session

from data.alerts import Alert, compute_alerts
from data.measures.alerts import group_alerts
from data.measures.testing import default_round_ids
from data.queries.audits import list_facility_audit_status
from data.queries.cases import (
    count_local_cases_by_district,
    get_case_extent,
    get_epidemic_curve,
)
from data.queries.common import Clock, get_scenario, statements
from data.queries.hotels import CITY, list_capacity_outlook
from data.queries.overview import get_headline
from data.queries.supplies import list_stock_lines
from data.queries.testing import list_round_outlook, list_site_status
from data.timeutil import as_utc, local_day, to_local, to_utc

# How many of the shortest supply lines the briefing names.
SHORT_LINES_NAMED = 5
# Round statuses a briefing reports as behind their deadline.
LATE_STATUSES = ("behind", "missed")


def report_day(cutoff: datetime) -> date:
    """The day a briefing reports: the last whole day (local) before its cut-off."""
    return local_day(cutoff) - timedelta(days=1)


def latest_cutoff(now: datetime, hour: time) -> datetime:
    """The latest moment at `hour` (local) not after `now`: the briefing due most recently."""
    local = to_local(now)
    day = (
        local.date()
        if local.time().replace(tzinfo=None) >= hour
        else local.date() - timedelta(days=1)
    )
    return to_utc(datetime.combine(day, hour))


def cutoff_clock(cutoff: datetime) -> Clock:
    """The clock of the views at the cut-off (as a replay of that moment)."""
    cutoff = as_utc(cutoff)
    return Clock(now=cutoff, today=local_day(cutoff), replay=True)


def _number(value: object) -> float | None:
    """A float for JSON, None for a missing value (NaN, None)."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _cases(session: Session, cutoff: datetime, day: date) -> tuple[dict, list[dict]]:
    """The day's new local infections by kind and district, the day before's, and totals."""
    on_day = count_local_cases_by_district(session=session, today=day, start=day, at=cutoff)
    before = count_local_cases_by_district(
        session=session, today=day - timedelta(days=1), start=day - timedelta(days=1), at=cutoff
    )
    totals = count_local_cases_by_district(session=session, today=day, at=cutoff)
    districts = []
    for today_row, before_row, total_row in zip(
        on_day.itertuples(index=False),
        before.itertuples(index=False),
        totals.itertuples(index=False),
        strict=True,
    ):
        districts.append(
            {
                "code": today_row.district_code,
                "name_zh": today_row.name_zh,
                "name_en": today_row.name_en,
                "confirmed": int(today_row.confirmed),
                "asymptomatic": int(today_row.asymptomatic),
                "new": int(today_row.new_today),
                "previous": int(before_row.new_today),
                "total": int(total_row.total),
                "in_hospital": int(total_row.in_hospital),
            }
        )
    cases = {
        "confirmed": int(on_day["confirmed"].sum()),
        "asymptomatic": int(on_day["asymptomatic"].sum()),
        "previous_confirmed": int(before["confirmed"].sum()),
        "previous_asymptomatic": int(before["asymptomatic"].sum()),
        "total_confirmed": int(totals["confirmed"].sum()),
        "total_asymptomatic": int(totals["asymptomatic"].sum()),
        "in_hospital": int(totals["in_hospital"].sum()),
        "severe": int(totals["severe"].sum()),
    }
    return cases, districts


def _curve(session: Session, day: date) -> list[dict]:
    """New local infections per day and kind from the first local case to `day`: the
    Overview's curve, without days before the outbreak began."""
    first = get_case_extent(session=session, end=day).first_date
    if first is None:
        return []
    curve = get_epidemic_curve(session=session, start=first, end=day)
    averages = {row.report_date: row.average for row in curve.average.itertuples(index=False)}
    rows = []
    for current in sorted(averages):
        counts = curve.counts[curve.counts["report_date"] == current]
        by_kind = dict(zip(counts["kind"], counts["cases"], strict=True))
        rows.append(
            {
                "day": current.isoformat(),
                "confirmed": int(by_kind.get("confirmed", 0)),
                "asymptomatic": int(by_kind.get("asymptomatic", 0)),
                "average": _number(averages[current]),
            }
        )
    return rows


def _testing(session: Session, clock: Clock, headline_testing: Any) -> dict:
    """The rounds the testing page shows first, each with its outlook, and the sites."""
    outlook = list_round_outlook(session=session, now=clock.now)
    shown = default_round_ids(
        [
            (int(row.round_id), row.district_code, row.start_at, row.deadline_at)
            for row in outlook.itertuples(index=False)
        ],
        clock.now,
    )
    rounds = [
        {
            "district_code": row.district_code,
            "name_zh": row.name_zh,
            "name_en": row.name_en,
            "round_no": int(row.round_no),
            "target": int(row.target_population),
            "sampled": int(row.sampled),
            "pending": int(row.pending),
            "positive": int(row.positive),
            "percent": _number(row.percent),
            "status": row.status,
            "deadline_at": as_utc(row.deadline_at).isoformat(),
        }
        for row in outlook[outlook["round_id"].isin(shown)].itertuples(index=False)
    ]
    sites = list_site_status(session=session, now=clock.now, today=clock.today)
    return {
        "rounds": rounds,
        "sampled": headline_testing.sampled,
        "target": headline_testing.target,
        "percent": headline_testing.percent,
        "late": sum(1 for item in rounds if item["status"] in LATE_STATUSES),
        "sites_total": len(sites),
        "sites_open": int(sites["is_open"].sum()),
        "sampled_today": int(sites["sampled_today"].sum()),
    }


def _hotels(session: Session, clock: Clock) -> dict:
    """City-wide rooms and days until full, as the hotels page's capacity outlook says."""
    outlook = list_capacity_outlook(session=session, clock=clock)
    city = outlook[outlook["scope"] == CITY].iloc[0]
    return {
        "hotels": int(city["hotels"]),
        "total": int(city["rooms_total"]),
        "occupied": int(city["rooms_occupied"]),
        "cleaning": int(city["rooms_cleaning"]),
        "available": int(city["rooms_available"]),
        "waiting": int(city["waiting"]),
        "net_per_day": _number(city["net_per_day"]),
        "days_until_full": _number(city["days_until_full"]),
    }


def _supplies(session: Session, clock: Clock, headline_supplies: Any) -> dict:
    """Lines under 7 and 3 days (as the Overview counts them) and the shortest lines."""
    lines = list_stock_lines(session=session, today=clock.today, at=clock.now)
    critical = lines[lines["level"] == "critical"].sort_values(
        ["days_of_supply", "item_code", "location_code"]
    )
    return {
        "lines_with_burn": headline_supplies.lines_with_burn,
        "under_7_days": headline_supplies.under_7_days,
        "under_3_days": headline_supplies.under_3_days,
        "shortest": [
            {
                "item_zh": row.item_name_zh,
                "item_en": row.item_name_en,
                "location_zh": row.location_name_zh,
                "location_en": row.location_name_en,
                "days": _number(row.days_of_supply),
            }
            for row in critical.head(SHORT_LINES_NAMED).itertuples(index=False)
        ],
    }


def _audits(session: Session, clock: Clock, headline_actions: Any) -> dict:
    """Facilities audited, their latest IPCAF scores, and open and overdue actions."""
    status = list_facility_audit_status(session=session, today=clock.today, at=clock.now)
    scores = status["score"].dropna()
    levels = status.loc[status["score"].notna(), "level"]
    return {
        "facilities": len(status),
        "audited": int(status["audit_id"].notna().sum()),
        "scored": len(scores),
        "average_score": _number(scores.mean()) if len(scores) else None,
        "lowest_score": _number(scores.min()) if len(scores) else None,
        "inadequate": int((levels == "inadequate").sum()),
        "open": headline_actions.open,
        "overdue": headline_actions.overdue,
    }


# Worked out once per cut-off (then kept in the database): a province's stock lines, testing
# sites and sources at a past moment take seconds each on a loaded machine.
@statements(6)
def compute_figures(session: Session, *, cutoff: datetime) -> dict[str, Any]:
    """Every figure of the briefing at `cutoff` (JSON-able)."""
    cutoff = as_utc(cutoff)
    clock = cutoff_clock(cutoff)
    day = report_day(cutoff)
    headline = get_headline(session=session, clock=clock)
    cases, districts = _cases(session, cutoff, day)
    contacts = headline.contacts
    scenario = get_scenario(session=session)
    return {
        "cutoff": cutoff.isoformat(),
        "day": day.isoformat(),
        "simulated": bool(scenario is not None and scenario.simulated),
        "cases": cases,
        "districts": districts,
        "contacts": {
            "close_identified": contacts.close_identified,
            "close_controlled": contacts.close_controlled,
            "secondary_identified": contacts.secondary_identified,
            "secondary_controlled": contacts.secondary_controlled,
        },
        "zones": dict(headline.zones),
        "testing": _testing(session, clock, headline.testing),
        "hotels": _hotels(session, clock),
        "supplies": _supplies(session, clock, headline.supplies),
        "audits": _audits(session, clock, headline.actions),
        "curve": _curve(session, day),
        **_alerts(compute_alerts(session, at=cutoff)),
    }


def _alerts(alerts: list[Alert]) -> dict[str, Any]:
    """The alerts a briefing lists (the worst of each severity and kind, as the Overview
    groups them), those it leaves out counted by severity and kind, and how many there are
    of each severity. Only what it shows is kept: a city's 985 alerts were 380 KB of figures,
    read back on every run of the page and kept with every issued briefing."""
    groups = group_alerts(alerts)
    critical = sum(1 for alert in alerts if alert.severity == "critical")
    return {
        "alerts": [alert_as_json(alert) for group in groups for alert in group.worst],
        "alerts_left_out": [
            {"severity": group.severity, "kind": group.kind, "count": group.left_out}
            for group in groups
            if group.left_out
        ],
        "alerts_count": {"critical": critical, "warning": len(alerts) - critical},
    }


def _json_value(value: object) -> object:
    """A value of an alert as JSON keeps it (numbers as Python numbers, NaN as None)."""
    if hasattr(value, "item"):  # a numpy number
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def alert_as_json(alert: Alert) -> dict[str, Any]:
    """An alert as the briefing keeps it; its moments as ISO text, named in `times`."""
    times = sorted(name for name, value in alert.values.items() if isinstance(value, datetime))
    return {
        "key": alert.key,
        "kind": alert.kind,
        "severity": alert.severity,
        "page": alert.page,
        "district_code": alert.district_code,
        "values": {
            name: as_utc(value).isoformat() if name in times else _json_value(value)
            for name, value in alert.values.items()
        },
        "times": times,
    }


def alert_from_json(stored: dict[str, Any]) -> Alert:
    """An alert kept by a briefing, as the alert module made it."""
    times = set(stored["times"])
    return Alert(
        key=stored["key"],
        kind=stored["kind"],
        severity=stored["severity"],
        page=stored["page"],
        district_code=stored["district_code"],
        values={
            name: datetime.fromisoformat(value) if name in times and value else value
            for name, value in stored["values"].items()
        },
    )


def curve_frame(figures: dict[str, Any]) -> pd.DataFrame:
    """The briefing's curve as a frame: day, confirmed, asymptomatic, average."""
    frame = pd.DataFrame(figures["curve"], columns=["day", "confirmed", "asymptomatic", "average"])
    frame["day"] = [date.fromisoformat(value) for value in frame["day"]]
    return frame
