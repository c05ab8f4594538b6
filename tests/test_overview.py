"""Overview: the headline figures from known rows, in the data layer and on the page."""

from __future__ import annotations

import functools
import math
from datetime import date, timedelta

import altair as alt
import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit import dataframe_util
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from components.epicurve import local_case_curve
from components.kpi import sparkline
from data import models
from data.codes import CASE_KINDS
from data.queries.common import Clock
from data.queries.overview import day_end, get_headline, get_headline_trend
from tests.conftest import open_app
from tests.factories import (
    at,
    in_language,
    make_audit,
    make_case,
    make_checklist,
    make_facility,
    make_hotel_report,
    make_round,
    make_site_report,
    make_stock_report,
    make_supply_item,
    make_zone,
)
from tests.sent import drawn_elements, new_messages, recording, table_heights

# 2021-06-10 20:00 in Guangzhou is 12:00 UTC.
REPLAY_AT = "2021-06-10 20:00"
CLOCK = Clock(now=at("2021-06-10 12:00"), today=date(2021, 6, 10), replay=True)


def build_known_city(session: Session) -> None:
    """Rows whose headline figures are worked out by hand in the tests below."""
    make_case(
        session,
        report_date=date(2021, 5, 21),
        close_contacts_identified=10,
        close_contacts_controlled=8,
        secondary_contacts_identified=30,
        secondary_contacts_controlled=20,
    )
    make_case(session, report_date=date(2021, 6, 9), district_code="440104")
    make_case(session, report_date=date(2021, 6, 10))
    make_case(
        session,
        report_date=date(2021, 6, 10),
        close_contacts_identified=5,
        close_contacts_controlled=5,
        secondary_contacts_identified=12,
        secondary_contacts_controlled=10,
    )
    make_case(session, report_date=date(2021, 6, 10), kind="asymptomatic", severity="none")
    # An imported case: not local, so neither its count nor its contacts are in the figures.
    make_case(
        session,
        report_date=date(2021, 6, 10),
        source="imported",
        district_code="440111",
        close_contacts_identified=7,
        close_contacts_controlled=7,
    )
    make_case(session, report_date=date(2021, 6, 11))  # after the clock: not counted

    make_zone(session, level="sealed", imposed_at=at("2021-05-31 00:00"))
    make_zone(
        session,
        level="controlled",
        imposed_at=at("2021-05-29 00:00"),
        lifted_at=at("2021-06-08 00:00"),
    )
    make_zone(session, level="prevention", imposed_at=at("2021-06-01 00:00"))
    make_zone(session, level="sealed", imposed_at=at("2021-06-11 00:00"))

    liwan_site = make_facility(session, kind="testing_site", district_code="440103")
    yuexiu_site = make_facility(session, kind="testing_site", district_code="440104")
    liwan = make_round(
        session,
        round_no=4,
        target_population=1000,
        start_at=at("2021-06-08 16:00"),
        deadline_at=at("2021-06-10 16:00"),
    )
    yuexiu = make_round(
        session,
        district_code="440104",
        round_no=2,
        target_population=500,
        start_at=at("2021-06-09 16:00"),
        deadline_at=at("2021-06-11 16:00"),
    )
    finished = make_round(
        session,
        round_no=1,
        target_population=900,
        start_at=at("2021-05-26 00:00"),
        deadline_at=at("2021-05-28 00:00"),
    )
    for site, testing_round, moment, sampled in [
        (liwan_site, liwan, "2021-06-09 02:00", 400),
        (liwan_site, liwan, "2021-06-10 02:00", 200),
        (yuexiu_site, yuexiu, "2021-06-10 03:00", 700),
        (liwan_site, finished, "2021-05-27 03:00", 900),
    ]:
        make_site_report(
            session,
            site_id=site.id,
            round_id=testing_round.id,
            reported_at=at(moment),
            sampled=sampled,
            resulted=sampled,
        )

    full = make_facility(session, kind="quarantine_hotel", cohort="close_contact", capacity=100)
    quiet = make_facility(session, kind="quarantine_hotel", cohort="inbound", capacity=50)
    standby = make_facility(
        session, kind="quarantine_hotel", cohort="inbound", capacity=80, status="standby"
    )
    for hotel, total, occupied, cleaning in [
        (full, 100, 90, 5),
        (quiet, 50, 10, 0),
        (standby, 80, 0, 0),
    ]:
        make_hotel_report(
            session,
            hotel_id=hotel.id,
            reported_at=at("2021-06-10 08:00"),
            rooms_total=total,
            rooms_occupied=occupied,
            rooms_cleaning=cleaning,
        )

    masks = make_supply_item(session)
    warehouse = make_facility(
        session, kind="warehouse", name_zh="中心仓库", name_en="Central depot"
    )
    lines = [  # location, on hand at the end, consumed per day, days of counts
        (warehouse, 20, 10, 2),  # 2 days of supply
        (full, 50, 10, 3),  # 5 days
        (quiet, 1000, 10, 3),  # 100 days
        (liwan_site, 30, 5, 1),  # one count: not enough data
    ]
    for location, on_hand, per_day, days in lines:
        for offset in range(days):
            make_stock_report(
                session,
                item_id=masks.id,
                location_id=location.id,
                reported_at=at(f"2021-06-{10 - days + offset + 1:02d} 01:00"),
                on_hand=on_hand + per_day * (days - offset - 1),
                consumed=per_day,
            )

    version, items = make_checklist(session)
    clinic = make_facility(
        session, kind="fever_clinic", name_zh="发热门诊甲", name_en="Fever clinic A"
    )
    finding = {
        "finding_zh": "未分区",
        "finding_en": "No zoning",
        "action_zh": "整改",
        "action_en": "Fix",
        "owner": "院感科 / IPC dept.",
    }
    make_audit(
        session,
        facility=clinic,
        version=version,
        audited_at=at("2021-06-01 02:00"),
        results=[(items["a"], "fail"), (items["b"], "pass")],
        findings=[
            {**finding, "due_date": date(2021, 6, 5)},
            {**finding, "due_date": date(2021, 6, 12)},
            {**finding, "due_date": date(2021, 6, 1), "closed_date": date(2021, 5, 31)},
        ],
    )


def test_headline_figures_match_the_known_rows(session: Session) -> None:
    build_known_city(session)
    headline = get_headline(session=session, clock=CLOCK)
    cases = headline.cases
    assert (cases.new_today, cases.new_yesterday, cases.total) == (3, 1, 5)
    assert (cases.confirmed, cases.asymptomatic) == (4, 1)
    assert (cases.new_confirmed, cases.new_asymptomatic) == (2, 1)
    # Every local case is still admitted; none is severe.
    assert (cases.in_hospital, cases.severe) == (5, 0)
    # No intake reported in the last 3 days: the rooms are not filling.
    assert headline.days_until_full == math.inf
    contacts = headline.contacts
    assert (contacts.close_identified, contacts.close_controlled) == (15, 13)
    assert (contacts.secondary_identified, contacts.secondary_controlled) == (42, 30)
    assert headline.zones == {"sealed": 1, "controlled": 0, "prevention": 1}
    # Liwan 600 of 1000 and Yuexiu 700 of 500 (counted as 500); round 1 ended in May.
    assert (headline.testing.rounds, headline.testing.sampled, headline.testing.target) == (
        2,
        1100,
        1500,
    )
    rooms = headline.rooms
    assert (rooms.hotels, rooms.total, rooms.occupied, rooms.cleaning, rooms.available) == (
        2,
        150,
        100,
        5,
        45,
    )
    supplies = headline.supplies
    assert (supplies.lines_with_burn, supplies.under_7_days, supplies.under_3_days) == (3, 2, 1)
    assert (headline.actions.open, headline.actions.overdue) == (2, 1)


def test_trend_is_each_days_headline_at_its_end(session: Session) -> None:
    build_known_city(session)
    trend = get_headline_trend(session=session, clock=CLOCK)
    assert [day.isoformat() for day in trend["day"]] == [
        f"2021-{month:02d}-{day:02d}" for month, day in [(5, 28), (5, 29), (5, 30), (5, 31)]
    ] + [f"2021-06-{day:02d}" for day in range(1, 11)]
    last3 = trend.tail(3).drop(columns="day").to_dict("records")
    assert last3 == [
        # 06-08: only the 05-21 case; the controlled zone lifted that day; no round under
        # way (Liwan's 4th begins at the next midnight), so the latest, round 1, complete;
        # nothing counted; one action overdue.
        {
            "new_local": 0,
            "total_local": 1,
            "in_hospital": 1,
            "severe": 0,
            "contacts_controlled": 28,
            "zones": 2,
            "testing_percent": 100.0,
            "rooms_free": 0,
            "supply_under_7": 0,
            "supply_under_3": 0,
            "overdue_actions": 1,
        },
        # 06-09: the Yuexiu case; Liwan's round at 400 of 1,000; first counts (no burn yet
        # except the depot's second day).
        {
            "new_local": 1,
            "total_local": 2,
            "in_hospital": 2,
            "severe": 0,
            "contacts_controlled": 28,
            "zones": 2,
            "testing_percent": 40.0,
            "rooms_free": 0,
            "supply_under_7": 1,
            "supply_under_3": 0,
            "overdue_actions": 1,
        },
        # 06-10 at the clock: the headline.
        {
            "new_local": 3,
            "total_local": 5,
            "in_hospital": 5,
            "severe": 0,
            "contacts_controlled": 43,
            "zones": 2,
            "testing_percent": 1100 / 1500 * 100,
            "rooms_free": 45,
            "supply_under_7": 2,
            "supply_under_3": 1,
            "overdue_actions": 1,
        },
    ]


def _metrics(app: AppTest) -> dict[str, tuple[str, str]]:
    return {metric.label: (metric.value, metric.delta) for metric in app.metric}


EXPECTED_CARDS = {
    "en": {
        "New local cases today": ("3", "+2 on yesterday"),
        "Local infections in total": ("5", "+3 on yesterday"),
        "Local infections in hospital": ("5", "+3 on yesterday"),
        "Severe or critical": ("0", "Same as yesterday"),
        "Contacts under control": ("43 / 57", "+15 on yesterday"),
        "Control zones in force": ("2", "Same as yesterday"),
        "Testing completion, current rounds": ("73.3%", "+33.3 points on yesterday"),
        "Quarantine rooms free": ("45", "+45 on yesterday"),
        "Supply lines under 7 days": ("2", "+1 on yesterday"),
        "Overdue corrective actions": ("1", "Same as yesterday"),
    },
    "zh": {
        "今日新增本土病例": ("3", "较昨日 +2"),
        "累计本土感染者": ("5", "较昨日 +3"),
        "在院本土感染者": ("5", "较昨日 +3"),
        "重症、危重症": ("0", "与昨日持平"),
        "密接、次密接已管控": ("43 / 57", "较昨日 +15"),
        "现行管控区域": ("2", "与昨日持平"),
        "当前核酸检测轮次完成率": ("73.3%", "较昨日 +33.3 个百分点"),
        "隔离酒店可用房间": ("45", "较昨日 +45"),
        "可用不足 7 天的物资": ("2", "较昨日 +1"),
        "逾期未整改的院感问题": ("1", "与昨日持平"),
    },
}
# The alerts by severity and kind: each group's heading with its count and a link to its
# page (stale sources have each their own), then its worst alerts.
EXPECTED_ALERTS = {
    "en": [
        ":red-badge[▲ Critical] **Testing rounds past their deadline or not finishing: 1**",
        "[Open](/testing?lang=en)",
        "Liwan testing round 4 took no samples in the last 6 hours and will not finish by its "
        "deadline of 2021-06-11 00:00 (60.0% sampled)",
        ":red-badge[▲ Critical] **Supply lines at 3 days or less: 1**",
        "[Open](/supplies?lang=en)",
        "N95 respirators at Central depot lasts 2 days (20 pieces on hand)",
        ":orange-badge[● Warning] **Facilities with overdue corrective actions: 1**",
        "[Open](/audits?lang=en)",
        "Fever clinic A has 1 overdue corrective action (2 open in all)",
        ":orange-badge[● Warning] **Sources with stale reporters: 3**",
        "Testing sites: 2 of 2 reporters have not reported within their expected interval",
        "[Open](/testing?lang=en)",
        "Infection-control audits: 2 of 3 reporters have not reported within their expected "
        "interval",
        "[Open](/audits?lang=en)",
        "Case tracing: 1 of 2 reporters has not reported within its expected interval",
        "[Open](/cases?lang=en)",
    ],
    "zh": [
        ":red-badge[▲ 严重] **已逾期或无法完成的检测轮次：1 条**",
        "[查看](/testing?lang=zh)",
        "荔湾区第 4 轮核酸检测近 6 小时无采样，无法在截止时间 2021-06-11 00:00 前完成"
        "（已采样 60.0%）",
        ":red-badge[▲ 严重] **可用 3 天及以下的物资：1 条**",
        "[查看](/supplies?lang=zh)",
        "中心仓库的N95口罩仅够 2 天（库存 20 个）",
        ":orange-badge[● 注意] **有逾期院感整改的机构：1 条**",
        "[查看](/audits?lang=zh)",
        "发热门诊甲有 1 项院感整改逾期未完成（未关闭共 2 项）",
        ":orange-badge[● 注意] **有单位逾期未上报的数据来源：3 条**",
        "核酸采样点：2 / 2 个上报单位超过规定间隔未上报",
        "[查看](/testing?lang=zh)",
        "院感督查：2 / 3 个上报单位超过规定间隔未上报",
        "[查看](/audits?lang=zh)",
        "病例流调：1 / 2 个上报单位超过规定间隔未上报",
        "[查看](/cases?lang=zh)",
    ],
}
EXPECTED_FRESHNESS = {
    "en": [
        ["Testing sites", "● Some stale", "2021-06-10 11:00", "—", "2 / 2"],
        ["Quarantine hotels", "✓ On time", "2021-06-10 16:00", "—", "0 / 2"],
        ["Supply stock", "✓ On time", "2021-06-10 09:00", "—", "0 / 4"],
        [
            "Infection-control audits",
            "● Some stale",
            "2021-06-01 10:00",
            "Team 1",  # the auditor's name, kept as "督导组 1 / Team 1"
            "2 / 3",
        ],
        ["Case tracing", "● Some stale", "2021-06-10 00:00", "—", "1 / 2"],
    ],
    "zh": [
        ["核酸采样点", "● 有逾期", "2021-06-10 11:00", "—", "2 / 2"],
        ["隔离酒店", "✓ 按时", "2021-06-10 16:00", "—", "0 / 2"],
        ["物资库存", "✓ 按时", "2021-06-10 09:00", "—", "0 / 4"],
        ["院感督查", "● 有逾期", "2021-06-01 10:00", "督导组 1", "2 / 3"],
        ["病例流调", "● 有逾期", "2021-06-10 00:00", "—", "1 / 2"],
    ],
}


@pytest.mark.replay_at(REPLAY_AT)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overview_page_shows_the_data_layers_figures(
    app_database: str, engine: Engine, lang: str
) -> None:
    with Session(engine) as session:
        build_known_city(session)
    app = open_app("pages/overview.py", timeout=60)
    app.query_params["lang"] = lang
    with recording() as runs:
        app.run()
    assert not app.exception
    assert _metrics(app) == EXPECTED_CARDS[lang]
    # The change's arrow and colour follow the figure, not the sentence's first character
    # (Chinese starts with words): more cases is up and red, no change has neither.
    direction = {m.label: (m.proto.direction, m.proto.color) for m in app.metric}
    cases_label, severe_label = list(EXPECTED_CARDS[lang])[0], list(EXPECTED_CARDS[lang])[3]
    rooms_label = list(EXPECTED_CARDS[lang])[7]
    assert direction[cases_label] == (MetricProto.MetricDirection.UP, MetricProto.MetricColor.RED)
    assert direction[rooms_label] == (
        MetricProto.MetricDirection.UP,
        MetricProto.MetricColor.GREEN,
    )
    assert direction[severe_label] == (
        MetricProto.MetricDirection.NONE,
        MetricProto.MetricColor.GRAY,
    )
    # Supplies (1 line under 3 days) and overdue actions (1) are critical: a symbol and a
    # word, not only a colour, the same word as a critical alert's.
    alarm = ":red-badge[▲ Critical]" if lang == "en" else ":red-badge[▲ 严重]"
    badges = [m.value for m in app.markdown if m.value.startswith(":") and "-badge[" in m.value]
    assert badges[:2] == [alarm, alarm]
    # The alerts by severity and kind, each kind with a link to its page in the same language.
    alerts = [m.value for m in app.markdown if m.value not in (alarm,)]
    assert alerts == EXPECTED_ALERTS[lang]
    assert alerts_count(lang) in [caption.value for caption in app.caption]
    # A sparkline in every card (then the epidemic curve), of the 14 days to today; the
    # first is new local cases per day.
    charts = app.get("vega_lite_chart")
    assert len(charts) == 11
    (days,) = [
        dataframe_util.convert_arrow_bytes_to_pandas_df(dataset.data.data)
        for dataset in charts[0].proto.datasets
    ]
    assert days["value"].tolist()[-3:] == [0, 1, 3]
    assert len(days) == 14
    freshness = app.dataframe[0].value
    assert freshness.values.tolist() == EXPECTED_FRESHNESS[lang]
    stale_sites = app.dataframe[1].value
    assert stale_sites.iloc[:, 2].tolist() == ["2021-06-10 10:00", "2021-06-10 11:00"]
    table = app.dataframe[-1].value
    liwan = table[table.iloc[:, 0] == ("Liwan" if lang == "en" else "荔湾区")].iloc[0]
    # 05-21 and three on 06-10: new today, last 7 days, total.
    assert [int(value) for value in liwan.iloc[1:]] == [3, 3, 4]
    # Every district shows (here 11), none behind an inner scroll bar: the header and 11 rows
    # of 35 pixels, the border and room for a sideways scroll bar.
    assert len(table) == 11
    assert table_heights(runs[-1])[-1] == (list(table.columns), 35 * 12 + 3 + 16)


@pytest.mark.replay_at(REPLAY_AT)
def test_the_overview_works_out_what_its_headline_and_alerts_share_once(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The headline and the alerts count today's stock lines and the rounds' totals, and
    the freshness table and the alerts read the sources' freshness: the page's first open
    works out each once (the stock lines took ~120 ms apiece at city scale), and a run
    keeps nothing of them for the next."""
    from data.queries import freshness, supplies, testing

    with Session(engine) as session:
        build_known_city(session)
    calls: dict[str, list[dict]] = {}
    for read in (
        supplies.list_stock_lines,
        testing.list_round_totals,
        freshness.list_source_freshness,
    ):

        def counting(*, _work=read.__wrapped__, **arguments):  # noqa: ANN001, ANN003, ANN202
            calls.setdefault(_work.__name__, []).append(
                {name: value for name, value in arguments.items() if name != "session"}
            )
            return _work(**arguments)

        monkeypatch.setattr(read, "__wrapped__", counting)
    # Through app.py, as a server runs every page (it opens on the Overview): it lets go of
    # what the run shared.
    app = open_app("app.py", timeout=60)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    now = at("2021-06-10 12:00")  # 20:00 local
    # Today's stock lines, every one; every round (not only those under way) as of now and
    # (the trend) at the end of each of the 13 days before, once each.
    past = [
        {"as_of": day_end(date(2021, 6, 10) - timedelta(days=back))} for back in range(13, 0, -1)
    ]
    assert calls == {
        "list_stock_lines": [{"today": date(2021, 6, 10), "at": now}],
        "list_round_totals": [{"as_of": now}, *past],
        "list_source_freshness": [{"at": now}],
    }
    assert _metrics(app) == EXPECTED_CARDS["en"]
    assert "_shared" not in app.session_state
    # Nothing changed: the next run takes them all from the data cache.
    app.run()
    assert sum(len(made) for made in calls.values()) == 16


def alerts_count(lang: str) -> str:
    return "2 critical · 4 warnings" if lang == "en" else "严重 2 条 · 注意 4 条"


def test_overview_says_when_the_database_is_empty(app_database: str) -> None:
    app = open_app("pages/overview.py", timeout=30)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert any("no data in the database" in info.value for info in app.info)
    assert not app.metric


def test_testing_completion_counts_only_samples_taken_by_the_clock(session: Session) -> None:
    build_known_city(session)
    earlier = Clock(now=at("2021-06-09 12:00"), today=date(2021, 6, 9), replay=True)
    testing = get_headline(session=session, clock=earlier).testing
    # Only Liwan's round is under way; its 06-10 report (200 more) is after the clock.
    assert (testing.rounds, testing.sampled, testing.target) == (1, 400, 1000)


def test_an_action_closed_after_the_clock_was_still_open_then(session: Session) -> None:
    version, items = make_checklist(session)
    clinic = make_facility(session, kind="fever_clinic")
    finding = {
        "finding_zh": "未分区",
        "finding_en": "No zoning",
        "action_zh": "整改",
        "action_en": "Fix",
        "owner": "院感科 / IPC dept.",
        "due_date": date(2021, 6, 5),
        "closed_date": date(2021, 6, 12),
    }
    make_audit(
        session,
        facility=clinic,
        version=version,
        audited_at=at("2021-06-01 02:00"),
        results=[(items["a"], "fail")],
        findings=[finding],
    )
    actions = get_headline(session=session, clock=CLOCK).actions
    assert (actions.open, actions.overdue) == (1, 1)
    later = Clock(now=at("2021-06-12 12:00"), today=date(2021, 6, 12), replay=True)
    assert get_headline(session=session, clock=later).actions.overdue == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_charts_are_valid_vega_lite(lang: str) -> None:
    # The page draws their specs unvalidated (components.charts); validate them here.
    trend = [(date(2021, 6, day), float(day % 3)) for day in range(1, 15)]
    in_language(lang, lambda: sparkline(trend, label="x").to_dict(validate=True))
    counts = pd.DataFrame(
        {"report_date": [date(2021, 6, 9)] * 2, "kind": list(CASE_KINDS), "cases": [2, 1]}
    )
    average = pd.DataFrame({"report_date": [date(2021, 6, 9)], "average": [3.0]})
    in_language(lang, lambda: local_case_curve(counts, average).to_dict(validate=True))


@pytest.mark.replay_at(REPLAY_AT)
def test_a_rerun_with_nothing_changed_sends_every_text_the_browser_holds_as_a_reference(
    app_database: str, engine: Engine
) -> None:
    # The browser keeps each element of 100 bytes or more (.streamlit/config.toml): a rerun
    # sends its charts, tables and longer sentences as references, and only layout blocks
    # and short texts whole.
    with Session(engine) as session:
        build_known_city(session)
    app = open_app("pages/overview.py", timeout=60)
    with recording() as runs:
        app.run()
        app.run()
    assert not app.exception
    whole = drawn_elements(new_messages(runs[1], held=runs[0]))
    texts = [message.delta.new_element for message in whole]
    # Headings, figures, badges and short sentences (a reference takes 80-100 bytes).
    assert len(texts) == 40
    assert max(text.ByteSize() for text in texts) < 100


@pytest.mark.replay_at(REPLAY_AT)
def test_the_past_days_are_kept_while_reports_of_today_come_in_and_read_again_after_a_late_one(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data.queries import overview

    worked_out: list[date] = []
    past_figures = overview.get_past_figures

    @functools.wraps(past_figures)
    def counting(**arguments):  # noqa: ANN003, ANN202
        worked_out.append(arguments["today"])
        return past_figures(**arguments)

    monkeypatch.setattr(overview, "get_past_figures", counting)
    with Session(engine) as session:
        build_known_city(session)
        site = (
            session.execute(select(models.Facility).where(models.Facility.kind == "testing_site"))
            .scalars()
            .first()
        )  # Liwan's
        liwan = session.execute(
            select(models.TestingRound).where(models.TestingRound.round_no == 4)
        ).scalar_one()
    app = open_app("pages/overview.py", timeout=60)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    testing = "Testing completion, current rounds"
    assert _metrics(app)[testing] == ("73.3%", "+33.3 points on yesterday")
    assert worked_out == [date(2021, 6, 10)]

    # A report of today (19:30 local): today's figures are read again, the past days not.
    with Session(engine) as session:
        make_site_report(
            session,
            site_id=site.id,
            round_id=liwan.id,
            reported_at=at("2021-06-10 11:30"),
            sampled=100,
            resulted=100,
        )
    app.run()
    assert not app.exception
    assert worked_out == [date(2021, 6, 10)]
    assert _metrics(app)[testing] == ("80.0%", "+40.0 points on yesterday")

    # A report of yesterday that came in late: yesterday's figure has it at once.
    with Session(engine) as session:
        make_site_report(
            session,
            site_id=site.id,
            round_id=liwan.id,
            reported_at=at("2021-06-09 05:00"),
            sampled=100,
            resulted=100,
        )
    app.run()
    assert not app.exception
    assert worked_out == [date(2021, 6, 10), date(2021, 6, 10)]
    assert _metrics(app)[testing] == ("86.7%", "+36.7 points on yesterday")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sparkline_from_its_template_draws_what_altair_builds(lang: str) -> None:
    """The cards' sparklines are their label's template with the trend as its table: the
    same spec and rows as Altair builds for that trend (a missing day included)."""
    import json

    from components.charts import chart_spec
    from components.kpi import sparkline_spec

    trend = [(date(2021, 6, day), float(day % 3)) for day in range(1, 14)]
    trend += [(date(2021, 6, 14), math.nan)]

    def both() -> tuple[dict, dict]:
        return sparkline_spec(trend, label="新增"), chart_spec(sparkline(trend, label="新增"))

    ours, altair = in_language(lang, both)
    (altair_name,) = altair["datasets"]
    assert ours["datasets"]["trend"] == altair["datasets"][altair_name]
    assert ours["datasets"]["trend"][-1] == {"day": "2021-06-14T00:00:00", "value": None}
    assert ours["data"] == {"name": "trend"} and altair["data"] == {"name": altair_name}
    rest = ("datasets", "data")
    assert json.dumps({k: v for k, v in ours.items() if k not in rest}, sort_keys=True) == (
        json.dumps({k: v for k, v in altair.items() if k not in rest}, sort_keys=True)
    )
    # ... and Vega-Lite's schema takes it.
    alt.LayerChart.from_dict(ours, validate=True)
