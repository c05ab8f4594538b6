"""Supplies data layer: stock lines, city-wide totals, stock-outs and line history from known
stock counts, on SQLite and PostgreSQL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from data import models
from data.queries.supplies import (
    list_item_totals,
    list_line_history,
    list_stock_lines,
    list_stock_outs,
    list_stocked_kinds,
)
from tests.factories import at, make_facility, make_stock_report, make_supply_item

TODAY = date(2021, 6, 10)


@dataclass(frozen=True)
class KnownStock:
    """Ids of the known city's items and locations."""

    masks: int
    swabs: int
    reagent: int
    warehouse: int
    hospital: int
    site: int
    hotel: int


# (item, location, counts as (local day in 2021, on hand, consumed, received)); each count
# is made at 09:00 local (01:00 UTC) on its day.
LINES: list[tuple[str, str, list[tuple[str, int, int, int]]]] = [
    # L1: 20 used since the 06-08 count, over 2 days: 10/day, 25 on hand = 2.5 days.
    ("masks", "warehouse", [("06-08", 45, 10, 0), ("06-09", 35, 10, 0), ("06-10", 25, 10, 0)]),
    # L2: a delivery of 80 between counts; 30 used over 3 days = 10/day; 150 = 15 days.
    ("masks", "hospital", [("06-07", 100, 5, 0), ("06-10", 150, 30, 80)]),
    # L3: one count: not enough data.
    ("swabs", "site", [("06-10", 30, 4, 0)]),
    # L4: counted twice, nothing used: no use.
    ("swabs", "hotel", [("06-09", 40, 0, 0), ("06-10", 40, 0, 0)]),
    # L5: the 06-03 count is outside the window; the 500 reported on 06-04 were used before
    # the window's first count. 60 since then over 6 days = 10/day; 12 on hand = 1.2 days.
    ("swabs", "warehouse", [("06-03", 600, 7, 0), ("06-04", 72, 500, 0), ("06-10", 12, 60, 0)]),
    # L6: ran out on 06-08 and still at zero: 0 days, 3 days at zero.
    ("reagent", "warehouse", [("06-08", 0, 40, 0), ("06-09", 0, 0, 0), ("06-10", 0, 0, 0)]),
    # L7: at zero on 05-11 (outside 30 days) and 06-01; now 40 at 20/day = 2 days.
    (
        "reagent",
        "hospital",
        [("05-11", 0, 5, 0), ("06-01", 0, 9, 0), ("06-09", 60, 20, 100), ("06-10", 40, 20, 0)],
    ),
]


def build_known_stock(session: Session) -> KnownStock:
    """Three items at four locations in three districts, with hand-worked figures."""
    items = {
        "masks": make_supply_item(session, code="N95", category="ppe"),
        "swabs": make_supply_item(
            session,
            code="SWAB",
            category="test_kit",
            name_zh="采样拭子",
            name_en="Swabs",
            unit_zh="支",
            unit_en="swabs",
        ),
        "reagent": make_supply_item(
            session,
            code="PCR",
            category="reagent",
            name_zh="核酸检测试剂",
            name_en="PCR reagent",
            unit_zh="人份",
            unit_en="tests",
        ),
    }
    locations = {
        "warehouse": make_facility(
            session, kind="warehouse", name_zh="荔湾区物资仓库", name_en="Liwan warehouse"
        ),
        "hospital": make_facility(
            session,
            kind="designated_hospital",
            district_code="440104",
            name_zh="市第八人民医院",
            name_en="8th People's Hospital",
        ),
        "site": make_facility(
            session, kind="testing_site", name_zh="白鹤洞采样点", name_en="Baihedong site"
        ),
        "hotel": make_facility(
            session,
            kind="quarantine_hotel",
            district_code="440105",
            cohort="close_contact",
            name_zh="海珠隔离酒店",
            name_en="Haizhu hotel",
        ),
    }
    for item, location, counts in LINES:
        for day, on_hand, consumed, received in counts:
            make_stock_report(
                session,
                item_id=items[item].id,
                location_id=locations[location].id,
                reported_at=at(f"2021-{day} 01:00"),
                on_hand=on_hand,
                consumed=consumed,
                received=received,
                on_order=50 if (item, location) == ("masks", "warehouse") else 0,
            )
    # Reorder levels are settings of a line (no write path for them yet).
    state = session.get(models.StockState, (items["masks"].id, locations["warehouse"].id))
    state.reorder_level = 30
    session.add(state)
    session.commit()
    return KnownStock(
        masks=items["masks"].id,
        swabs=items["swabs"].id,
        reagent=items["reagent"].id,
        warehouse=locations["warehouse"].id,
        hospital=locations["hospital"].id,
        site=locations["site"].id,
        hotel=locations["hotel"].id,
    )


def _by_line(frame, known: KnownStock) -> dict[str, dict]:  # noqa: ANN001
    names = {
        (known.masks, known.warehouse): "L1",
        (known.masks, known.hospital): "L2",
        (known.swabs, known.site): "L3",
        (known.swabs, known.hotel): "L4",
        (known.swabs, known.warehouse): "L5",
        (known.reagent, known.warehouse): "L6",
        (known.reagent, known.hospital): "L7",
    }
    return {names[(row["item_id"], row["location_id"])]: row for row in frame.to_dict("records")}


def test_stock_lines_burn_rate_days_band_and_stock_out_are_exact(session: Session) -> None:
    known = build_known_stock(session)
    lines = list_stock_lines(session=session, today=TODAY)
    rows = _by_line(lines, known)
    figures = {
        name: (
            row["on_hand"],
            row["days_counted"],
            None if math.isnan(row["burn_rate"]) else row["burn_rate"],
            None if math.isnan(row["days_of_supply"]) else row["days_of_supply"],
            row["band"],
            row["level"],
            row["stock_out_date"],
        )
        for name, row in rows.items()
    }
    assert figures == {
        "L1": (25, 3, 10.0, 2.5, "1-3", "critical", date(2021, 6, 12)),
        "L2": (150, 2, 10.0, 15.0, "15-30", "ok", date(2021, 6, 25)),
        "L3": (30, 1, None, None, None, "unknown", None),
        "L4": (40, 2, 0.0, math.inf, ">30", "no_use", None),
        "L5": (12, 2, 10.0, 1.2, "1-3", "critical", date(2021, 6, 11)),
        "L6": (0, 3, 0.0, 0.0, "0", "critical", TODAY),
        "L7": (40, 2, 20.0, 2.0, "1-3", "critical", date(2021, 6, 12)),
    }
    # Most urgent first: critical by fewest days, then ok, not enough data, no use.
    order = list(_by_line(lines, known))
    assert order == ["L6", "L5", "L7", "L1", "L2", "L3", "L4"]
    assert (rows["L1"]["on_order"], rows["L1"]["reorder_level"]) == (50, 30)
    assert rows["L2"]["district_name_en"] == "Yuexiu"
    assert rows["L2"]["location_kind"] == "designated_hospital"


def test_the_window_ends_on_the_clocks_today(session: Session) -> None:
    known = build_known_stock(session)
    # On 06-09 the 06-10 counts are in the future: L1 has 06-08 and 06-09 (10 in 1 day),
    # L2 only its 06-07 count.
    rows = _by_line(list_stock_lines(session=session, today=date(2021, 6, 9)), known)
    assert (rows["L1"]["days_counted"], rows["L1"]["burn_rate"]) == (2, 10.0)
    assert rows["L2"]["days_counted"] == 1
    assert math.isnan(rows["L2"]["burn_rate"])


FILTER_CASES: list[tuple[dict, set[str]]] = [
    ({"categories": ("ppe",)}, {"L1", "L2"}),
    ({"districts": ("440104",)}, {"L2", "L7"}),
    ({"kinds": ("warehouse",)}, {"L1", "L5", "L6"}),
    ({"categories": ("test_kit", "reagent"), "kinds": ("warehouse",)}, {"L5", "L6"}),
    ({"districts": ("440118",)}, set()),
]


def test_stock_lines_filter_by_category_district_and_kind(session: Session) -> None:
    known = build_known_stock(session)
    for filters, expected in FILTER_CASES:
        lines = list_stock_lines(session=session, today=TODAY, **filters)
        assert set(_by_line(lines, known)) == expected, filters


def test_city_wide_totals_per_item_put_the_first_to_run_out_on_top(session: Session) -> None:
    build_known_stock(session)
    items = list_item_totals(session=session, today=TODAY)
    assert list(items["item_code"]) == ["PCR", "SWAB", "N95"]
    figures = items.set_index("item_code")[
        [
            "lines",
            "lines_without_burn",
            "lines_critical",
            "lines_at_zero",
            "on_hand",
            "burn_rate",
            "days_of_supply",
            "band",
            "level",
            "stock_out_date",
        ]
    ].to_dict("index")
    # Reagent: 0 + 40 on hand, 0 + 20 a day. Swabs: 30 + 40 + 12, 0 + 10 a day (the site's
    # one count has no rate). Masks: 25 + 150, 10 + 10 a day.
    assert figures == {
        "PCR": {
            "lines": 2,
            "lines_without_burn": 0,
            "lines_critical": 2,
            "lines_at_zero": 1,
            "on_hand": 40,
            "burn_rate": 20.0,
            "days_of_supply": 2.0,
            "band": "1-3",
            "level": "critical",
            "stock_out_date": date(2021, 6, 12),
        },
        "SWAB": {
            "lines": 3,
            "lines_without_burn": 1,
            "lines_critical": 1,
            "lines_at_zero": 0,
            "on_hand": 82,
            "burn_rate": 10.0,
            "days_of_supply": 8.2,
            "band": "7-14",
            "level": "ok",
            "stock_out_date": date(2021, 6, 18),
        },
        "N95": {
            "lines": 2,
            "lines_without_burn": 0,
            "lines_critical": 1,
            "lines_at_zero": 0,
            "on_hand": 175,
            "burn_rate": 20.0,
            "days_of_supply": 8.75,
            "band": "7-14",
            "level": "ok",
            "stock_out_date": date(2021, 6, 18),
        },
    }
    # Filtered to the hospital's district, masks last 150 / 10 = 15 days.
    yuexiu = list_item_totals(session=session, today=TODAY, districts=("440104",))
    assert list(yuexiu["item_code"]) == ["PCR", "N95"]
    assert list(yuexiu["days_of_supply"]) == [2.0, 15.0]


def test_stock_outs_count_days_at_zero_in_the_last_30_days(session: Session) -> None:
    known = build_known_stock(session)
    outs = list_stock_outs(session=session, today=TODAY)
    assert [
        (row["item_id"], row["location_id"], row["at_zero_now"], row["days_at_zero"])
        for row in outs.to_dict("records")
    ] == [
        (known.reagent, known.warehouse, True, 3),
        (known.reagent, known.hospital, False, 1),
    ]
    assert list(outs["last_day_at_zero"]) == [TODAY, date(2021, 6, 1)]
    assert list_stock_outs(session=session, today=TODAY, categories=("ppe",)).empty


def test_line_history_has_each_counted_day_with_the_reorder_level(session: Session) -> None:
    known = build_known_stock(session)
    history = list_line_history(
        session=session,
        item_id=known.masks,
        location_id=known.warehouse,
        start=date(2021, 6, 1),
        end=TODAY,
    )
    assert history.to_dict("list") == {
        "day": [date(2021, 6, 8), date(2021, 6, 9), TODAY],
        "on_hand": [45, 35, 25],
        "consumed": [10, 10, 10],
        "received": [0, 0, 0],
        "reorder_level": [30, 30, 30],
    }
    delivered = list_line_history(
        session=session,
        item_id=known.masks,
        location_id=known.hospital,
        start=date(2021, 6, 8),
        end=TODAY,
    )
    assert delivered[["on_hand", "received"]].values.tolist() == [[150, 80]]


def test_an_empty_database_has_no_lines(session: Session) -> None:
    assert list_stock_lines(session=session, today=TODAY).empty
    assert list_item_totals(session=session, today=TODAY).empty
    assert list_stock_outs(session=session, today=TODAY).empty
    assert list_stocked_kinds(session=session) == []
