"""Infection-control audits of hospitals, fever clinics and hotels, with their corrective actions.

Facilities are audited every 7-14 days over the 60 days up to the anchor, against the
checklist version in force on the day; the score and level come from data.measures.audits.
Each failed item, and some partly met ones, becomes a finding with a corrective action owned
by a department (never a person), due 3-10 days later.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from data.demo.facilities import FacilityPlan
from data.demo.hotels import HotelSchedule
from data.demo.timeline import LAST_DAY, Timeline
from data.measures.audits import audit_level, covid_score, ipcaf_score
from data.reference.checklist import CRITICAL, checklist_in_force

AUDIT_WINDOW_DAYS = 60
FIRST_AUDIT_DAY = LAST_DAY - AUDIT_WINDOW_DAYS + 1
NEVER_AUDITED_SHARE = 0.04
PARTIAL_FINDING_SHARE = 0.4
RANDOM_NA_SHARE = 0.02
RESULT_NOTES = {
    "partial": "部分落实 / Partly in place",
    "fail": "未落实 / Not in place",
    "na": "不适用 / Not applicable",
}

# Items that do not apply to a kind of facility (a hotel has no wards or fever clinic).
NOT_APPLICABLE: dict[str, frozenset[str]] = {
    "quarantine_hotel": frozenset(
        {
            "prog_lab",
            "surv_hai",
            "surv_mdro",
            "mm_bundles",
            "ws_nurse_ratio",
            "ws_bed_occupancy",
            "cv_fever_clinic",
            "cv_admission_test",
            "cv_visitors",
        }
    ),
    "fever_clinic": frozenset(
        {"mm_bundles", "ws_bed_occupancy", "cv_admission_test", "cv_visitors"}
    ),
}

INFECTION_CONTROL = "院感科 / Infection Control Dept."
HOSPITAL_OWNERS = {
    "ipc_programme": INFECTION_CONTROL,
    "guidelines": "医务科 / Medical Affairs Dept.",
    "training": "科教科 / Education and Training Dept.",
    "hai_surveillance": INFECTION_CONTROL,
    "multimodal": INFECTION_CONTROL,
    "monitoring_feedback": "质控科 / Quality Control Dept.",
    "workload_staffing": "护理部 / Nursing Dept.",
    "built_environment": "总务科 / General Services Dept.",
    "cv_triage": "门诊部 / Outpatient Dept.",
    "cv_fever_clinic": "发热门诊 / Fever Clinic",
    "cv_ppe": "护理部 / Nursing Dept.",
    "cv_hand_hygiene": INFECTION_CONTROL,
    "cv_staff_health": "人事科 / Human Resources Dept.",
    "cv_disinfection": "总务科 / General Services Dept.",
    "cv_transfer": "医务科 / Medical Affairs Dept.",
    "cv_admission_test": "入院服务中心 / Admissions Office",
    "cv_visitors": "护理部 / Nursing Dept.",
}
HOTEL_MEDICAL = "隔离点医疗组 / Quarantine-site medical team"
HOTEL_OWNERS = {
    "ipc_programme": "隔离点工作专班 / Quarantine-site task force",
    "guidelines": "隔离点工作专班 / Quarantine-site task force",
    "monitoring_feedback": "隔离点工作专班 / Quarantine-site task force",
    "workload_staffing": "隔离点综合组 / Quarantine-site general affairs team",
    "built_environment": "酒店工程部 / Hotel engineering dept.",
    "cv_disinfection": "保洁消杀组 / Cleaning and disinfection team",
    "cv_staff_health": "隔离点综合组 / Quarantine-site general affairs team",
}

# Item code -> (finding 中文, finding English, action 中文, action English).
FINDINGS: dict[str, tuple[str, str, str, str]] = {
    "prog_committee": (
        "院感管理委员会本年度未按季度召开会议，缺少会议纪要",
        "The IPC committee has not met every quarter this year; minutes are missing",
        "按季度召开院感管理委员会会议，补齐会议纪要报督查组",
        "Hold the quarterly IPC committee meeting and send the minutes to the inspection team",
    ),
    "prog_staff": (
        "专职院感人员配备不足，部分科室未指定院感监控员",
        "Too few dedicated IPC staff; some departments have no IPC link person",
        "增配专职院感人员，各科室指定院感监控员",
        "Appoint more full-time IPC staff and name an IPC link person in every department",
    ),
    "prog_plan": (
        "年度院感工作计划未明确目标、分工和经费",
        "The annual IPC plan sets no objectives, responsibilities or budget",
        "修订年度工作计划，明确目标、分工和经费",
        "Revise the annual plan with objectives, responsibilities and budget",
    ),
    "prog_lab": (
        "微生物检测结果反馈院感科不及时",
        "Microbiology results reach the IPC team late",
        "与检验科建立检测结果即时推送机制",
        "Set up immediate notification of results with the laboratory",
    ),
    "gl_current": (
        "部分科室仍在使用旧版制度，未按最新防控方案修订",
        "Some departments still use superseded procedures not revised to the latest plan",
        "完成制度修订，收回旧版文件并重新发放",
        "Finish the revision, withdraw the old versions and reissue the procedures",
    ),
    "gl_standard": (
        "安全注射和呼吸道卫生制度内容不全",
        "Safe-injection and respiratory-hygiene policies are incomplete",
        "补充完善标准预防相关制度",
        "Complete the standard-precaution policies",
    ),
    "gl_access": (
        "抽查科室不能及时出示现行制度文件",
        "Departments checked could not show the current procedures",
        "各科室配备制度汇编，并在内网公布",
        "Give every department the policy file and publish it on the intranet",
    ),
    "tr_induction": (
        "外包保洁人员和新入职人员缺少岗前培训记录",
        "No induction-training records for contracted cleaners and new staff",
        "对未培训人员补训并考核，完善培训档案",
        "Train and assess everyone missed and complete the training records",
    ),
    "tr_records": (
        "培训签到和考核资料不完整",
        "Training attendance and assessment records are incomplete",
        "完善培训档案，按月归档",
        "Complete the training files and archive them monthly",
    ),
    "tr_covid": (
        "抽查人员对防控方案要点掌握不熟练",
        "Staff questioned did not know key points of the prevention plan",
        "组织专项培训和现场考核，考核不合格者暂不上岗",
        "Run targeted training with on-site assessment; staff work in post only once they pass",
    ),
    "surv_hai": (
        "医院感染病例存在漏报，上报不及时",
        "Healthcare-associated infections are under-reported and reported late",
        "开展漏报调查，启用信息系统自动预警",
        "Investigate under-reporting and switch on automatic alerts in the information system",
    ),
    "surv_mdro": (
        "多重耐药菌患者床旁未设置接触隔离标识",
        "No contact-precaution signs at the beds of patients with MDROs",
        "落实接触隔离措施并设置标识",
        "Apply contact precautions and put up the signs",
    ),
    "surv_cluster": (
        "医院感染暴发处置预案未开展演练",
        "The plan for HAI clusters has not been rehearsed",
        "组织一次暴发处置演练并书面总结",
        "Hold an outbreak-response drill and write up the lessons",
    ),
    "mm_hand_hygiene": (
        "手卫生改进措施单一，缺少监测和反馈",
        "Hand-hygiene improvement relies on one measure, without monitoring or feedback",
        "制定多模式手卫生改进方案并落实",
        "Adopt and carry out a multimodal hand-hygiene improvement plan",
    ),
    "mm_bundles": (
        "中心静脉导管维护未落实集束化措施",
        "Central-line care does not follow the care bundle",
        "开展集束化措施培训，使用核查表",
        "Train staff on the bundle and use a checklist",
    ),
    "mm_reminders": (
        "部分区域缺少手卫生、佩戴口罩和一米线提示",
        "Some areas lack reminders for hand hygiene, masks and one-metre distancing",
        "补充张贴提示标识",
        "Put up the missing reminders",
    ),
    "mon_hand_hygiene": (
        "未按月开展手卫生依从性监测",
        "Hand-hygiene compliance is not observed monthly",
        "建立每月观察监测制度，公布结果",
        "Observe compliance every month and publish the results",
    ),
    "mon_feedback": (
        "上次督查发现的问题未整改到位",
        "Findings of the previous inspection have not been corrected",
        "逐项整改，3日内书面报告整改情况",
        "Correct each finding and report in writing within three days",
    ),
    "mon_self_check": (
        "科室院感自查记录缺失",
        "Department IPC self-inspection records are missing",
        "每周开展院感自查并记录",
        "Carry out and record weekly self-inspections",
    ),
    "ws_nurse_ratio": (
        "隔离病区护士配置不足，床护比低于要求",
        "Isolation-ward nurse staffing is below the required ratio",
        "调配护理人员，满足床护比要求",
        "Redeploy nurses to meet the required ratio",
    ),
    "ws_bed_occupancy": (
        "部分病区加床，病床间距不足1米",
        "Extra beds in some wards leave less than one metre between beds",
        "撤除加床，保证病床间距",
        "Remove the extra beds and restore the spacing",
    ),
    "ws_rest": (
        "一线人员连续工作时间过长，未落实轮休",
        "Front-line staff work long stretches without rest rotation",
        "调整排班，落实轮休",
        "Re-plan the shifts with rest rotation",
    ),
    "be_hand_stations": (
        "部分诊疗区域速干手消毒剂缺失或过期",
        "Alcohol hand rub is missing or out of date in some clinical areas",
        "补齐手消毒剂，定期检查有效期",
        "Restock hand rub and check expiry dates regularly",
    ),
    "be_ventilation": (
        "诊疗区域通风不足，空调清洗消毒记录缺失",
        "Clinical areas are poorly ventilated; no record of air-conditioning cleaning",
        "加强通风，补做空调清洗消毒并记录",
        "Improve ventilation; clean and disinfect the air conditioning and record it",
    ),
    "be_waste": (
        "医疗废物暂存点交接登记不全",
        "Handover records at the medical-waste store are incomplete",
        "规范交接登记，指定专人管理",
        "Complete the handover records and put one person in charge",
    ),
    "cv_triage": (
        "预检分诊未询问流行病学史，行程卡查验不严",
        "Triage does not ask about epidemiological history; travel cards are not checked",
        "重新培训预检分诊人员，增设复核岗",
        "Retrain the triage staff and add a second check",
    ),
    "cv_fever_clinic": (
        "发热门诊缓冲区设置不规范，医患通道交叉",
        "The fever clinic's buffer zone is not properly set out; staff and patient routes cross",
        "重新划分三区两通道，设置物理隔断",
        "Re-lay the three zones and two passages with physical barriers",
    ),
    "cv_ppe": (
        "脱卸防护用品顺序错误，无专人督导",
        "PPE is taken off in the wrong order, with no observer",
        "设置穿脱督导员，张贴流程图并逐人考核",
        "Post a trained observer, display the procedure and assess every person",
    ),
    "cv_hand_hygiene": (
        "现场观察手卫生依从率低于80%",
        "Observed hand-hygiene compliance is below 80%",
        "现场培训，每周复查依从率",
        "Train on site and re-measure compliance every week",
    ),
    "cv_staff_health": (
        "工作人员健康监测登记不全，高风险岗位核酸检测未按频次",
        "The staff health log is incomplete; high-risk staff are not tested as often as required",
        "落实每日健康监测登记，按频次安排核酸检测",
        "Keep the daily health log and schedule the tests at the required frequency",
    ),
    "cv_disinfection": (
        "环境消杀记录缺失，消毒液浓度未监测",
        "Disinfection records are missing; disinfectant strength is not tested",
        "按频次消杀并记录，每日检测有效氯浓度",
        "Disinfect at the set frequency with records; test chlorine strength daily",
    ),
    "cv_transfer": (
        "转运交接记录不全，转运车辆终末消毒未记录",
        "Transfer handovers are not fully recorded; vehicle disinfection is not recorded",
        "使用转运交接单，落实车辆终末消毒并记录",
        "Use the transfer handover form and record the vehicle's terminal disinfection",
    ),
    "cv_admission_test": (
        "部分陪护人员未持48小时内核酸阴性证明",
        "Some carers had no negative test taken within 48 hours",
        "入院处设核验岗，无证明者不得进入病区",
        "Check at admission; nobody enters a ward without a negative result",
    ),
    "cv_visitors": (
        "病区仍有探视，陪护人员不固定",
        "Visits still take place and carers change",
        "严格执行暂停探视和一患一陪",
        "Enforce the visiting ban and one fixed carer per patient",
    ),
}


@dataclass(frozen=True)
class ItemRef:
    """A checklist item as the generator needs it."""

    id: int
    code: str
    component: str
    weight: float


@dataclass
class AuditPlan:
    """An audit with its item results and findings, before insert."""

    facility: FacilityPlan
    checklist_version_id: int
    row: dict[str, Any]
    results: list[tuple[ItemRef, str]]
    findings: list[dict[str, Any]]


def _owner(facility: FacilityPlan, item: ItemRef) -> str:
    """The department (hospital) or team (hotel) that owns the corrective action."""
    if facility.kind == "quarantine_hotel":
        return HOTEL_OWNERS.get(item.code, HOTEL_OWNERS.get(item.component, HOTEL_MEDICAL))
    return HOSPITAL_OWNERS.get(item.code, HOSPITAL_OWNERS.get(item.component, INFECTION_CONTROL))


def _result(rng: random.Random, item: ItemRef, kind: str, quality: float) -> str:
    """One item's result: not applicable, or pass / partial / fail by the facility's quality."""
    if item.code in NOT_APPLICABLE.get(kind, ()) or rng.random() < RANDOM_NA_SHARE:
        return "na"
    chance = min(0.99, quality + (0.03 if item.weight >= CRITICAL else 0.0))
    draw = rng.random()
    if draw < chance:
        return "pass"
    return "partial" if draw < chance + (1.0 - chance) * 0.6 else "fail"


def _closed_date(rng: random.Random, audit_day: date, due: date, anchor: date) -> date | None:
    """Most actions close by (or a little after) their due date; some stay open."""
    if due <= anchor:
        if rng.random() >= 0.8:
            return None
        latest = min(anchor, due + timedelta(days=3))
    else:
        if rng.random() >= 0.45 or audit_day >= anchor:
            return None
        latest = anchor
    return audit_day + timedelta(days=rng.randint(1, max(1, (latest - audit_day).days)))


def _audit_days(rng: random.Random, opened: float) -> list[int]:
    """Audit days every 7-14 days from the first day after `opened` to the anchor."""
    first = max(FIRST_AUDIT_DAY, int(opened) + 1)
    day = first + rng.randint(0, 10)
    days = []
    while day <= LAST_DAY:
        days.append(day)
        day += rng.randint(7, 14)
    return days


def plan_audits(
    rng: random.Random,
    timeline: Timeline,
    facilities: list[FacilityPlan],
    items: dict[str, list[ItemRef]],
    versions: dict[str, int],
    schedules: dict[str, HotelSchedule],
) -> Iterator[AuditPlan]:
    """Audits of every hospital, fever clinic and hotel that takes part, oldest first."""
    for facility in facilities:
        if facility.status == "standby" or facility.kind == "testing_site":
            continue
        if facility.kind == "warehouse":
            continue
        if facility.kind != "designated_hospital" and rng.random() < NEVER_AUDITED_SHARE:
            continue
        opened = FIRST_AUDIT_DAY - 1.0
        closes = LAST_DAY + 1.0
        schedule = schedules.get(facility.code)
        if schedule is not None:
            # Inbound hotels were already in use (open_day < 0): audited all along.
            if schedule.open_day >= 0:
                opened = schedule.open_day
            if schedule.close_day is not None:
                closes = schedule.close_day
        quality = facility.traits.get("quality", 0.85)
        for number, day in enumerate(_audit_days(rng, opened)):
            if day >= closes:
                break
            audited_at = timeline.at(day, rng.randrange(9 * 60, 16 * 60 + 30, 5) / 60.0)
            if audited_at > timeline.as_of:
                break
            yield _one_audit(
                rng,
                timeline,
                facility,
                day,
                audited_at,
                min(0.99, quality + 0.015 * number),
                items,
                versions,
            )


def _one_audit(
    rng: random.Random,
    timeline: Timeline,
    facility: FacilityPlan,
    day: int,
    audited_at: Any,
    quality: float,
    items: dict[str, list[ItemRef]],
    versions: dict[str, int],
) -> AuditPlan:
    """One audit: item results on the checklist in force, its score, and its findings."""
    audit_day = timeline.day(day)
    label = checklist_in_force(audit_day).label
    results = [(item, _result(rng, item, facility.kind, quality)) for item in items[label]]
    scored = [(item.component, item.weight, result) for item, result in results]
    score = ipcaf_score(scored)
    team = rng.randint(1, 8)
    if facility.kind == "quarantine_hotel":
        auditor = f"市隔离场所督查组 第{team}组 / City quarantine-site inspection team {team}"
    else:
        auditor = f"市院感督查组 第{team}组 / City IPC inspection team {team}"
    findings = []
    for item, result in results:
        if result == "fail" or (result == "partial" and rng.random() < PARTIAL_FINDING_SHARE):
            finding_zh, finding_en, action_zh, action_en = FINDINGS[item.code]
            due = audit_day + timedelta(days=rng.randint(3, 10))
            findings.append(
                {
                    "facility_id": facility.id,
                    "item_id": item.id,
                    "finding_zh": finding_zh,
                    "finding_en": finding_en,
                    "action_zh": action_zh,
                    "action_en": action_en,
                    "owner": _owner(facility, item),
                    "due_date": due,
                    "closed_date": _closed_date(rng, audit_day, due, timeline.anchor),
                }
            )
    return AuditPlan(
        facility=facility,
        checklist_version_id=versions[label],
        row={
            "facility_id": facility.id,
            "checklist_version_id": versions[label],
            "audited_at": audited_at,
            "auditor": auditor,
            "score": 0.0 if score is None else score,
            "level": audit_level(score),
            "covid_score": covid_score(scored),
        },
        results=results,
        findings=findings,
    )


def item_results(plan: AuditPlan, audit_id: int) -> list[dict[str, Any]]:
    """The audititemresult rows of one inserted audit."""
    return [
        {
            "audit_id": audit_id,
            "item_id": item.id,
            "result": result,
            "note": RESULT_NOTES.get(result),
        }
        for item, result in plan.results
    ]
