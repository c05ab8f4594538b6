"""Bulk import, export and templates (data/transfer), on SQLite and PostgreSQL: real files
written to disk as a district's spreadsheet would be, and what the user is told."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlmodel import Session

from data import models
from data.transfer import UnreadableFile, export_bytes, import_file, template_bytes
from data.writes import SYSTEM, Actor, InvalidRecord, PermissionDenied
from i18n import describe_problem
from tests.factories import at, in_language, make_facility, make_hotel, make_round, make_supply_item

LIWAN, YUEXIU = "440103", "440104"
EN_HEADER = "site code,round number,report time,open,sampled,results out,positives\n"
ZH_HEADER = "采样点编码,轮次,上报时间,是否开放,采样数,出结果数,阳性数\n"


@pytest.fixture
def sites(session: Session) -> dict[str, models.Facility]:
    """Two testing sites in Liwan and one in Yuexiu, with Liwan's first round."""
    made = {
        "LW-001": make_facility(session, code="LW-001", district_code=LIWAN),
        "LW-002": make_facility(session, code="LW-002", district_code=LIWAN),
        "YX-001": make_facility(session, code="YX-001", district_code=YUEXIU),
    }
    make_round(
        session, district_code=LIWAN, start_at=at("2021-05-26 00:00"), deadline_at=at("2021-06-01")
    )
    return made


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _import(session: Session, path: Path, kind: str = "site-reports", actor: Actor = SYSTEM):
    with path.open("rb") as stream:
        return import_file(session, actor=actor, kind=kind, stream=stream, filename=path.name)


def _count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def _reports(session: Session) -> list[tuple]:
    r, f = models.TestingSiteReport, models.Facility
    query = (
        select(f.code, r.reported_at, r.sampled, r.resulted, r.positive, r.is_open, r.round_id)
        .join(f, f.id == r.site_id)
        .order_by(f.code, r.reported_at)
    )
    return [tuple(row) for row in session.execute(query)]


def _seen(problem, lang: str) -> tuple:
    """A problem as the import table shows it: row, column, reason (in `lang`)."""
    column = in_language(lang, lambda: describe_column(problem.field))
    reason = in_language(lang, describe_problem, problem.at_row(None))
    return problem.row, column, reason


def describe_column(field: str | None) -> str:
    from i18n import t

    return t(f"field.{field}") if field else ""


GOOD = (
    "LW-001,1,2021-05-27 09:00,是,120,100,1\n"
    "LW-002,1,2021/5/27 9:30,yes,80,80,0\n"
    "LW-001,,2021-05-27 12:00,否,0,0,0\n"
)


def test_a_large_import_leaves_the_planner_statistics_fresh(
    session, sites, tmp_path, monkeypatch
) -> None:
    from sqlalchemy import text as sql

    from data.transfer import importing
    from tests.conftest import planner_rows

    engine = session.get_bind()
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps no planner statistics")
    session.execute(sql("ANALYZE testingsitereport"))  # of the empty table: 0 rows
    session.commit()
    assert planner_rows(engine, "testingsitereport") == 0
    monkeypatch.setattr(importing, "BULK_ROWS", 3)  # a large import, as 10,000 rows are
    _import(session, _write(tmp_path / "reports.csv", EN_HEADER + GOOD))
    assert planner_rows(engine, "testingsitereport") == 3


def test_a_good_file_is_written_whole_with_one_change_log_row(session, sites, tmp_path) -> None:
    result = _import(session, _write(tmp_path / "reports.csv", EN_HEADER + GOOD))
    assert (result.rows, result.inserted, result.updated, result.unchanged) == (3, 3, 0, 0)
    assert result.encoding == "utf-8"
    reports = _reports(session)
    # Local (Shanghai) wall-clock times are stored in UTC.
    assert [(code, at, s, r, p, o) for code, at, s, r, p, o, _ in reports] == [
        ("LW-001", at("2021-05-27 01:00"), 120, 100, 1, True),
        ("LW-001", at("2021-05-27 04:00"), 0, 0, 0, False),
        ("LW-002", at("2021-05-27 01:30"), 80, 80, 0, True),
    ]
    assert reports[1][6] is None and reports[0][6] is not None
    state = session.get(models.TestingSiteState, sites["LW-001"].id)
    assert (state.is_open, state.sampled_day, state.resulted_day) == (False, 120, 100)
    (entry,) = (
        session.execute(
            select(models.ChangeLog).where(models.ChangeLog.table_name == "testingsitereport")
        )
        .scalars()
        .all()
    )
    detail = json.loads(entry.after_json)
    assert (entry.table_name, entry.actor, entry.action) == (
        "testingsitereport",
        "system",
        "insert",
    )
    assert (detail["rows"], detail["inserted"], detail["kind"], detail["file"]) == (
        3,
        3,
        "site-reports",
        "reports.csv",
    )


def test_a_file_with_bad_rows_writes_nothing_and_names_every_row(session, sites, tmp_path) -> None:
    bad = (
        "LW-001,1,2021-05-27 09:00,是,120,100,1\n"
        "LW-001,1,2021-05-27 10:00,是,-5,0,0\n"  # row 3: negative
        "LW-009,1,2021-05-27 10:00,是,5,0,0\n"  # row 4: unknown site
        "LW-002,1,yesterday,是,5,0,0\n"  # row 5: not a time
        "LW-002,1,2021-05-27 11:00,是,5,3,4\n"  # row 6: positives above results
        "LW-001,1,2021-05-27 09:00,是,1,0,0\n"  # row 7: the same report as row 2
    )
    with pytest.raises(InvalidRecord) as refused:
        _import(session, _write(tmp_path / "bad.csv", ZH_HEADER + bad))
    assert [_seen(p, "en") for p in refused.value.problems] == [
        (3, "sampled", "Sampled cannot be negative (-5)"),
        (4, "site code", "There is no record LW-009 among facilities"),
        (5, "report time", "Report time is not a time (yesterday); use YYYY-MM-DD HH:MM"),
        (6, "positives", "Positives (4) exceeds the results out (3)"),
        (7, "site code", "The same record as row 2 (site code LW-001)"),
    ]
    assert [_seen(p, "zh") for p in refused.value.problems][:2] == [
        (3, "采样数", "采样数不能为负数（-5）"),
        (4, "采样点编码", "设施中没有编号为 LW-009 的记录"),
    ]
    assert _count(session, models.TestingSiteReport) == 0
    assert _count(session, models.TestingSiteState) == 0
    assert _count(session, models.ChangeLog) == 4  # three sites and a round; not the import


def test_a_row_with_an_unknown_code_gets_its_other_problems_named_too(
    session, sites, tmp_path
) -> None:
    bad = (
        "LW-009,1,2021-05-27 10:00,是,-5,0,0\n"  # row 2: unknown site and a negative count
        "LW-001,7,2021-05-27 11:00,是,5,3,4\n"  # row 3: unknown round, positives > results
    )
    with pytest.raises(InvalidRecord) as refused:
        _import(session, _write(tmp_path / "bad.csv", EN_HEADER + bad))
    assert [_seen(p, "en") for p in refused.value.problems] == [
        (2, "site code", "There is no record LW-009 among facilities"),
        (2, "sampled", "Sampled cannot be negative (-5)"),
        (3, "round number", "There is no record 7 among testing rounds"),
        (3, "positives", "Positives (4) exceeds the results out (3)"),
    ]


def test_a_case_whose_infector_is_on_an_earlier_row_of_the_file_links_to_it(
    session, tmp_path
) -> None:
    header = (
        "case number,kind,report date,district,community (Chinese),community (English),"
        "longitude,latitude,infector case number\n"
    )
    place = "440103,白鹤洞街,Baihedong,113.24,23.08"
    text = (
        f"GZ-0001,confirmed,2021-05-21,{place},\n"
        f"GZ-0002,confirmed,2021-05-23,{place},GZ-0001\n"
        f"GZ-0003,asymptomatic,2021-05-24,{place},GZ-0002\n"
    )
    result = _import(session, _write(tmp_path / "cases.csv", header + text), "cases")
    assert result.inserted == 3
    c = models.Case
    ids = dict(session.execute(select(c.case_no, c.id)).all())
    links = dict(session.execute(select(c.case_no, c.infector_case_id)).all())
    assert links == {"GZ-0001": None, "GZ-0002": ids["GZ-0001"], "GZ-0003": ids["GZ-0002"]}
    # An infector on a later row, or nowhere, is still refused.
    later = f"GZ-0010,confirmed,2021-05-23,{place},GZ-0011\nGZ-0011,confirmed,2021-05-21,{place},\n"
    with pytest.raises(InvalidRecord) as refused:
        _import(session, _write(tmp_path / "later.csv", header + later), "cases")
    assert [_seen(p, "en") for p in refused.value.problems] == [
        (2, "infector case number", "There is no record GZ-0011 among cases")
    ]


def test_a_batch_opens_to_exactly_its_own_rows_though_another_writer_took_ids_between(
    engine, monkeypatch
) -> None:
    """PostgreSQL gives ids from one sequence to every writer: a report saved while an
    import runs takes an id inside the import's range, and is not one of its rows."""
    from data.queries.changelog import batch_rows
    from data.writes import batch as batch_module
    from data.writes.batch import upsert_batch
    from data.writes.testing import SITE_REPORT
    from tests.factories import make_site_report

    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite gives a batch its ids under its write lock: no one takes one between")
    with Session(engine) as setup:
        site_id = make_facility(setup, code="LW-001", district_code=LIWAN).id
        other_id = make_facility(setup, code="LW-002", district_code=LIWAN).id
    monkeypatch.setattr(batch_module, "CHUNK", 2)
    others: list[int] = []

    def rows():
        for n in range(6):
            if n in (2, 4):  # between two chunks of the import, another writer saves
                with Session(engine) as elsewhere:
                    report = make_site_report(
                        elsewhere, site_id=other_id, reported_at=at(f"2021-05-27 0{n}:30")
                    )
                    others.append(report.id)
            yield n + 2, {"site_id": site_id, "reported_at": at(f"2021-05-27 0{n}:00")}

    with Session(engine) as session:
        outcome = upsert_batch(session, actor=SYSTEM, entity=SITE_REPORT, rows=rows())
        entry = session.execute(
            select(models.ChangeLog).where(models.ChangeLog.record_key.like("%..%"))
        ).scalar_one()
        total, listed = batch_rows(session=session, entry_id=entry.id)
    assert min(outcome.ids) < min(others) and max(others) < max(outcome.ids)
    assert total == 6
    assert sorted(int(row["key"]) for row in listed) == sorted(outcome.ids)


def test_a_gbk_file_with_chinese_headers_in_another_order(session, sites, tmp_path) -> None:
    text = "上报时间,采样点编码,采样数,出结果数,是否开放\n2021-05-27 09:00,LW-001,30,10,是\n"
    path = _write(tmp_path / "gbk.csv", text, "gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    result = _import(session, path)
    assert (result.inserted, result.encoding) == (1, "gb18030")
    assert _reports(session)[0][:4] == ("LW-001", at("2021-05-27 01:00"), 30, 10)


def test_a_utf8_file_with_a_byte_order_mark(session, sites, tmp_path) -> None:
    result = _import(session, _write(tmp_path / "bom.csv", ZH_HEADER + GOOD, "utf-8-sig"))
    assert (result.inserted, result.encoding) == (3, "utf-8-sig")


def test_an_excel_workbook(session, sites, tmp_path) -> None:
    from datetime import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Site code", "Report time", "Sampled", "Results out", "Open"])
    sheet.append(["LW-001", datetime(2021, 5, 27, 9, 0), 40, 20.0, True])
    sheet.append(["LW-002", "2021-05-27 09:15", 3.0, 0, "否"])
    sheet.append([None, None, None, None, None])  # a blank row left in the sheet
    workbook.save(tmp_path / "reports.xlsx")
    result = _import(session, tmp_path / "reports.xlsx")
    assert result.inserted == 2
    assert [row[:6] for row in _reports(session)] == [
        ("LW-001", at("2021-05-27 01:00"), 40, 20, 0, True),
        ("LW-002", at("2021-05-27 01:15"), 3, 0, 0, False),
    ]


def test_the_same_file_twice_changes_nothing_and_a_changed_row_updates(
    session, sites, tmp_path
) -> None:
    path = _write(tmp_path / "reports.csv", EN_HEADER + GOOD)
    _import(session, path)
    counter = session.get(models.ChangeCounter, 1).value
    again = _import(session, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert session.get(models.ChangeCounter, 1).value == counter
    assert _count(session, models.ChangeLog) == 5
    changed = GOOD.replace(
        "LW-001,1,2021-05-27 09:00,是,120,100,1", "LW-001,1,2021-05-27 09:00,是,150,100,1"
    )
    third = _import(session, _write(tmp_path / "edited.csv", EN_HEADER + changed))
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 2)
    assert _count(session, models.TestingSiteReport) == 3
    assert [row[2] for row in _reports(session)] == [150, 0, 80]
    state = session.get(models.TestingSiteState, sites["LW-001"].id)
    assert state.sampled_day == 150  # derived state follows the replaced report
    hourly = session.execute(select(func.sum(models.TestingHourly.sampled))).scalar_one()
    assert hourly == 230
    batch, row = (
        session.execute(select(models.ChangeLog).order_by(models.ChangeLog.id.desc()).limit(2))
        .scalars()
        .all()[::-1]
    )
    assert row.batch_id == batch.id and row.action == "update"
    assert (json.loads(row.before_json)["sampled"], json.loads(row.after_json)["sampled"]) == (
        120,
        150,
    )
    assert json.loads(batch.after_json)["updated"] == 1


def test_an_export_edited_in_a_spreadsheet_imports_back(session, sites, tmp_path) -> None:
    _import(session, _write(tmp_path / "reports.csv", EN_HEADER + GOOD))
    data, count = export_bytes(session, "site-reports", "csv", "zh")
    assert count == 3
    assert data.startswith("\ufeff采样点编码,轮次,上报时间,是否开放,采样数".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[1] == "LW-001,1,2021-05-27 09:00,是,120,100,1,0,0"
    lines[1] = lines[1].replace(",120,", ",125,")
    result = _import(session, _write(tmp_path / "edited.csv", "\n".join(lines), "utf-8-sig"))
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 2)
    workbook_bytes, _ = export_bytes(session, "site-reports", "xlsx", "en")
    (tmp_path / "export.xlsx").write_bytes(workbook_bytes)
    assert _import(session, tmp_path / "export.xlsx").unchanged == 3


def test_a_template_imports_cleanly(session, sites, tmp_path) -> None:
    data = template_bytes(session, "site-reports", "csv", "en")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("采样点编码 / site code,轮次 / round number,上报时间 / report time")
    result = _import(session, _write(tmp_path / "template.csv", data.decode("utf-8-sig")))
    assert result.inserted == 1


def _xlsx(path: Path, rows: list[list], merge: str | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


MALFORMED = {
    "empty.csv": (lambda p: p.write_bytes(b""), "The file is empty"),
    "header-only.csv": (
        lambda p: p.write_bytes(EN_HEADER.encode()),
        "The file has a header row but no data rows",
    ),
    "random.csv": (
        lambda p: p.write_bytes(os.urandom(50 * 1024 * 1024)),
        "The file holds binary content: it is not a CSV text file",
    ),
    "picture.csv": (
        lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000)),
        "picture.csv is not a spreadsheet but a PNG file",
    ),
    "renamed.xlsx": (
        lambda p: p.write_bytes((EN_HEADER + GOOD).encode()),
        "renamed.xlsx is named .xlsx but is not an Excel workbook (perhaps a CSV renamed)",
    ),
    "workbook.csv": (
        lambda p: (
            _xlsx(Path(str(p) + ".xlsx"), [["site code"]])
            and p.write_bytes(Path(str(p) + ".xlsx").read_bytes())
        ),
        "workbook.csv is named .csv but is an Excel workbook: name it .xlsx, or save it as CSV",
    ),
    "latin1.csv": (
        lambda p: p.write_bytes(
            "site code,report time,sampled\nCafé,2021-05-27 09:00,1\n".encode("latin-1")
        ),
        "Unrecognised encoding: only UTF-8 (with or without BOM) and GBK/GB18030 are "
        "accepted. Save it from Excel as 'CSV UTF-8'",
    ),
    "merged.xlsx": (
        lambda p: _xlsx(
            p,
            [["上报", None, "数量"], ["site code", "report time", "sampled"]],
            merge="A1:B1",
        ),
        "Row 1 must be the header, one name per column: column B has no header (merged "
        "cells, or a header of several rows?)",
    ),
    "title.xlsx": (
        lambda p: _xlsx(
            p, [["荔湾区采样点报告"], ["site code", "report time", "sampled"]], merge="A1:C1"
        ),
        "Row 1 looks like a title (荔湾区采样点报告), not the header: delete title rows and "
        "merged cells so that row 1 holds the column names",
    ),
    "unknown.csv": (
        lambda p: p.write_bytes(b"site code,report time,weather\nLW-001,2021-05-27 09:00,1\n"),
        "Unknown columns: C: weather. Use the template's headers (Chinese or English)",
    ),
    "missing.csv": (
        lambda p: p.write_bytes(b"site code,sampled\nLW-001,1\n"),
        "Required columns are missing: report time",
    ),
    "report.txt": (
        lambda p: p.write_bytes(b"x"),
        "Cannot import report.txt: only .csv, .xlsx files are accepted",
    ),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_files_get_a_clear_message(session, sites, tmp_path, name) -> None:
    make, message = MALFORMED[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(UnreadableFile) as refused:
        _import(session, path)
    assert in_language("en", describe_problem, refused.value.problem) == message
    assert _count(session, models.TestingSiteReport) == 0


def test_missing_columns_in_chinese(session, sites, tmp_path) -> None:
    path = _write(tmp_path / "missing.csv", "采样点编码,采样数\nLW-001,1\n")
    with pytest.raises(UnreadableFile) as refused:
        _import(session, path)
    assert in_language("zh", describe_problem, refused.value.problem) == "缺少必需的列：上报时间"


def test_a_duty_officer_importing_rows_outside_their_scope_is_refused(
    session, sites, tmp_path
) -> None:
    officer = Actor(name="wang", role="duty_officer", district_codes=frozenset({LIWAN}))
    text = EN_HEADER + GOOD + "YX-001,,2021-05-27 09:00,yes,5,0,0\n"
    with pytest.raises(PermissionDenied) as refused:
        _import(session, _write(tmp_path / "mixed.csv", text), actor=officer)
    assert [_seen(p, "en") for p in refused.value.problems] == [
        (5, "", "wang may change data only within their own scope (Yuexiu is outside it)")
    ]
    assert _count(session, models.TestingSiteReport) == 0
    assert (
        _import(session, _write(tmp_path / "mine.csv", EN_HEADER + GOOD), actor=officer).inserted
        == 3
    )


def test_hotels_stock_cases_and_zones_import_and_round_trip(session, tmp_path) -> None:
    make_hotel(session, code="H-01", rooms=100)
    make_facility(session, code="WH-01", kind="warehouse")
    make_supply_item(session, code="N95")
    hotel = "酒店编码,上报时间,总房间数,在住房间数\nH-01,2021-05-27 09:00,100,60\n"
    stock = (
        "item code,location code,report time,on hand,consumed\nN95,WH-01,2021-05-27 09:00,500,20\n"
    )
    cases = (
        "case number,kind,report date,district,community (Chinese),community (English),"
        "longitude,latitude\nGZ-0001,confirmed,2021-05-27,440103,白鹤洞街,Baihedong,113.24,23.08\n"
    )
    zones = (
        "zone code,level,district,Chinese name,English name,centre longitude,centre latitude,"
        "radius (m),imposed at\n"
        "Z-1,sealed,440103,白鹤洞,Baihedong,113.24,23.08,500,2021-05-27 09:00\n"
    )
    for kind, text in (
        ("hotel-reports", hotel),
        ("stock-counts", stock),
        ("cases", cases),
        ("zones", zones),
    ):
        assert _import(session, _write(tmp_path / f"{kind}.csv", text), kind).inserted == 1, kind
        exported, count = export_bytes(session, kind, "xlsx", "zh")
        (tmp_path / f"{kind}.xlsx").write_bytes(exported)
        assert count == 1
        assert _import(session, tmp_path / f"{kind}.xlsx", kind).unchanged == 1, kind
        template = template_bytes(session, kind, "xlsx", "en")
        sheet = load_workbook(io.BytesIO(template)).active
        assert sheet.max_row == 2, kind
    assert (
        session.get(
            models.HotelState,
            session.execute(
                select(models.Facility.id).where(models.Facility.code == "H-01")
            ).scalar_one(),
        ).rooms_occupied
        == 60
    )
    # A case's district is not changed by an import; its status may be.
    moved = cases.replace(",440103,", ",440104,")
    with pytest.raises(InvalidRecord) as refused:
        _import(session, _write(tmp_path / "moved.csv", moved), "cases")
    assert [_seen(p, "en") for p in refused.value.problems] == [
        (
            2,
            "district",
            "District cannot be changed by an import (stored: 440103; the file has 440104)",
        )
    ]


# --- Large files: chunks, the two CSV readers, codes looked up a chunk at a time -----------

RAGGED = (
    "LW-001,1,2021-05-27 09:00,是,120,100,1\n"  # row 2
    "\n"  # row 3: blank, left out
    "LW-002,,2021-05-27 09:30,yes,80,80,0\n"  # row 4: no round
    "LW-001,1,2021-05-27 10:00,是,5,0,0,note\n"  # row 5: a cell beyond the header
    "LW-002,1,2021-05-27 13:00,是,5\n"  # row 6: short (results and positives left out)
    "LW-404,1,2021-05-27 14:00,是,-1,0,0\n"  # row 7: unknown site, negative count
    ",,,,,,\n"  # row 8: blank cells only, left out
    "LW-001,1,2021-05-27 15:00,否,0,0,0\n"  # row 9
)


def _chunked_rows(path: Path) -> list[tuple]:
    from data.transfer.kinds import KINDS
    from data.transfer.reading import open_table

    with path.open("rb") as stream:
        table = open_table(stream, path.name, KINDS["site-reports"])
        found = []
        for chunk in table.rows:
            found.extend(zip(chunk.numbers, zip(*chunk.cells, strict=True), strict=True))
            found.extend((p.row, p.code) for p in chunk.problems)
    return sorted(found, key=lambda row: row[0])


@pytest.mark.parametrize("chunk_rows", [2, 3, 10_000])
def test_rows_keep_their_spreadsheet_numbers_whichever_reader_reads_them(
    tmp_path, monkeypatch, chunk_rows
) -> None:
    """pandas' C parser reads a CSV until a row has more cells than the header; from that
    chunk on the csv module reads it, numbering on from the rows already read."""
    from data.transfer import reading

    monkeypatch.setattr(reading, "CHUNK_ROWS", chunk_rows)
    rows = _chunked_rows(_write(tmp_path / "ragged.csv", EN_HEADER + RAGGED))
    # A short row's missing cells are "" (pandas) or None (csv module): both empty.
    assert [(n, tuple(c or "" for c in cells)) if n != 5 else (n, cells) for n, cells in rows] == [
        (2, ("LW-001", "1", "2021-05-27 09:00", "是", "120", "100", "1")),
        (4, ("LW-002", "", "2021-05-27 09:30", "yes", "80", "80", "0")),
        (5, "extra_cells"),
        (6, ("LW-002", "1", "2021-05-27 13:00", "是", "5", "", "")),
        (7, ("LW-404", "1", "2021-05-27 14:00", "是", "-1", "0", "0")),
        (9, ("LW-001", "1", "2021-05-27 15:00", "否", "0", "0", "0")),
    ]
    regular = EN_HEADER + RAGGED.replace(",note", "")
    assert [n for n, _ in _chunked_rows(_write(tmp_path / "regular.csv", regular))] == [
        2,
        4,
        5,
        6,
        7,
        9,
    ]


@pytest.mark.parametrize("chunk_rows", [2, 10_000])
def test_a_ragged_file_in_chunks_names_its_bad_rows_and_writes_nothing(
    session, sites, tmp_path, monkeypatch, chunk_rows
) -> None:
    from data.transfer import reading

    monkeypatch.setattr(reading, "CHUNK_ROWS", chunk_rows)
    with pytest.raises(InvalidRecord) as refused:
        _import(session, _write(tmp_path / "ragged.csv", EN_HEADER + RAGGED))
    assert [_seen(p, "en") for p in refused.value.problems] == [
        (5, "", "The row has 1 more cell than the header"),
        (7, "site code", "There is no record LW-404 among facilities"),
        (7, "sampled", "Sampled cannot be negative (-1)"),
    ]
    assert _count(session, models.TestingSiteReport) == 0


def test_a_file_read_in_chunks_stores_what_each_row_says(
    session, sites, tmp_path, monkeypatch
) -> None:
    """Chunks of two rows: codes are looked up per chunk, empty and missing cells take the
    write side's defaults, and a chunk with an unknown code does not stop the others."""
    from data.transfer import reading

    monkeypatch.setattr(reading, "CHUNK_ROWS", 2)
    good = RAGGED.replace(",note", "").replace(
        "LW-404,1,2021-05-27 14:00,是,-1", "LW-002,1,2021-05-27 14:00,是,1"
    )
    result = _import(session, _write(tmp_path / "good.csv", EN_HEADER + good))
    assert (result.rows, result.inserted) == (6, 6)
    round_id = session.execute(select(models.TestingRound.id)).scalar_one()
    assert _reports(session) == [
        ("LW-001", at("2021-05-27 01:00"), 120, 100, 1, True, round_id),
        ("LW-001", at("2021-05-27 02:00"), 5, 0, 0, True, round_id),
        ("LW-001", at("2021-05-27 07:00"), 0, 0, 0, False, round_id),
        ("LW-002", at("2021-05-27 01:30"), 80, 80, 0, True, None),
        ("LW-002", at("2021-05-27 05:00"), 5, 0, 0, True, round_id),
        ("LW-002", at("2021-05-27 06:00"), 1, 0, 0, True, round_id),
    ]
