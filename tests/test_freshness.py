"""Source freshness (data.queries.freshness) from known reports, on SQLite and PostgreSQL.

As of T = 2021-06-10 20:00 in Guangzhou; a report after T never makes a reporter fresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from data import models
from data.queries.freshness import list_source_freshness, list_stale_reporters
from data.timeutil import utc_now
from data.writes import Actor, record_hotel_report
from tests.factories import (
    in_language,
    make_audit,
    make_case,
    make_checklist,
    make_facility,
    make_hotel,
    make_hotel_report,
    make_site_report,
    make_stock_report,
    make_supply_item,
)

T = datetime.fromisoformat("2021-06-10 20:00+08:00")


def local(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00")


@dataclass(frozen=True)
class KnownSources:
    site_fresh: models.Facility
    site_late: models.Facility
    site_silent: models.Facility
    hotel: models.Facility
    depot_late: models.Facility
    depot_fresh: models.Facility
    hospital_due: models.Facility


def build_known_sources(session: Session) -> KnownSources:
    """Reporters of every source, fresh and stale, worked out by hand in the tests."""
    site = {"report_interval_minutes": 120}
    fresh = make_facility(session, name_en="Site A", name_zh="甲点", code="S-A", **site)
    late = make_facility(session, name_en="Site B", name_zh="乙点", code="S-B", **site)
    silent = make_facility(session, name_en="Site C", name_zh="丙点", code="S-C", **site)
    make_facility(session, name_en="Site D", code="S-D", status="closed", **site)
    make_site_report(session, site_id=fresh.id, reported_at=local("2021-06-10 18:00"))  # 120 min
    make_site_report(session, site_id=late.id, reported_at=local("2021-06-10 17:59"))  # 121 min
    make_site_report(session, site_id=late.id, reported_at=local("2021-06-10 20:30"))  # after T

    hotel = make_hotel(session, name_en="Hotel H", name_zh="H酒店", code="H-H")
    make_hotel_report(
        session,
        hotel_id=hotel.id,
        reported_at=local("2021-06-10 19:00"),
        rooms_total=10,
        rooms_occupied=5,
    )

    item = make_supply_item(session)
    # Stock is counted daily, whatever the location's own interval (here 240 minutes).
    daily = {"kind": "warehouse", "report_interval_minutes": 240}
    depot_late = make_facility(session, name_en="Depot W", name_zh="W仓", code="W-1", **daily)
    depot_fresh = make_facility(session, name_en="Depot V", name_zh="V仓", code="W-2", **daily)
    for depot, when in ((depot_late, "2021-06-09 19:00"), (depot_fresh, "2021-06-10 01:00")):
        make_stock_report(
            session, item_id=item.id, location_id=depot.id, reported_at=local(when), on_hand=9
        )

    version, items = make_checklist(session)
    results = [(items["a"], "pass"), (items["b"], "pass")]
    current = make_facility(session, kind="general_hospital", name_en="Hospital X", code="X")
    due = make_facility(
        session, kind="general_hospital", name_en="Hospital Y", name_zh="Y医院", code="Y"
    )
    # 13 days before today: current; 14 days: due again.
    for facility, when in ((current, "2021-05-28 10:00"), (due, "2021-05-27 10:00")):
        make_audit(
            session, facility=facility, version=version, results=results, audited_at=local(when)
        )

    # In hospital: Liwan's case traced last on 06-09 00:00 (stale), Yuexiu's on 06-10 00:00.
    make_case(session, report_date=date(2021, 6, 9), district_code="440103")
    make_case(session, report_date=date(2021, 6, 10), district_code="440104")
    # Discharged before today: Haizhu no longer reports.
    make_case(
        session,
        report_date=date(2021, 6, 1),
        district_code="440105",
        status="discharged",
        discharged_date=date(2021, 6, 5),
    )
    return KnownSources(fresh, late, silent, hotel, depot_late, depot_fresh, due)


def test_each_source_as_of_t(session: Session) -> None:
    build_known_sources(session)

    rows = list_source_freshness(session=session, at=T)

    assert [(r.source, r.page, r.reporters, r.stale, r.last_reported_at) for r in rows] == [
        ("testing_sites", "testing", 3, 2, local("2021-06-10 18:00")),
        ("hotels", "hotels", 1, 0, local("2021-06-10 19:00")),
        ("stock", "supplies", 2, 1, local("2021-06-10 01:00")),
        # The hotel (never audited) and hospital Y (14 days ago) are due.
        ("audits", "audits", 3, 2, local("2021-05-28 10:00")),
        ("cases", "cases", 2, 1, local("2021-06-10 00:00")),
    ]
    # The change log of these writes is dated now (2026), after T: nobody is known yet at T,
    # except the auditor, who is part of the audit itself.
    assert [r.last_by for r in rows] == [None, None, None, "督导组 1 / Team 1", None]


def test_stale_reporters_never_reported_first(session: Session) -> None:
    build_known_sources(session)

    def listed(source: str) -> list[tuple]:
        frame = list_stale_reporters(session=session, source=source, at=T)
        return [
            (row.name_en, row.district_en, row.last_reported_at, row.interval_minutes)
            for row in frame.itertuples(index=False)
        ]

    assert listed("testing_sites") == [
        ("Site C", "Liwan", None, 120),
        ("Site B", "Liwan", local("2021-06-10 17:59"), 120),
    ]
    assert listed("hotels") == []
    assert listed("stock") == [("Depot W", "Liwan", local("2021-06-09 19:00"), 1440)]
    assert listed("audits") == [
        ("Hotel H", "Liwan", None, 14 * 24 * 60),
        ("Hospital Y", "Liwan", local("2021-05-27 10:00"), 14 * 24 * 60),
    ]
    assert listed("cases") == [("Liwan", "Liwan", local("2021-06-09 00:00"), 1440)]


def test_after_t_the_late_site_is_fresh_and_its_writer_known(session: Session) -> None:
    known = build_known_sources(session)
    officer = Actor(name="duty-liwan", role="admin")
    record_hotel_report(
        session,
        actor=officer,
        values={
            "hotel_id": known.hotel.id,
            "reported_at": local("2021-06-10 20:45"),
            "rooms_total": 10,
            "rooms_occupied": 6,
            "rooms_cleaning": 0,
        },
    )
    # Read a minute from now: every change-log row is known; every 2021 report is stale.
    rows = {
        r.source: r
        for r in list_source_freshness(session=session, at=utc_now() + timedelta(minutes=1))
    }

    assert (rows["hotels"].last_by, rows["hotels"].last_reported_at) == (
        "duty-liwan",
        local("2021-06-10 20:45"),
    )
    assert (rows["testing_sites"].last_by, rows["testing_sites"].stale) == ("system", 3)
    assert rows["testing_sites"].last_reported_at == local("2021-06-10 20:30")


def test_the_freshness_table_names_the_apps_own_writes_in_the_readers_language() -> None:
    from types import SimpleNamespace

    from components.freshness import freshness_table

    rows = [
        SimpleNamespace(source="hotels", stale=0, reporters=3, last_reported_at=None, last_by=None),
        SimpleNamespace(
            source="stock", stale=1, reporters=4, last_reported_at=None, last_by="system"
        ),
        SimpleNamespace(
            source="cases", stale=0, reporters=1, last_reported_at=None, last_by="demo-officer"
        ),
    ]

    def by(lang: str) -> list[str]:
        def column() -> str:
            return "\n".join(freshness_table(rows).iloc[:, 3])

        return in_language(lang, column).split("\n")

    assert by("zh") == ["—", "系统（批量写入）", "demo-officer"]
    assert by("en") == ["—", "system (bulk writes)", "demo-officer"]
