"""Case map page (AppTest): figures, deck layers, replay, filters and the district selector."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from components.case_tables import DISTRICT_COLUMNS
from data.settings import get_settings
from tests.conftest import open_app
from tests.factories import make_facility
from tests.sent import recording, table_heights
from tests.test_cases_data import LIWAN, build_outbreak

REPLAY_AT = "2021-06-10 20:00"


def _open(lang: str = "en") -> AppTest:
    app = open_app("pages/cases.py", timeout=60)
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    return app


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _deck(app: AppTest) -> dict:
    charts = app.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def _layer(deck: dict, layer_id: str) -> dict:
    return next(layer for layer in deck["layers"] if layer["id"] == layer_id)


def _case_numbers(deck: dict) -> list[str]:
    """Case numbers on the map, from the first line of each case's tooltip."""
    return sorted(point["tooltip"].split(" · ")[0] for point in _layer(deck, "cases")["data"])


def _district_table(app: AppTest):  # noqa: ANN202 - DataFrame
    return next(frame.value for frame in app.dataframe if "in_hospital" in frame.value.columns)


@pytest.fixture
def outbreak(app_database: str, engine: Engine) -> None:
    """The known outbreak of test_cases_data, and a designated hospital."""
    with Session(engine) as session:
        build_outbreak(session)
        make_facility(
            session, kind="designated_hospital", code="H-8", name_en="8th Hospital", capacity=800
        )


@pytest.mark.replay_at(REPLAY_AT)
def test_case_map_shows_the_data_layers_figures_offline(outbreak: None) -> None:
    app = _open()
    assert _metrics(app) == {
        "Local infections in the period": "7",
        "New on 2021-06-10": "2",
        "In hospital": "5",
        "Contacts under control": "38 / 53",
        "Control zones in force": "2",
        "Sealed": "1",
        "Controlled": "0",
        "Prevention": "1",
    }
    assert any("never shows names, ID numbers, phone numbers" in c.value for c in app.caption)

    deck = _deck(app)
    ids = [layer["id"] for layer in deck["layers"]]
    assert {"districts", "cases", "links", "zones", "facilities"} <= set(ids)
    assert ids.index("districts") == 0  # the basemap is drawn first
    assert len(_layer(deck, "districts")["data"]["features"]) == 11
    # No map provider, the style Streamlit reads as "no basemap" (with no style at all it
    # draws Carto's), and no address of any server in what goes to the browser.
    assert "mapProvider" not in deck and deck["mapStyle"] == "__MAP_STYLE__"
    assert "http" not in app.get("deck_gl_json_chart")[0].proto.json
    assert _case_numbers(deck) == ["GZ-A", "GZ-B", "GZ-C", "GZ-D", "GZ-E", "GZ-F", "GZ-I"]
    # A dot's hover names the case, its kind and day; its colour is its kind's (k: 1 for
    # asymptomatic, none for confirmed) at its recency's opacity (a), its place whole numbers
    # of 1e-4 degrees from a corner south-west of every case, which the accessor adds back.
    cases = _layer(deck, "cases")
    newest = next(p for p in cases["data"] if p["tooltip"].startswith("GZ-F"))
    assert newest == {"p": [400, 800], "a": 255, "k": 1, "tooltip": "GZ-F · Asymptomatic · 06-10"}
    assert cases["getPosition"] == "@@=[113.2+p[0]/10000,23.0+p[1]/10000]"
    assert cases["getFillColor"] == "@@=k==1?[230,159,0,a]:[192,57,43,a]"
    haizhu = next(p for p in cases["data"] if p["tooltip"].startswith("GZ-D"))
    assert haizhu["p"] == [1201, 999]  # 113.3201, 23.0999
    assert "k" not in haizhu
    # Arcs from infector to infected, on the same grid; they are not picked (a case's card
    # names its links).
    links = _layer(deck, "links")
    assert sorted(map(str, links["data"])) == [
        "{'f': [400, 800], 't': [400, 800]}",  # A → B, both at Baihedong
        "{'f': [400, 800], 't': [400, 800]}",  # E → F
        "{'f': [400, 800], 't': [700, 1300]}",  # B → C
        "{'f': [700, 1300], 't': [1201, 999]}",  # C → D
    ]
    assert links["pickable"] is False
    zones = _layer(deck, "zones")["data"]["features"]
    assert sorted(f["properties"]["tooltip"].split("\n")[0].split(" · ")[0] for f in zones) == [
        "Prevention",
        "Sealed",
    ]
    liwan = next(
        f for f in _layer(deck, "districts")["data"]["features"] if f["properties"]["code"] == LIWAN
    )
    assert liwan["properties"]["tooltip"].split("\n")[2:] == [
        "Cases in the period: 5 (4 confirmed · 1 asymptomatic)",
        "New on 2021-06-10: 2",
        "In hospital: 3 (1 severe or critical)",
        "Control zones in force: 1",
    ]

    table = _district_table(app).set_index("district_code")
    assert len(table) == 11
    assert table.loc[
        LIWAN, ["new_today", "last_7_days", "total", "in_hospital", "severe"]
    ].tolist() == [
        2,
        2,
        5,
        3,
        1,
    ]
    assert table.loc[LIWAN, "controlled_percent"] == pytest.approx(100 * 37 / 50)
    (download,) = app.get("download_button")
    assert download.proto.deferred_file_id and not download.proto.url  # made when clicked
    chains = next(frame.value for frame in app.dataframe if "generations" in frame.value.columns)
    assert chains[["index_case", "size", "generations"]].values.tolist() == [
        ["GZ-A", 4, 4],
        ["GZ-E", 2, 2],
    ]


@pytest.mark.replay_at(REPLAY_AT)
def test_the_district_table_shows_all_11_districts_without_an_inner_scroll_bar(
    outbreak: None,
) -> None:
    # 11 rows and the header of 35 pixels each, its border, and room for the scroll bar of
    # its 11 columns, which a laptop's 1366 pixels scroll sideways: without that room the
    # scroll bar covered the 11th row (the table was 423 pixels).
    with recording() as runs:
        _open()
    (height,) = [height for columns, height in table_heights(runs[-1]) if "in_hospital" in columns]
    assert height == 35 * 12 + 3 + 16


@pytest.mark.replay_at(REPLAY_AT)
def test_the_district_tables_counts_have_thousands_separators(outbreak: None) -> None:
    # 2,775 contacts as the headline cards say it, not 2775 (the browser formats the column
    # as its configuration says: "localized" is whole numbers with separators).
    app = _open()
    frame = next(frame for frame in app.dataframe if "in_hospital" in frame.value.columns)
    config = json.loads(frame.proto.columns)
    counts = [
        column for column, _ in DISTRICT_COLUMNS if column not in ("district", "controlled_percent")
    ]
    assert {config[column]["type_config"]["format"] for column in counts} == {"localized"}


@pytest.mark.replay_at(REPLAY_AT)
def test_replay_slider_on_an_early_day_shows_only_what_was_known(outbreak: None) -> None:
    app = _open("zh")
    # The whole city reads as such in the district box, not as Streamlit's English placeholder.
    assert app.selectbox(key="cases_district").proto.placeholder == "全市"
    app.slider(key="cases_replay_day").set_value(date(2021, 5, 30)).run()
    assert not app.exception
    metrics = _metrics(app)
    # By 05-30: A, B, C and I; A was still in hospital, I had died; one controlled zone.
    assert metrics["时段内本土感染者"] == "4"
    assert metrics["2021-05-30 新增"] == "1"
    assert metrics["在院治疗"] == "3"
    assert metrics["当天有效管控区域"] == "1"
    deck = _deck(app)
    assert _case_numbers(deck) == ["GZ-A", "GZ-B", "GZ-C", "GZ-I"]
    zones = _layer(deck, "zones")["data"]["features"]
    assert [f["properties"]["tooltip"].split(" · ")[0] for f in zones] == ["封控区"]
    # The newest case of the day shown is brightest, the oldest (nine days before) fainter.
    fills = {p["tooltip"].split(" · ")[0]: p["a"] for p in _layer(deck, "cases")["data"]}
    assert (fills["GZ-I"], fills["GZ-A"]) == (255, 136)


@pytest.mark.replay_at(REPLAY_AT)
def test_filters_change_the_figures_to_the_data_layers_values(outbreak: None) -> None:
    app = _open()
    app.pills(key="cases_kinds").set_value(["asymptomatic"]).run()
    assert not app.exception
    assert _metrics(app)["Local infections in the period"] == "2"
    assert _case_numbers(_deck(app)) == ["GZ-C", "GZ-F"]

    app.pills(key="cases_kinds").set_value(["confirmed", "asymptomatic"])
    app.date_input(key="cases_from").set_value(date(2021, 6, 1)).run()
    assert _metrics(app)["Local infections in the period"] == "3"  # D, E, F
    table = _district_table(app).set_index("district_code")
    assert table.loc[LIWAN, "total"] == 2

    # Density on, curve split by district: the hexagons get every case's place, weighted.
    app.toggle(key="cases_layer_density").set_value(True)
    app.toggle(key="cases_curve_by_district").set_value(True).run()
    assert not app.exception
    assert _layer(_deck(app), "density")["data"] == [
        {"position": [113.24, 23.08], "cases": 2},
        {"position": [113.32, 23.1], "cases": 1},
    ]
    assert len(app.get("vega_lite_chart")) == 1

    app.pills(key="cases_kinds").set_value([]).run()
    assert not app.exception
    assert any("Choose at least one case kind" in warning.value for warning in app.warning)
    assert any("No records match the filters" in info.value for info in app.info)
    assert _metrics(app)["Local infections in the period"] == "0"


@pytest.mark.replay_at(REPLAY_AT)
def test_choosing_a_district_filters_the_table_and_the_map(outbreak: None) -> None:
    app = _open()
    app.selectbox(key="cases_district").set_value(LIWAN).run()
    assert not app.exception
    table = _district_table(app)
    assert table["district_code"].tolist() == [LIWAN]
    assert table.iloc[0][["district", "new_today", "total", "in_hospital"]].tolist() == [
        "Liwan",
        2,
        5,
        3,
    ]
    assert _metrics(app)["Local infections in the period"] == "5"
    assert _metrics(app)["Control zones in force"] == "1"
    deck = _deck(app)
    assert _case_numbers(deck) == ["GZ-A", "GZ-B", "GZ-E", "GZ-F", "GZ-I"]
    assert "district_selected" in [layer["id"] for layer in deck["layers"]]
    assert [
        f["properties"]["code"] for f in _layer(deck, "district_selected")["data"]["features"]
    ] == [LIWAN]


def test_case_map_says_when_the_database_is_empty(app_database: str) -> None:
    app = _open()
    assert any("no data in the database" in info.value for info in app.info)
    assert not app.get("deck_gl_json_chart")


@pytest.mark.replay_at(REPLAY_AT)
def test_an_intranet_tile_server_is_used_only_when_named(
    outbreak: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAP_STYLE_URL", "http://tiles.gz.intranet/style.json")
    get_settings.cache_clear()  # settings are read once per process; the outbreak read them
    deck = _deck(_open())
    assert deck["mapStyle"] == "http://tiles.gz.intranet/style.json"
    assert deck["layers"][0]["id"] == "districts"  # the district basemap is still drawn


@pytest.mark.replay_at(REPLAY_AT)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_wall_screen_shows_the_map_and_its_figures_without_controls(
    outbreak: None, lang: str
) -> None:
    """In screen mode (?screen=1) nothing needs a mouse: no filter bar, layer switches,
    hover hint, curve or zone switches; the same figures, map layers and legend as the page
    with its defaults (whole city, every kind, the whole outbreak up to the day)."""
    normal = _open(lang)
    app = open_app("pages/cases.py", timeout=60)
    app.query_params["lang"] = lang
    app.query_params["screen"] = "1"
    app.run()
    assert not app.exception
    assert not app.slider and not app.date_input and not app.selectbox
    assert not app.toggle and not app.checkbox and not app.get("button_group")
    hint = "click a case for its details" if lang == "en" else "点击病例查看详情"
    assert not [c.value for c in app.caption if hint in c.value]
    assert [c.value for c in normal.caption if hint in c.value]  # the laptop still says it
    assert _metrics(app) == _metrics(normal)
    total = "Local infections in the period" if lang == "en" else "时段内本土感染者"
    assert _metrics(app)[total] == "7"
    screen_deck, normal_deck = _deck(app), _deck(normal)
    assert [layer["id"] for layer in screen_deck["layers"]] == [
        layer["id"] for layer in normal_deck["layers"]
    ]
    assert _case_numbers(screen_deck) == ["GZ-A", "GZ-B", "GZ-C", "GZ-D", "GZ-E", "GZ-F", "GZ-I"]
    # The map takes no clicks there, and its legend stays.
    assert app.get("deck_gl_json_chart")[0].proto.selection_mode == []
    legend = [m.value for m in app.markdown if "<" in m.value]
    assert legend and legend == [m.value for m in normal.markdown if "<" in m.value]
    assert len(app.get("vega_lite_chart")) == 1


def _click_case(app: AppTest, hover: str) -> None:
    """What the browser reports when a case's dot is clicked: the dot's datum, as sent."""
    dots = _layer(_deck(app), "cases")["data"]
    index = next(i for i, dot in enumerate(dots) if dot["tooltip"] == hover)
    app.session_state["cases_map_0"] = {
        "selection": {"indices": {"cases": [index]}, "objects": {"cases": [dots[index]]}}
    }
    app.run()
    assert not app.exception


def _card(app: AppTest) -> list[str]:
    texts = [m.value for m in app.markdown if m.value.startswith("**GZ-")]
    return texts[0].split("  \n") if texts else []


@pytest.mark.replay_at(REPLAY_AT)
def test_a_case_clicked_on_the_map_opens_its_card(outbreak: None) -> None:
    app = _open()
    assert _card(app) == []
    _click_case(app, "GZ-C · Asymptomatic · 05-25")
    assert _card(app) == [
        "**GZ-C · Asymptomatic**",
        "Reported: 2021-05-25",
        "越秀区 Yuexiu · 白鹤洞街 Baihedong",
        "Status: In hospital · No symptoms",
        "Contacts under control: close 1/3 · secondary 0/0",
        "Infected by: GZ-B",
        "Went on to infect 1: GZ-D",
    ]
    assert any("Click an empty spot on the map to close" in c.value for c in app.caption)
    # The filters stay as they were: a case is not a district.
    assert _metrics(app)["Local infections in the period"] == "7"

    # On an earlier day the card is as known then: D was not reported yet.
    app.slider(key="cases_replay_day").set_value(date(2021, 6, 1)).run()
    assert _card(app)[-1] == "No known onward cases"

    # A click on an empty spot closes it.
    app.session_state["cases_map_0"] = {"selection": {"indices": {}, "objects": {}}}
    app.run()
    assert _card(app) == []


@pytest.mark.replay_at(REPLAY_AT)
def test_a_case_card_in_chinese_names_its_infector_and_status(outbreak: None) -> None:
    app = _open("zh")
    _click_case(app, "GZ-A · 确诊病例 · 05-21")
    assert _card(app) == [
        "**GZ-A · 确诊病例**",
        "报告日期：2021-05-21",
        "荔湾区 Liwan · 白鹤洞街 Baihedong",
        "状态：已出院 · 轻型",
        "密接已管控 8/10 · 次密接 20/30",
        "传染源：尚未查明",
        "传染给 1 例：GZ-B",
    ]
    # Discharged on 06-05: on the map of 06-01 it was still in hospital.
    app.slider(key="cases_replay_day").set_value(date(2021, 6, 1)).run()
    assert _card(app)[3] == "状态：住院治疗 · 轻型"


def test_the_district_csv_gives_the_share_under_control_to_one_decimal() -> None:
    import pandas as pd

    from components.case_tables import DISTRICT_COLUMNS, district_csv
    from i18n import language

    table = pd.DataFrame(
        {
            "district_code": ["440103"],
            **{column: [0] for column, _ in DISTRICT_COLUMNS},
        }
    ).assign(district="Liwan", controlled_percent=100 * 901 / 911)
    with language("en"):
        lines = district_csv(table).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("District code,District,")
    assert lines[1].split(",")[-1] == "98.9"
