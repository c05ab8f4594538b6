"""The audits page (AppTest) from known audits: scores, levels, red overdue actions, filters."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from components.audits_charts import (
    compliance_heatmap,
    heat_grid_cells,
    score_trend_chart,
    trend_frame,
)
from components.charts import chart_spec
from components.export import excel_csv
from data.reference.checklist import COMPONENTS
from tests.conftest import open_app
from tests.factories import at, make_facility
from tests.sent import clicked, record_deferred
from tests.tables import pill_cells
from tests.test_audits_data import HAIZHU, YUEXIU, build_known_audits

REPLAY_AT = "2021-06-10 20:00"
RED, AMBER, GREEN, BLUE, GREY = "#b91c1c", "#d97706", "#15803d", "#2563eb", "#6b7280"


def _run(engine: Engine, lang: str = "en", *, known: bool = True) -> AppTest:
    if known:
        with Session(engine) as session:
            build_known_audits(session)
    app = open_app("pages/audits.py", timeout=30)
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    return app


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _chart_data(chart: object, column: str) -> pd.DataFrame:
    """The data set of an Altair chart (as AppTest sees it) that has `column`."""
    frames = [
        dataframe_util.convert_arrow_bytes_to_pandas_df(dataset.data.data)
        for dataset in chart.proto.datasets
    ]
    (frame,) = [frame for frame in frames if column in frame.columns]
    return frame


@pytest.mark.replay_at(REPLAY_AT)
def test_known_audits_scores_levels_and_overdue_actions(app_database: str, engine: Engine) -> None:
    app = _run(engine)
    assert _metrics(app) == {
        "Audited within 14 days": "2 / 4",
        "Never audited": "1",
        "Inadequate or basic": "2",
        "Open corrective actions": "3",
        "Overdue corrective actions": "2",
    }
    facilities = app.tabs[0].dataframe[0].value
    shown = facilities[["Facility", "Last audit", "Level", "Overdue actions"]]
    assert shown.values.tolist() == [
        ["Liwan Hotel", "—", "—", 0],
        ["Yuexiu Fever Clinic", "2021-05-25", "Inadequate", 1],
        ["Eighth Hospital", "2021-06-10", "Basic", 0],
        ["Liwan Hospital", "2021-06-08", "Intermediate", 1],
    ]
    assert facilities["Days since audit"].tolist() == ["—", "16", "0", "2"]
    # Never audited in red, due for audit in amber.
    assert pill_cells(app.tabs[0].dataframe[0], "Audit status") == [
        ("Never audited", RED),
        ("Due for audit", AMBER),
        ("Audited within 14 days", GREEN),
        ("Audited within 14 days", GREEN),
    ]
    assert pd.isna(facilities["IPCAF score"].iloc[0])
    assert facilities["IPCAF score"].iloc[1:].tolist() == [0.0, 400.0, 600.0]
    assert facilities["COVID items score"].iloc[3] == 50.0

    grid = _chart_data(app.tabs[1].get("vega_lite_chart")[0], "compliance")
    cells = {
        (row.facility, row.component): None if pd.isna(row.compliance) else row.compliance
        for row in grid.itertuples()
    }
    assert cells[("Liwan Hospital", "COVID-19 specific measures")] == 50.0
    assert cells[("Liwan Hospital", "IPC education and training")] == 50.0
    assert cells[("Eighth Hospital", "COVID-19 specific measures")] is None
    assert "Liwan Hotel" not in set(grid["facility"])  # never audited: no grid row
    assert len(cells) == 9

    # Open and overdue actions by default: the two overdue ones first, and red.
    findings_tab = app.tabs[2]
    findings = findings_tab.dataframe[0]
    assert pill_cells(findings, "Status") == [("Overdue", RED), ("Overdue", RED), ("Open", BLUE)]
    assert findings.value["Due"].tolist() == ["2021-06-01", "2021-06-09", "2021-06-15"]
    assert findings.value["Days overdue"].tolist() == [9, 1, 0]
    button = findings_tab.get("download_button")[0].proto
    assert button.label == "Download findings (CSV)"
    assert button.deferred_file_id and not button.url  # made when clicked

    # The Overview counts the same overdue actions.
    overview = open_app("pages/overview.py", timeout=30)
    overview.query_params["lang"] = "en"
    overview.run()
    assert not overview.exception
    assert _metrics(overview)["Overdue corrective actions"] == "2"


@pytest.mark.replay_at(REPLAY_AT)
def test_a_rerun_takes_back_what_the_tabs_show_not_the_findings_or_facilities(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shell

    app = _run(engine)
    read, reads = shell.read, []

    def counted(query, /, **arguments):  # noqa: ANN001, ANN202
        # The findings tab's list (an audit's own findings, a few, are read as they are).
        if "audit_id" not in arguments:
            reads.append(query.__name__)
        return read(query, **arguments)

    monkeypatch.setattr(shell, "read", counted)
    app.run()
    assert not app.exception
    # Neither the findings nor the facilities' latest audits are taken back, only what is
    # drawn of them; the facilities' list and figures are still drawn.
    assert not {"list_findings", "list_facility_audit_status"} & set(reads), reads
    assert _metrics(app)["Audited within 14 days"] == "2 / 4"
    assert len(app.tabs[0].dataframe[0].value) == 4
    findings_tab = app.tabs[2]
    assert findings_tab.dataframe[0].value["Due"].tolist() == [
        "2021-06-01",
        "2021-06-09",
        "2021-06-15",
    ]
    assert "3 actions, 2 of them overdue" in [caption.value for caption in findings_tab.caption]
    # The filters change what is listed: read once for them.
    reads.clear()
    findings_tab.multiselect(key="audits_statuses").set_value(["overdue"]).run()
    assert reads.count("list_findings") == 1
    assert app.tabs[2].dataframe[0].value["Due"].tolist() == ["2021-06-01", "2021-06-09"]


@pytest.mark.replay_at(REPLAY_AT)
def test_a_provinces_facilities_come_a_page_at_a_time_the_weakest_first(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("components.paging.ROWS_PER_PAGE", 3)
    app = _run(engine)
    facilities = app.tabs[0].dataframe[0].value
    assert facilities["Facility"].tolist() == [
        "Liwan Hotel",
        "Yuexiu Fever Clinic",
        "Eighth Hospital",
    ]
    assert "Showing the 3 weakest of 4 facilities." in [
        caption.value for caption in app.tabs[0].caption
    ]
    # The figures above the table count every facility.
    assert _metrics(app)["Audited within 14 days"] == "2 / 4"
    app.tabs[0].button(key="audits_facilities_more").click().run()
    facilities = app.tabs[0].dataframe[0].value
    assert facilities["Facility"].tolist()[3:] == ["Liwan Hospital"]
    assert not [button for button in app.tabs[0].button if button.key == "audits_facilities_more"]


@pytest.mark.replay_at(REPLAY_AT)
def test_a_citys_actions_come_a_page_at_a_time_the_most_overdue_first(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("components.paging.ROWS_PER_PAGE", 2)
    app = _run(engine)
    findings_tab = app.tabs[2]
    findings = findings_tab.dataframe[0]
    assert findings.value["Due"].tolist() == ["2021-06-01", "2021-06-09"]
    assert pill_cells(findings, "Status") == [("Overdue", RED), ("Overdue", RED)]
    assert "Showing the 2 most urgent of 3 actions; the download has them all." in [
        caption.value for caption in findings_tab.caption
    ]
    findings_tab.button(key="audits_findings_more").click().run()
    findings = app.tabs[2].dataframe[0]
    assert findings.value["Due"].tolist() == ["2021-06-01", "2021-06-09", "2021-06-15"]
    assert not [button for button in app.tabs[2].button if button.key == "audits_findings_more"]


@pytest.mark.replay_at(REPLAY_AT)
def test_a_provinces_facilities_are_found_by_name_to_pick_one(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("components.paging.ROWS_PER_PAGE", 2)
    app = _run(engine)

    def listed() -> list[str]:
        return list(app.tabs[3].selectbox(key="audits_facility").options)

    # Weakest first, a page of them, and a search for the others.
    assert listed() == ["Yuexiu Fever Clinic", "Eighth Hospital"]
    assert "Listing the 2 weakest of 3; type a name to find another." in [
        caption.value for caption in app.tabs[3].caption
    ]
    app.tabs[3].text_input(key="audits_facility_find").input("liwan").run()
    assert listed() == ["Liwan Hospital"]
    trend = _chart_data(app.tabs[3].get("vega_lite_chart")[0], "score")
    assert trend["score"].tolist() == [800.0, 600.0]
    # Either language, the district's name too.
    app.tabs[3].text_input(key="audits_facility_find").input("越秀").run()
    assert listed() == ["Yuexiu Fever Clinic"]
    app.tabs[3].text_input(key="audits_facility_find").input("nowhere").run()
    assert not app.exception
    assert "No audited facility's name holds what was typed." in [
        info.value for info in app.tabs[3].info
    ]


@pytest.mark.replay_at(REPLAY_AT)
def test_trend_and_audit_detail_of_a_chosen_facility(app_database: str, engine: Engine) -> None:
    with Session(engine) as session:
        known = build_known_audits(session)
        clinic, hospital = known.fever_clinic.id, known.liwan_hospital.id
        first_audit = known.hospital_audits[0].id
    app = _run(engine, known=False)
    picker = app.tabs[3].selectbox(key="audits_facility")
    assert picker.value == clinic  # the worst audited facility comes first
    picker.set_value(hospital).run()
    assert not app.exception
    history = app.tabs[3]
    trend = _chart_data(history.get("vega_lite_chart")[0], "score")
    assert trend["score"].tolist() == [800.0, 600.0]
    assert trend["checklist"].tolist() == ["t-v1", "t-v2"]
    # The latest audit is shown first: every item of its checklist, with notes.
    items = history.dataframe[0].value
    # Numbered as the form numbers them, never by internal code (p1, t1, ...).
    assert items[["No.", "Note"]].values.tolist() == [
        [1, ""],
        [2, "2 of 5 staff untrained"],
        [3, "No triage at east gate"],
        [4, ""],
        [5, ""],
    ]
    assert pill_cells(history.dataframe[0], "Result") == [
        ("Pass", GREEN),
        ("Partial", AMBER),
        ("Fail", RED),
        ("Not applicable", GREY),
        ("Pass", GREEN),
    ]
    own = history.dataframe[1]
    assert own.value["Finding"].tolist() == ["No triage at east gate", "Training gaps"]
    # Names held in both languages ("院感科 / IPC dept.") in the reader's language.
    assert own.value["Owner"].tolist() == ["IPC dept.", "IPC dept."]
    header = [c.value for c in history.caption if "checklist t-v2" in c.value]
    assert header == ["Audited 2021-06-08 16:00 · by Team 2 · checklist t-v2"]
    assert pill_cells(own, "Status") == [("Overdue", RED), ("Open", BLUE)]
    # The earlier audit, against the other checklist version: everything passed.
    history.selectbox(key="audits_audit").set_value(first_audit).run()
    assert not app.exception
    assert pill_cells(app.tabs[3].dataframe[0], "Result") == [("Pass", GREEN)] * 4
    assert any("checklist t-v1" in caption.value for caption in app.tabs[3].caption)


@pytest.mark.replay_at(REPLAY_AT)
def test_filters_by_district_kind_and_status_in_chinese(app_database: str, engine: Engine) -> None:
    app = _run(engine, "zh")
    app.selectbox(key="audits_district").set_value(YUEXIU)
    app.multiselect(key="audits_statuses").set_value(["closed"])
    app.run()
    assert not app.exception
    assert _metrics(app)["逾期未整改的院感问题"] == "1"
    facilities = app.tabs[0].dataframe[0].value
    assert facilities[["设施", "等级"]].values.tolist() == [["越秀发热门诊", "不足"]]
    assert pill_cells(app.tabs[2].dataframe[0], "状态") == [("已关闭", GREY)]

    app.selectbox(key="audits_district").set_value(HAIZHU)
    app.multiselect(key="audits_kinds").set_value(["quarantine_hotel"])
    app.run()
    assert not app.exception
    assert "没有符合筛选条件的记录。" in [info.value for info in app.tabs[0].info]
    assert [info.value for info in app.tabs[3].info] == ["没有符合筛选条件的已督查设施。"]


def test_empty_database_says_so(app_database: str, engine: Engine) -> None:
    app = _run(engine, known=False)
    assert any("no data in the database" in info.value for info in app.info)
    assert not app.metric


@pytest.mark.replay_at(REPLAY_AT)
def test_facilities_without_any_audit_are_all_listed_as_never_audited(
    app_database: str, engine: Engine
) -> None:
    with Session(engine) as session:
        make_facility(session, kind="fever_clinic", name_en="Clinic A")
        make_facility(session, kind="designated_hospital", name_en="Hospital B")
    app = _run(engine, known=False)
    assert _metrics(app)["Never audited"] == "2"
    table = app.tabs[0].dataframe[0].value
    assert table["Facility"].tolist() == ["Clinic A", "Hospital B"]
    assert pill_cells(app.tabs[0].dataframe[0], "Audit status") == [("Never audited", RED)] * 2
    assert app.tabs[1].info[0].value == "No audited facility matches the filters."
    assert app.tabs[2].info[0].value == "No records match the filters."


def test_findings_csv_keeps_chinese_for_excel() -> None:
    table = pd.DataFrame({"设施": ["荔湾医院"], "状态": ["逾期"]})
    data = excel_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["设施,状态", "荔湾医院,逾期"]


def test_chart_specs_are_valid_vega_lite() -> None:
    # The page skips schema validation on every run (chart_spec); validate the specs here.
    compliance = pd.DataFrame(
        {
            "facility_id": [1, 1, 2],
            "component": ["covid", "training", "covid"],
            "compliance": [50.0, float("nan"), 0.0],
            "items_pass": [1, 0, 0],
            "items_partial": [0, 0, 0],
            "items_fail": [1, 0, 2],
            "items_na": [1, 1, 0],
        }
    )
    facilities = pd.DataFrame(
        {
            "facility_id": [2, 1],
            "code": ["F2", "F1"],
            "name_zh": ["同名医院", "同名医院"],
            "name_en": ["Same Name", "Same Name"],
            "score": [0.0, 457.1],
        }
    )
    cells, rows, columns = heat_grid_cells(compliance, facilities, COMPONENTS)
    assert rows == ["同名医院 (F2)", "同名医院 (F1)"]  # same names told apart by code
    assert columns == ["教育培训", "新冠肺炎防控专项"]
    heatmap = compliance_heatmap(cells, facility_order=rows, component_order=columns)
    heatmap.to_dict(validate=True)
    history = pd.DataFrame(
        {
            "audited_at": [at("2021-05-20 02:00"), at("2021-06-08 08:00")],
            "score": [800.0, 457.1],
            "level": ["advanced", "intermediate"],
            "checklist_label": ["v2021.1", "v2021.2"],
        }
    )
    trend = trend_frame(history)
    assert [moment.isoformat() for moment in trend["audited"]] == [
        "2021-05-20T10:00:00",
        "2021-06-08T16:00:00",
    ]
    score_trend_chart(trend).to_dict(validate=True)
    assert chart_spec(score_trend_chart(trend))["layer"]


@pytest.mark.parametrize(("lang", "offered"), [("zh", False), ("en", True)])
def test_streamlits_english_select_all_is_left_out_of_chinese_screens(
    app_database: str, engine: Engine, lang: str, offered: bool
) -> None:
    app = _run(engine, lang)
    kinds = app.multiselect(key="audits_kinds").proto
    assert bool(kinds.select_all) is offered


@pytest.mark.replay_at(REPLAY_AT)
def test_a_rerun_with_nothing_changed_does_not_rebuild_the_actions_table_and_no_run_makes_its_csv(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from components import audits_tables, export

    built: list[str] = []
    table, csv = audits_tables.findings_table, export.excel_csv

    def counted_table(findings: pd.DataFrame) -> pd.DataFrame:
        built.append("table")
        return table(findings)

    def counted_csv(frame: pd.DataFrame) -> bytes:
        built.append("csv")
        return csv(frame)

    monkeypatch.setattr(audits_tables, "findings_table", counted_table)
    monkeypatch.setattr(export, "excel_csv", counted_csv)
    made = record_deferred(monkeypatch)
    app = _run(engine)
    # The CSV is made when its button is clicked, not by a run of the page.
    assert built.count("table") >= 1 and built.count("csv") == 0
    before = list(built)
    app.run()
    assert not app.exception
    assert built == before
    # Clicked: every finding the filters list, read then, in the language of the page.
    text = clicked(made[-1]).decode("utf-8-sig").splitlines()
    assert built[len(before) :] == ["table", "csv"]
    assert text[0].startswith("Status,Due,Days overdue,Facility,District,")
    assert len(text) == 4  # the header and the three open or overdue actions
    assert [line.split(",")[0] for line in text[1:]] == ["Overdue", "Overdue", "Open"]
