"""Cases and control zones: reported, linked to their infector, edited, zones lifted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, insert, select, update
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
from data.timeutil import as_utc, day_start_utc, utc_now
from data.writes.actor import Actor
from data.writes.batch import Entity, create_batch, create_one, edit_record
from data.writes.changelog import log_change
from data.writes.errors import InvalidRecord, Problem
from data.writes.lookups import by_district, existing_ids, facility_facts
from data.writes.permissions import authorize
from data.writes.revisions import keep_replaced
from data.writes.rules import (
    Context,
    Spec,
    check_rows,
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
# A case's contact-tracing counts: current values on the case, history in CaseContactReport.
CONTACT_FIELDS = (
    "close_contacts_identified",
    "close_contacts_controlled",
    "secondary_contacts_identified",
    "secondary_contacts_controlled",
)
_IN_CHUNK = 1_000


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
    # Contact tracing has a history: a new case's first counts, and every change of them
    # (a form's edit, an import replacing a case), is a dated report.
    after_batch=lambda session, written: _first_contact_reports(
        session, list(written.inserted_ids())
    ),
    after_edit=lambda session, record: _contacts_changed(session, record),
    refresh=lambda session, rows: _contacts_replaced(session, rows),
)


def _first_contact_reports(session: Session, ids: list[int]) -> list[Problem]:
    """Each new case's contact counts, as reported at the start of its report day (a case
    is known from its report day on)."""
    c = models.Case
    for start in range(0, len(ids), _IN_CHUNK):
        part = ids[start : start + _IN_CHUNK]
        rows = session.execute(
            select(c.id, c.report_date, *(getattr(c, name) for name in CONTACT_FIELDS)).where(
                c.id.in_(part)
            )
        ).all()
        session.execute(
            insert(models.CaseContactReport),
            [
                {
                    "case_id": case_id,
                    "reported_at": day_start_utc(report_date),
                    **dict(zip(CONTACT_FIELDS, counts, strict=True)),
                }
                for case_id, report_date, *counts in rows
            ],
        )
    return []


def _latest_contact_report(session: Session, case_id: int) -> models.CaseContactReport | None:
    r = models.CaseContactReport
    return session.execute(
        select(r).where(r.case_id == case_id).order_by(r.reported_at.desc(), r.id.desc()).limit(1)
    ).scalar_one_or_none()


def _contacts_changed(session: Session, record: models.Case) -> None:
    """After an edit of a case: if its contact counts changed, report them now (history)."""
    latest = _latest_contact_report(session, record.id)
    counts = {name: getattr(record, name) for name in CONTACT_FIELDS}
    if latest is not None and all(getattr(latest, n) == v for n, v in counts.items()):
        return
    now = utc_now()
    if latest is not None and as_utc(latest.reported_at) > now:
        now = as_utc(latest.reported_at)
    session.add(models.CaseContactReport(case_id=record.id, reported_at=now, **counts))
    session.flush()


def _contacts_replaced(session: Session, rows: list[dict]) -> None:
    """After an import replaced stored cases: their contact counts, if changed, reported now."""
    for case_id in sorted({row["id"] for row in rows if row.get("id") is not None}):
        record = session.get(models.Case, case_id, populate_existing=True)
        if record is not None:
            _contacts_changed(session, record)


CONTACT_REPORT_SPEC = Spec(
    fields={
        "case_id": required(reference),
        "reported_at": required(event_time),
        **{name: optional(count, 0) for name in CONTACT_FIELDS},
    },
    rules=(
        not_above("close_contacts_controlled", "close_contacts_identified", "exceeds_identified"),
        not_above(
            "secondary_contacts_controlled", "secondary_contacts_identified", "exceeds_identified"
        ),
    ),
)


def record_contact_reports(
    session: Session, *, actor: Actor, rows: Iterable[Mapping[str, Any]]
) -> int:
    """Record cases' contact-tracing counts as reported at moments (a batch, all or nothing).

    The history keeps every report; each case's current counts follow its latest report
    (its version is raised, so that an edit begun before is refused as stale). Returns how
    many reports were written. Needs the right to edit cases in their districts.
    """
    rows = list(rows)
    with unit_of_work(session):
        clean, numbers, problems = check_rows(CONTACT_REPORT_SPEC, rows, Context.current())
        districts: dict[int, str] = {}
        c = models.Case
        wanted = sorted({row["case_id"] for row in clean})
        for start in range(0, len(wanted), _IN_CHUNK):
            part = wanted[start : start + _IN_CHUNK]
            found = session.execute(select(c.id, c.district_code).where(c.id.in_(part))).all()
            districts.update((case_id, code) for case_id, code in found)
        for row, number in zip(clean, numbers, strict=True):
            if row["case_id"] not in districts:
                problems.append(
                    Problem(
                        "not_found", "case_id", number, {"entity": "case", "key": row["case_id"]}
                    )
                )
        if problems:
            raise InvalidRecord(*problems)
        for district_code in sorted(set(districts.values())):
            authorize(actor, "edit", "case", district_code=district_code)
        if not clean:
            return 0
        session.execute(insert(models.CaseContactReport), clean)
        _follow_latest_reports(session, wanted)
        log_change(
            session,
            actor=actor,
            table_name="casecontactreport",
            record_key=f"contact reports: {len(clean)}",
            action="insert",
            before=None,
            after=None,
        )
    return len(clean)


def _replaced_links(session: Session, links: Sequence[tuple[int, int]]) -> list:
    """(stored settings, new link) of each linked case, for the revisions."""
    new = dict(links)
    table, fields = models.Case.__table__, models.REVISIONS[models.Case][1]
    wanted = sorted(new)
    pairs = []
    for start in range(0, len(wanted), _IN_CHUNK):
        stored = session.execute(
            select(table.c.id, *(table.c[name] for name in fields)).where(
                table.c.id.in_(wanted[start : start + _IN_CHUNK])
            )
        ).mappings()
        pairs.extend((dict(case), {"infector_case_id": new[case["id"]]}) for case in stored)
    return pairs


def _follow_latest_reports(session: Session, case_ids: list[int]) -> None:
    """Set these cases' current contact counts to their latest reports (version + 1)."""
    table = models.Case.__table__
    for case_id in case_ids:
        latest = _latest_contact_report(session, case_id)
        if latest is None:
            continue
        session.execute(
            update(table)
            .where(table.c.id == case_id)
            .values(
                **{name: getattr(latest, name) for name in CONTACT_FIELDS},
                version=table.c.version + 1,
            )
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


def link_infectors(
    session: Session, *, actor: Actor, links: Sequence[tuple[int, int]], dated: bool = True
) -> int:
    """Record who infected whom for (case id, infector case id) pairs; one change-log row.

    A link traced later is dated: the case's link before it is kept (its revision), so a
    moment before shows none. `dated=False` links cases written in the same unit of work (a
    seed, or a file's rows naming an earlier row of the same file): the link is part of the
    case as written, and a stored case the same import replaced kept its revision then."""
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
        if dated:
            keep_replaced(session, models.Case, _replaced_links(session, links))
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
