"""Exports and templates: the current records of a kind in exactly the import format.

An export has one header row in the reader's language and the records, oldest first; edited
in a spreadsheet it imports back cleanly (rows left alone change nothing). A template has
headers in both languages and one example row that itself imports cleanly (its facility,
item and round are real ones of the database, when it has any). CSV is UTF-8 with a
byte-order mark, which Excel on a Chinese Windows machine opens correctly; xlsx is written
as a stream, so that memory stays bounded for large exports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from typing import IO, Any

from sqlalchemy import select
from sqlmodel import Session

from data import models
from data.timeutil import local_day, utc_now
from data.transfer.cells import write_cell
from data.transfer.kinds import CASES, HOTEL_REPORTS, KINDS, SITE_REPORTS, STOCK_COUNTS, Kind
from data.transfer.reading import template_header

FORMATS = ("csv", "xlsx")
_YIELD = 5_000


def _records(session: Session, kind: Kind) -> Iterator[dict[str, Any]]:
    """The stored records of a kind, keyed by column name, oldest first."""
    f = models.Facility
    if kind is SITE_REPORTS:
        r, rounds = models.TestingSiteReport, models.TestingRound
        query = (
            select(
                f.code.label("site_code"),
                rounds.round_no,
                *(r.__table__.c[c.name] for c in kind.columns[2:]),
            )
            .join(f, f.id == r.site_id)
            .outerjoin(rounds, rounds.id == r.round_id)
            .order_by(r.reported_at, r.id)
        )
    elif kind is HOTEL_REPORTS:
        h = models.HotelReport
        query = (
            select(f.code.label("hotel_code"), *(h.__table__.c[c.name] for c in kind.columns[1:]))
            .join(f, f.id == h.hotel_id)
            .order_by(h.reported_at, h.id)
        )
    elif kind is STOCK_COUNTS:
        s, item = models.StockReport, models.SupplyItem
        query = (
            select(
                item.code.label("item_code"),
                f.code.label("location_code"),
                *(s.__table__.c[c.name] for c in kind.columns[2:]),
            )
            .join(item, item.id == s.item_id)
            .join(f, f.id == s.location_id)
            .order_by(s.reported_at, s.id)
        )
    elif kind is CASES:
        c = models.Case
        infector = models.Case.__table__.alias("infector")
        plain = [col.name for col in kind.columns if col.cell != "code"]
        query = (
            select(
                *(c.__table__.c[name] for name in plain),
                f.code.label("hospital_code"),
                infector.c.case_no.label("infector_case_no"),
            )
            .outerjoin(f, f.id == c.hospital_id)
            .outerjoin(infector, infector.c.id == c.infector_case_id)
            .order_by(c.report_date, c.id)
        )
    else:
        z = models.ControlZone
        query = select(
            z.code.label("zone_code"), *(z.__table__.c[col.target] for col in kind.columns[1:])
        ).order_by(z.imposed_at, z.id)
    for record in session.execute(query.execution_options(yield_per=_YIELD)).mappings():
        yield dict(record)


def export_rows(session: Session, kind_name: str, lang: str) -> Iterator[list[Any]]:
    """The header row (in `lang`), then each stored record's cells."""
    from i18n import CATALOGUE

    kind = KINDS[kind_name]
    yield [CATALOGUE[f"field.{c.name}"][0 if lang == "zh" else 1] for c in kind.columns]
    for record in _records(session, kind):
        yield [write_cell(record[c.name], c.cell, lang) for c in kind.columns]


def write_table(rows: Iterator[list[Any]], out: IO[bytes], fmt: str) -> int:
    """Write rows (the header first) as CSV (UTF-8 with BOM) or xlsx; returns data rows."""
    count = -1
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        for row in rows:
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()
        return count
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
        count += 1
    workbook.save(out)
    return count


def export_kind(session: Session, kind_name: str, out: IO[bytes], fmt: str, lang: str) -> int:
    """Write the current records of a kind to `out`; returns how many."""
    return write_table(export_rows(session, kind_name, lang), out, fmt)


def template_rows(session: Session, kind_name: str, lang: str) -> list[list[Any]]:
    """The template: headers in both languages and one example row."""
    kind = KINDS[kind_name]
    example = _example(session, kind)
    header = [template_header(c.name) for c in kind.columns]
    return [header, [write_cell(example[c.name], c.cell, lang) for c in kind.columns]]


def template_bytes(session: Session, kind_name: str, fmt: str, lang: str) -> bytes:
    out = io.BytesIO()
    write_table(iter(template_rows(session, kind_name, lang)), out, fmt)
    return out.getvalue()


def export_bytes(session: Session, kind_name: str, fmt: str, lang: str) -> tuple[bytes, int]:
    out = io.BytesIO()
    count = export_kind(session, kind_name, out, fmt, lang)
    return out.getvalue(), count


def _first(session: Session, query: Any) -> Any:
    return session.execute(query.limit(1)).first()


def _example(session: Session, kind: Kind) -> dict[str, Any]:
    """An example row that imports cleanly: real codes, a time an hour ago."""
    now = utc_now().replace(second=0, microsecond=0) - timedelta(hours=1)
    values: dict[str, Any] = {c.name: c.example for c in kind.columns}
    f = models.Facility
    values.update({"reported_at": now, "imposed_at": now})
    values["report_date"] = local_day(now)
    district = "440103"
    if kind is SITE_REPORTS:
        site = _first(session, select(f.code, f.district_code).where(f.kind == "testing_site"))
        values["site_code"] = site.code if site else "SITE-001"
        if site is not None:
            district = site.district_code
        r = models.TestingRound
        found = _first(
            session,
            select(r.round_no)
            .where(r.district_code == district, r.start_at <= now)
            .order_by(r.start_at.desc()),
        )
        values["round_no"] = found.round_no if found else ""
    elif kind is HOTEL_REPORTS:
        hotel = _first(session, select(f.code).where(f.kind == "quarantine_hotel"))
        values["hotel_code"] = hotel.code if hotel else "HOTEL-001"
    elif kind is STOCK_COUNTS:
        line = _first(
            session,
            select(models.SupplyItem.code, f.code.label("location"))
            .join(models.StockState, models.StockState.item_id == models.SupplyItem.id)
            .join(f, f.id == models.StockState.location_id),
        )
        item = line.code if line else None
        location = line.location if line else None
        if item is None:
            found = _first(session, select(models.SupplyItem.code))
            item = found.code if found else "ITEM-001"
            place = _first(session, select(f.code).where(f.kind == "warehouse"))
            location = place.code if place else "WH-001"
        values.update({"item_code": item, "location_code": location})
    else:
        lon, lat = _centroid(session, district)
        values.update(
            {
                "district_code": district,
                "lon": lon,
                "lat": lat,
                "center_lon": lon,
                "center_lat": lat,
            }
        )
        values["imposed_at"] = now
    return values


def _centroid(session: Session, district: str) -> tuple[float, float]:
    d = models.District
    found = _first(session, select(d.centroid_lon, d.centroid_lat).where(d.code == district))
    if found is not None:
        return round(found.centroid_lon, 4), round(found.centroid_lat, 4)
    return 113.24, 23.12
