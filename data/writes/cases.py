"""Cases and control zones: reported, linked to their infector, edited, zones lifted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session

from data import models
from data.codes import (
    CASE_KINDS,
    CASE_SEVERITIES,
    CASE_SOURCES,
    CASE_STATUSES,
    DESIGNATED_HOSPITAL,
    GENERAL_HOSPITAL,
    ZONE_LEVELS,
)
from data.writes.actor import Actor
from data.writes.batch import Entity, create_batch, create_one, edit_record
from data.writes.changelog import log_change
from data.writes.errors import InvalidRecord, Problem
from data.writes.lookups import by_district, existing_ids, facility_facts
from data.writes.permissions import authorize
from data.writes.rules import (
    Spec,
    count,
    day,
    district,
    event_day,
    event_time,
    latitude,
    longitude,
    maybe,
    moment,
    not_above,
    one_of,
    optional,
    positive_number,
    reference,
    required,
    text,
)
from data.writes.unit import unit_of_work

HOSPITAL_KINDS = (DESIGNATED_HOSPITAL, GENERAL_HOSPITAL)


def _discharge_rules(row: dict[str, Any]) -> Problem | None:
    discharged = row["discharged_date"]
    if row["status"] == "discharged" and discharged is None:
        return Problem("discharge_needs_date", "discharged_date")
    if discharged is not None and discharged < row["report_date"]:
        return Problem(
            "discharged_before_report",
            "discharged_date",
            params={"value": discharged, "limit": row["report_date"]},
        )
    return None


def _check_case_references(session: Session, rows: list[dict], numbers: list[int]) -> list[Problem]:
    hospitals = facility_facts(session, (r["hospital_id"] for r in rows if r["hospital_id"]))
    infectors = existing_ids(
        session, models.Case, (r["infector_case_id"] for r in rows if r["infector_case_id"])
    )
    problems = []
    for row, number in zip(rows, numbers, strict=True):
        hospital = row["hospital_id"]
        if hospital is not None and hospitals.get(hospital, ("",))[0] not in HOSPITAL_KINDS:
            problems.append(Problem("not_a_hospital", "hospital_id", number, {"key": hospital}))
        infector = row["infector_case_id"]
        if infector is not None and infector not in infectors:
            problems.append(
                Problem(
                    "not_found", "infector_case_id", number, {"entity": "case", "key": infector}
                )
            )
    return problems


_CASE_EDITABLE = frozenset(
    {
        "severity",
        "status",
        "hospital_id",
        "discharged_date",
        "close_contacts_identified",
        "close_contacts_controlled",
        "secondary_contacts_identified",
        "secondary_contacts_controlled",
    }
)

CASE = Entity(
    name="case",
    model=models.Case,
    spec=Spec(
        fields={
            "case_no": required(text(20)),
            "kind": required(one_of(CASE_KINDS)),
            "source": optional(one_of(CASE_SOURCES), "local"),
            "severity": optional(one_of(CASE_SEVERITIES), "mild"),
            "status": optional(one_of(CASE_STATUSES), "admitted"),
            "report_date": required(event_day),
            "district_code": required(district),
            "community_zh": required(text(60)),
            "community_en": required(text(100)),
            "lon": required(longitude),
            "lat": required(latitude),
            "hospital_id": optional(maybe(reference)),
            "infector_case_id": optional(maybe(reference)),
            "close_contacts_identified": optional(count, 0),
            "close_contacts_controlled": optional(count, 0),
            "secondary_contacts_identified": optional(count, 0),
            "secondary_contacts_controlled": optional(count, 0),
            "discharged_date": optional(maybe(day)),
        },
        rules=(
            not_above(
                "close_contacts_controlled", "close_contacts_identified", "exceeds_identified"
            ),
            not_above(
                "secondary_contacts_controlled",
                "secondary_contacts_identified",
                "exceeds_identified",
            ),
            _discharge_rules,
        ),
    ),
    scope=by_district,
    unique=("case_no",),
    check=_check_case_references,
    editable=_CASE_EDITABLE,
    natural_key=("case_no",),
    replaceable=_CASE_EDITABLE,
)


def create_cases(session: Session, *, actor: Actor, rows: Iterable[Mapping[str, Any]]) -> list[int]:
    """Report cases (a batch, all or nothing); returns their ids."""
    return create_batch(session, actor=actor, entity=CASE, rows=rows)


def create_case(session: Session, *, actor: Actor, values: Mapping[str, Any]) -> models.Case:
    """Report one case."""
    return create_one(session, actor=actor, entity=CASE, values=values)


def edit_case(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> models.Case:
    """Change a case's status, severity, hospital, discharge date or contact counts."""
    return edit_record(
        session,
        actor=actor,
        entity=CASE,
        key=case_id,
        expected_version=expected_version,
        changes=changes,
    )


def link_infectors(session: Session, *, actor: Actor, links: Sequence[tuple[int, int]]) -> int:
    """Record who infected whom for (case id, infector case id) pairs; one change-log row."""
    if not links:
        return 0
    with unit_of_work(session):
        cases = existing_ids(session, models.Case, (id_ for pair in links for id_ in pair))
        problems = []
        for number, (case_id, infector_id) in enumerate(links, start=1):
            for name, key in (("id", case_id), ("infector_case_id", infector_id)):
                if key not in cases:
                    problems.append(
                        Problem("not_found", name, number, {"entity": "case", "key": key})
                    )
            if case_id == infector_id:
                problems.append(Problem("own_infector", "infector_case_id", number))
        if problems:
            raise InvalidRecord(*problems)
        districts = dict(
            session.execute(
                models.Case.__table__.select()
                .with_only_columns(models.Case.id, models.Case.district_code)
                .where(models.Case.id.in_([case_id for case_id, _ in links]))
            ).all()
        )
        for district_code in set(districts.values()):
            authorize(actor, "edit", "case", district_code=district_code)
        table = models.Case.__table__
        session.execute(
            update(table)
            .where(table.c.id == bindparam("case_key"))
            .values(infector_case_id=bindparam("infector_key"), version=table.c.version + 1),
            [{"case_key": case_id, "infector_key": infector} for case_id, infector in links],
        )
        log_change(
            session,
            actor=actor,
            table_name="case",
            record_key=f"infector links: {len(links)}",
            action="update",
            before=None,
            after=None,
        )
    return len(links)


def _zone_shape(row: dict[str, Any]) -> Problem | None:
    if row["polygon_geojson"] is None and row["radius_m"] is None:
        return Problem("zone_needs_shape", "radius_m")
    lifted = row["lifted_at"]
    if lifted is not None and lifted < row["imposed_at"]:
        return Problem(
            "lifted_before_imposed",
            "lifted_at",
            params={"value": lifted, "limit": row["imposed_at"]},
        )
    return None


_ZONE_EDITABLE = frozenset({"level", "name_zh", "name_en", "population", "radius_m", "lifted_at"})

ZONE = Entity(
    name="zone",
    model=models.ControlZone,
    spec=Spec(
        fields={
            "code": required(text(24)),
            "level": required(one_of(ZONE_LEVELS)),
            "district_code": required(district),
            "name_zh": required(text(80)),
            "name_en": required(text(120)),
            "polygon_geojson": optional(maybe(text(2_000_000))),
            "center_lon": required(longitude),
            "center_lat": required(latitude),
            "radius_m": optional(maybe(positive_number)),
            "population": optional(count, 0),
            "imposed_at": required(event_time),
            "lifted_at": optional(maybe(moment)),
        },
        rules=(_zone_shape,),
    ),
    scope=by_district,
    unique=("code",),
    editable=_ZONE_EDITABLE,
    natural_key=("code",),
    replaceable=_ZONE_EDITABLE,
)


def create_zones(session: Session, *, actor: Actor, rows: Iterable[Mapping[str, Any]]) -> list[int]:
    """Impose control zones (a batch, all or nothing); returns their ids."""
    return create_batch(session, actor=actor, entity=ZONE, rows=rows)


def create_zone(session: Session, *, actor: Actor, values: Mapping[str, Any]) -> models.ControlZone:
    """Impose one control zone."""
    return create_one(session, actor=actor, entity=ZONE, values=values)


def edit_zone(
    session: Session,
    *,
    actor: Actor,
    zone_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> models.ControlZone:
    """Change a zone's level, names, population or radius, or lift it (`lifted_at`)."""
    return edit_record(
        session,
        actor=actor,
        entity=ZONE,
        key=zone_id,
        expected_version=expected_version,
        changes=changes,
    )
