"""The update panels of the testing, supplies and audits views, as their users see them
(AppTest): a valid save, a refused field, a stale edit; who sees which panel."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from data import models
from data.timeutil import as_utc, local_today, utc_now
from tests.conftest import open_app, open_panels
from tests.factories import (
    at,
    in_language,
    make_audit,
    make_checklist,
    make_facility,
    make_round,
    make_site_report,
    make_stock_report,
    make_supply_item,
)

LIWAN = "440103"
OFFICER = {"role": "duty_officer", "district_codes": (LIWAN,)}


def _page(script: str, *, lang: str = "en", **who: object) -> AppTest:
    """The page as `who` sees it, every update panel open."""
    app = open_app(script, **who)
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    open_panels(app)
    assert not app.exception
    return app


def _errors(app: AppTest) -> list[str]:
    """The error messages as the user reads them (the Markdown source escapes punctuation)."""
    return [error.value.replace("\\", "") for error in app.error]


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


# --- Testing sites ---------------------------------------------------------------------------


def _site(engine: Engine) -> int:
    with Session(engine) as session:
        site = make_facility(session, kind="testing_site", district_code=LIWAN, name_en="Site A")
        # Two days back: the earlier report is never of today, whatever the hour.
        start = utc_now() - timedelta(days=2)
        testing_round = make_round(
            session,
            district_code=LIWAN,
            target_population=1000,
            start_at=start,
            deadline_at=start + timedelta(days=4),
        )
        make_site_report(
            session,
            site_id=site.id,
            round_id=testing_round.id,
            reported_at=start + timedelta(hours=1),
            sampled=100,
            resulted=50,
        )
        return site.id


def test_a_duty_officer_reports_a_testing_site(app_database: str, engine: Engine) -> None:
    site_id = _site(engine)
    app = _page("pages/testing.py", **OFFICER)
    form = f"site_report_{site_id}"
    app.number_input(key=f"{form}.sampled").set_value(30)
    app.number_input(key=f"{form}.resulted").set_value(20)
    app.button(key=f"{form}.submit").click().run()
    assert not app.exception and not app.error
    with Session(engine) as session:
        state = session.get(models.TestingSiteState, site_id)
        assert (state.sampled_day, state.resulted_day) == (30, 20)


def test_more_positives_than_results_are_refused_next_to_the_field_in_chinese(
    app_database: str, engine: Engine
) -> None:
    site_id = _site(engine)
    app = _page("pages/testing.py", lang="zh", **OFFICER)
    form = f"site_report_{site_id}"
    app.number_input(key=f"{form}.resulted").set_value(2)
    app.number_input(key=f"{form}.positive").set_value(3)
    app.button(key=f"{form}.submit").click().run()
    assert _errors(app) == ["阳性数（3）超过出结果数（2）"]
    assert app.number_input(key=f"{form}.positive").value == 3
    assert _count(engine, models.TestingSiteReport) == 1


def test_leadership_sees_no_testing_panel(app_database: str, engine: Engine) -> None:
    _site(engine)
    app = _page("pages/testing.py")
    assert "Report a testing site" not in [expander.label for expander in app.expander]


# --- Supplies ---------------------------------------------------------------------------------


def _line(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        item = make_supply_item(session, name_en="N95 respirators")
        warehouse = make_facility(
            session, kind="warehouse", district_code=LIWAN, name_en="Liwan warehouse"
        )
        yesterday = local_today() - timedelta(days=1)
        for days, on_hand in ((2, 500), (1, 450)):
            make_stock_report(
                session,
                item_id=item.id,
                location_id=warehouse.id,
                reported_at=at(f"{local_today() - timedelta(days=days)} 02:00"),
                on_hand=on_hand,
                consumed=50,
            )
        assert yesterday  # counts on the two days before today
        return item.id, warehouse.id


def test_a_stock_count_in_the_future_is_refused(app_database: str, engine: Engine) -> None:
    item_id, location_id = _line(engine)
    app = _page("pages/supplies.py", **OFFICER)
    form = f"stock_count_{item_id}:{location_id}"
    app.date_input(key=f"{form}.reported_at").set_value(date.today() + timedelta(days=3))
    app.number_input(key=f"{form}.on_hand").set_value(400)
    app.button(key=f"{form}.submit").click().run()
    (message,) = _errors(app)
    assert message.startswith("Report time ") and " is in the future (now " in message
    assert _count(engine, models.StockReport) == 2


def test_a_stock_count_is_saved_and_shown(app_database: str, engine: Engine) -> None:
    item_id, location_id = _line(engine)
    app = _page("pages/supplies.py", **OFFICER)
    form = f"stock_count_{item_id}:{location_id}"
    app.number_input(key=f"{form}.on_hand").set_value(321)
    app.button(key=f"{form}.submit").click().run()
    assert not app.exception and not app.error
    with Session(engine) as session:
        assert session.get(models.StockState, (item_id, location_id)).on_hand == 321


def test_a_panel_lists_its_records_and_draws_its_form_only_while_open(
    app_database: str, engine: Engine
) -> None:
    # A city has thousands of stock lines: their list goes to the browser only when asked for,
    # and a rerun builds no form nobody opened.
    item_id, location_id = _line(engine)
    app = open_app("pages/supplies.py", **OFFICER)
    app.query_params["lang"] = "en"
    app.run()
    form = f"stock_count_{item_id}:{location_id}"
    assert "Report a stock count" in [expander.label for expander in app.expander]
    assert not [box for box in app.selectbox if box.key == "stock_count_choice"]
    assert not [field for field in app.number_input if field.key == f"{form}.on_hand"]

    app.session_state["stock_count_open"] = True
    app.run()
    (choice,) = [box for box in app.selectbox if box.key == "stock_count_choice"]
    assert choice.options == ["N95 respirators · Liwan warehouse"]
    app.number_input(key=f"{form}.on_hand").set_value(321)
    app.button(key=f"{form}.submit").click().run()
    assert not app.exception and not app.error
    with Session(engine) as session:
        assert session.get(models.StockState, (item_id, location_id)).on_hand == 321


def test_a_stale_reorder_level_is_refused_and_the_newer_value_shown(
    app_database: str, engine: Engine
) -> None:
    item_id, location_id = _line(engine)
    form = f"reorder_level_{item_id}:{location_id}"
    first = _page("pages/supplies.py", **OFFICER)
    second = _page("pages/supplies.py", role="admin")  # both opened version 1
    first.number_input(key=f"{form}.reorder_level").set_value(200)
    first.button(key=f"{form}.submit").click().run()
    assert not first.error
    second.number_input(key=f"{form}.reorder_level").set_value(50)
    second.button(key=f"{form}.submit").click().run()
    (message,) = _errors(second)
    assert message == (
        "Someone else changed “N95 respirators · Liwan warehouse” (stock lines) after you "
        "opened it (now version 2; you edited version 1); the form now shows the newer values: "
        "check them and submit again"
    )
    assert second.number_input(key=f"{form}~1.reorder_level").value == 200
    with Session(engine) as session:
        line = session.get(models.StockState, (item_id, location_id))
        assert (line.reorder_level, line.version) == (200, 2)


# --- Audits -------------------------------------------------------------------------------------


def _open_action(engine: Engine) -> int:
    with Session(engine) as session:
        hospital = make_facility(session, kind="general_hospital", name_en="Hospital A")
        version, items = make_checklist(session)
        make_audit(
            session,
            facility=hospital,
            version=version,
            results=[(items["a"], "fail"), (items["b"], "pass")],
            audited_at=at("2021-06-01 02:00"),
            findings=[
                {
                    "item_id": items["a"].id,
                    "finding_zh": "未分区",
                    "finding_en": "No zoning",
                    "action_zh": "病区分区",
                    "action_en": "Zone the ward",
                    "owner": "院感科",
                    "due_date": date(2021, 6, 5),
                }
            ],
        )
        return session.exec(select(models.AuditFinding.id)).one()


@pytest.mark.parametrize(("role", "sees"), [("auditor", True), ("leadership", False)])
def test_only_auditors_and_admins_close_actions(
    app_database: str, engine: Engine, role: str, sees: bool
) -> None:
    _open_action(engine)
    app = _page("pages/audits.py", role=role)
    assert ("Close a corrective action" in [e.label for e in app.expander]) is sees


def test_an_auditor_closes_a_corrective_action(app_database: str, engine: Engine) -> None:
    finding_id = _open_action(engine)
    app = _page("pages/audits.py", role="auditor")
    form = f"close_action_{finding_id}"
    app.date_input(key=f"{form}.closed_date").set_value(date(2021, 6, 4))
    app.button(key=f"{form}.submit").click().run()
    assert not app.exception and not app.error
    with Session(engine) as session:
        finding = session.get(models.AuditFinding, finding_id)
        assert (finding.closed_date, finding.version) == (date(2021, 6, 4), 2)


# --- Case map ----------------------------------------------------------------------------------


def test_a_duty_officer_changes_a_cases_severity_and_lifts_a_zone(
    app_database: str, engine: Engine
) -> None:
    from tests.factories import make_case, make_zone

    with Session(engine) as session:
        hospital = make_facility(session, kind="designated_hospital", name_en="8th Hospital")
        case = make_case(
            session, report_date=local_today(), district_code=LIWAN, hospital_id=hospital.id
        )
        zone = make_zone(
            session, level="sealed", imposed_at=utc_now() - timedelta(days=2), district_code=LIWAN
        )
        case_id, zone_id, hospital_id = case.id, zone.id, hospital.id
    app = _page("pages/cases.py", **OFFICER)
    form = f"case_edit_{case_id}"
    assert in_language("en", lambda: app.selectbox(key=f"{form}.hospital_id").value) == hospital_id
    app.selectbox(key=f"{form}.severity").set_value("severe")
    app.button(key=f"{form}.submit").click()
    # AppTest formats every select box's value in the test's thread: in the page's language.
    in_language("en", app.run)
    assert not app.exception and not _errors(app)
    lift = f"zone_lift_{zone_id}"
    app.button(key=f"{lift}.submit").click()
    in_language("en", app.run)
    assert not app.exception and not _errors(app)
    with Session(engine) as session:
        assert session.get(models.Case, case_id).severity == "severe"
        assert session.get(models.ControlZone, zone_id).lifted_at is not None


def test_after_a_save_the_form_starts_again_so_a_second_click_saves_nothing_twice(
    app_database: str, engine: Engine
) -> None:
    site_id = _site(engine)
    app = _page("pages/testing.py", **OFFICER)
    form = f"site_report_{site_id}"
    app.number_input(key=f"{form}.sampled").set_value(30)
    app.button(key=f"{form}.submit").click().run()
    assert app.number_input(key=f"{form}~1.sampled").value == 0


# --- Testing rounds (admins) and control zones (duty officers) --------------------------------


# A round announced for the days ahead (nothing on the page is in alarm): 08:00 local on both.
START = local_today() + timedelta(days=10)
DEADLINE = START + timedelta(days=2)


def _round(engine: Engine) -> int:
    with Session(engine) as session:
        make_facility(session, kind="testing_site", district_code=LIWAN, name_en="Site A")
        testing_round = make_round(
            session,
            district_code=LIWAN,
            round_no=2,
            target_population=1000,
            start_at=at(f"{START} 00:00"),
            deadline_at=at(f"{DEADLINE} 00:00"),
        )
        return testing_round.id


@pytest.mark.parametrize(("role", "sees"), [("admin", True), ("duty_officer", False)])
def test_only_admins_change_a_rounds_target_and_deadline(
    app_database: str, engine: Engine, role: str, sees: bool
) -> None:
    _round(engine)
    app = _page("pages/testing.py", role=role, district_codes=(LIWAN,) if role != "admin" else ())
    titles = [expander.label for expander in app.expander]
    assert ("Change a round's target and deadline" in titles) is sees


def test_an_admin_moves_a_rounds_deadline_and_target(app_database: str, engine: Engine) -> None:
    round_id = _round(engine)
    app = _page("pages/testing.py", role="admin")
    form = f"round_edit_{round_id}"
    # The form opens on the stored values, on the command's wall clock (UTC+8).
    assert app.number_input(key=f"{form}.target_population").value == 1000
    assert app.date_input(key=f"{form}.deadline_at").value == DEADLINE
    # A deadline before the start is refused under the deadline, and nothing is written.
    app.date_input(key=f"{form}.deadline_at").set_value(START - timedelta(days=1))
    app.button(key=f"{form}.submit").click().run()
    assert _errors(app) == [
        f"Deadline {START - timedelta(days=1)} 08:00 is not after the start ({START} 08:00)"
    ]
    app.date_input(key=f"{form}.deadline_at").set_value(DEADLINE + timedelta(days=1))
    app.number_input(key=f"{form}.target_population").set_value(2500)
    app.button(key=f"{form}.submit").click().run()
    assert not app.exception and not _errors(app)
    with Session(engine) as session:
        stored = session.get(models.TestingRound, round_id)
        assert (stored.target_population, as_utc(stored.deadline_at), stored.version) == (
            2500,
            at(f"{DEADLINE + timedelta(days=1)} 00:00"),
            2,
        )
    # The new form starts from the new values.
    assert app.number_input(key=f"{form}~1.target_population").value == 2500


def _zone_page(engine: Engine) -> AppTest:
    from tests.factories import make_case, make_zone

    with Session(engine) as session:
        make_case(session, report_date=local_today(), district_code=LIWAN)
        make_zone(session, level="controlled", imposed_at=utc_now() - timedelta(days=1), code="Z-1")
    return _page("pages/cases.py", **OFFICER)


def test_a_duty_officer_imposes_a_zone_only_in_their_district(
    app_database: str, engine: Engine
) -> None:
    app = _zone_page(engine)
    # The district to impose in lists only the officer's own.
    (choice,) = [box for box in app.selectbox if box.key == "zone_impose_choice"]
    assert choice.options == ["荔湾区"] or choice.options == ["Liwan"]
    form = f"zone_impose_{LIWAN}"
    app.text_input(key=f"{form}.name_zh").input("海龙街")
    app.number_input(key=f"{form}.population").set_value(52000)
    app.number_input(key=f"{form}.radius_m").set_value(800.0)
    app.button(key=f"{form}.submit").click()
    in_language("en", app.run)
    assert not app.exception and not _errors(app)
    with Session(engine) as session:
        zone = session.exec(
            select(models.ControlZone).where(models.ControlZone.name_zh == "海龙街")
        ).one()
        assert (zone.district_code, zone.level, zone.population, zone.radius_m) == (
            LIWAN,
            "sealed",
            52000,
            800.0,
        )
        assert zone.name_en == "海龙街"  # no English name typed: the Chinese one
        assert zone.code.startswith(f"{LIWAN}-")


def test_a_zone_code_already_used_is_refused_under_the_code(
    app_database: str, engine: Engine
) -> None:
    app = _zone_page(engine)
    form = f"zone_impose_{LIWAN}"
    app.text_input(key=f"{form}.code").input("Z-1")
    app.text_input(key=f"{form}.name_zh").input("中南街")
    app.button(key=f"{form}.submit").click()
    in_language("en", app.run)
    assert _errors(app) == ["Code Z-1 already exists"]
    assert app.text_input(key=f"{form}.name_zh").value == "中南街"  # what was typed stays
    assert _count(engine, models.ControlZone) == 1


# --- A new audit (auditors, admins) -----------------------------------------------------------


def _auditable(engine: Engine) -> tuple[int, list[int]]:
    """A hospital to audit, and the items (ids, in order) of the checklist in force today."""
    from data.queries.audits import get_checklist_in_force

    with Session(engine) as session:
        hospital = make_facility(session, kind="general_hospital", name_en="Hospital A")
        _, label, items = get_checklist_in_force(session=session, day=local_today())
        assert label == "v2021.2"  # shipped as reference data, with real data too
        return hospital.id, [int(item) for item in items["item_id"]]


def _edits(rows: dict[int, dict]) -> dict:
    """A data editor's state after the user edited these rows (AppTest cannot type in one)."""
    return {"edited_rows": rows, "added_rows": [], "deleted_rows": []}


@pytest.mark.parametrize(("role", "sees"), [("auditor", True), ("leadership", False)])
def test_only_auditors_and_admins_enter_audits(
    app_database: str, engine: Engine, role: str, sees: bool
) -> None:
    _auditable(engine)
    app = _page("pages/audits.py", role=role)
    assert ("Enter an audit" in [e.label for e in app.expander]) is sees


def test_an_audit_with_items_left_blank_is_refused_naming_them(
    app_database: str, engine: Engine
) -> None:
    hospital_id, items = _auditable(engine)
    app = _page("pages/audits.py", role="auditor")
    form = f"audit_new_{hospital_id}"
    # Only the first two of the checklist's items answered.
    app.session_state[f"{form}.results"] = _edits({0: {"result": "pass"}, 1: {"result": "fail"}})
    app.run()
    app.button(key=f"{form}.submit").click().run()
    messages = _errors(app)
    missing = len(items) - 2
    assert messages == [
        *(f"Checklist item {position}: Result is missing" for position in range(3, 11)),
        f"… and {missing - 8} more problems",
    ]
    assert _count(engine, models.Audit) == 0


def test_an_auditor_enters_an_audit_with_a_finding(app_database: str, engine: Engine) -> None:
    hospital_id, items = _auditable(engine)
    app = _page("pages/audits.py", role="auditor")
    form = f"audit_new_{hospital_id}"
    results = {row: {"result": "pass"} for row in range(len(items))}
    results[0] = {"result": "fail", "note": "无专职人员"}
    app.session_state[f"{form}.results"] = _edits(results)
    finding = {
        "item_id": items[0],
        "finding": "院感科无专职人员",
        "action": "配备专职院感人员",
        "owner": "医务科",
        "due_date": "2099-01-31",
    }
    # A finding with no owner is refused under the findings, nothing written ...
    app.session_state[f"{form}.findings"] = {
        "edited_rows": {},
        "added_rows": [{**finding, "owner": None}],
        "deleted_rows": [],
    }
    app.run()
    app.button(key=f"{form}.submit").click().run()
    assert _errors(app) == ["Finding 1: Owner is missing"]
    assert _count(engine, models.Audit) == 0
    # ... and saved once it has one.
    app.session_state[f"{form}.findings"] = {
        "edited_rows": {},
        "added_rows": [finding],
        "deleted_rows": [],
    }
    app.run()
    app.button(key=f"{form}.submit").click().run()
    assert not app.exception and not _errors(app)
    with Session(engine) as session:
        audit = session.exec(select(models.Audit)).one()
        assert (audit.facility_id, audit.auditor) == (hospital_id, "test-auditor-city")
        assert session.exec(select(func.count()).select_from(models.AuditItemResult)).one() == len(
            items
        )
        stored = session.exec(select(models.AuditFinding)).one()
        assert (stored.finding_zh, stored.finding_en, stored.owner, stored.due_date) == (
            "院感科无专职人员",
            "院感科无专职人员",
            "医务科",
            date(2099, 1, 31),
        )
        assert session.get(models.FacilityAuditState, hospital_id).audit_id == audit.id
