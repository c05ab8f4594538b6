"""The quarantine-hotel page shows the known hotels' exact figures (AppTest)."""

from __future__ import annotations

import contextvars
import json
import math
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from components.export import later
from components.hotels_view import days_until_full_text, hotel_csv, rooms_outlook, sort_hotels
from components.pills import AMBER, GREEN, GREY, RED
from data.queries.hotels import list_hotels
from i18n import set_language
from tests.conftest import open_app
from tests.factories import in_language, make_case
from tests.tables import pill_cells
from tests.test_hotels_queries import CLOCK, REPLAY_AT, build_known_hotels

PAGE = "pages/hotels.py"


def _open(lang: str = "en") -> AppTest:
    app = open_app(PAGE, timeout=30)
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    return app


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


# Tables are told apart by a heading only they have (a keyed st.dataframe keeps no id).
TABLE_MARKERS = {"hotels_outlook": "Scope", "hotels_table": "Code"}


def _tables(app: AppTest, key: str) -> list[pd.DataFrame]:
    return [frame.value for frame in app.dataframe if TABLE_MARKERS[key] in frame.value.columns]


def _pills(app: AppTest, marker: str, column: str) -> list[tuple[str, str]]:
    """Each row's pill in a status column of the table with `marker`: (label, colour)."""
    (frame,) = [frame for frame in app.dataframe if marker in frame.value.columns]
    return pill_cells(frame, column)


def _table(app: AppTest, key: str) -> pd.DataFrame:
    (table,) = _tables(app, key)
    return table


def _colour(accessor: str, dot: dict) -> list[int]:
    """What a deck.gl colour accessor such as `k==1?[…]:k==2?[…]:[…]` or `s?[…]:[…]` gives
    for `dot` (a missing key is 0)."""
    expression = accessor.removeprefix("@@=")
    while "?" in expression:
        condition, rest = expression.split("?", 1)
        chosen, expression = rest.split(":", 1)
        name, _, value = condition.partition("==")
        if (dot.get(name, 0) == int(value)) if value else dot.get(name, 0):
            return json.loads(chosen)
    return json.loads(expression)


@pytest.fixture
def known_page(app_database: str, engine: Engine) -> AppTest:
    with Session(engine) as session:
        build_known_hotels(session)
    return _open()


@pytest.mark.replay_at(REPLAY_AT)
def test_city_totals_and_outlook(known_page: AppTest) -> None:
    assert _metrics(known_page) == {
        "Hotels active / standby / closed": "5 / 1 / 1",
        "Rooms in total": "220",
        "Rooms occupied": "161",
        "Rooms being cleaned": "6",
        "Rooms available": "53",
        "Occupancy": "73.2%",
        # (53 free - 10 waiting) / (49 net over 23/6 days) = 3.36 days
        "City rooms full in": "3.4 days",
        "Close contacts waiting": "10",
    }
    captions = [caption.value for caption in known_page.caption]
    assert "net intake 12.8 rooms/day (last 3 days and today)" in captions
    assert "identified, not yet placed; 23 rooms free in close-contact hotels" in captions
    outlook = _table(known_page, "hotels_outlook").set_index("Scope")
    assert list(outlook.index) == [
        "Whole city",
        "Inbound travellers",
        "Close contacts",
        "Secondary contacts",
    ]
    assert list(outlook["Full in"]) == ["3.4 days", "not filling", "0.9 days", "0.8 days"]
    assert list(outlook["Net intake / day"]) == [12.8, -5.5, 14.1, 6.0]
    assert list(outlook["Available"]) == [53, 25, 23, 5]
    assert list(outlook["Waiting"]) == [10, 0, 10, 0]
    assert _pills(known_page, "Scope", "Level") == [
        ("Normal <85%", GREEN),
        ("Normal <85%", GREEN),
        ("Normal <85%", GREEN),
        ("Amber ≥85%", AMBER),
    ]


@pytest.mark.replay_at(REPLAY_AT)
def test_hotel_rows_levels_and_staleness(known_page: AppTest) -> None:
    table = _table(known_page, "hotels_table")
    # Highest occupancy first; hotels without figures last.
    assert list(table["Code"]) == ["H-A", "H-C", "H-B", "H-G", "H-E", "H-D", "H-F"]
    a = table.iloc[0]
    assert a["Hotel"] == "Hotel A" and a["District"] == "Liwan"
    assert a["Cohort"] == "Close contacts" and a["Status"] == "Active"
    figures = [
        "Rooms",
        "Occupied",
        "Cleaning",
        "Available",
        "Staff on duty",
        "Intake today",
        "Discharges today",
    ]
    assert [int(a[name]) for name in figures] == [100, 96, 1, 3, 25, 19, 3]
    assert a["Occupancy"] == 96.0
    assert list(a["Level"]) == ["Red ≥95%"]
    assert a["Last report"] == "2021-06-10 17:00"
    assert a["Report"] == "Current"
    rows = table.set_index("Code")
    # Each level a pill in its colour: red from 95 %, amber from 85 %; a closed hotel none.
    assert dict(zip(table["Code"], _pills(known_page, "Code", "Level"), strict=True)) == {
        "H-A": ("Red ≥95%", RED),
        "H-C": ("Amber ≥85%", AMBER),
        "H-B": ("Normal <85%", GREEN),
        "H-G": ("Normal <85%", GREEN),
        "H-E": ("—", GREY),
        "H-D": ("No data", GREY),
        "H-F": ("—", GREY),
    }
    assert rows.loc["H-B", "Report"] == "Stale"
    assert rows.loc["H-D", "Report"] == "No report"
    assert rows.loc["H-D", "Last report"] == "No report"
    assert rows.loc["H-F", "Report"] == "—"  # closed: not expected to report
    assert (int(rows.loc["H-G", "Intake today"]), rows.loc["H-G", "Last report"]) == (
        0,
        "2021-06-09 22:00",
    )
    errors = [error.value for error in known_page.error]
    assert "Hotels at 95% occupancy or more (1): Hotel A" in errors
    warnings = [warning.value for warning in known_page.warning]
    assert (
        "Active hotels whose report is older than expected (1); their figures may be out of "
        "date: Hotel B" in warnings
    )
    assert "Active hotels with no report yet (1): Hotel D" in warnings
    assert not any("Hotel E" in text or "Hotel F" in text for text in warnings)


def _days_texts() -> list[str]:
    set_language("en")
    values = [(3.36, 4), (math.inf, 1), (0.0, 2), (None, 3), (30.0, 1), (45.2, 1), (0.0, 0)]
    return [days_until_full_text(days, hotels) for days, hotels in values]


def test_days_until_full_as_text() -> None:
    assert contextvars.copy_context().run(_days_texts) == [
        "3.4 days",
        "not filling",
        "full",
        "no data",
        "30.0 days",
        "over 30 days",
        "no hotels",
    ]


def _outlook_texts(lang: str) -> list[str]:
    set_language(lang)
    return [rooms_outlook(days) for days in (3.44, 30.0, 1699.3, math.inf, 0.0, None)]


def test_the_overviews_rooms_outlook_says_beyond_30_days_as_the_hotels_page_does() -> None:
    net = "at the last 3 days' net intake"
    assert contextvars.copy_context().run(_outlook_texts, "en") == [
        f"Full in about 3.4 days {net}",
        f"Full in about 30.0 days {net}",
        f"Not full within 30 days {net}",  # was "Full in about 1699.3 days"
        "Not filling: net intake over the last 3 days is not positive",
        "No room left (counting close contacts waiting)",
        "No reports in the last 3 days: when rooms run out is unknown",
    ]
    assert contextvars.copy_context().run(_outlook_texts, "zh")[2] == (
        "按近 3 天净入住，30 天内不会住满"
    )


@pytest.mark.replay_at(REPLAY_AT)
def test_filters_sort_download_and_map(known_page: AppTest) -> None:
    known_page.multiselect(key="hotels_districts").set_value(["440104"]).run()
    assert list(_table(known_page, "hotels_table")["Code"]) == ["H-B"]
    known_page.multiselect(key="hotels_districts").set_value([]).run()
    known_page.selectbox(key="hotels_cohort").set_value("close_contact").run()
    known_page.selectbox(key="hotels_sort").set_value("available").run()
    assert not known_page.exception
    assert list(_table(known_page, "hotels_table")["Code"]) == ["H-A", "H-G", "H-D", "H-F"]
    # The city totals do not follow the list's filters.
    assert _metrics(known_page)["Rooms in total"] == "220"
    chart = known_page.get("deck_gl_json_chart")[0].proto
    deck = json.loads(chart.json)
    layers = {layer["id"]: layer for layer in deck["layers"]}
    points = layers["hotels"]["data"]
    assert len(points) == 4
    # Plain text, one fact a line: Streamlit shows a deck's HTML tooltip as literal text.
    assert json.loads(chart.tooltip).keys() == {"text", "style"}
    assert not any("<" in point["tooltip"] for point in points)
    # Each dot sends its place on a grid, its level's index and a mark when its report is
    # stale or missing; the layer's accessors turn them back into place and colours.
    dots = {point["tooltip"].split("\n")[0]: point for point in points}
    assert dots["Hotel A"] == {
        "p": [400, 200],
        "r": 600,  # 200 + 40 × √100 metres
        "k": 1,
        "tooltip": "Hotel A\nClose contacts · Active\noccupancy 96.0% (96/100)\n"
        "available 3 · report: Current",
    }
    hotels = layers["hotels"]
    assert hotels["getPosition"] == "@@=[113.2+p[0]/10000,23.1+p[1]/10000]"
    assert _colour(hotels["getFillColor"], dots["Hotel A"]) == [200, 30, 45, 230]  # red
    assert _colour(hotels["getFillColor"], dots["Hotel D"]) == [160, 160, 160, 200]  # grey
    assert _colour(hotels["getLineColor"], dots["Hotel A"]) == [255, 255, 255, 200]
    assert _colour(hotels["getLineColor"], dots["Hotel D"]) == [20, 20, 20, 255]  # no report
    button = known_page.get("download_button")[0].proto
    assert button.label == "Download CSV"
    assert button.deferred_file_id and not button.url  # made when clicked


@pytest.mark.replay_at(REPLAY_AT)
def test_filters_that_match_nothing(known_page: AppTest) -> None:
    known_page.multiselect(key="hotels_districts").set_value(["440104"]).run()
    known_page.selectbox(key="hotels_cohort").set_value("secondary_contact").run()
    assert not known_page.exception
    assert "No records match the filters." in [info.value for info in known_page.info]
    assert not _tables(known_page, "hotels_table")


@pytest.mark.replay_at(REPLAY_AT)
def test_shortfall_of_rooms_for_waiting_contacts(app_database: str, engine: Engine) -> None:
    with Session(engine) as session:
        build_known_hotels(session)
        make_case(session, report_date=REPLAY_AT[:10], close_contacts_identified=40)
    app = _open()
    assert _metrics(app)["Close contacts waiting"] == "50"
    # City: (53 free - 50 waiting) / (294/23 a day); close-contact hotels: none left.
    assert _metrics(app)["City rooms full in"] == "0.2 days"
    outlook = _table(app, "hotels_outlook").set_index("Scope")
    assert outlook.loc["Close contacts", "Full in"] == "full"
    assert int(outlook.loc["Close contacts", "Short"]) == 27
    assert (
        "50 close contacts are waiting but close-contact hotels have only 23 rooms free: "
        "27 rooms short." in [error.value for error in app.error]
    )


def test_empty_database_and_no_hotels(app_database: str, engine: Engine) -> None:
    app = _open()
    assert any("no data in the database" in info.value for info in app.info)
    assert not app.metric
    with Session(engine) as session:
        make_case(session, report_date=pd.Timestamp("2021-06-10").date())
    app = _open("zh")
    assert app.title[0].value == "隔离酒店"
    assert "数据库中还没有隔离酒店。" in [info.value for info in app.info]


def _hotels_frame() -> pd.DataFrame:
    """Three hotels as list_hotels gives them: one active and full, one never reported, one
    closed (its registered rooms are not free rooms)."""
    base = {
        "district_zh": "荔湾区",
        "district_en": "Liwan",
        "cohort": "close_contact",
        "staff_on_duty": 10,
        "intake_today": 0,
        "discharges_today": 0,
    }
    rows = [
        {
            **base,
            "code": "H3",
            "name_zh": "越秀酒店",
            "name_en": "Yuexiu Hotel",
            "status": "active",
            "rooms_total": 100,
            "rooms_occupied": 96,
            "rooms_cleaning": 0,
            "rooms_available": 4,
            "occupancy_percent": 96.0,
            "occupancy_band": "red",
            "report_status": "current",
            "last_reported_at": datetime(2021, 6, 10, 1, 0),
        },
        {
            **base,
            "code": "H1",
            "name_zh": "白云宾馆",
            "name_en": "Baiyun Inn",
            "status": "active",
            "rooms_total": 50,
            "rooms_occupied": None,
            "rooms_cleaning": None,
            "rooms_available": None,
            "occupancy_percent": None,
            "occupancy_band": None,
            "report_status": "no_report",
            "last_reported_at": None,
        },
        {
            **base,
            "code": "H2",
            "name_zh": "海珠大酒店",
            "name_en": "Haizhu Grand",
            "status": "closed",
            "rooms_total": 380,
            "rooms_occupied": 0,
            "rooms_cleaning": 0,
            "rooms_available": 380,
            "occupancy_percent": 0.0,
            "occupancy_band": "green",
            "report_status": "current",
            "last_reported_at": datetime(2021, 6, 9, 1, 0),
        },
    ]
    return pd.DataFrame(rows)


def test_the_hotel_table_puts_what_decides_first_and_says_nothing_false() -> None:
    from components.hotels_view import hotel_table

    table = in_language("zh", lambda: hotel_table(_hotels_frame()))
    assert list(table.columns[:5]) == ["酒店", "入住率", "等级", "可用", "上报"]
    closed = table.iloc[2]
    # A closed hotel has no free rooms, occupancy or level ("normal" would be false).
    assert pd.isna(closed["可用"]) and pd.isna(closed["入住率"]) and closed["等级"] == "—"
    # A hotel that never reported: no raw "None" anywhere, in Chinese (blank counts).
    assert "None" not in " ".join(str(value) for value in table.iloc[1] if not pd.isna(value))
    assert not any(value is None for value in table.iloc[1])
    assert table["在住"].dtype == "Int64"


def test_chinese_hotel_names_sort_by_pinyin() -> None:
    from components.hotels_view import sort_hotels

    ordered = in_language("zh", lambda: sort_hotels(_hotels_frame(), "name"))
    assert list(ordered["name_zh"]) == ["白云宾馆", "海珠大酒店", "越秀酒店"]
    ordered = in_language("en", lambda: sort_hotels(_hotels_frame(), "name"))
    assert list(ordered["name_en"]) == ["Baiyun Inn", "Haizhu Grand", "Yuexiu Hotel"]


@pytest.mark.replay_at(REPLAY_AT)
def test_a_provinces_hotels_come_a_page_at_a_time_in_the_order_chosen(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("components.paging.ROWS_PER_PAGE", 3)
    with Session(engine) as session:
        build_known_hotels(session)
    app = _open()
    assert list(_table(app, "hotels_table")["Code"]) == ["H-A", "H-C", "H-B"]
    assert "Showing the first 3 of 7 hotels in this order; the download has them all." in [
        caption.value for caption in app.caption
    ]
    # The list's caption and the map still count every hotel of the filters.
    assert any(caption.value.startswith("7 hotels;") for caption in app.caption)
    deck = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    assert len(next(layer for layer in deck["layers"] if layer["id"] == "hotels")["data"]) == 7
    app.button(key="hotels_table_more").click().run()
    assert list(_table(app, "hotels_table")["Code"]) == ["H-A", "H-C", "H-B", "H-G", "H-E", "H-D"]
    app.button(key="hotels_table_more").click().run()
    assert list(_table(app, "hotels_table")["Code"]) == [
        "H-A", "H-C", "H-B", "H-G", "H-E", "H-D", "H-F"
    ]  # fmt: skip
    assert not [button for button in app.button if button.key == "hotels_table_more"]
    assert not [c for c in app.caption if c.value.startswith("Showing the first")]


def test_the_hotel_download_has_every_hotel_in_the_language_of_the_run(
    session: Session,
) -> None:
    build_known_hotels(session)
    hotels = sort_hotels(list_hotels(session=session, clock=CLOCK), "occupancy")
    set_language("en")
    try:
        make = later(hotel_csv, hotels)
    finally:
        set_language("zh")
    with ThreadPoolExecutor(max_workers=1) as pool:
        text = pool.submit(make).result().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Hotel,Occupancy,Level,Available,Report,District,")
    assert [line.rsplit(",", 1)[1] for line in lines[1:]] == [
        "H-A", "H-C", "H-B", "H-G", "H-E", "H-D", "H-F"
    ]  # fmt: skip


@pytest.mark.replay_at(REPLAY_AT)
def test_the_map_draws_the_fullest_and_stale_hotels_last_whatever_the_tables_order(
    known_page: AppTest,
) -> None:
    drawn = {}
    for order in ("occupancy", "name"):
        known_page.selectbox(key="hotels_sort").set_value(order).run()
        deck = json.loads(known_page.get("deck_gl_json_chart")[0].proto.json)
        points = next(layer for layer in deck["layers"] if layer["id"] == "hotels")["data"]
        drawn[order] = [(p["tooltip"].split("\n")[0], p.get("k", 0), p.get("s", 0)) for p in points]
    # Grey (no data or not active) first, then green, amber, red; a stale report after the
    # others of its level: a dot drawn later covers its neighbours.
    assert drawn["occupancy"] == drawn["name"]
    assert drawn["occupancy"] == [
        ("Hotel E", 0, 0),  # standby: grey
        ("Hotel F", 0, 0),  # closed: grey
        ("Hotel D", 0, 1),  # active, no report yet: grey, ringed
        ("Hotel G", 3, 0),  # green
        ("Hotel B", 3, 1),  # green, stale report
        ("Hotel C", 2, 0),  # amber
        ("Hotel A", 1, 0),  # red, on top
    ]
