"""Build the simulated scenario into an empty database, and clear it again."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data import models, writes
from data.db import gather_statistics
from data.demo import audits, cases, facilities, hotels, supplies, testing, zones
from data.demo.timeline import SCALES, Scale, Timeline, make_timeline, stream
from data.queries.common import count_rows, has_any_data
from data.reference.checklist import ensure_checklists
from data.reference.districts import DISTRICT_TABLE
from data.security import readable_password
from data.timeutil import as_utc, command_zone, utc_now
from data.writes import SYSTEM
from data.writes.unit import unit_of_work
from data.writes.users import DEMO_ACCOUNTS_KEY

SCENARIO_KEY = "scenario"
LIWAN = "440103"
# (user name, role, districts): one demo account per role; the duty officer keeps Liwan.
DEMO_ACCOUNTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("demo-leader", "leadership", ()),
    ("demo-officer", "duty_officer", (LIWAN,)),
    ("demo-auditor", "auditor", ()),
    ("demo-admin", "admin", ()),
)
# The audit fields the generator decides; score and level the write side computes.
AUDIT_FIELDS = ("facility_id", "checklist_version_id", "audited_at", "auditor")


def seed_demo(
    engine: Engine,
    *,
    scale: str = "demo",
    anchor_date: date | None = None,
    now: datetime | None = None,
    seed: int = 20210521,
    replace: bool = False,
) -> dict[str, int]:
    """Generate the simulated outbreak ending on `anchor_date` into an empty database.

    With `replace`, the operational data is deleted first, in the same transaction: the
    database holds either the old data or the new scenario, never neither.
    """
    # Returns rows per table. The same seed, anchor and now always give the same rows.
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    now = as_utc(now) if now is not None else utc_now()
    timeline = make_timeline(anchor_date, now, command_zone())
    # No schema lock here: data.bootstrap holds it around "is it empty? then seed", and an
    # advisory lock taken again on another connection would wait for itself.
    # One transaction: every part goes through the write side, and a failure leaves nothing.
    with Session(engine) as session, unit_of_work(session):
        if replace:
            writes.clear_operational_data(session, actor=SYSTEM)
        if has_any_data(session=session):
            raise ValueError(
                "the database already holds operational data (facilities or cases); "
                "the demo scenario is only generated into an empty database"
            )
        lines = _generate(session, timeline, SCALES[scale], seed)
        writes.set_reorder_levels(
            session,
            actor=SYSTEM,
            rows=(
                {
                    "item_id": line.item_id,
                    "location_id": line.location.id,
                    "reorder_level": line.reorder_level,
                }
                for line in lines
            ),
            dated=False,
        )
        info = {
            "simulated": True,
            "scale": scale,
            "seed": seed,
            "anchor_date": timeline.anchor.isoformat(),
            "as_of": timeline.as_of.isoformat(),
        }
        writes.set_dataset_info(session, actor=SYSTEM, key=SCENARIO_KEY, value=info, at=now)
        accounts = _demo_accounts(session)
        writes.set_dataset_info(
            session,
            actor=SYSTEM,
            key=DEMO_ACCOUNTS_KEY,
            value={"accounts": accounts},
            at=now,
            logged={"accounts": [{**a, "password": "(not logged)"} for a in accounts]},
        )
        session.flush()
        counts = count_rows(session=session)
    # The planner's statistics of the rows just written (PostgreSQL), not a guess.
    gather_statistics(engine)
    return counts


def _demo_accounts(session: Session) -> list[dict]:
    """One account per role, each with a new random password (listed on the sign-in page
    while the data is the demo, and printed by `python -m data seed`)."""
    names = {code: (zh, en) for code, zh, en, _ in DISTRICT_TABLE}
    accounts = []
    for username, role, districts in DEMO_ACCOUNTS:
        password = readable_password()
        writes.create_user(
            session,
            actor=SYSTEM,
            username=username,
            role=role,
            password=password,
            display_name=f"Demo {role.replace('_', ' ')}",
            district_codes=districts,
        )
        scope = "、".join(" ".join(names[code]) for code in districts) or None
        accounts.append({"username": username, "role": role, "password": password, "scope": scope})
    return accounts


def _generate(
    session: Session, timeline: Timeline, scale: Scale, seed: int
) -> list[supplies.StockLine]:
    """Insert every part of the scenario; returns the stock lines (for their reorder levels)."""
    versions = ensure_checklists(session)
    plan = facilities.plan_facilities(stream(seed, "facilities"), scale)
    schedules = hotels.plan_hotels(stream(seed, "hotel-plan"), plan.hotels)
    everything = plan.all()
    ids = writes.create_facilities(session, actor=SYSTEM, rows=[item.row() for item in everything])
    for item, new_id in zip(everything, ids, strict=True):
        item.id = new_id

    case_plans = cases.local_cases(stream(seed, "cases"), timeline, scale.case_factor)
    case_plans += cases.imported_cases(
        stream(seed, "imported"), timeline, scale.imported_cases, plan.hotels
    )
    _insert_cases(session, timeline, case_plans, plan.eighth_hospital.id)
    writes.create_zones(
        session,
        actor=SYSTEM,
        rows=zones.plan_zones(stream(seed, "zones"), timeline, case_plans, scale.case_factor),
    )

    rounds = testing.plan_rounds(stream(seed, "rounds"), timeline, plan.sites)
    round_ids = writes.create_rounds(session, actor=SYSTEM, rows=[r.row() for r in rounds])
    for round_plan, new_id in zip(rounds, round_ids, strict=True):
        round_plan.id = new_id
    writes.record_site_reports(
        session,
        actor=SYSTEM,
        rows=testing.site_reports(
            stream(seed, "sites"), timeline, scale, rounds, plan.sites, case_plans
        ),
    )
    writes.record_hotel_reports(
        session,
        actor=SYSTEM,
        rows=hotels.hotel_reports(stream(seed, "hotels"), timeline, plan.hotels, schedules),
    )
    _insert_audits(session, timeline, everything, versions, schedules, seed)
    return _insert_supplies(session, timeline, scale, everything, rounds, schedules, seed)


def _insert_cases(
    session: Session, timeline: Timeline, plans: list[cases.CasePlan], hospital_id: int
) -> None:
    """Insert cases with the contacts found on their report day, the contacts traced on the
    days after, then link each to its infector by the new ids."""
    stages = [cases.contact_stages(plan, timeline) for plan in plans]
    rows = [
        {**plan.row(timeline, hospital_id), **steps[0][1]}
        for plan, steps in zip(plans, stages, strict=True)
    ]
    ids = writes.create_cases(session, actor=SYSTEM, rows=rows)
    writes.record_contact_reports(
        session,
        actor=SYSTEM,
        rows=[
            {"case_id": new_id, "reported_at": moment, **counts}
            for new_id, steps in zip(ids, stages, strict=True)
            for moment, counts in steps[1:]
        ],
    )
    id_of = {id(plan): new_id for plan, new_id in zip(plans, ids, strict=True)}
    links = [
        (id_of[id(plan)], id_of[id(plan.infector)]) for plan in plans if plan.infector is not None
    ]
    writes.link_infectors(session, actor=SYSTEM, links=links, dated=False)


def _insert_audits(
    session: Session,
    timeline: Timeline,
    everything: list[facilities.FacilityPlan],
    versions: dict[str, int],
    schedules: dict[str, hotels.HotelSchedule],
    seed: int,
) -> None:
    """Insert audits, their item results and findings."""
    items: dict[str, list[audits.ItemRef]] = {}
    for label, version_id in versions.items():
        rows = session.execute(
            select(
                models.ChecklistItem.id,
                models.ChecklistItem.code,
                models.ChecklistItem.component,
                models.ChecklistItem.weight,
            )
            .where(models.ChecklistItem.version_id == version_id)
            .order_by(models.ChecklistItem.position, models.ChecklistItem.id)
        ).all()
        items[label] = [audits.ItemRef(*row) for row in rows]
    plans = list(
        audits.plan_audits(stream(seed, "audits"), timeline, everything, items, versions, schedules)
    )
    writes.record_audits(
        session,
        actor=SYSTEM,
        audits=(
            {
                "values": {name: plan.row[name] for name in AUDIT_FIELDS},
                "results": {
                    row["item_id"]: (row["result"], row["note"])
                    for row in audits.item_results(plan, 0)
                },
                "findings": [
                    {name: value for name, value in finding.items() if name != "facility_id"}
                    for finding in plan.findings
                ],
            }
            for plan in plans
        ),
    )


def _insert_supplies(
    session: Session,
    timeline: Timeline,
    scale: Scale,
    everything: list[facilities.FacilityPlan],
    rounds: list[testing.RoundPlan],
    schedules: dict[str, hotels.HotelSchedule],
    seed: int,
) -> list[supplies.StockLine]:
    """Insert the supply catalogue and every stock count."""
    ids = writes.create_supply_items(
        session, actor=SYSTEM, rows=[item.row() for item in supplies.SUPPLIES]
    )
    item_ids = {item.code: new_id for item, new_id in zip(supplies.SUPPLIES, ids, strict=True)}
    lines = supplies.plan_stock_lines(
        stream(seed, "stock-lines"),
        timeline,
        everything,
        item_ids,
        rounds,
        schedules,
        scale,
    )
    writes.record_stock_reports(
        session,
        actor=SYSTEM,
        rows=supplies.stock_reports(stream(seed, "stock-counts"), timeline, lines),
    )
    return lines
