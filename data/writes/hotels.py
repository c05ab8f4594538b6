"""Quarantine hotels' status reports: rooms, occupancy by cohort, intake and discharges."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session

from data import models
from data.codes import QUARANTINE_HOTEL
from data.writes import state
from data.writes.actor import Actor
from data.writes.batch import Entity, create_batch, create_one
from data.writes.errors import Problem
from data.writes.lookups import by_facility
from data.writes.rules import Spec, count, event_time, optional, reference, required


def _rooms_add_up(row: dict[str, Any]) -> Problem | None:
    busy = row["rooms_occupied"] + row["rooms_cleaning"]
    if busy > row["rooms_total"]:
        return Problem(
            "rooms_exceed_total",
            "rooms_occupied",
            params={
                "occupied": row["rooms_occupied"],
                "cleaning": row["rooms_cleaning"],
                "total": row["rooms_total"],
            },
        )
    by_cohort = (
        row["occupied_inbound"] + row["occupied_close_contact"] + row["occupied_secondary_contact"]
    )
    if by_cohort > row["rooms_occupied"]:
        return Problem(
            "cohorts_exceed_occupied",
            "occupied_close_contact",
            params={"by_cohort": by_cohort, "occupied": row["rooms_occupied"]},
        )
    return None


def _fold_hotel_reports(session: Session, rows: list[dict]) -> None:
    for row in rows:
        state.apply_hotel_report(session, SimpleNamespace(**row))


HOTEL_REPORT = Entity(
    name="hotel_report",
    model=models.HotelReport,
    spec=Spec(
        fields={
            "hotel_id": required(reference),
            "reported_at": required(event_time),
            "rooms_total": required(count),
            "rooms_occupied": required(count),
            "rooms_cleaning": optional(count, 0),
            "occupied_inbound": optional(count, 0),
            "occupied_close_contact": optional(count, 0),
            "occupied_secondary_contact": optional(count, 0),
            "intake": optional(count, 0),
            "discharges": optional(count, 0),
            "staff_on_duty": optional(count, 0),
        },
        rules=(_rooms_add_up,),
    ),
    scope=by_facility("hotel_id", (QUARANTINE_HOTEL,)),
    fold=_fold_hotel_reports,
    rebuild=state.rebuild_hotels,
    natural_key=("hotel_id", "reported_at"),
    refresh=state.refresh_hotels,
    effective="reported_at",
)


def record_hotel_reports(
    session: Session, *, actor: Actor, rows: Iterable[Mapping[str, Any]]
) -> list[int]:
    """Add hotel reports (a batch, all or nothing) and fold them into current state."""
    return create_batch(session, actor=actor, entity=HOTEL_REPORT, rows=rows)


def record_hotel_report(
    session: Session, *, actor: Actor, values: Mapping[str, Any]
) -> models.HotelReport:
    """Add one hotel report."""
    return create_one(session, actor=actor, entity=HOTEL_REPORT, values=values)
