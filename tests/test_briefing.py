"""Daily briefing: its text from known rows in both languages, issuing (frozen against late
reports), the PDF with its embedded font, the command line and the page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from components.briefing import compose, on_page
from components.briefing_pdf import briefing_pdf
from data import models
from data.__main__ import main
from data.alerts import Alert
from data.briefing import alert_as_json, alert_from_json, compute_figures, report_day
from data.queries.briefings import find_issued_briefing, list_issued_briefings
from data.queries.common import SHARED_RESULTS, SharedResults, changed_through, get_change_counter
from data.timeutil import format_local
from data.writes import SYSTEM, Actor, InvalidRecord, PermissionDenied, issue_briefing
from data.writes.batch import upsert_batch
from data.writes.hotels import HOTEL_REPORT, record_hotel_reports
from i18n import describe_error, language
from tests.conftest import open_app
from tests.factories import (
    at,
    make_audit,
    make_case,
    make_component_checklist,
    make_facility,
    make_hotel,
    make_hotel_report,
    make_round,
    make_site_report,
    make_stock_report,
    make_supply_item,
    make_zone,
)

# 08:00 on 10 June in Guangzhou is 00:00 UTC: the briefing reports 9 June.
CUTOFF = at("2021-06-10 00:00")
LIWAN, YUEXIU, HAIZHU = "440103", "440104", "440105"
BOSS = Actor(name="boss", role="leadership")


def build_known_day(session: Session) -> None:
    """Rows whose briefing is worked out by hand in the expected texts below."""
    make_case(session, report_date=date(2021, 5, 21))
    make_case(session, report_date=date(2021, 6, 8))  # the day before: 1
    make_case(session, report_date=date(2021, 6, 9))
    make_case(session, report_date=date(2021, 6, 9))
    make_case(session, report_date=date(2021, 6, 9), kind="asymptomatic", severity="none")
    make_case(
        session,
        report_date=date(2021, 6, 9),
        district_code=HAIZHU,
        severity="severe",
        close_contacts_identified=10,
        close_contacts_controlled=8,
        secondary_contacts_identified=20,
        secondary_contacts_controlled=15,
    )
    make_case(session, report_date=date(2021, 6, 10), district_code=YUEXIU)  # after the day
    make_zone(session, level="sealed", imposed_at=at("2021-05-31 00:00"))

    # Liwan's round 4 runs from 9 June 00:00 to 12 June 00:00 (local); 600 of 1,000 by 10:00
    # on 9 June and none since: behind (nothing sampled in the recent window).
    open_site = make_facility(session, kind="testing_site")
    make_facility(session, kind="testing_site", district_code=YUEXIU)  # never reported
    liwan = make_round(
        session,
        round_no=4,
        target_population=1000,
        start_at=at("2021-06-08 16:00"),
        deadline_at=at("2021-06-11 16:00"),
    )
    make_site_report(
        session,
        site_id=open_site.id,
        round_id=liwan.id,
        reported_at=at("2021-06-09 02:00"),
        sampled=600,
        resulted=550,
        positive=1,
    )

    # Net intake 50 and 10 on the two days before the cut-off's, none in its first third:
    # 60 / 2⅓ = 25.7 a day; (35 free - 2 waiting) / 25.7 = 1.3 days until full.
    hotel = make_hotel(session, rooms=100)
    for moment, occupied, intake in [("2021-06-08 02:00", 50, 50), ("2021-06-09 02:00", 60, 10)]:
        make_hotel_report(
            session,
            hotel_id=hotel.id,
            reported_at=at(moment),
            rooms_total=100,
            rooms_occupied=occupied,
            rooms_cleaning=5,
            intake=intake,
        )

    masks = make_supply_item(session)
    warehouse = make_facility(session, kind="warehouse", name_zh="市仓库", name_en="City store")
    for location, on_hand in [(warehouse, 20), (hotel, 50)]:  # 2 and 5 days of supply
        for offset, day in enumerate(("2021-06-08 01:00", "2021-06-09 01:00")):
            make_stock_report(
                session,
                item_id=masks.id,
                location_id=location.id,
                reported_at=at(day),
                on_hand=on_hand + 10 * (1 - offset),
                consumed=10,
            )

    version, items = make_component_checklist(
        session,
        label="ipcaf-test",
        items={"p": ("ipc_programme", 1.0), "g": ("guidelines", 1.0)},
    )
    finding = {
        "finding_zh": "未分区",
        "finding_en": "No zoning",
        "action_zh": "整改",
        "action_en": "Fix",
        "owner": "院感科 / IPC dept.",
    }
    good = make_facility(
        session, kind="fever_clinic", name_zh="越秀发热门诊", name_en="Yuexiu fever clinic"
    )
    bad = make_facility(
        session, kind="fever_clinic", name_zh="荔湾发热门诊", name_en="Liwan fever clinic"
    )
    make_audit(
        session,
        facility=good,
        version=version,
        audited_at=at("2021-06-01 02:00"),
        results=[(items["p"], "pass"), (items["g"], "fail")],  # 400 of 800
        findings=[{**finding, "due_date": date(2021, 6, 5)}],  # overdue on 10 June
    )
    make_audit(
        session,
        facility=bad,
        version=version,
        audited_at=at("2021-06-02 02:00"),
        results=[(items["p"], "fail"), (items["g"], "fail")],  # 0: inadequate
        findings=[{**finding, "due_date": date(2021, 6, 20)}],  # open
    )


EXPECTED_ZH = """\
# 广州市疫情防控每日通报

6月9日0—24时 · 数据截至6月10日8时（Asia/Shanghai）

## 一、病例情况

6月9日0—24时，全市新增本土确诊病例3例、无症状感染者1例，较前一日增加3例。其中，荔湾区确诊病例2例、无症状感染者1例，海珠区确诊病例1例。

截至6月10日8时，全市累计报告本土确诊病例5例、无症状感染者1例；在院治疗6例，其中重症、危重症1例。累计追踪密切接触者10人，已管控8人；次密切接触者20人，已管控15人。现有封闭区1个、封控区0个、防范区0个。

| 区 | 新增确诊 | 新增无症状 | 前一日新增 | 累计 |
|---|---|---|---|---|
| 荔湾区 | 2 | 1 | 1 | 5 |
| 海珠区 | 1 | 0 | 0 | 1 |

## 二、核酸检测

截至6月10日8时，当前检测轮次1个，已采样600人，目标1,000人，完成率60.0%；其中滞后或逾期1个。采样点开放1个（共2个），6月10日已采样0人。

- 荔湾区第4轮：已采样600人，目标1,000人（60.0%），待出结果50人，阳性1人；● 滞后。

## 三、隔离酒店

启用隔离酒店1家，共有房间100间，在住60间，清洁中5间，可用35间；待入住密切接触者2人。按近日每日净入住25.7间计，约1.3天住满。

## 四、物资保障

有消耗数据的物资2项，可用不足7天的2项，其中3天及以下1项。

最紧缺的物资：

- 市仓库的N95口罩：2.0 天

## 五、院感督查

应督查机构3家，已督查2家；最近一次督查IPCAF平均得分200分、最低0分（满分800），其中“不足”等级1家。整改事项未关闭2项，其中逾期1项。

## 六、预警

截至6月10日8时，共有预警7条，其中严重2条、注意5条。

- ▲ 严重 荔湾区第 4 轮核酸检测近 6 小时无采样，无法在截止时间 2021-06-12 00:00 前完成（已采样 60.0%）
- ▲ 严重 市仓库的N95口罩仅够 2 天（库存 20 个）
- ● 注意 越秀发热门诊有 1 项院感整改逾期未完成（未关闭共 1 项）
- ● 注意 核酸采样点：2 / 2 个上报单位超过规定间隔未上报
- ● 注意 隔离酒店：1 / 1 个上报单位超过规定间隔未上报
- ● 注意 院感督查：1 / 3 个上报单位超过规定间隔未上报
- ● 注意 病例流调：2 / 3 个上报单位超过规定间隔未上报
"""

EXPECTED_EN = """\
# Guangzhou epidemic control: daily briefing

9 June, 0:00 to 24:00 · figures as of 08:00 on 10 June (Asia/Shanghai)

## 1. Cases

From 0:00 to 24:00 on 9 June, the city reported 3 new local confirmed cases and 1 new local asymptomatic infection, 3 more than the day before. By district: Liwan 2 confirmed and 1 asymptomatic; Haizhu 1 confirmed.

As of 08:00 on 10 June, the city has reported 5 local confirmed cases and 1 local asymptomatic infection in total; 6 in hospital, 1 of them severe or critical. Close contacts traced: 10, 8 under control; secondary contacts: 20, 15 under control. Control zones in force: 1 sealed, 0 controlled, 0 prevention.

| District | New confirmed | New asymptomatic | New the day before | Total |
|---|---|---|---|---|
| Liwan | 2 | 1 | 1 | 5 |
| Haizhu | 1 | 0 | 0 | 1 |

## 2. Testing

As of 08:00 on 10 June, 1 current testing round: 600 sampled of 1,000 targeted (60.0%); 1 of them behind or past the deadline. 1 of 2 sampling sites open; 0 sampled on 10 June.

- Liwan round 4: 600 sampled of 1,000 (60.0%), 50 awaiting results, 1 positive; ● Behind.

## 3. Quarantine hotels

1 quarantine hotel in use with 100 rooms: 60 occupied, 5 being cleaned, 35 free; 2 close contacts waiting for a room. At the recent net intake of 25.7 rooms a day, the rooms are full in about 1.3 days.

## 4. Supplies

2 stock lines with consumption data: 2 under 7 days of supply, 1 of them at 3 days or less.

Shortest lines:

- N95 respirators at City store: 2.0 days

## 5. Infection-control audits

2 of 3 facilities audited; latest IPCAF scores average 200, lowest 0 (of 800); 1 at the Inadequate level. 2 corrective actions open, 1 of them overdue.

## 6. Alerts

As of 08:00 on 10 June: 7 alerts, 2 critical and 5 warnings.

- ▲ Critical Liwan testing round 4 took no samples in the last 6 hours and will not finish by its deadline of 2021-06-12 00:00 (60.0% sampled)
- ▲ Critical N95 respirators at City store lasts 2 days (20 pieces on hand)
- ● Warning Yuexiu fever clinic has 1 overdue corrective action (1 open in all)
- ● Warning Testing sites: 2 of 2 reporters have not reported within their expected interval
- ● Warning Quarantine hotels: 1 of 1 reporters has not reported within its expected interval
- ● Warning Infection-control audits: 1 of 3 reporters has not reported within its expected interval
- ● Warning Case tracing: 2 of 3 reporters have not reported within their expected interval
"""


def test_the_briefing_reports_the_last_whole_day_before_its_cutoff() -> None:
    assert report_day(at("2021-06-10 00:00")) == date(2021, 6, 9)  # 08:00 local
    assert report_day(at("2021-06-09 16:00")) == date(2021, 6, 9)  # midnight local
    assert report_day(at("2021-06-10 15:59")) == date(2021, 6, 9)  # 23:59 local


@pytest.mark.parametrize(
    ("now", "due"),
    [
        ("2021-06-10 01:00", "2021-06-10 00:00"),  # 09:00 local: 08:00 today
        ("2021-06-10 00:00", "2021-06-10 00:00"),  # 08:00 local exactly
        ("2021-06-09 23:59", "2021-06-09 00:00"),  # 07:59 local: 08:00 yesterday
    ],
)
def test_the_page_starts_at_the_briefing_due_most_recently(now: str, due: str) -> None:
    from datetime import time

    from data.briefing import latest_cutoff

    assert latest_cutoff(at(now), time(8, 0)) == at(due)


def test_the_briefing_says_the_known_day_in_both_languages(session: Session) -> None:
    build_known_day(session)
    texts = compose(compute_figures(session, cutoff=CUTOFF))
    assert texts["zh"] == EXPECTED_ZH
    assert texts["en"] == EXPECTED_EN


def test_the_briefing_works_out_each_shared_read_once_with_the_same_figures(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The briefing's own figures and its alerts read the same tables as of the cut-off: in a
    page's read (shared results) each is worked out once, and the figures are those of a
    session that shares nothing."""
    from data.queries import audits, hotels, supplies, testing

    build_known_day(session)
    alone = compute_figures(session, cutoff=CUTOFF)
    counted: dict[str, int] = {}
    for read in (
        supplies.list_stock_lines,
        testing.list_round_totals,
        testing.list_round_outlook,
        testing.list_site_status,
        audits.list_facility_audit_status,
        hotels.list_capacity_outlook,
    ):

        def counting(*, _work=read.__wrapped__, **arguments):  # noqa: ANN001, ANN003, ANN202
            counted[_work.__name__] = counted.get(_work.__name__, 0) + 1
            return _work(**arguments)

        monkeypatch.setattr(read, "__wrapped__", counting)
    session.info[SHARED_RESULTS] = SharedResults()
    assert compute_figures(session, cutoff=CUTOFF) == alone
    assert counted == {
        "list_stock_lines": 1,
        "list_round_totals": 1,
        "list_round_outlook": 1,
        "list_site_status": 1,
        "list_facility_audit_status": 1,
        "list_capacity_outlook": 1,
    }


def _short_line(number: int, on_hand: int, days: int) -> dict:
    """A short supply line's alert as a briefing keeps it."""
    values = {
        "name_zh": f"{number}号仓",
        "name_en": f"Depot {number}",
        "item_zh": "医用口罩",
        "item_en": "Surgical masks",
        "days": days,
        "on_hand": on_hand,
        "unit_zh": "个",
        "unit_en": "pieces",
    }
    alert = Alert(f"supply_short:9:{number}", "supply_short", "critical", "supplies", LIWAN, values)
    return alert_as_json(alert)


def _long_queue(number: int) -> dict:
    """A testing site's long queue's alert as a briefing keeps it."""
    values = {"name_zh": f"{number}号采样点", "name_en": f"Site {number}", "minutes": 60 + number}
    alert = Alert(f"queue_long:{number}", "queue_long", "warning", "testing", LIWAN, values)
    return alert_as_json(alert)


@pytest.mark.parametrize("kept", ["shown", "every alert"])
def test_alerts_are_listed_by_kind_and_those_left_out_counted_by_kind(
    session: Session, monkeypatch: pytest.MonkeyPatch, kept: str
) -> None:
    # City scale: a dozen more short supply lines (critical) come before every warning, and 5
    # long queues. Each kind still shows its worst 3 (all 4 stale sources: one is not left
    # out alone), and what is left out is counted by kind.
    from data import briefing

    build_known_day(session)
    more = [
        _short_line(number, on_hand=2 * (number - 1), days=(number - 1) // 4)
        for number in range(1, 13)
    ] + [_long_queue(number) for number in range(1, 6)]
    found = briefing.compute_alerts
    monkeypatch.setattr(
        briefing,
        "compute_alerts",
        lambda *a, **k: [*found(*a, **k), *(alert_from_json(alert) for alert in more)],
    )
    figures = compute_figures(session, cutoff=CUTOFF)
    # The figures keep the alerts listed, and count the rest.
    assert len(figures["alerts"]) == 12
    assert figures["alerts_count"] == {"critical": 14, "warning": 10}
    assert figures["alerts_left_out"] == [
        {"severity": "critical", "kind": "supply_short", "count": 10},
        {"severity": "warning", "kind": "queue_long", "count": 2},
    ]
    if kept == "every alert":  # a briefing issued before: its figures kept every alert
        monkeypatch.undo()
        alerts = [
            alert_as_json(alert) for alert in briefing.compute_alerts(session, at=CUTOFF)
        ] + more
        figures = {
            **{k: v for k, v in figures.items() if not k.startswith("alerts")},
            "alerts": alerts,
        }
    texts = compose(figures)
    zh_alerts = texts["zh"].split("## 六、预警\n\n")[1].splitlines()
    assert zh_alerts == [
        "截至6月10日8时，共有预警24条，其中严重14条、注意10条。以下每类列出最严重的3条，"
        "另有12条未列出：可用 3 天及以下的物资10条、排队超过 60 分钟的采样点2条。",
        "",
        "- ▲ 严重 荔湾区第 4 轮核酸检测近 6 小时无采样，无法在截止时间 2021-06-12 00:00 前完成"
        "（已采样 60.0%）",
        "- ▲ 严重 1号仓的医用口罩已断货（库存 0 个）",
        "- ▲ 严重 2号仓的医用口罩可用不足1天（库存 2 个）",
        "- ▲ 严重 3号仓的医用口罩可用不足1天（库存 4 个）",
        "- ● 注意 5号采样点排队等候 65 分钟（超过 60 分钟）",
        "- ● 注意 4号采样点排队等候 64 分钟（超过 60 分钟）",
        "- ● 注意 3号采样点排队等候 63 分钟（超过 60 分钟）",
        "- ● 注意 越秀发热门诊有 1 项院感整改逾期未完成（未关闭共 1 项）",
        "- ● 注意 核酸采样点：2 / 2 个上报单位超过规定间隔未上报",
        "- ● 注意 隔离酒店：1 / 1 个上报单位超过规定间隔未上报",
        "- ● 注意 院感督查：1 / 3 个上报单位超过规定间隔未上报",
        "- ● 注意 病例流调：2 / 3 个上报单位超过规定间隔未上报",
    ]
    en_alerts = texts["en"].split("## 6. Alerts\n\n")[1].splitlines()
    assert en_alerts[0] == (
        "As of 08:00 on 10 June: 24 alerts, 14 critical and 10 warnings. The 3 worst of each "
        "kind are listed; 12 more are not: supply lines at 3 days or less (10), testing sites "
        "queueing over 60 minutes (2)."
    )
    assert en_alerts[3:6] == [
        "- ▲ Critical Surgical masks at Depot 1 is out of stock (0 pieces on hand)",
        "- ▲ Critical Surgical masks at Depot 2 lasts under 1 day (2 pieces on hand)",
        "- ▲ Critical Surgical masks at Depot 3 lasts under 1 day (4 pieces on hand)",
    ]


def test_the_shortest_lines_say_out_of_stock_and_under_a_day(session: Session) -> None:
    build_known_day(session)
    figures = compute_figures(session, cutoff=CUTOFF)
    line = {
        "item_zh": "84消毒液（500毫升）",
        "item_en": "84 disinfectant (500 ml)",
        "location_zh": "甲酒店",
        "location_en": "Hotel A",
    }
    figures["supplies"]["shortest"] = [
        {**line, "days": 0.0},  # nothing on hand
        {**line, "days": 0.04},  # stock on hand for an hour: not "0.0 days"
        {**line, "days": 2.5},
    ]
    texts = compose(figures)

    def shortest(text: str, heading: str) -> list[str]:
        section = text.split(heading)[1].split("\n## ")[0]
        return [line for line in section.splitlines() if line.startswith("- ")]

    assert shortest(texts["zh"], "## 四、物资保障") == [
        "- 甲酒店的84消毒液（500毫升）：已断货",
        "- 甲酒店的84消毒液（500毫升）：不足1天",
        "- 甲酒店的84消毒液（500毫升）：2.5 天",
    ]
    assert shortest(texts["en"], "## 4. Supplies") == [
        "- 84 disinfectant (500 ml) at Hotel A: out of stock",
        "- 84 disinfectant (500 ml) at Hotel A: under 1 day",
        "- 84 disinfectant (500 ml) at Hotel A: 2.5 days",
    ]


def _issue(session: Session, actor: Actor = BOSS) -> models.IssuedBriefing:
    figures = compute_figures(session, cutoff=CUTOFF)
    texts = compose(figures)
    return issue_briefing(
        session,
        actor=actor,
        figures=figures,
        text_zh=texts["zh"],
        text_en=texts["en"],
        now=at("2021-06-10 00:30"),
    )


def test_an_issued_briefing_is_unchanged_after_a_late_report(session: Session) -> None:
    build_known_day(session)
    record = _issue(session)
    # A case of 9 June reported after the briefing was issued.
    make_case(session, report_date=date(2021, 6, 9), district_code=YUEXIU)
    issued = find_issued_briefing(session=session, cutoff=CUTOFF)
    assert issued is not None and issued.id == record.id
    assert (issued.text_zh, issued.text_en) == (EXPECTED_ZH, EXPECTED_EN)
    assert issued.figures["cases"]["confirmed"] == 3
    assert (issued.issued_by, issued.issued_at) == ("boss", at("2021-06-10 00:30"))
    # Written again now, the day has the late case.
    again = compose(compute_figures(session, cutoff=CUTOFF))
    assert "全市新增本土确诊病例4例、无症状感染者1例，较前一日增加4例。" in again["zh"]
    assert [row["cutoff_at"] for row in list_issued_briefings(session=session)] == [CUTOFF]
    log = session.execute(
        select(models.ChangeLog.actor, models.ChangeLog.action).where(
            models.ChangeLog.table_name == "issuedbriefing"
        )
    ).all()
    assert log == [("boss", "insert")]


def test_an_issued_briefing_is_never_replaced(session: Session) -> None:
    build_known_day(session)
    _issue(session)
    with pytest.raises(InvalidRecord) as refused:
        _issue(session, Actor(name="root", role="admin"))
    with language("en"):
        assert describe_error(refused.value) == (
            "The briefing of 2021-06-10 08:00 is already issued; an issued briefing is not changed."
        )
    with language("zh"):
        assert (
            describe_error(refused.value)
            == "截止于 2021-06-10 08:00 的通报已签发，签发后不再更改。"
        )
    assert session.execute(select(func.count()).select_from(models.IssuedBriefing)).scalar() == 1


@pytest.mark.parametrize("role", ["duty_officer", "auditor", "screen"])
def test_only_leadership_and_admins_issue(session: Session, role: str) -> None:
    with pytest.raises(PermissionDenied):
        _issue(session, Actor(name="someone", role=role))


def test_a_cutoff_still_to_come_is_refused(session: Session) -> None:
    figures = compute_figures(session, cutoff=CUTOFF)
    with pytest.raises(InvalidRecord) as refused:
        issue_briefing(
            session, actor=BOSS, figures=figures, text_zh="", text_en="", now=at("2021-06-09 23:00")
        )
    with language("en"):
        assert describe_error(refused.value) == (
            "The cut-off 2021-06-10 08:00 is still to come: it cannot be issued."
        )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_embeds_its_cjk_font_and_charts(session: Session, lang: str) -> None:
    from pypdf import PdfReader

    build_known_day(session)
    figures = compute_figures(session, cutoff=CUTOFF)
    pdf = briefing_pdf(compose(figures)[lang], figures, footer="签发：boss")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    embedded, images = set(), 0
    for page in reader.pages:
        images += len(page.images)
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            if any(key.startswith("/FontFile") for key in descriptor):
                embedded.add(str(font["/BaseFont"]).split("+")[-1])
    assert embedded == {"NotoSansCJKSC", "NotoSansCJKSCBold"}
    assert images == 2  # the epidemic curve and the day's bars by district
    text = "".join(page.extract_text() for page in reader.pages)
    text = text.replace("\x00", "").replace(" ", "")
    heading = "广州市疫情防控每日通报" if lang == "zh" else "Guangzhouepidemiccontrol"
    assert heading in text


def test_chinese_lines_never_start_with_closing_punctuation_nor_split_a_number() -> None:
    from components.briefing_pdf import break_lines

    # Cut where the width falls, the first line would leave "。" to start the next.
    assert break_lines("一二三。四五", 3, len) == ["一二", "三。四", "五"]
    assert break_lines("一二（三）", 3, len) == ["一二", "（三）"]
    assert break_lines("共4,491人", 4, len) == ["共", "4,491", "人"]
    assert break_lines("Asia/Shanghai 时间", 20, len) == ["Asia/Shanghai 时间"]
    # A status never starts a line alone: the count and word before it go down with it.
    assert break_lines("阳性0人；● 滞后。", 9, len) == ["阳性", "0人；● 滞后。"]


@pytest.mark.parametrize(
    ("lang", "item", "last_line"),
    [
        (
            "en",
            "Liwan round 5: 692,956 sampled of 1,238,438 (56.0%), 28,583 awaiting results, "
            "1 positive; ● Behind.",
            "positive; ● Behind.",
        ),
        (
            "zh",
            "荔湾区第5轮：已采样692,956人，目标1,238,438人（56.0%），待出结果28,583人，"
            "阳性1人；● 滞后。",
            "1人；● 滞后。",
        ),
    ],
)
def test_a_pdf_list_item_hangs_after_its_bullet_and_keeps_its_status_with_a_word(
    lang: str, item: str, last_line: str
) -> None:
    from pypdf import PdfReader

    figures = {"day": "2021-06-09", "districts": [], "curve": []}
    with language(lang):
        pdf = briefing_pdf(f"# 通报\n\n- {item}\n", figures)
    lines: list[tuple[float, str]] = []  # (x, text) of each line, in points from the left

    def visit(text: str, cm: list, tm: list, font: object, size: float) -> None:
        if text.replace("\x00", "").strip():
            lines.append((round(tm[4], 1), text.replace("\x00", "")))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    (bullet, first, second) = lines[1:]
    assert bullet[1] == "•"
    # Both lines of the item start after the bullet (a hanging indent), not under it.
    assert first[0] == second[0] > bullet[0] + 5
    assert second[1] == last_line  # the status is not alone on its line


def test_the_chinese_pdf_starts_no_line_with_a_full_stop(session: Session) -> None:
    from pypdf import PdfReader

    build_known_day(session)
    figures = compute_figures(session, cutoff=CUTOFF)
    paragraph = "一二三四五六七八九十。" * 60  # every line start meets a "。" somewhere
    with language("zh"):
        pdf = briefing_pdf(f"# 通报\n\n{paragraph}\n", figures)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\x00", "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = [line for line in lines if line[0] in "一二三四五六七八九十。"]
    assert "".join(body) == paragraph
    assert len(body) > 10
    assert [line for line in body if line.startswith("。")] == []


def test_the_curve_starts_at_the_first_case_as_the_overviews_does(session: Session) -> None:
    from components.briefing_pdf import curve_chart

    build_known_day(session)
    figures = compute_figures(session, cutoff=CUTOFF)
    days = [row["day"] for row in figures["curve"]]
    # The first local case was reported on 21 May: no empty days before it (28 days back
    # from 9 June began on 13 May), up to the day reported.
    assert (days[0], days[-1], len(days)) == ("2021-05-21", "2021-06-09", 20)
    # Its axis labels every third day (not every other: "05-21 05-23 ..." ran together).
    with language("en"):
        axis = curve_chart(figures["curve"]).to_dict()["layer"][0]["encoding"]["x"]["axis"]
    assert [(value["month"], value["date"]) for value in axis["values"]] == [
        (5, 21),
        (5, 24),
        (5, 27),
        (5, 30),
        (6, 2),
        (6, 5),
        (6, 8),
    ]


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (7, [0, 2, 4, 6, 8]),
        (16, [0, 5, 10, 15, 20]),
        (230, [0, 50, 100, 150, 200, 250]),
    ],
)
def test_the_pdf_counts_people_in_whole_numbers(highest: int, ticks: list[int]) -> None:
    from components.briefing_pdf import count_ticks, district_chart

    assert count_ticks(highest) == ticks
    districts = [
        {"name_zh": "荔湾区", "name_en": "Liwan", "confirmed": 1, "asymptomatic": 0},
        {"name_zh": "黄埔区", "name_en": "Huangpu", "confirmed": 0, "asymptomatic": 1},
    ]
    with language("zh"):
        axis = district_chart(districts, date(2021, 6, 9)).to_dict()["encoding"]["y"]["axis"]
    assert axis == {"values": [0, 1], "format": "d"}  # the demo's 6-9 bars read 0, 0.5, 1.0


def test_the_pdf_names_the_font_package_when_the_font_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from components import briefing_pdf as module

    monkeypatch.setattr(module, "FONT_DIRECTORIES", (tmp_path,))
    with pytest.raises(module.FontMissing):
        module.find_font()
    with language("en"):
        from i18n import t

        assert "fonts-noto-cjk" in t(module.FontMissing.key)


# --- The command line ------------------------------------------------------------------------


def _cli(database_url: str, *argv: str) -> int:
    return main(["--database-url", database_url, *argv])


def test_cli_writes_issues_and_then_keeps_the_briefing_as_issued(
    engine: Engine, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from data import writes

    with Session(engine) as session:
        build_known_day(session)
        writes.create_user(
            session,
            actor=writes.SYSTEM,
            username="boss",
            role="leadership",
            password="correct horse battery",
        )
    cutoff = ["briefing", "--cutoff", "2021-06-10 08:00"]
    assert _cli(database_url, *cutoff, "--lang", "en") == 0
    assert capsys.readouterr().out == EXPECTED_EN
    assert _cli(database_url, *cutoff, "--lang", "zh", "--issue", "--user", "boss") == 0
    out = capsys.readouterr().out
    assert out.startswith(EXPECTED_ZH + "\n---\n\n签发：boss，")
    with Session(engine) as session:
        make_case(session, report_date=date(2021, 6, 9), district_code=YUEXIU)
    output = tmp_path / "briefing.md"
    assert _cli(database_url, "--lang", "en", *cutoff, "--output", str(output)) == 0
    assert output.read_text().startswith(EXPECTED_EN + "\n---\n\nIssued by boss at ")
    pdf = tmp_path / "briefing.pdf"
    assert _cli(database_url, *cutoff, "--format", "pdf", "--output", str(pdf)) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    # Issued once: a second issue is refused (exit 1), and says why.
    assert _cli(database_url, "--lang", "en", *cutoff, "--issue", "--user", "boss") == 1
    assert "is already issued" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--cutoff", "2021-06-31 08:00"], "not a cut-off time: 2021-06-31 08:00"),
        (["--cutoff", "2021-06-10 08:00", "--format", "pdf"], "a PDF needs --output FILE"),
        (["--cutoff", "2021-06-10 08:00", "--issue"], "issuing needs --user NAME"),
    ],
)
def test_cli_says_what_is_wrong_with_its_input(
    database_url: str, capsys: pytest.CaptureFixture, argv: list[str], message: str
) -> None:
    assert _cli(database_url, "--lang", "en", "briefing", *argv) == 2
    assert message in capsys.readouterr().err


# --- The page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "listed"),
    [("leadership", True), ("admin", True), ("duty_officer", False), ("auditor", False)],
)
def test_leadership_and_admins_see_the_briefing_in_the_navigation(role: str, listed: bool) -> None:
    from app import may_use

    assert may_use(Actor(name="x", role=role), "briefing") is listed


@pytest.mark.replay_at("2021-06-10 09:00")
@pytest.mark.parametrize(("lang", "expected"), [("zh", EXPECTED_ZH), ("en", EXPECTED_EN)])
def test_the_page_shows_the_draft_and_issues_it(
    app_database: str, engine: Engine, lang: str, expected: str
) -> None:
    with Session(engine) as session:
        build_known_day(session)
    app = open_app("pages/briefing.py", timeout=60)
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    assert app.date_input(key="briefing_day").value == date(2021, 6, 10)
    # Its headings under the page's own; Streamlit drops the text's final newline.
    shown_draft = on_page(expected).rstrip()
    assert shown_draft.startswith("### 广州市疫情防控每日通报" if lang == "zh" else "### Guangzhou")
    assert shown_draft in [element.value for element in app.markdown]
    none = "尚无已签发的通报。" if lang == "zh" else "No briefing has been issued yet."
    assert [element.value for element in app.info] == [none]
    app.button(key="briefing_issue").click().run()
    assert not app.exception
    with Session(engine) as session:
        issued = find_issued_briefing(session=session, cutoff=CUTOFF)
    assert issued is not None and issued.text(lang) == expected
    issued_at = format_local(issued.issued_at)
    done = (
        f"本通报已由 {issued.issued_by} 于 {issued_at} 签发，签发后不再更改。"
        if lang == "zh"
        else f"Issued by {issued.issued_by} at {issued_at}: an issued briefing is not changed."
    )
    assert [element.value for element in app.success] == [done]
    # Shown as issued (with who issued it), and listed once.
    footer = "签发：" if lang == "zh" else "Issued by "
    shown = [
        m.value
        for m in app.markdown
        if m.value.startswith(on_page(expected) + "\n---\n\n" + footer)
    ]
    assert len(shown) == 2  # the cut-off chosen, and its entry in the list
    assert len(app.expander) == 1
    assert "briefing_issue" not in [button.key for button in app.button]
    # Reloaded (a new session): it says first that it is issued, by whom and when, then the
    # briefing as issued, not only in the footer at the end.
    reloaded = open_app("pages/briefing.py", timeout=60)
    reloaded.query_params["lang"] = lang
    reloaded.run()
    assert not reloaded.exception
    shown = [
        node.value
        for node in reloaded.main
        if node.type in ("success", "markdown") and node.value.strip()
    ]
    top = shown.index(done)
    assert shown[top + 1].startswith(on_page(expected))
    assert not [text for text in shown[:top] if "##" in text]  # no briefing above it


def test_the_page_refuses_a_duty_officer(app_database: str, engine: Engine) -> None:
    with Session(engine) as session:
        build_known_day(session)
    app = open_app("pages/briefing.py", role="duty_officer", district_codes=(LIWAN,))
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert [element.value for element in app.info] == [
        "Only leadership and admins may issue a briefing."
    ]
    assert not app.markdown or EXPECTED_EN not in [m.value for m in app.markdown]


@contextmanager
def statements_everywhere() -> Iterator[list[str]]:
    """Every SQL statement any engine runs inside the block (the app's own included)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split()).lower())

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def _logged_since(session: Session, since: int) -> list[tuple[str, str, object]]:
    log = models.ChangeLog
    rows = session.execute(
        select(log.table_name, log.action, log.effective_at)
        .where(log.counter > since)
        .order_by(log.id)
    ).all()
    return [tuple(row) for row in rows]


def test_the_change_log_dates_each_change_by_the_earliest_moment_it_can_alter(
    session: Session,
) -> None:
    """A report can alter only what is known from its own time on; a batch from its earliest
    report's; a case or a setting any moment (no date)."""
    site = make_facility(session, kind="testing_site")
    hotel = make_hotel(session, rooms=10)
    masks = make_supply_item(session)
    since = get_change_counter(session=session)
    make_site_report(session, site_id=site.id, reported_at=at("2021-06-10 00:30"), sampled=5)
    assert _logged_since(session, since) == [
        ("testingsitereport", "insert", at("2021-06-10 00:30"))
    ]
    # Reported after the cut-off: the cut-off's figures stay as they were.
    assert not changed_through(session=session, since=since, at=CUTOFF)
    assert changed_through(session=session, since=since, at=at("2021-06-10 00:30"))

    since = get_change_counter(session=session)
    rows = [
        {"hotel_id": hotel.id, "reported_at": at(moment), "rooms_total": 10, "rooms_occupied": 4}
        for moment in ("2021-06-10 03:00", "2021-06-10 01:00")
    ]
    record_hotel_reports(session, actor=SYSTEM, rows=rows)
    assert _logged_since(session, since) == [("hotelreport", "insert", at("2021-06-10 01:00"))]
    assert not changed_through(session=session, since=since, at=CUTOFF)

    # A file that replaces one of them: the batch and the record it replaced, at its time.
    since = get_change_counter(session=session)
    upsert_batch(
        session,
        actor=SYSTEM,
        entity=HOTEL_REPORT,
        rows=[(2, {**rows[0], "rooms_occupied": 6})],
    )
    assert _logged_since(session, since) == [
        ("hotelreport", "insert", at("2021-06-10 03:00")),
        ("hotelreport", "update", at("2021-06-10 03:00")),
    ]
    assert not changed_through(session=session, since=since, at=CUTOFF)

    # A late count, dated before the cut-off, alters it.
    since = get_change_counter(session=session)
    make_stock_report(
        session,
        item_id=masks.id,
        location_id=hotel.id,
        reported_at=at("2021-06-09 23:00"),
        on_hand=5,
    )
    assert changed_through(session=session, since=since, at=CUTOFF)

    # A case has no such date: it may alter any moment, long before its own.
    since = get_change_counter(session=session)
    make_case(session, report_date=date(2021, 6, 10))
    assert [row[2] for row in _logged_since(session, since)] == [None]
    assert changed_through(session=session, since=since, at=at("2021-05-01 00:00"))


@pytest.mark.replay_at("2021-06-10 09:00")
def test_the_draft_is_kept_while_reports_come_in_and_shows_a_late_one_at_once(
    app_database: str, engine: Engine
) -> None:
    with Session(engine) as session:
        build_known_day(session)
        facility = models.Facility
        site = (
            session.execute(
                select(facility).where(facility.kind == "testing_site").order_by(facility.id)
            )
            .scalars()
            .first()
        )  # the site open on 9 June
        liwan_round = session.execute(select(models.TestingRound.id)).scalar_one()
    app = open_app("pages/briefing.py", timeout=60)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert on_page(EXPECTED_EN).rstrip() in [element.value for element in app.markdown]

    # A report made after the cut-off: the draft is not worked out again (no report, stock or
    # hotel table is read), and reads as before.
    with Session(engine) as session:
        make_site_report(
            session,
            site_id=site.id,
            round_id=liwan_round,
            reported_at=at("2021-06-10 00:30"),
            sampled=100,
        )
    with statements_everywhere() as statements:
        app.run()
    assert not app.exception
    read = [s for s in statements if re.search(r"\b(testingsite\w*|hotel\w*|stock\w*)\b", s)]
    assert read == []
    assert any("from changelog" in s for s in statements)
    assert on_page(EXPECTED_EN).rstrip() in [element.value for element in app.markdown]

    # A late report, dated before the cut-off: the draft has it at the next run.
    with Session(engine) as session:
        make_site_report(
            session,
            site_id=site.id,
            round_id=liwan_round,
            reported_at=at("2021-06-09 06:00"),
            sampled=100,
        )
        with language("en"):
            late = on_page(compose(compute_figures(session, cutoff=CUTOFF))["en"]).rstrip()
    assert "700 sampled of 1,000 (70.0%)" in late
    app.run()
    assert not app.exception
    assert late in [element.value for element in app.markdown]


@pytest.mark.replay_at("2021-06-10 09:00")
def test_another_server_shows_the_draft_the_first_worked_out_without_working_it_out(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    import streamlit as st

    from data import briefing

    with Session(engine) as session:
        build_known_day(session)
    worked_out: list[object] = []
    figures_of = briefing.compute_figures

    @functools.wraps(figures_of)
    def counting(session: Session, *, cutoff: object) -> dict:
        worked_out.append(cutoff)
        return figures_of(session, cutoff=cutoff)

    monkeypatch.setattr(briefing, "compute_figures", counting)
    first = open_app("pages/briefing.py", timeout=60)
    first.query_params["lang"] = "en"
    first.run()
    assert worked_out == [CUTOFF]
    # Another server (or this one restarted): none of the first one's caches.
    st.cache_data.clear()
    st.cache_resource.clear()
    other = open_app("pages/briefing.py", timeout=60)
    other.query_params["lang"] = "en"
    other.run()
    assert not other.exception
    assert on_page(EXPECTED_EN).rstrip() in [element.value for element in other.markdown]
    assert worked_out == [CUTOFF]
