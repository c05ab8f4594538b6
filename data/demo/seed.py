"""Build the simulated scenario into an empty database, and clear it again."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from data import models
from data.demo import audits, cases, facilities, hotels, supplies, testing, zones
from data.demo.bulk import insert_returning_ids, insert_rows
from data.demo.timeline import SCALES, Scale, Timeline, make_timeline, stream
from data.queries.common import count_rows, has_any_data
from data.reference.checklist import ensure_checklists
from data.rollups import rebuild_derived_state
from data.timeutil import as_utc, command_zone, utc_now
from data.writes import SYSTEM, Actor, log_bulk_load

SCENARIO_KEY = "scenario"
# Children before parents, so that deleting never breaks a foreign key.
OPERATIONAL_TABLES: tuple[type[SQLModel], ...] = (
    models.AuditFinding,
    models.AuditItemResult,
    models.FacilityAuditState,
    models.Audit,
    models.StockDaily,
    models.StockState,
    models.StockReport,
    models.SupplyItem,
    models.HotelDaily,
    models.HotelState,
    models.HotelReport,
    models.TestingHourly,
    models.TestingSiteState,
    models.TestingSiteReport,
    models.TestingRound,
    models.Case,
    models.ControlZone,
    models.Facility,
    models.DatasetInfo,
)


def clear_operational_data(session: Session, *, actor: Actor = SYSTEM) -> dict[str, int]:
    """Delete every operational row (keeping districts, checklists, users, the change log)."""
    deleted: dict[str, int] = {}
    session.execute(update(models.Case).values(infector_case_id=None))
    for model in OPERATIONAL_TABLES:
        deleted[model.__tablename__] = session.execute(delete(model)).rowcount
    log_bulk_load(
        session,
        actor=actor,
        description="clear operational data",
        summary=deleted,
        action="delete",
    )
    return deleted


def seed_demo(
    engine: Engine,
    *,
    scale: str = "demo",
    anchor_date: date | None = None,
    now: datetime | None = None,
    seed: int = 20210521,
) -> dict[str, int]:
    """Generate the simulated outbreak ending on `anchor_date` into an empty database."""
    # Returns rows per table. The same seed, anchor and now always give the same rows.
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    now = as_utc(now) if now is not None else utc_now()
    timeline = make_timeline(anchor_date, now, command_zone())
    # No schema lock here: data.bootstrap holds it around "is it empty? then seed", and an
    # advisory lock taken again on another connection would wait for itself.
    with Session(engine) as session:
        if has_any_data(session=session):
            raise ValueError(
                "the database already holds operational data (facilities or cases); "
                "the demo scenario is only generated into an empty database"
            )
        lines = _generate(session, timeline, SCALES[scale], seed)
        rebuild_derived_state(session)
        _set_reorder_levels(session, lines)
        info = {
            "simulated": True,
            "scale": scale,
            "seed": seed,
            "anchor_date": timeline.anchor.isoformat(),
            "as_of": timeline.as_of.isoformat(),
        }
        session.add(models.DatasetInfo(key=SCENARIO_KEY, value=json.dumps(info), updated_at=now))
        session.flush()
        counts = count_rows(session=session)
        log_bulk_load(
            session,
            actor=SYSTEM,
            description=f"demo scenario ({scale})",
            summary={**info, "rows": counts},
        )
    return counts


def _generate(
    session: Session, timeline: Timeline, scale: Scale, seed: int
) -> list[supplies.StockLine]:
    """Insert every part of the scenario; returns the stock lines (for their reorder levels)."""
    versions = ensure_checklists(session)
    plan = facilities.plan_facilities(stream(seed, "facilities"), scale)
    schedules = hotels.plan_hotels(stream(seed, "hotel-plan"), plan.hotels)
    everything = plan.all()
    ids = insert_returning_ids(session, models.Facility, [item.row() for item in everything])
    for item, new_id in zip(everything, ids, strict=True):
        item.id = new_id

    case_plans = cases.local_cases(stream(seed, "cases"), timeline, scale.case_factor)
    case_plans += cases.imported_cases(
        stream(seed, "imported"), timeline, scale.imported_cases, plan.hotels
    )
    _insert_cases(session, timeline, case_plans, plan.eighth_hospital.id)
    insert_rows(
        session,
        models.ControlZone,
        zones.plan_zones(stream(seed, "zones"), timeline, case_plans, scale.case_factor),
    )

    rounds = testing.plan_rounds(stream(seed, "rounds"), timeline, plan.sites)
    round_ids = insert_returning_ids(session, models.TestingRound, [r.row() for r in rounds])
    for round_plan, new_id in zip(rounds, round_ids, strict=True):
        round_plan.id = new_id
    insert_rows(
        session,
        models.TestingSiteReport,
        testing.site_reports(
            stream(seed, "sites"), timeline, scale, rounds, plan.sites, case_plans
        ),
    )
    insert_rows(
        session,
        models.HotelReport,
        hotels.hotel_reports(stream(seed, "hotels"), timeline, plan.hotels, schedules),
    )
    _insert_audits(session, timeline, everything, versions, schedules, seed)
    return _insert_supplies(session, timeline, scale, everything, rounds, schedules, seed)


def _insert_cases(
    session: Session, timeline: Timeline, plans: list[cases.CasePlan], hospital_id: int
) -> None:
    """Insert cases, then link each to its infector by the new ids."""
    ids = insert_returning_ids(session, models.Case, [p.row(timeline, hospital_id) for p in plans])
    id_of = {id(plan): new_id for plan, new_id in zip(plans, ids, strict=True)}
    links = [
        {"case_key": id_of[id(plan)], "infector_key": id_of[id(plan.infector)]}
        for plan in plans
        if plan.infector is not None
    ]
    if links:
        table = models.Case.__table__
        session.execute(
            update(table)
            .where(table.c.id == bindparam("case_key"))
            .values(infector_case_id=bindparam("infector_key")),
            links,
        )


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
    ids = insert_returning_ids(session, models.Audit, [plan.row for plan in plans])
    insert_rows(
        session,
        models.AuditItemResult,
        (
            row
            for plan, new_id in zip(plans, ids, strict=True)
            for row in audits.item_results(plan, new_id)
        ),
    )
    insert_rows(
        session,
        models.AuditFinding,
        (
            {**finding, "audit_id": new_id}
            for plan, new_id in zip(plans, ids, strict=True)
            for finding in plan.findings
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
    ids = insert_returning_ids(
        session, models.SupplyItem, [item.row() for item in supplies.SUPPLIES]
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
    insert_rows(
        session,
        models.StockReport,
        supplies.stock_reports(stream(seed, "stock-counts"), timeline, lines),
    )
    return lines


def _set_reorder_levels(session: Session, lines: list[supplies.StockLine]) -> None:
    """Set each line's reorder level (about a week of its typical use) after the rebuild."""
    table = models.StockState.__table__
    statement = (
        update(table)
        .where(table.c.item_id == bindparam("line_item"))
        .where(table.c.location_id == bindparam("line_location"))
        .values(reorder_level=bindparam("level"))
    )
    rows = [
        {"line_item": line.item_id, "line_location": line.location.id, "level": line.reorder_level}
        for line in lines
    ]
    for start in range(0, len(rows), 10_000):
        session.execute(statement, rows[start : start + 10_000])
