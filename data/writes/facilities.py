"""Facilities: hospitals, fever clinics, quarantine hotels, testing sites, warehouses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session

from data import models
from data.codes import FACILITY_KINDS, FACILITY_STATUSES, HOTEL_COHORTS
from data.writes.actor import Actor
from data.writes.batch import Entity, create_batch, create_one, edit_record
from data.writes.errors import Problem
from data.writes.lookups import by_district
from data.writes.rules import (
    Spec,
    count,
    district,
    latitude,
    longitude,
    maybe,
    one_of,
    optional,
    positive_count,
    required,
    text,
)


def _cohort_only_for_hotels(row: dict[str, Any]) -> Problem | None:
    if row["cohort"] is not None and row["kind"] != "quarantine_hotel":
        return Problem("cohort_not_hotel", "cohort", params={"kind": row["kind"]})
    return None


FACILITY = Entity(
    name="facility",
    model=models.Facility,
    spec=Spec(
        fields={
            "code": required(text(20)),
            "kind": required(one_of(FACILITY_KINDS)),
            "district_code": required(district),
            "name_zh": required(text(80)),
            "name_en": required(text(120)),
            "lon": required(longitude),
            "lat": required(latitude),
            "status": optional(one_of(FACILITY_STATUSES), "active"),
            "cohort": optional(maybe(one_of(HOTEL_COHORTS))),
            "capacity": optional(maybe(count)),
            "report_interval_minutes": optional(positive_count, 240),
        },
        rules=(_cohort_only_for_hotels,),
    ),
    scope=by_district,
    unique=("code",),
    editable=frozenset({"status", "name_zh", "name_en", "capacity", "report_interval_minutes"}),
)


def create_facilities(
    session: Session, *, actor: Actor, rows: Iterable[Mapping[str, Any]]
) -> list[int]:
    """Register facilities (a batch, all or nothing); returns their ids."""
    return create_batch(session, actor=actor, entity=FACILITY, rows=rows)


def create_facility(
    session: Session, *, actor: Actor, values: Mapping[str, Any]
) -> models.Facility:
    """Register one facility."""
    return create_one(session, actor=actor, entity=FACILITY, values=values)


def edit_facility(
    session: Session,
    *,
    actor: Actor,
    facility_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> models.Facility:
    """Change a facility's status (active, standby, closed), names, capacity or interval."""
    return edit_record(
        session,
        actor=actor,
        entity=FACILITY,
        key=facility_id,
        expected_version=expected_version,
        changes=changes,
    )
