"""Factories for test records. Reports go through the write path, so state tables follow."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import count
from typing import Any
from unittest import mock

from sqlmodel import Session

from data import models
from data.writes import (
    SYSTEM,
    create_case,
    create_facility,
    create_round,
    create_supply_item,
    create_zone,
    record_audit,
    record_hotel_report,
    record_site_report,
    record_stock_report,
)
from i18n import current_language, set_language

_numbers = count(1)


def in_language(lang: str, function: Callable[..., str], *args: Any) -> str:
    """What `function` says in `lang` (the catalogue's language is per script run)."""
    previous = current_language()
    set_language(lang)
    try:
        return function(*args)
    finally:
        set_language(previous)


def at(text: str) -> datetime:
    """A UTC moment from 'YYYY-MM-DD HH:MM' (local Shanghai time is 8 hours ahead)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@contextmanager
def written_at(moment: datetime) -> Iterator[None]:
    """Edits made in the block are written at `moment` (the time their replaced settings
    stop being current), as if the wall clock read it."""
    with mock.patch("data.writes.revisions.utc_now", return_value=moment):
        yield


def make_facility(
    session: Session, *, kind: str = "testing_site", district_code: str = "440103", **values: Any
) -> models.Facility:
    """A facility of `kind` in a district (Liwan by default)."""
    number = next(_numbers)
    defaults = {
        "code": f"F{number:05d}",
        "kind": kind,
        "district_code": district_code,
        "name_zh": f"设施{number}",
        "name_en": f"Facility {number}",
        "lon": 113.24,
        "lat": 23.12,
    }
    return create_facility(session, actor=SYSTEM, values={**defaults, **values})


def make_case(
    session: Session, *, report_date: date, district_code: str = "440103", **values: Any
) -> models.Case:
    """A local confirmed case reported on a day."""
    number = next(_numbers)
    defaults = {
        "case_no": f"T-{number:05d}",
        "kind": "confirmed",
        "report_date": report_date,
        "district_code": district_code,
        "community_zh": "白鹤洞街",
        "community_en": "Baihedong",
        "lon": 113.24,
        "lat": 23.08,
    }
    return create_case(session, actor=SYSTEM, values={**defaults, **values})


def make_zone(
    session: Session,
    *,
    level: str,
    imposed_at: datetime,
    district_code: str = "440103",
    **values: Any,
) -> models.ControlZone:
    """A control zone drawn as a circle."""
    number = next(_numbers)
    defaults = {
        "code": f"Z-{number:05d}",
        "level": level,
        "district_code": district_code,
        "name_zh": f"区域{number}",
        "name_en": f"Zone {number}",
        "center_lon": 113.24,
        "center_lat": 23.08,
        "radius_m": 500.0,
        "population": 1000,
        "imposed_at": imposed_at,
    }
    return create_zone(session, actor=SYSTEM, values={**defaults, **values})


def make_round(
    session: Session, *, district_code: str = "440103", round_no: int = 1, **values: Any
) -> models.TestingRound:
    """A whole-district testing round."""
    defaults = {
        "district_code": district_code,
        "round_no": round_no,
        "scope": "whole",
        "target_population": 1000,
        "start_at": at("2021-05-26 00:00"),
        "deadline_at": at("2021-05-28 00:00"),
    }
    return create_round(session, actor=SYSTEM, values={**defaults, **values})


def make_site_report(session: Session, **values: Any) -> models.TestingSiteReport:
    """A testing-site report, through the write path."""
    return record_site_report(session, actor=SYSTEM, values=values)


def make_hotel_report(session: Session, **values: Any) -> models.HotelReport:
    """A quarantine-hotel report, through the write path."""
    defaults = {"rooms_cleaning": 0}
    return record_hotel_report(session, actor=SYSTEM, values={**defaults, **values})


def make_stock_report(session: Session, **values: Any) -> models.StockReport:
    """A stock count, through the write path."""
    return record_stock_report(session, actor=SYSTEM, values=values)


def make_supply_item(session: Session, **values: Any) -> models.SupplyItem:
    """A supply item (N95 respirators by default)."""
    number = next(_numbers)
    defaults = {
        "code": f"S{number:04d}",
        "category": "ppe",
        "name_zh": "N95口罩",
        "name_en": "N95 respirators",
        "unit_zh": "个",
        "unit_en": "pieces",
    }
    return create_supply_item(session, actor=SYSTEM, values={**defaults, **values})


def make_checklist(
    session: Session, *, label: str = "test-v1", weights: dict[str, float] | None = None
) -> tuple[models.ChecklistVersion, dict[str, models.ChecklistItem]]:
    """A checklist version with items (code -> weight); returns it and its items by code."""
    version = models.ChecklistVersion(label=label, effective_from=date(2021, 1, 1))
    session.add(version)
    session.flush()
    items = {}
    for position, (code, weight) in enumerate((weights or {"a": 1.0, "b": 1.0}).items()):
        item = models.ChecklistItem(
            version_id=version.id,
            component="covid",
            code=code,
            text_zh=code,
            text_en=code,
            weight=weight,
            position=position,
        )
        session.add(item)
        items[code] = item
    session.commit()
    for item in items.values():
        session.refresh(item)
    session.refresh(version)
    return version, items


def make_audit(
    session: Session,
    *,
    facility: models.Facility,
    version: models.ChecklistVersion,
    results: list[tuple[models.ChecklistItem, str]],
    audited_at: datetime,
    findings: list[dict[str, Any]] = (),
) -> models.Audit:
    """An audit with (item, 'pass' | 'partial' | 'fail' | 'na') results."""
    return record_audit(
        session,
        actor=SYSTEM,
        values={
            "facility_id": facility.id,
            "checklist_version_id": version.id,
            "audited_at": audited_at,
            "auditor": "督导组 1 / Team 1",
        },
        results={item.id: (result, None) for item, result in results},
        findings=list(findings),
    )


def make_component_checklist(
    session: Session, *, label: str, items: dict[str, tuple[str, float]]
) -> tuple[models.ChecklistVersion, dict[str, models.ChecklistItem]]:
    """A checklist version with items code -> (component, weight); returns it and its items."""
    version, made = make_checklist(
        session, label=label, weights={code: weight for code, (_, weight) in items.items()}
    )
    for code, (component, _) in items.items():
        made[code].component = component
    session.commit()
    for item in made.values():
        session.refresh(item)
    return version, made


def make_hotel(
    session: Session, *, rooms: int = 100, cohort: str | None = "close_contact", **values: Any
) -> models.Facility:
    """A quarantine hotel with `rooms` rooms (for close contacts, in Liwan, by default)."""
    return make_facility(session, kind="quarantine_hotel", cohort=cohort, capacity=rooms, **values)
