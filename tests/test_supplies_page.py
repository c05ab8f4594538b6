"""Supply levels page (AppTest): what a user sees from known stock counts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from components.export import later
from components.pills import GREEN, GREY, RED
from components.supplies_tables import lines_csv
from data.queries import supplies as supplies_queries
from data.queries.supplies import list_stock_lines
from i18n import set_language
from tests.conftest import counted_reads, open_app
from tests.factories import make_facility
from tests.sent import clicked, record_deferred
from tests.tables import pill_cells
from tests.test_supplies_queries import TODAY, KnownStock, build_known_stock

REPLAY_AT = "2021-06-10 20:00"


def _open(lang: str = "en") -> AppTest:
    app = open_app("pages/supplies.py", timeout=30)
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    return app


def _table(app: AppTest, first_column: str, second_column: str) -> pd.DataFrame:
    """The dataframe whose first two columns are these (tables have no readable key)."""
    for frame in app.dataframe:
        if list(frame.value.columns[:2]) == [first_column, second_column]:
            return frame.value
    raise AssertionError(f"no table starting with {first_column}, {second_column}")


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _chart_data(app: AppTest, index: int) -> list[pd.DataFrame]:
    chart = app.get("vega_lite_chart")[index]
    return [convert_arrow_bytes_to_pandas_df(data.data.data) for data in chart.proto.datasets]


@pytest.mark.replay_at(REPLAY_AT)
def test_days_of_supply_and_bands_are_exact_and_the_red_item_is_first(
    app_database: str, engine: Engine
) -> None:
    with Session(engine) as session:
        build_known_stock(session)
    app = _open()
    assert _metrics(app) == {
        "Stock lines": "7",
        "3 days or less": "4",
        "Under 7 days": "4",
        "Not enough data": "1",
    }

    items = _table(app, "Status", "Item")
    items = items.assign(Status=[label for (label,) in map(list, items["Status"])])
    assert items[
        ["Status", "Item", "On hand", "Burn per day", "Days of supply", "Band"]
    ].values.tolist() == [
        ["● 3 days or less", "PCR reagent", 40, "20.0", "2.0 days", "1–3 days"],
        ["● 7 days or more", "Swabs", 82, "10.0", "8.2 days", "7–14 days"],
        ["● 7 days or more", "N95 respirators", 175, "20.0", "8.8 days", "7–14 days"],
    ]
    assert list(items["Projected stock-out"]) == ["2021-06-12", "2021-06-18", "2021-06-18"]
    # The status of the item at 3 days or less is a red pill, the others green; every item's
    # count of lines at 3 days or less is a red pill where it has any (all three do), though
    # the item lasts a week city-wide. No cell colours (no Styler).
    drawn_items = next(frame for frame in app.dataframe if frame.value.columns[0] == "Status")
    assert pill_cells(drawn_items, "Status") == [
        ("● 3 days or less", RED),
        ("● 7 days or more", GREEN),
        ("● 7 days or more", GREEN),
    ]
    assert pill_cells(drawn_items, "Lines at 3 days or less") == [
        ("2", RED),
        ("1", RED),
        ("1", RED),
    ]
    assert not drawn_items.proto.arrow_data.styler.styles

    drawn = next(frame for frame in app.dataframe if "Location" in frame.value.columns[:4])
    lines = drawn.value.assign(Status=[label for label, _colour in pill_cells(drawn, "Status")])
    # Each line's status a pill in its level's colour: red at 3 days or less, amber under 7,
    # green from 7, grey where nothing is known or nothing is used; no cell colours.
    assert set(pill_cells(drawn, "Status")) == {
        ("● 3 days or less", RED),
        ("● 7 days or more", GREEN),
        ("○ Not enough data", GREY),
        ("○ No use", GREY),
    }
    assert not drawn.proto.arrow_data.styler.styles
    by_place = {
        (row["Item"], row["Location"]): row
        for row in lines.to_dict("records")
        if row["Item"] == "Swabs"
    }
    one_count = by_place[("Swabs", "Baihedong site")]
    assert (one_count["Burn per day"], one_count["Days of supply"], one_count["Status"]) == (
        "not enough data",
        "—",
        "○ Not enough data",
    )
    no_use = by_place[("Swabs", "Haizhu hotel")]
    assert (no_use["Burn per day"], no_use["Days of supply"], no_use["Status"]) == (
        "0.0",
        "no use",
        "○ No use",
    )
    assert list(lines["Status"])[:4] == ["● 3 days or less"] * 4
    assert (lines.iloc[0]["Item"], lines.iloc[0]["Location"], lines.iloc[0]["Band"]) == (
        "PCR reagent",
        "Liwan warehouse",
        "0 days",
    )

    outs = next(frame.value for frame in app.dataframe if "At zero now" in frame.value.columns)
    assert outs[["Location", "At zero now", "Days at zero (30 d)"]].values.tolist() == [
        ["Liwan warehouse", "yes", 3],
        ["8th People's Hospital", "no", 1],
    ]
    assert app.get("download_button")[0].proto.label == "Download CSV"


@pytest.mark.replay_at(REPLAY_AT)
def test_filters_narrow_the_lines_and_say_when_nothing_matches(
    app_database: str, engine: Engine
) -> None:
    with Session(engine) as session:
        build_known_stock(session)
    app = _open()
    app.multiselect(key="supplies_district").set_value(["440104"]).run()
    assert not app.exception
    assert _metrics(app)["Stock lines"] == "2"
    items = _table(app, "Status", "Item")
    assert items[["Item", "Days of supply"]].values.tolist() == [
        ["PCR reagent", "2.0 days"],
        ["N95 respirators", "15.0 days"],
    ]
    app.multiselect(key="supplies_category").set_value(["living"]).run()
    assert not app.exception
    assert [info.value for info in app.info] == ["No records match the filters."]
    assert not app.metric


@pytest.mark.replay_at(REPLAY_AT)
def test_trends_show_the_chosen_lines_counts_and_reorder_level(
    app_database: str, engine: Engine
) -> None:
    with Session(engine) as session:
        known: KnownStock = build_known_stock(session)
    app = _open()
    app.selectbox(key="supplies_trend_item").set_value(known.masks).run()
    app.selectbox(key="supplies_trend_location").set_value(known.warehouse).run()
    assert not app.exception
    # The items in the order of their most urgent line, and the chosen item's places.
    assert app.selectbox(key="supplies_trend_item").options == [
        "PCR reagent",
        "Swabs",
        "N95 respirators",
    ]
    assert app.selectbox(key="supplies_trend_location").options == [
        "Liwan warehouse · Liwan",
        "8th People's Hospital · Yuexiu",
    ]
    assert (
        "Burn per day: 10.0 · Days of supply: 2.5 days · Projected stock-out: 2021-06-12 · "
        "On order: 50"
    ) in [caption.value for caption in app.caption]
    on_hand, reorder = _chart_data(app, 0)[:2]
    assert list(on_hand["on_hand"]) == [45, 35, 25]
    assert list(reorder["level"]) == [30]
    (consumed,) = _chart_data(app, 1)
    assert list(consumed["consumed"]) == [10, 10, 10]

    app.selectbox(key="supplies_trend_item").set_value(known.swabs).run()
    app.selectbox(key="supplies_trend_location").set_value(known.hotel).run()
    assert not app.exception
    assert (
        "Burn per day: 0.0 · Days of supply: no use · Projected stock-out: — · On order: 0"
    ) in [caption.value for caption in app.caption]
    # No reorder level set: the on-hand chart has no rule.
    (on_hand,) = _chart_data(app, 0)
    assert list(on_hand["on_hand"]) == [40, 40]


@pytest.mark.replay_at(REPLAY_AT)
def test_chinese_page(app_database: str, engine: Engine) -> None:
    with Session(engine) as session:
        build_known_stock(session)
    app = _open("zh")
    assert app.title[0].value == "物资保障"
    items = _table(app, "状态", "物资")
    assert items.iloc[0][["状态", "物资", "可用天数", "天数区间"]].tolist() == [
        "● 3 天及以下",
        "核酸检测试剂",
        "2.0 天",
        "1–3 天",
    ]


def test_the_page_says_when_no_stock_is_reported(app_database: str, engine: Engine) -> None:
    app = _open()
    assert any("no data in the database" in info.value for info in app.info)
    with Session(engine) as session:
        make_facility(session, kind="warehouse")
    app = _open()
    assert [info.value for info in app.info] == [
        "No stock has been reported yet. Once warehouses, hospitals, hotels and testing sites "
        "report their counts, their stock and days of supply show here."
    ]
    assert not app.metric and not app.dataframe


def test_csv_keeps_numbers_as_numbers(session: Session) -> None:
    build_known_stock(session)
    lines = list_stock_lines(session=session, today=TODAY)
    set_language("en")
    try:
        text = lines_csv(lines).decode("utf-8-sig").splitlines()
    finally:
        set_language("zh")
    assert text[0] == (
        "Item,Category,Unit,Location,Location kind,District,On hand,On order,Reorder level,"
        "Burn per day,Days of supply,Band,Status,Projected stock-out,Days counted (7 d),"
        "Last count"
    )
    rows = {line.split(",")[3] + "/" + line.split(",")[0]: line for line in text[1:]}
    assert rows["Liwan warehouse/N95 respirators"] == (
        "N95 respirators,PPE,pieces,Liwan warehouse,District warehouse,Liwan,25,50,30,10.0,2.5,"
        "1-3,3 days or less,2021-06-12,3,2021-06-10 09:00"
    )
    assert rows["Baihedong site/Swabs"] == (
        "Swabs,Test kits,swabs,Baihedong site,Testing site,Liwan,30,0,0,,,,Not enough data,—,1,"
        "2021-06-10 09:00"
    )
    assert rows["Haizhu hotel/Swabs"] == (
        "Swabs,Test kits,swabs,Haizhu hotel,Quarantine hotel,Haizhu,40,0,0,0.0,,>30,No use,—,2,"
        "2021-06-10 09:00"
    )
    assert len(text) == 8


def test_the_deferred_csv_keeps_the_language_of_the_run(session: Session) -> None:
    build_known_stock(session)
    lines = list_stock_lines(session=session, today=TODAY)
    set_language("en")
    try:
        make = later(lines_csv, lines)
    finally:
        set_language("zh")
    # Streamlit makes the file on another thread, where the language is the default (zh).
    with ThreadPoolExecutor(max_workers=1) as pool:
        text = pool.submit(make).result().decode("utf-8-sig")
    assert text.startswith("Item,Category,Unit,Location,")


@pytest.mark.replay_at(REPLAY_AT)
def test_the_line_table_sends_the_most_urgent_page_first_with_a_search(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("components.supplies_tables.LINES_PER_PAGE", 3)
    with Session(engine) as session:
        build_known_stock(session)
    app = _open()
    lines = next(frame.value for frame in app.dataframe if "Location" in frame.value.columns[:4])
    assert lines[["Item", "Location"]].values.tolist() == [
        ["PCR reagent", "Liwan warehouse"],
        ["Swabs", "Liwan warehouse"],
        ["PCR reagent", "8th People's Hospital"],
    ]
    assert "Showing the 3 most urgent of 7 lines. Search, or download the full list." in [
        caption.value for caption in app.caption
    ]
    app.button(key="supplies_lines_more").click().run()
    lines = next(frame.value for frame in app.dataframe if "Location" in frame.value.columns[:4])
    assert lines[["Item", "Location"]].values.tolist()[3:] == [
        ["N95 respirators", "Liwan warehouse"],
        ["N95 respirators", "8th People's Hospital"],
        ["Swabs", "Baihedong site"],
    ]
    assert app.button(key="supplies_lines_more").label == "Show 1 more"

    # The search finds names in either language, whatever the page's language.
    app.text_input(key="supplies_lines_search").input("海珠").run()
    lines = next(frame.value for frame in app.dataframe if "Location" in frame.value.columns[:4])
    assert lines[["Item", "Location"]].values.tolist() == [["Swabs", "Haizhu hotel"]]
    assert not any(button.key == "supplies_lines_more" for button in app.button)

    app.text_input(key="supplies_lines_search").input("no such place").run()
    assert [info.value for info in app.info] == ["No stock line matches “no such place”."]


@pytest.mark.replay_at(REPLAY_AT)
def test_a_rerun_with_nothing_changed_does_not_work_out_the_item_totals_again(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(engine) as session:
        build_known_stock(session)
    calls = []
    totals = supplies_queries.total_by_item

    def counted(lines: pd.DataFrame, *, today: date) -> pd.DataFrame:
        calls.append(today)
        return totals(lines, today=today)

    monkeypatch.setattr(supplies_queries, "total_by_item", counted)
    app = _open()
    items = _table(app, "Status", "Item")
    app.run()
    assert not app.exception
    assert len(calls) == 1
    pd.testing.assert_frame_equal(_table(app, "Status", "Item"), items)
    # Another language is worked out anew (its own cache entry), the same figures.
    app.query_params["lang"] = "zh"
    app.run()
    assert len(calls) == 2


@pytest.mark.replay_at(REPLAY_AT)
def test_a_provinces_stock_outs_and_places_come_a_page_at_a_time(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("components.paging.ROWS_PER_PAGE", 1)
    with Session(engine) as session:
        known: KnownStock = build_known_stock(session)
    app = _open()

    def outs() -> list[list]:
        frame = next(f.value for f in app.dataframe if "At zero now" in f.value.columns)
        return frame[["Location", "At zero now"]].values.tolist()

    assert outs() == [["Liwan warehouse", "yes"]]
    assert "Showing the 1 worst of 2 lines (at zero now first, then the most days at zero)." in [
        caption.value for caption in app.caption
    ]
    app.button(key="supplies_stockouts_more").click().run()
    assert outs() == [["Liwan warehouse", "yes"], ["8th People's Hospital", "no"]]

    # An item kept at more places than a page lists the most urgent, with a search.
    app.selectbox(key="supplies_trend_item").set_value(known.masks).run()
    assert app.selectbox(key="supplies_trend_location").options == ["Liwan warehouse · Liwan"]
    assert "Listing the 1 most urgent of 2 locations; type a name to find another." in [
        caption.value for caption in app.caption
    ]
    app.text_input(key="supplies_trend_find").input("越秀").run()  # the hospital's district
    assert app.selectbox(key="supplies_trend_location").options == [
        "8th People's Hospital · Yuexiu"
    ]
    assert "Burn per day" in " ".join(caption.value for caption in app.caption)
    app.text_input(key="supplies_trend_find").input("nowhere").run()
    assert not app.exception
    assert "No location of this item has a name that holds what was typed." in [
        info.value for info in app.info
    ]


@pytest.mark.replay_at(REPLAY_AT)
def test_a_rerun_takes_back_the_counts_and_the_rows_shown_not_every_line(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:

    with Session(engine) as session:
        build_known_stock(session)
    made = record_deferred(monkeypatch)
    app = _open()
    reads = counted_reads(monkeypatch)
    app.run()
    assert not app.exception
    # Neither the stock lines nor the stock-outs are taken back: only what is drawn of them.
    assert not {"list_stock_lines", "list_stock_outs"} & set(reads), reads
    outs = next(
        frame.value for frame in app.dataframe if "Days at zero (30 d)" in frame.value.columns
    )
    assert len(outs) > 0
    assert _metrics(app) == {
        "Stock lines": "7",
        "3 days or less": "4",
        "Under 7 days": "4",
        "Not enough data": "1",
    }
    assert _table(app, "Status", "Item")["Item"].tolist() == [
        "PCR reagent",
        "Swabs",
        "N95 respirators",
    ]
    lines = next(frame.value for frame in app.dataframe if "Location" in frame.value.columns[:4])
    assert lines[["Item", "Location"]].values.tolist()[:2] == [
        ["PCR reagent", "Liwan warehouse"],
        ["Swabs", "Liwan warehouse"],
    ]
    assert app.selectbox(key="supplies_trend_item").options == [
        "PCR reagent",
        "Swabs",
        "N95 respirators",
    ]
    assert app.selectbox(key="supplies_trend_location").options == [
        "Liwan warehouse · Liwan",
        "8th People's Hospital · Yuexiu",
    ]

    # A search works out what it finds, from the lines read once for it.
    reads.clear()
    app.text_input(key="supplies_lines_search").input("海珠").run()
    assert reads.count("list_stock_lines") == 1
    lines = next(frame.value for frame in app.dataframe if "Location" in frame.value.columns[:4])
    assert lines[["Item", "Location"]].values.tolist() == [["Swabs", "Haizhu hotel"]]

    # The download is made when clicked (on another thread, as Streamlit does), in the
    # language of the page's run: every line, read then, not the rows shown.
    text = clicked(made[-1]).decode("utf-8-sig").splitlines()
    assert text[0].startswith("Item,Category,Unit,Location,")
    assert len(text) == 8
