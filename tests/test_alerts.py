"""The alert rules (data.alerts) and their sentences (components.alerts), from known data.

Every test reads as of T = 2021-06-10 20:00 in Guangzhou (12:00 UTC) and writes at least one
report after T that would change the outcome, to show that nothing after T counts. Runs on
SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from components.alerts import alert_text, severity_label
from data.alerts import compute_alerts
from data.measures.alerts import Alert, group_alerts, sort_alerts
from tests.factories import (
    in_language,
    make_audit,
    make_checklist,
    make_facility,
    make_hotel,
    make_hotel_report,
    make_round,
    make_site_report,
    make_stock_report,
    make_supply_item,
)
from tests.sent import drawn_elements, new_messages, recording

T = datetime.fromisoformat("2021-06-10 20:00+08:00")


def local(text: str) -> datetime:
    """A moment given in Guangzhou local time ('YYYY-MM-DD HH:MM')."""
    return datetime.fromisoformat(f"{text}+08:00")


def of_kind(alerts: list[Alert], kind: str) -> list[Alert]:
    return [alert for alert in alerts if alert.kind == kind]


def texts(alerts: list[Alert], lang: str) -> list[str]:
    return [in_language(lang, alert_text, alert) for alert in alerts]


# --- Quarantine hotels: 95 % occupancy and more --------------------------------------------


def test_hotel_full_from_95_percent(session: Session) -> None:
    names = {"at95": "Hotel 95", "at94": "Hotel 94", "full": "Hotel Full", "later": "Hotel L"}
    hotels = {
        key: make_hotel(session, rooms=100, name_en=label, name_zh=f"{label}酒店")
        for key, label in names.items()
    }
    for key, occupied, cleaning in (("at95", 95, 0), ("at94", 94, 0), ("full", 96, 4)):
        make_hotel_report(
            session,
            hotel_id=hotels[key].id,
            reported_at=local("2021-06-10 19:00"),
            rooms_total=100,
            rooms_occupied=occupied,
            rooms_cleaning=cleaning,
        )
    # 90 % by T; 99 % only after T.
    make_hotel_report(
        session,
        hotel_id=hotels["later"].id,
        reported_at=local("2021-06-10 19:00"),
        rooms_total=100,
        rooms_occupied=90,
    )
    make_hotel_report(
        session,
        hotel_id=hotels["later"].id,
        reported_at=local("2021-06-10 20:01"),
        rooms_total=100,
        rooms_occupied=99,
    )

    alerts = of_kind(compute_alerts(session, at=T), "hotel_full")

    assert [(a.key, a.severity, a.page, a.district_code) for a in alerts] == [
        (f"hotel_full:{hotels['full'].id}", "critical", "hotels", "440103"),
        (f"hotel_full:{hotels['at95'].id}", "warning", "hotels", "440103"),
    ]
    assert texts(alerts, "en") == [
        "Hotel Full is 96.0% occupied: 0 of 100 rooms free",
        "Hotel 95 is 95.0% occupied: 5 of 100 rooms free",
    ]
    assert texts(alerts, "zh") == [
        "Hotel Full酒店入住率 96.0%，可用房间 0 / 100 间",
        "Hotel 95酒店入住率 95.0%，可用房间 5 / 100 间",
    ]
    # After T the late hotel reaches 99 %, and fires.
    later = of_kind(compute_alerts(session, at=local("2021-06-10 20:01")), "hotel_full")
    assert f"hotel_full:{hotels['later'].id}" in [a.key for a in later]


# --- Supplies: 3 whole days of supply or less ----------------------------------------------


def test_supply_short_at_3_days_not_4(session: Session) -> None:
    item = make_supply_item(session)
    three = make_facility(session, kind="warehouse", name_en="Depot 3", name_zh="三号仓")
    four = make_facility(session, kind="warehouse", name_en="Depot 4", name_zh="四号仓")
    for location, on_hand in ((three, 30), (four, 40)):
        make_stock_report(
            session,
            item_id=item.id,
            location_id=location.id,
            reported_at=local("2021-06-09 20:00"),
            on_hand=on_hand + 10,
        )
        # 10 used in the day since: 10 a day.
        make_stock_report(
            session,
            item_id=item.id,
            location_id=location.id,
            reported_at=local("2021-06-10 20:00"),
            on_hand=on_hand,
            consumed=10,
        )
    # Out of stock since yesterday: 0 days.
    empty = make_facility(session, kind="warehouse", name_en="Depot 0", name_zh="零号仓")
    make_stock_report(
        session,
        item_id=item.id,
        location_id=empty.id,
        reported_at=local("2021-06-09 20:00"),
        on_hand=10,
    )
    make_stock_report(
        session,
        item_id=item.id,
        location_id=empty.id,
        reported_at=local("2021-06-10 20:00"),
        on_hand=0,
        consumed=10,
    )
    # After T depot 4 drops to 2 days.
    make_stock_report(
        session,
        item_id=item.id,
        location_id=four.id,
        reported_at=local("2021-06-10 21:00"),
        on_hand=20,
        consumed=20,
    )

    alerts = of_kind(compute_alerts(session, at=T), "supply_short")

    by_key = {a.key: a for a in alerts}
    assert sorted(by_key) == sorted(
        [f"supply_short:{item.id}:{three.id}", f"supply_short:{item.id}:{empty.id}"]
    )
    assert {a.severity for a in alerts} == {"critical"}
    three_alert = [by_key[f"supply_short:{item.id}:{three.id}"]]
    empty_alert = [by_key[f"supply_short:{item.id}:{empty.id}"]]
    assert texts(three_alert, "en") == [
        "N95 respirators at Depot 3 lasts 3 days (30 pieces on hand)"
    ]
    assert texts(three_alert, "zh") == ["三号仓的N95口罩仅够 3 天（库存 30 个）"]
    assert texts(empty_alert, "en") == [
        "N95 respirators at Depot 0 is out of stock (0 pieces on hand)"
    ]
    assert texts(empty_alert, "zh") == ["零号仓的N95口罩已断货（库存 0 个）"]


# --- Testing-site queues: over 60 minutes ---------------------------------------------------


def test_queue_long_over_60_minutes(session: Session) -> None:
    sites = {
        minutes: make_facility(session, name_en=f"Site {minutes}", name_zh=f"{minutes}号点")
        for minutes in (60, 61)
    }
    for minutes, site in sites.items():
        make_site_report(
            session,
            site_id=site.id,
            reported_at=local("2021-06-10 19:30"),
            queue_wait_minutes=minutes,
        )
    # After T the 60-minute site's queue grows to 90.
    make_site_report(
        session, site_id=sites[60].id, reported_at=local("2021-06-10 20:30"), queue_wait_minutes=90
    )

    alerts = of_kind(compute_alerts(session, at=T), "queue_long")

    assert [(a.key, a.severity, a.page) for a in alerts] == [
        (f"queue_long:{sites[61].id}", "warning", "testing")
    ]
    assert texts(alerts, "en") == ["Site 61: 61-minute queue (over 60 minutes)"]
    assert texts(alerts, "zh") == ["61号点排队等候 61 分钟（超过 60 分钟）"]


# --- Corrective actions: due yesterday or earlier, still open ---------------------------------


def _finding(due: date, closed: date | None = None) -> dict:
    return {
        "finding_zh": "发现",
        "finding_en": "Finding",
        "action_zh": "整改",
        "action_en": "Fix it",
        "owner": "院感科",
        "due_date": due,
        "closed_date": closed,
    }


def test_action_overdue_from_the_day_after_due(session: Session) -> None:
    version, items = make_checklist(session)
    results = [(items["a"], "fail"), (items["b"], "pass")]
    yesterday = make_facility(session, kind="general_hospital", name_en="West", name_zh="西院")
    today = make_facility(session, kind="general_hospital", name_en="East", name_zh="东院")
    make_audit(
        session,
        facility=yesterday,
        version=version,
        results=results,
        audited_at=local("2021-06-05 10:00"),
        findings=[
            _finding(date(2021, 6, 9)),
            _finding(date(2021, 6, 8)),
            _finding(date(2021, 6, 20)),
        ],
    )
    make_audit(
        session,
        facility=today,
        version=version,
        results=results,
        audited_at=local("2021-06-05 10:00"),
        findings=[_finding(date(2021, 6, 10))],
    )
    # An audit after T whose action was due long before: not known at T.
    make_audit(
        session,
        facility=today,
        version=version,
        results=results,
        audited_at=local("2021-06-10 21:00"),
        findings=[_finding(date(2021, 6, 1))],
    )

    alerts = of_kind(compute_alerts(session, at=T), "action_overdue")

    assert [(a.key, a.severity, a.page, a.values["overdue"]) for a in alerts] == [
        (f"action_overdue:{yesterday.id}", "warning", "audits", 2)
    ]
    assert texts(alerts, "en") == ["West has 2 overdue corrective actions (3 open in all)"]
    assert texts(alerts, "zh") == ["西院有 2 项院感整改逾期未完成（未关闭共 3 项）"]


# --- Testing rounds: projected past the deadline, or missed ----------------------------------


def test_round_behind_when_projected_late(session: Session) -> None:
    # Liwan: 300 sampled before the window, 120 in the 6 hours to T (20 an hour): the other
    # 580 take 29 hours, to 2021-06-12 01:00, after the deadline (2021-06-11 08:00).
    late = make_round(
        session,
        district_code="440103",
        start_at=local("2021-06-10 00:00"),
        deadline_at=local("2021-06-11 08:00"),
    )
    # Yuexiu: 400 before, 300 in the window (50 an hour): 300 left take 6 hours, to
    # 2021-06-11 02:00, before the deadline (2021-06-11 04:00).
    on_track = make_round(
        session,
        district_code="440104",
        start_at=local("2021-06-10 00:00"),
        deadline_at=local("2021-06-11 04:00"),
    )
    # Haizhu: deadline passed at 18:00 with 500 of 1,000.
    missed = make_round(
        session,
        district_code="440105",
        start_at=local("2021-06-09 00:00"),
        deadline_at=local("2021-06-10 18:00"),
    )
    plan = (
        (late, "440103", 300, 120),
        (on_track, "440104", 400, 300),
        (missed, "440105", 400, 100),
    )
    for testing_round, district, before, within in plan:
        site = make_facility(session, district_code=district)
        for when, sampled in (("2021-06-10 10:00", before), ("2021-06-10 19:00", within)):
            make_site_report(
                session,
                site_id=site.id,
                round_id=testing_round.id,
                reported_at=local(when),
                sampled=sampled,
            )
        # After T the late round takes 580 more (it would be complete).
        if testing_round is late:
            make_site_report(
                session,
                site_id=site.id,
                round_id=late.id,
                reported_at=local("2021-06-10 20:30"),
                sampled=580,
            )

    alerts = of_kind(compute_alerts(session, at=T), "round_behind")

    assert [(a.key, a.severity, a.page, a.district_code) for a in alerts] == [
        (f"round_behind:{missed.id}", "critical", "testing", "440105"),
        (f"round_behind:{late.id}", "warning", "testing", "440103"),
    ]
    assert texts(alerts, "en") == [
        "Haizhu testing round 1 passed its deadline of 2021-06-10 18:00 unfinished (50.0% sampled)",
        "Liwan testing round 1 will miss its deadline of 2021-06-11 08:00 (42.0% sampled; "
        "at the recent rate it finishes 2021-06-12 01:00)",
    ]
    assert texts(alerts, "zh") == [
        "海珠区第 1 轮核酸检测已过截止时间 2021-06-10 18:00，仍未完成（已采样 50.0%）",
        "荔湾区第 1 轮核酸检测预计无法在截止时间 2021-06-11 08:00 前完成"
        "（已采样 42.0%，按近期速度预计 2021-06-12 01:00 完成）",
    ]


def test_round_with_no_recent_samples_never_finishes(session: Session) -> None:
    idle = make_round(
        session, start_at=local("2021-06-10 00:00"), deadline_at=local("2021-06-11 08:00")
    )
    site = make_facility(session)
    make_site_report(
        session,
        site_id=site.id,
        round_id=idle.id,
        reported_at=local("2021-06-10 08:00"),
        sampled=10,
    )

    alerts = of_kind(compute_alerts(session, at=T), "round_behind")

    assert [(a.key, a.severity) for a in alerts] == [(f"round_behind:{idle.id}", "critical")]
    assert texts(alerts, "en") == [
        "Liwan testing round 1 took no samples in the last 6 hours and will not finish by "
        "its deadline of 2021-06-11 08:00 (1.0% sampled)"
    ]


# --- Sources: reporters past their expected interval -----------------------------------------


def test_source_stale_past_the_interval(session: Session) -> None:
    # Hotels report every 240 minutes: one 241 minutes before T, one exactly 240.
    stale = make_hotel(session, report_interval_minutes=240)
    fresh = make_hotel(session, report_interval_minutes=240)
    for hotel, when in ((stale, "2021-06-10 15:59"), (fresh, "2021-06-10 16:00")):
        make_hotel_report(
            session, hotel_id=hotel.id, reported_at=local(when), rooms_total=10, rooms_occupied=1
        )
    # After T the stale hotel reports again: at T it is still stale.
    make_hotel_report(
        session,
        hotel_id=stale.id,
        reported_at=local("2021-06-10 20:10"),
        rooms_total=10,
        rooms_occupied=1,
    )

    alerts = of_kind(compute_alerts(session, at=T), "source_stale")

    # Hotels are audited too, and neither has been: both are due an audit.
    # In the order of the sources: hotels before audits.
    assert [(a.key, a.severity, a.page, a.district_code) for a in alerts] == [
        ("source_stale:hotels", "warning", "hotels", None),
        ("source_stale:audits", "warning", "audits", None),
    ]
    assert [(a.values["stale"], a.values["reporters"]) for a in alerts] == [(1, 2), (2, 2)]
    assert texts(alerts, "en") == [
        "Quarantine hotels: 1 of 2 reporters has not reported within its expected interval",
        "Infection-control audits: 2 of 2 reporters have not reported within their expected "
        "interval",
    ]
    assert texts(alerts, "zh") == [
        "隔离酒店：1 / 2 个上报单位超过规定间隔未上报",
        "院感督查：2 / 2 个上报单位超过规定间隔未上报",
    ]
    # A minute later the other hotel is stale too (the stale one's next report is later).
    later = of_kind(compute_alerts(session, at=local("2021-06-10 20:01")), "source_stale")
    assert [(a.key, a.values["stale"]) for a in later] == [
        ("source_stale:hotels", 2),
        ("source_stale:audits", 2),
    ]


def test_no_alerts_on_an_empty_city(session: Session) -> None:
    assert compute_alerts(session, at=T) == []


# --- Order and labels (no database) -----------------------------------------------------------


def test_most_severe_first_then_kind() -> None:
    made = [
        Alert("source_stale:hotels", "source_stale", "warning", "hotels", None, {}),
        Alert("queue_long:2", "queue_long", "warning", "testing", "440104", {}),
        Alert("supply_short:1:2", "supply_short", "critical", "supplies", "440103", {}),
        Alert("round_behind:3", "round_behind", "warning", "testing", "440103", {}),
        Alert("hotel_full:4", "hotel_full", "critical", "hotels", "440105", {}),
    ]
    assert [alert.key for alert in sort_alerts(made)] == [
        "hotel_full:4",
        "supply_short:1:2",
        "round_behind:3",
        "queue_long:2",
        "source_stale:hotels",
    ]


def test_the_worst_of_a_kind_comes_first_out_of_stock_before_days_left() -> None:
    def line(key: str, district: str, days: int, on_hand: int) -> Alert:
        values = {"days": days, "on_hand": on_hand}
        return Alert(key, "supply_short", "critical", "supplies", district, values)

    def hotel(key: str, district: str, percent: float) -> Alert:
        return Alert(key, "hotel_full", "critical", "hotels", district, {"percent": percent})

    made = [
        line("supply_short:1:1", "440103", 3, 8350),
        line("supply_short:2:2", "440106", 0, 0),
        line("supply_short:3:3", "440104", 1, 40),
        line("supply_short:4:4", "440103", 0, 12),
        hotel("hotel_full:5", "440103", 96.0),
        hotel("hotel_full:6", "440105", 100.0),
    ]
    assert [alert.key for alert in sort_alerts(made)] == [
        "hotel_full:6",
        "hotel_full:5",
        "supply_short:2:2",
        "supply_short:4:4",
        "supply_short:3:3",
        "supply_short:1:1",
    ]


def test_alerts_group_by_severity_then_kind_and_show_their_worst() -> None:
    made = [
        *(_queue(n) for n in range(5)),  # 5: the worst 3 shown, 2 left out
        *(_short(n) for n in range(1, 5)),  # 4: all shown, rather than "1 more"
        _hotel(1, 3),
        _hotel(2, 0),  # no room free: a critical hotel, a group of its own
        _stale("stock", "supplies"),
        _stale("cases", "cases"),
    ]
    groups = group_alerts(made)
    assert [(g.severity, g.kind, len(g.alerts), g.page) for g in groups] == [
        ("critical", "hotel_full", 1, "hotels"),
        ("critical", "supply_short", 4, "supplies"),
        ("warning", "hotel_full", 1, "hotels"),
        ("warning", "queue_long", 5, "testing"),
        ("warning", "source_stale", 2, None),  # each source on its own page
    ]
    assert [[a.key for a in g.worst] for g in groups] == [
        ["hotel_full:2"],
        ["supply_short:1:1", "supply_short:1:2", "supply_short:1:3", "supply_short:1:4"],
        ["hotel_full:1"],
        ["queue_long:4", "queue_long:3", "queue_long:2"],
        ["source_stale:stock", "source_stale:cases"],
    ]
    assert [g.left_out for g in groups] == [0, 0, 0, 2, 0]


def test_severity_is_a_symbol_and_a_word() -> None:
    assert in_language("zh", severity_label, "critical") == "▲ 严重"
    assert in_language("en", severity_label, "critical") == "▲ Critical"
    assert in_language("zh", severity_label, "warning") == "● 注意"
    assert in_language("en", severity_label, "warning") == "● Warning"


def _oil(days: int, on_hand: int) -> Alert:
    """Depot A's cooking oil, `days` whole days of supply with `on_hand` drums."""
    values = {
        "name_zh": "甲仓",
        "name_en": "Depot A",
        "item_zh": "食用油",
        "item_en": "Cooking oil",
        "days": days,
        "on_hand": on_hand,
        "unit_zh": "桶",
        "unit_en": "drums",
    }
    return Alert("supply_short:1:2", "supply_short", "critical", "supplies", "440103", values)


@pytest.mark.parametrize(
    ("days", "on_hand", "en", "zh"),
    [
        (
            1,
            5,
            "Cooking oil at Depot A lasts 1 day (5 drums on hand)",
            "甲仓的食用油仅够 1 天（库存 5 桶）",
        ),
        # 3 drums at 10 a day: 0.3 days, 0 whole days, but not "0 days" with stock on hand.
        (
            0,
            3,
            "Cooking oil at Depot A lasts under 1 day (3 drums on hand)",
            "甲仓的食用油可用不足1天（库存 3 桶）",
        ),
        (
            0,
            0,
            "Cooking oil at Depot A is out of stock (0 drums on hand)",
            "甲仓的食用油已断货（库存 0 桶）",
        ),
    ],
)
def test_a_short_line_says_its_whole_days_under_one_day_or_out_of_stock(
    days: int, on_hand: int, en: str, zh: str
) -> None:
    assert in_language("en", alert_text, _oil(days, on_hand)) == en
    assert in_language("zh", alert_text, _oil(days, on_hand)) == zh


# --- The list on the Overview (no database) ---------------------------------------------------


def _queue(n: int) -> Alert:
    values = {"name_zh": f"采样点{n}", "name_en": f"Site {n}", "minutes": 61 + n}
    return Alert(f"queue_long:{n}", "queue_long", "warning", "testing", "440103", values)


def _short(n: int) -> Alert:
    values = {
        "name_zh": f"{n}号仓",
        "name_en": f"Depot {n}",
        "item_zh": "口罩",
        "item_en": "Masks",
        "days": n // 10,
        "on_hand": 10 * n,
        "unit_zh": "个",
        "unit_en": "pieces",
    }
    return Alert(f"supply_short:1:{n}", "supply_short", "critical", "supplies", "440103", values)


def _stale(source: str, page: str) -> Alert:
    values = {"source": source, "stale": 2, "reporters": 5, "last_reported_at": None}
    return Alert(f"source_stale:{source}", "source_stale", "warning", page, None, values)


def _hotel(n: int, available: int) -> Alert:
    severity = "critical" if available == 0 else "warning"
    values = {
        "name_zh": f"{n}号酒店",
        "name_en": f"Hotel {n}",
        "percent": 100.0 - available,
        "available": available,
        "total": 100,
    }
    return Alert(f"hotel_full:{n}", "hotel_full", severity, "hotels", "440103", values)


def _alerts_page(
    queues: int, shorts: int = 0, lang: str = "zh", acknowledge: bool = False, board: bool = False
) -> None:
    """render_alerts with `queues` long queues, `shorts` short supply lines, a full hotel,
    a hotel at 97 % and two stale sources (AppTest runs this function's body on its own);
    with `acknowledge`, a button beside each critical alert, as the Overview has; with
    `board`, given the board a read makes of them (the Overview's) instead of the list."""
    import streamlit as st

    from components.alerts import CONTROL_WIDTH, EXPANDED_ALERTS, render_alerts
    from data.measures.alerts import alert_board
    from i18n import set_language
    from tests.test_alerts import _hotel, _queue, _short, _stale

    set_language(lang)

    def control(alert) -> None:  # noqa: ANN001 - an Alert
        st.button("确认", key=f"ack_{alert.key}", width=CONTROL_WIDTH)

    extra = [_hotel(1, 0), _hotel(2, 3), _stale("stock", "supplies"), _stale("cases", "cases")]
    alerts = [*(_queue(n) for n in range(queues)), *(_short(n) for n in range(1, shorts + 1))]
    alerts += extra if shorts else []
    render_alerts(
        alert_board(alerts, expanded=EXPANDED_ALERTS) if board else alerts,
        control=control if acknowledge else None,
    )


def _alerts_app(
    queues: int,
    shorts: int = 0,
    lang: str = "zh",
    *,
    acknowledge: bool = False,
    board: bool = False,
) -> AppTest:
    return AppTest.from_function(
        _alerts_page,
        kwargs={
            "queues": queues,
            "shorts": shorts,
            "lang": lang,
            "acknowledge": acknowledge,
            "board": board,
        },
        default_timeout=30,
    )


def _sentences(app: AppTest) -> list[str]:
    return [m.value for m in app.markdown if m.value.startswith(":orange-badge[")]


def _lines(app: AppTest) -> list[str]:
    return [m.value for m in app.markdown]


@pytest.mark.parametrize(
    ("lang", "expected", "count", "more"),
    [
        (
            "en",
            [
                ":red-badge[▲ Critical] **Quarantine hotels with no room free: 1**",
                "[Open](/hotels?lang=en)",
                "Hotel 1 is 100.0% occupied: 0 of 100 rooms free",
                ":red-badge[▲ Critical] **Supply lines at 3 days or less: 49**",
                "[Open](/supplies?lang=en)",
                "Masks at Depot 1 lasts under 1 day (10 pieces on hand)",
                "Masks at Depot 2 lasts under 1 day (20 pieces on hand)",
                "Masks at Depot 3 lasts under 1 day (30 pieces on hand)",
                ":orange-badge[● Warning] **Quarantine hotels 95% full or more: 1**",
                "[Open](/hotels?lang=en)",
                "Hotel 2 is 97.0% occupied: 3 of 100 rooms free",
                ":orange-badge[● Warning] **Testing sites queueing over 60 minutes: 1**",
                "[Open](/testing?lang=en)",
                "Site 0: 61-minute queue (over 60 minutes)",
                ":orange-badge[● Warning] **Sources with stale reporters: 2**",
                "Supply stock: 2 of 5 reporters have not reported within their expected interval",
                "[Open](/supplies?lang=en)",
                "Case tracing: 2 of 5 reporters have not reported within their expected interval",
                "[Open](/cases?lang=en)",
            ],
            "50 critical · 4 warnings",
            ["46 more"],
        ),
        (
            "zh",
            [
                ":red-badge[▲ 严重] **已无空房的隔离酒店：1 条**",
                "[查看](/hotels?lang=zh)",
                "1号酒店入住率 100.0%，可用房间 0 / 100 间",
                ":red-badge[▲ 严重] **可用 3 天及以下的物资：49 条**",
                "[查看](/supplies?lang=zh)",
                "1号仓的口罩可用不足1天（库存 10 个）",
                "2号仓的口罩可用不足1天（库存 20 个）",
                "3号仓的口罩可用不足1天（库存 30 个）",
                ":orange-badge[● 注意] **入住率达 95% 的隔离酒店：1 条**",
                "[查看](/hotels?lang=zh)",
                "2号酒店入住率 97.0%，可用房间 3 / 100 间",
                ":orange-badge[● 注意] **排队超过 60 分钟的采样点：1 条**",
                "[查看](/testing?lang=zh)",
                "采样点0排队等候 61 分钟（超过 60 分钟）",
                ":orange-badge[● 注意] **有单位逾期未上报的数据来源：2 条**",
                "物资库存：2 / 5 个上报单位超过规定间隔未上报",
                "[查看](/supplies?lang=zh)",
                "病例流调：2 / 5 个上报单位超过规定间隔未上报",
                "[查看](/cases?lang=zh)",
            ],
            "严重 50 条 · 注意 4 条",
            ["另有 46 条"],
        ),
    ],
)
def test_every_kind_of_alert_shows_its_worst_with_its_count_and_page(
    lang: str, expected: list[str], count: str, more: list[str]
) -> None:
    # 49 short supply lines (critical) no longer push the warnings out of sight: each kind
    # is a group with its count, its page and its worst 3, the rest behind "N more".
    app = _alerts_app(queues=1, shorts=49, lang=lang).run()
    assert not app.exception
    assert _lines(app) == expected
    assert [e.label for e in app.expander] == more
    assert [c.value for c in app.caption] == [count]


def test_a_groups_alerts_past_its_worst_are_drawn_only_while_more_is_open() -> None:
    app = _alerts_app(queues=60).run()
    assert not app.exception
    assert _sentences(app) == [":orange-badge[● 注意] **排队超过 60 分钟的采样点：60 条**"]
    assert len(_lines(app)) == 2 + 3  # its heading, its link and its worst 3
    assert [e.label for e in app.expander] == ["另有 57 条"]
    app.session_state["overview_alerts_warning_queue_long_more"] = True
    app.run()
    assert len(_lines(app)) == 2 + 3 + 40  # and the next 40
    assert [c.value for c in app.caption][-1] == "其余 17 条请在“核酸检测进度”页查看。"


def test_a_rerun_with_nothing_changed_resends_the_same_alerts_whatever_their_number() -> None:
    # The alerts behind "more" (closed) are not drawn, so a rerun sends as many messages for
    # 60 alerts as for 11, and no element the browser holds is sent whole again.
    resent = {}
    for count in (11, 60):
        app = _alerts_app(count)
        with recording() as runs:
            app.run()
            app.run()
        assert runs[0] and len(runs[1]) == len(runs[0])
        resent[count] = new_messages(runs[1], held=runs[0])
    assert len(resent[11]) == len(resent[60])
    assert all(not message.metadata.cacheable for message in resent[60])


def test_only_an_alert_with_a_button_or_a_link_beside_it_is_drawn_as_a_row() -> None:
    # A row is one more block, sent again on every rerun: a warning on the Overview (no
    # button; its group has the link) is its sentence alone, in its group's box.
    app = _alerts_app(2, shorts=1, acknowledge=True)
    with recording() as runs:
        app.run()
    assert not app.exception
    depth = {
        message.delta.new_element.markdown.body: len(message.metadata.delta_path)
        for message in drawn_elements(runs[-1])
        if message.delta.new_element.WhichOneof("type") == "markdown"
    }
    # In the page's main area [0]: the count [0, 0], a group's box [0, g], a row in it
    # [0, g, i], a sentence in a row [0, g, i, j].
    assert {sentence: depth[sentence] for sentence in depth if "[" not in sentence} == {
        "严重 2 条 · 注意 5 条": 2,
        "1号酒店入住率 100.0%，可用房间 0 / 100 间": 4,  # critical: beside its button
        "1号仓的口罩可用不足1天（库存 10 个）": 4,
        "2号酒店入住率 97.0%，可用房间 3 / 100 间": 3,  # warnings: alone
        "采样点0排队等候 61 分钟（超过 60 分钟）": 3,
        "采样点1排队等候 62 分钟（超过 60 分钟）": 3,
        "物资库存：2 / 5 个上报单位超过规定间隔未上报": 4,  # its group has no link: its own
        "病例流调：2 / 5 个上报单位超过规定间隔未上报": 4,
    }
    # A critical alert's button sits in its row as it is ([0, g, i, j]): no block around it.
    buttons = [
        message
        for message in drawn_elements(runs[-1])
        if message.delta.new_element.WhichOneof("type") == "button"
    ]
    assert [len(message.metadata.delta_path) for message in buttons] == [4, 4]


def test_the_board_keeps_what_the_list_draws_and_counts_the_rest() -> None:
    """The Overview reads a board of the alerts (data.alerts.get_alert_board), not every
    alert: each group keeps its worst and the next EXPANDED_ALERTS, with its count and page;
    every critical alert stays acknowledgeable."""
    from data.measures.alerts import alert_board

    alerts = [*(_short(n) for n in range(1, 101)), _stale("stock", "supplies")]
    alerts += [_stale("cases", "cases"), *(_queue(n) for n in range(5))]
    board = alert_board(alerts, expanded=40)
    assert (board.critical, board.warning) == (100, 7)
    whole = group_alerts(alerts)
    assert [(g.severity, g.kind, g.count, g.page, g.worst, g.left_out) for g in board.groups] == [
        (g.severity, g.kind, len(g.alerts), g.page, g.worst, g.left_out) for g in whole
    ]
    assert [len(group.alerts) for group in board.groups] == [43, 5, 2]
    assert board.groups[0].alerts == whole[0].alerts[:43]
    assert board.groups[2].page is None  # stale sources: each its own page
    assert board.critical_refs[:2] == (
        ("supply_short:1:1", "supply_short", "440103"),
        ("supply_short:1:2", "supply_short", "440103"),
    )
    assert len(board.critical_refs) == 100


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_board_draws_what_its_alerts_draw_with_more_open_or_not(lang: str) -> None:
    drawn = {}
    for board in (False, True):
        app = _alerts_app(queues=60, shorts=49, lang=lang, board=board).run()
        closed = (_lines(app), [e.label for e in app.expander], [c.value for c in app.caption])
        app.session_state["overview_alerts_warning_queue_long_more"] = True
        app.run()
        assert not app.exception
        drawn[board] = (closed, _lines(app), [c.value for c in app.caption])
    assert drawn[True] == drawn[False]
    assert len(drawn[True][1]) == len(drawn[True][0][0]) + 40
