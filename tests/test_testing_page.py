"""Testing progress page (AppTest): what the user sees from known rounds and site reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from components.pills import AMBER, GREEN, RED
from components.testing_charts import progress_series
from components.testing_tables import csv_bytes
from data.queries.testing import list_round_hourly, list_round_outlook
from i18n import set_language
from tests.conftest import open_app
from tests.factories import at, in_language, make_facility, make_round
from tests.test_testing_queries import KnownRounds, build_known_rounds

# 2021-06-10 20:00 in Guangzhou is 12:00 UTC, the clock of `build_known_rounds`.
REPLAY_AT = "2021-06-10 20:00"


def _open_page(lang: str = "en") -> AppTest:
    app = open_app("pages/testing.py", timeout=30)
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    return app


# A keyed st.dataframe keeps no id: tables are told apart by a column only they have.
TABLE_COLUMNS = {
    "testing_progress": ("Target population", "目标人数"),
    "testing_deadlines": ("Samples per hour", "采样速度（人/小时）"),
    "testing_sites": ("Queue", "排队"),
}


# Status columns are coloured pills (a one-value list per cell).
PILL_COLUMNS = ("Status", "Queue", "状态", "排队")


def _frame(app: AppTest, key: str):  # noqa: ANN202 - an st.dataframe element
    frames = [
        frame for frame in app.dataframe if set(TABLE_COLUMNS[key]) & set(frame.value.columns)
    ]
    assert len(frames) == 1, key
    return frames[0]


def _table(app: AppTest, key: str):  # noqa: ANN202 - a DataFrame
    """The table as the reader sees it, each pill as its words."""
    table = _frame(app, key).value
    for column in PILL_COLUMNS:
        if column in table:
            table[column] = [label for (label,) in map(list, table[column])]
    return table


def _pill_colours(app: AppTest, key: str, column: str) -> list[str]:
    """The colour of each row's pill in `column`."""
    frame = _frame(app, key)
    config = json.loads(frame.proto.columns)[column]["type_config"]
    colours = {option["value"]: option["color"] for option in config["options"]}
    return [colours[label] for (label,) in map(list, frame.value[column])]


def _decks(app: AppTest) -> dict[str, dict]:
    decks = {}
    for element in app.get("deck_gl_json_chart"):
        spec = json.loads(element.proto.json)
        decks.update({layer["id"]: spec for layer in spec["layers"]})  # a deck by its layers
    return decks


@pytest.fixture
def known(app_database: str, engine: Engine) -> KnownRounds:
    with Session(engine) as session:
        return build_known_rounds(session)


@pytest.mark.replay_at(REPLAY_AT)
def test_rounds_under_way_are_chosen_and_the_table_shows_exact_figures(
    known: KnownRounds,
) -> None:
    app = _open_page()
    assert app.multiselect(key="testing_rounds").value == [known.liwan_3, known.yuexiu_1]
    metrics = {metric.label: metric.value for metric in app.metric}
    # 700 + 600 of 1000 + 2000; pending 200 + 300 (city-wide adds Haizhu's 100).
    assert metrics["Completion, chosen rounds"] == "43.3%"
    assert metrics["Awaiting results"] == "500"
    assert metrics["Confirmed positives"] == "1"
    assert metrics["Positive pools (leads)"] == "3"
    assert metrics["Rounds behind or missed"] == "1"

    progress = _table(app, "testing_progress")
    assert progress.to_dict("records") == [
        {
            "District": "Liwan",
            "Round": "Round 3",
            "Target population": 1000,
            "Sampled": 700,
            "Results out": 500,
            "Pending": 200,
            "Confirmed positives": 1,
            "Positive pools (leads)": 3,
            "Complete": 70.0,
        },
        {
            "District": "Yuexiu",
            "Round": "Round 1",
            "Target population": 2000,
            "Sampled": 600,
            "Results out": 300,
            "Pending": 300,
            "Confirmed positives": 0,
            "Positive pools (leads)": 0,
            "Complete": 30.0,
        },
    ]


@pytest.mark.replay_at(REPLAY_AT)
def test_a_behind_round_is_flagged_and_an_on_track_one_is_not(known: KnownRounds) -> None:
    app = _open_page()
    deadlines = _table(app, "testing_deadlines").set_index("Round")
    liwan, yuexiu = deadlines.loc["Liwan round 3"], deadlines.loc["Yuexiu round 1"]
    # Times are local (UTC+8): Liwan finishes at 06-11 02:00, its deadline 06-11 08:00.
    assert (liwan["Status"], liwan["Samples per hour"]) == ("● On track", 50.0)
    assert (liwan["Deadline"], liwan["Projected / actual completion"], liwan["Late by"]) == (
        "06-11 08:00",
        "06-11 02:00",
        "—",
    )
    assert (yuexiu["Status"], yuexiu["Samples per hour"]) == ("● Behind", 100.0)
    # Whole samples, grouped by thousands in the reader's locale (38,140, not 38139.5).
    frame = _frame(app, "testing_deadlines")
    assert str(frame.value["Samples per hour"].dtype) == "int64"
    per_hour = json.loads(frame.proto.columns)["Samples per hour"]
    assert per_hour["type_config"]["format"] == "localized"
    assert (yuexiu["Deadline"], yuexiu["Projected / actual completion"], yuexiu["Late by"]) == (
        "06-11 00:00",
        "06-11 10:00",
        "10.0 h",
    )
    # Behind in a red pill, on track in a green one.
    statuses = dict(
        zip(
            deadlines.index,
            _pill_colours(app, "testing_deadlines", "Status"),
            strict=True,
        )
    )
    assert (statuses["Yuexiu round 1"], statuses["Liwan round 3"]) == (RED, GREEN)
    assert [warning.value for warning in app.warning] == [
        "Yuexiu round 1 is behind: at 100 an hour it would finish at 06-11 10:00, 10.0 h "
        "after its deadline of 06-11 00:00."
    ]
    assert not app.error
    assert not app.success


@pytest.mark.replay_at(REPLAY_AT)
def test_choosing_past_rounds_shows_missed_and_completed(known: KnownRounds) -> None:
    app = _open_page()
    app.multiselect(key="testing_rounds").set_value([known.liwan_2, known.haizhu_1]).run()
    assert not app.exception
    deadlines = _table(app, "testing_deadlines").set_index("Round")
    assert deadlines.loc["Liwan round 2", "Status"] == "● Complete"
    assert deadlines.loc["Liwan round 2", "Projected / actual completion"] == "06-03 06:00"
    haizhu = deadlines.loc["Haizhu round 1"]
    assert (haizhu["Status"], haizhu["Late by"]) == ("● Missed", "66.0 h")
    assert [error.value for error in app.error] == [
        "Haizhu round 1 missed its deadline of 06-09 08:00 with 500 still to sample; at the "
        "current rate it would finish at 06-12 02:00, 66.0 h late."
    ]
    assert not app.warning


@pytest.mark.replay_at(REPLAY_AT)
def test_a_site_with_a_75_minute_queue_is_red_and_listed_first(known: KnownRounds) -> None:
    app = _open_page()
    sites = _table(app, "testing_sites")
    # Liwan and Yuexiu, the chosen rounds' districts: worst queue first.
    assert sites[["Queue", "Site", "Queue wait (min)", "Sampled today"]].to_dict("records") == [
        {
            "Queue": "● Over 60 min",
            "Site": "Red site",
            "Queue wait (min)": 75,
            "Sampled today": 550,
        },
        {
            "Queue": "● 30–60 min",
            "Site": "Amber site",
            "Queue wait (min)": 40,
            "Sampled today": 600,
        },
        {
            "Queue": "● Up to 30 min",
            "Site": "Calm site",
            "Queue wait (min)": 10,
            "Sampled today": 150,
        },
    ]
    assert list(sites["Stale"]) == [True, False, False]
    assert _pill_colours(app, "testing_sites", "Queue") == [RED, AMBER, GREEN]
    metrics = {metric.label: metric.value for metric in app.metric}
    assert (metrics["Queues over 60 min"], metrics["Queues 30–60 min"]) == ("1", "1")
    points = _decks(app)["testing-sites"]["layers"][-1]["data"]
    colours = {point["label"]: point["c"] for point in points}
    assert colours == {
        "Red site: 75 min queue": [200, 30, 30, 235],
        "Amber site: 40 min queue": [230, 145, 0, 235],
        "Calm site: 10 min queue": [46, 150, 70, 220],
    }


@pytest.mark.replay_at(REPLAY_AT)
def test_all_districts_sites_include_closed_and_silent(known: KnownRounds) -> None:
    app = _open_page()
    app.toggle(key="testing_sites_scope").set_value(False).run()
    sites = _table(app, "testing_sites")
    assert list(sites["Site"]) == [
        "Red site",
        "Amber site",
        "Calm site",
        "Shut site",
        "Silent site",
    ]
    assert list(sites["Queue"])[-2:] == ["⚫ Closed", "⚫ Closed"]


@pytest.mark.replay_at(REPLAY_AT)
def test_completion_map_shades_the_chosen_districts(known: KnownRounds) -> None:
    app = _open_page()
    features = _decks(app)["completion"]["layers"][0]["data"]["features"]
    by_name = {feature["properties"]["name_en"]: feature["properties"] for feature in features}
    assert by_name["Liwan"]["label"] == "Liwan round 3: 70.0% complete"
    assert by_name["Liwan"]["fill"] == [72, 127, 183, 220]
    assert by_name["Yuexiu"]["fill"] == [158, 189, 220, 220]
    assert by_name["Haizhu"]["label"] == "Haizhu"  # no chosen round: basemap grey


@pytest.mark.replay_at(REPLAY_AT)
def test_csv_download_has_the_district_table(known: KnownRounds) -> None:
    app = _open_page()
    button = app.get("download_button")[0]
    assert button.proto.label == "Download the table (CSV)"
    # The file is made when the button is clicked, not on every run, and the click does not
    # run the page again.
    assert button.proto.deferred_file_id and not button.proto.url
    assert button.proto.ignore_rerun


@pytest.mark.replay_at(REPLAY_AT)
def test_chinese_page_and_no_round_chosen(known: KnownRounds) -> None:
    app = _open_page("zh")
    assert app.title[0].value == "核酸检测进度"
    assert _table(app, "testing_deadlines").iloc[1]["状态"] == "● 滞后"
    app.multiselect(key="testing_rounds").set_value([]).run()
    assert not app.exception
    assert [info.value for info in app.info] == ["请至少选择一个检测轮次。"]


@pytest.mark.replay_at(REPLAY_AT)
def test_a_round_with_no_reports_says_it_never_finishes(app_database: str, engine: Engine) -> None:
    with Session(engine) as session:
        make_facility(session, kind="testing_site", district_code="440106")  # never reported
        make_round(
            session,
            district_code="440106",
            target_population=800,
            start_at=at("2021-06-10 04:00"),
            deadline_at=at("2021-06-11 04:00"),
        )
    app = _open_page()
    deadlines = _table(app, "testing_deadlines")
    assert list(deadlines["Status"]) == ["● Behind"]
    assert list(deadlines["Late by"]) == ["Never at the current rate"]
    assert [warning.value for warning in app.warning] == [
        "Tianhe round 1 is behind: nothing sampled in the last 6 h, so at the current "
        "rate it will not finish by its deadline of 06-11 12:00 (800 still to sample)."
    ]
    assert "No samples have been reported for the chosen rounds yet." in [
        info.value for info in app.info
    ]


def test_empty_database_says_so(app_database: str) -> None:
    app = _open_page()
    assert any("no data in the database" in info.value for info in app.info)
    assert not app.dataframe


def test_csv_download_holds_the_district_table(session: Session) -> None:
    known = build_known_rounds(session)
    rounds = list_round_outlook(session=session, now=at("2021-06-10 12:00"))
    chosen = rounds[rounds["round_id"].isin([known.liwan_3, known.yuexiu_1])]
    set_language("en")
    try:
        lines = csv_bytes(chosen).decode("utf-8-sig").splitlines()
    finally:
        set_language("zh")
    assert lines == [
        "District,Round,Target population,Sampled,Results out,Pending,Confirmed positives,"
        "Positive pools (leads),Complete,Start,Deadline,Status,Samples per hour,"
        "Projected / actual completion,Late by",
        "Liwan,Round 3,1000,700,500,200,1,3,70.0,06-10 00:00,06-11 08:00,● On track,50.0,"
        "06-11 02:00,—",
        "Yuexiu,Round 1,2000,600,300,300,0,0,30.0,06-10 08:00,06-11 00:00,● Behind,100.0,"
        "06-11 10:00,10.0 h",
    ]


def test_cumulative_chart_points_run_to_now_then_project_to_the_target(session: Session) -> None:
    known = build_known_rounds(session)
    now = at("2021-06-10 12:00")
    rounds = list_round_outlook(session=session, now=now)
    chosen = rounds[rounds["round_id"] == known.liwan_3]
    hourly = list_round_hourly(session=session, round_ids=(known.liwan_3,), until=now)
    set_language("en")
    try:
        points = progress_series(hourly, chosen, now)
    finally:
        set_language("zh")
    # Local wall-clock times: each hourly bucket is drawn at its end.
    assert [
        (series, time.strftime("%m-%d %H:%M"), value)
        for series, time, value in zip(
            points["series"], points["time"], points["value"], strict=True
        )
    ] == [
        ("Sampled", "06-10 00:00", 0),
        ("Sampled", "06-10 05:00", 400),
        ("Sampled", "06-10 17:00", 550),
        ("Sampled", "06-10 19:00", 700),
        ("Sampled", "06-10 20:00", 700),
        ("Projected", "06-10 20:00", 700),
        ("Projected", "06-11 02:00", 1000),
    ]
    assert set(points["target"]) == {1000}
    assert {deadline.strftime("%m-%d %H:%M") for deadline in points["deadline"]} == {"06-11 08:00"}


def test_a_stalled_rounds_alert_gives_the_watched_hours_to_one_decimal() -> None:
    from components.testing_tables import round_alerts

    now = datetime(2021, 6, 10, 12, 12, 23, tzinfo=UTC)
    row = {
        "status": "missed",
        "never_finishes": True,
        "scope": "whole",
        "name_zh": "荔湾区",
        "name_en": "Liwan",
        "round_no": 2,
        # Began 6 h 12 min 23 s before now: shorter than the 12-hour window.
        "start_at": datetime(2021, 6, 10, 6, 0),
        "deadline_at": datetime(2021, 6, 10, 10, 0),
        "target_population": 1000,
        "sampled": 0,
    }
    ((level, text),) = in_language(
        "en", lambda: round_alerts(pd.DataFrame([row]), window_hours=12, now=now)
    )
    assert (level, text) == (
        "error",
        "Liwan round 2 missed its deadline of 06-10 18:00 with 1,000 still to sample, and "
        "nothing sampled in the last 6.2 h.",
    )


@pytest.mark.replay_at(REPLAY_AT)
def test_both_testing_maps_show_the_whole_city_with_its_district_names(known: KnownRounds) -> None:
    app = _open_page()
    for layer_id in ("completion", "testing-sites"):
        deck = _decks(app)[layer_id]
        (labels,) = [layer for layer in deck["layers"] if layer["id"] == "district_labels"]
        names = sorted(label["text"] for label in labels["data"])
        assert names[:3] == ["Baiyun", "Conghua", "Haizhu"] and len(names) == 11
        # Framed on the city (centre near 23.25° N), not on the chosen districts or sites.
        assert 23.1 < deck["initialViewState"]["latitude"] < 23.4
