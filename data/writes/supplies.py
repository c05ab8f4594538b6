"""Supplies: the item catalogue, stock counts, and each stock line's reorder level."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from data import models
from data.codes import SUPPLY_CATEGORIES
from data.writes import state
from data.writes.actor import Actor
from data.writes.batch import Entity, create_batch, create_one, edit_record
from data.writes.changelog import log_change
from data.writes.errors import InvalidRecord, Problem
from data.writes.lookups import by_facility, existing_ids, facility_facts
from data.writes.permissions import authorize_role
from data.writes.revisions import keep_replaced
from data.writes.rules import (
    Context,
    Spec,
    check_rows,
    count,
    event_time,
    one_of,
    optional,
    reference,
    required,
    text,
)
from data.writes.unit import unit_of_work

SUPPLY_ITEM = Entity(
    name="supply_item",
    model=models.SupplyItem,
    spec=Spec(
        fields={
            "code": required(text(20)),
            "category": required(one_of(SUPPLY_CATEGORIES)),
            "name_zh": required(text(60)),
            "name_en": required(text(100)),
            "unit_zh": required(text(10)),
            "unit_en": required(text(20)),
        }
    ),
    scope=lambda _session, rows: [(None, None)] * len(rows),
    unique=("code",),
    editable=frozenset({"category", "name_zh", "name_en", "unit_zh", "unit_en"}),
)


def create_supply_items(
    session: Session, *, actor: Actor, rows: Iterable[Mapping[str, Any]]
) -> list[int]:
    """Add items to the supply catalogue (a batch, all or nothing); returns their ids."""
    return create_batch(session, actor=actor, entity=SUPPLY_ITEM, rows=rows)


def create_supply_item(
    session: Session, *, actor: Actor, values: Mapping[str, Any]
) -> models.SupplyItem:
    """Add one item to the supply catalogue."""
    return create_one(session, actor=actor, entity=SUPPLY_ITEM, values=values)


def _check_items(session: Session, rows: list[dict], numbers: list[int]) -> list[Problem]:
    items = existing_ids(session, models.SupplyItem, (row["item_id"] for row in rows))
    return [
        Problem("not_found", "item_id", number, {"entity": "supply_item", "key": row["item_id"]})
        for row, number in zip(rows, numbers, strict=True)
        if row["item_id"] not in items
    ]


def _fold_stock_reports(session: Session, rows: list[dict]) -> None:
    for row in rows:
        state.apply_stock_report(session, SimpleNamespace(**row))


STOCK_REPORT = Entity(
    name="stock_report",
    model=models.StockReport,
    spec=Spec(
        fields={
            "item_id": required(reference),
            "location_id": required(reference),
            "reported_at": required(event_time),
            "on_hand": required(count),
            "consumed": optional(count, 0),
            "received": optional(count, 0),
            "on_order": optional(count, 0),
        }
    ),
    scope=by_facility("location_id"),
    check=_check_items,
    fold=_fold_stock_reports,
    rebuild=state.rebuild_stock,
    natural_key=("item_id", "location_id", "reported_at"),
    refresh=state.refresh_stock,
    effective="reported_at",
)


def record_stock_reports(
    session: Session, *, actor: Actor, rows: Iterable[Mapping[str, Any]]
) -> list[int]:
    """Add stock counts (a batch, all or nothing) and fold them into current state."""
    return create_batch(session, actor=actor, entity=STOCK_REPORT, rows=rows)


def record_stock_report(
    session: Session, *, actor: Actor, values: Mapping[str, Any]
) -> models.StockReport:
    """Add one stock count."""
    return create_one(session, actor=actor, entity=STOCK_REPORT, values=values)


_REORDER = Spec(
    fields={
        "item_id": required(reference),
        "location_id": required(reference),
        "reorder_level": required(count),
    }
)


def edit_reorder_level(
    session: Session,
    *,
    actor: Actor,
    item_id: int,
    location_id: int,
    expected_version: int,
    reorder_level: int,
) -> models.StockState:
    """Change the stock level below which a line is reordered."""
    return edit_record(
        session,
        actor=actor,
        entity=STOCK_LINE,
        key=(item_id, location_id),
        expected_version=expected_version,
        changes={"reorder_level": reorder_level},
    )


def set_reorder_levels(
    session: Session, *, actor: Actor, rows: Iterable[Mapping[str, Any]], dated: bool = True
) -> int:
    """Set many lines' reorder levels at once; one change-log row.

    The levels replaced are kept (their revisions), so a moment before shows them;
    `dated=False` sets up lines written in the same unit of work (a seed): the levels are
    part of the lines as created."""
    authorize_role(actor, "maintain", "stock_line")
    with unit_of_work(session):
        clean, _, problems = check_rows(_REORDER, rows, Context.current())
        if problems:
            raise InvalidRecord(*problems[:1_000])
        table = models.StockState.__table__
        if dated:
            keep_replaced(session, models.StockState, _replaced_levels(session, clean))
        statement = (
            update(table)
            .where(table.c.item_id == bindparam("line_item"))
            .where(table.c.location_id == bindparam("line_location"))
            .values(reorder_level=bindparam("level"), version=table.c.version + 1)
        )
        parameters = [
            {
                "line_item": r["item_id"],
                "line_location": r["location_id"],
                "level": r["reorder_level"],
            }
            for r in clean
        ]
        for start in range(0, len(parameters), 10_000):
            session.execute(statement, parameters[start : start + 10_000])
        log_change(
            session,
            actor=actor,
            table_name="stockstate",
            record_key=f"reorder levels: {len(clean)}",
            action="update",
            before=None,
            after=None,
        )
    return len(clean)


def _replaced_levels(session: Session, rows: list[dict]) -> list[tuple[dict, dict]]:
    """(stored, new) reorder levels of the lines among `rows` that exist, for the revisions."""
    table = models.StockState.__table__
    wanted = {(row["item_id"], row["location_id"]): row for row in rows}
    locations = sorted({location for _, location in wanted})
    pairs = []
    for start in range(0, len(locations), 1_000):
        stored = session.execute(
            select(table.c.item_id, table.c.location_id, table.c.reorder_level).where(
                table.c.location_id.in_(locations[start : start + 1_000])
            )
        ).mappings()
        pairs.extend(
            (dict(line), {"reorder_level": wanted[key]["reorder_level"]})
            for line in stored
            if (key := (line["item_id"], line["location_id"])) in wanted
        )
    return pairs


def _line_scope(session: Session, rows: list[dict]) -> list:
    facts = facility_facts(session, (row["location_id"] for row in rows))
    return [
        (facts[row["location_id"]][1], row["location_id"])
        if row["location_id"] in facts
        else Problem(
            "not_found", "location_id", params={"entity": "facility", "key": row["location_id"]}
        )
        for row in rows
    ]


STOCK_LINE = Entity(
    name="stock_line",
    model=models.StockState,
    spec=_REORDER,
    scope=_line_scope,
    editable=frozenset({"reorder_level"}),
)
