"""The infection-control checklist, as versioned data: WHO IPCAF core components plus COVID items.

Version v2021.2 (from 2021-05-25, during the Delta outbreak) rewords the COVID items to the
8th edition of the national prevention and control plan, adds admission screening and
visitor rules, drops the laboratory-support item and gives more weight to COVID training
and staff health monitoring. Audit scores are normalised (see data.measures.audits), so
audits against either version stay comparable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from data import models

NORMAL, CRITICAL = 1.0, 2.0

# Component code -> (中文, English): the 8 WHO IPCAF core components, then the COVID items.
COMPONENTS: dict[str, tuple[str, str]] = {
    "ipc_programme": ("感染防控组织管理", "IPC programme"),
    "guidelines": ("防控制度与指南", "IPC guidelines"),
    "training": ("教育培训", "IPC education and training"),
    "hai_surveillance": ("医院感染监测", "HAI surveillance"),
    "multimodal": ("多模式改进策略", "Multimodal strategies"),
    "monitoring_feedback": ("监督检查与反馈", "Monitoring, audit and feedback"),
    "workload_staffing": ("工作负荷、人员配置与床位", "Workload, staffing and bed occupancy"),
    "built_environment": ("建筑布局、物资与设备", "Built environment, materials and equipment"),
    "covid": ("新冠肺炎防控专项", "COVID-19 specific measures"),
}


@dataclass(frozen=True)
class ChecklistItemSpec:
    """One checklist item as shipped: code, component, texts and weight."""

    code: str
    component: str
    text_zh: str
    text_en: str
    weight: float = NORMAL


@dataclass(frozen=True)
class ChecklistSpec:
    """A checklist version: its label, the date it takes effect, and its items in order."""

    label: str
    effective_from: date
    items: tuple[ChecklistItemSpec, ...]


_I = ChecklistItemSpec

# Items both versions share word for word.
_PROGRAMME = (
    _I(
        "prog_committee",
        "ipc_programme",
        "设立医院感染管理委员会，每季度至少召开一次会议，有会议纪要",
        "An infection prevention and control (IPC) committee is in place and meets at least "
        "quarterly, with minutes kept",
    ),
    _I(
        "prog_staff",
        "ipc_programme",
        "配备专职院感管理人员，每200至250张床位不少于1名",
        "Dedicated IPC professionals are in post: at least one full-time per 200-250 beds",
        CRITICAL,
    ),
    _I(
        "prog_plan",
        "ipc_programme",
        "有年度院感防控工作计划、明确目标和专项经费",
        "An annual IPC work plan with clear objectives and a dedicated budget exists",
    ),
)
_PROGRAMME_LAB = _I(
    "prog_lab",
    "ipc_programme",
    "有微生物实验室支持院感监测，能按时出具检测结果",
    "Microbiology laboratory support is available to IPC and reports results on time",
)
_GUIDELINES_SHARED = (
    _I(
        "gl_standard",
        "guidelines",
        "标准预防制度齐全：手卫生、个人防护、安全注射、呼吸道卫生",
        "Standard-precaution policies are complete: hand hygiene, PPE, safe injection, "
        "respiratory hygiene",
    ),
    _I(
        "gl_access",
        "guidelines",
        "各科室可随时查阅现行有效的院感制度和操作规程",
        "Current IPC policies and procedures are at hand in every department",
    ),
)
_TRAINING_SHARED = (
    _I(
        "tr_induction",
        "training",
        "新入职、轮转、进修及外包人员岗前院感培训覆盖率100%",
        "All new, rotating, visiting and contracted staff receive IPC induction training",
    ),
    _I(
        "tr_records",
        "training",
        "培训计划、签到、课件和考核记录完整可查",
        "Training plans, attendance, materials and assessment results are complete and on file",
    ),
)
_SURVEILLANCE = (
    _I(
        "surv_hai",
        "hai_surveillance",
        "开展医院感染病例监测，按规定时限上报",
        "Healthcare-associated infections are monitored and reported within the required time",
    ),
    _I(
        "surv_mdro",
        "hai_surveillance",
        "开展多重耐药菌监测，落实接触隔离措施",
        "Multidrug-resistant organisms are monitored and contact precautions applied",
    ),
    _I(
        "surv_cluster",
        "hai_surveillance",
        "有医院感染暴发的识别、报告和处置流程，并开展演练",
        "A procedure to detect, report and contain HAI clusters exists and is rehearsed",
        CRITICAL,
    ),
)
_MULTIMODAL = (
    _I(
        "mm_hand_hygiene",
        "multimodal",
        "手卫生改进采用多模式策略：设施改善、培训、监测反馈、现场提示、安全文化",
        "Hand-hygiene improvement is multimodal: system change, training, monitoring and "
        "feedback, reminders, safety climate",
    ),
    _I(
        "mm_bundles",
        "multimodal",
        "落实导管相关血流感染、呼吸机相关肺炎等集束化防控措施",
        "Care bundles (central line, ventilator, urinary catheter) are implemented",
    ),
    _I(
        "mm_reminders",
        "multimodal",
        "诊疗区域张贴手卫生、佩戴口罩和一米线等提示标识",
        "Reminders for hand hygiene, masks and one-metre distancing are posted in clinical areas",
    ),
)
_MONITORING = (
    _I(
        "mon_hand_hygiene",
        "monitoring_feedback",
        "每月开展手卫生依从性和正确率监测",
        "Hand-hygiene compliance and technique are observed and measured monthly",
    ),
    _I(
        "mon_feedback",
        "monitoring_feedback",
        "检查结果及时反馈科室，问题整改有跟踪、有闭环",
        "Audit results are fed back to departments and corrective actions are followed to closure",
        CRITICAL,
    ),
    _I(
        "mon_self_check",
        "monitoring_feedback",
        "科室每周开展院感自查，有记录",
        "Departments carry out weekly IPC self-inspections, with records",
    ),
)
_WORKLOAD = (
    _I(
        "ws_nurse_ratio",
        "workload_staffing",
        "护士人力配置满足床护比要求",
        "Nurse staffing meets the required nurse-to-bed ratio",
    ),
    _I(
        "ws_bed_occupancy",
        "workload_staffing",
        "床位使用率不超过100%，病床间距不小于1米",
        "Bed occupancy does not exceed 100% and beds are at least one metre apart",
    ),
)
_ENVIRONMENT = (
    _I(
        "be_hand_stations",
        "built_environment",
        "诊疗区域洗手设施和速干手消毒剂配置到位、方便取用",
        "Sinks and alcohol-based hand rub are available and within reach at every point of care",
    ),
    _I(
        "be_ventilation",
        "built_environment",
        "诊疗区域通风良好，必要时采用机械通风，空调系统按规定清洗消毒",
        "Clinical areas are well ventilated (mechanically where needed); air conditioning is "
        "cleaned and disinfected as required",
    ),
    _I(
        "be_waste",
        "built_environment",
        "医疗废物分类收集、规范暂存、交接登记完整",
        "Medical waste is segregated, stored safely and handed over with complete records",
    ),
)
_FEVER_CLINIC = _I(
    "cv_fever_clinic",
    "covid",
    "发热门诊独立设置，落实“三区两通道”，分区标识清晰",
    "The fever clinic stands apart, with three zones (clean, buffer, contaminated) and two "
    "passages (staff, patients), clearly marked",
    CRITICAL,
)
_HAND_HYGIENE = _I(
    "cv_hand_hygiene",
    "covid",
    "医务人员落实手卫生“五个时刻”（WHO）",
    "Staff clean their hands at the WHO five moments",
)
_DISINFECTION = _I(
    "cv_disinfection",
    "covid",
    "环境和物体表面按频次清洁消毒，消杀记录完整",
    "Environment and surfaces are cleaned and disinfected at the required frequency, with "
    "complete records",
)
_TRANSFER = _I(
    "cv_transfer",
    "covid",
    "疑似及确诊病例由专用负压救护车闭环转运至定点医院，转运后车辆终末消毒",
    "Suspected and confirmed patients go to the designated hospital in a closed loop by "
    "negative-pressure ambulance; the vehicle is disinfected after each transfer",
    CRITICAL,
)

V2021_1 = ChecklistSpec(
    label="v2021.1",
    effective_from=date(2021, 1, 1),
    items=(
        *_PROGRAMME,
        _PROGRAMME_LAB,
        _I(
            "gl_current",
            "guidelines",
            "院感防控制度和操作规程根据国家最新防控方案及时修订",
            "IPC policies and procedures are revised promptly to the latest national plan",
            CRITICAL,
        ),
        *_GUIDELINES_SHARED,
        *_TRAINING_SHARED,
        _I(
            "tr_covid",
            "training",
            "全员完成新冠肺炎防控知识培训，考核合格",
            "All staff have completed COVID-19 IPC training and passed the assessment",
        ),
        *_SURVEILLANCE,
        *_MULTIMODAL,
        *_MONITORING,
        *_WORKLOAD,
        _I(
            "ws_rest",
            "workload_staffing",
            "合理排班，落实轮休，避免人员疲劳上岗",
            "Shifts are planned with rest days so that staff do not work fatigued",
        ),
        *_ENVIRONMENT,
        _I(
            "cv_triage",
            "covid",
            "各入口设预检分诊点，落实测温、查验健康码和询问流行病学史",
            "Pre-check triage at every entrance: temperature, health code and epidemiological "
            "history",
            CRITICAL,
        ),
        _FEVER_CLINIC,
        _I(
            "cv_ppe",
            "covid",
            "工作人员按岗位正确穿脱防护用品，张贴穿脱流程图",
            "Staff don and doff PPE correctly for their post; the procedure is posted",
            CRITICAL,
        ),
        _HAND_HYGIENE,
        _I(
            "cv_staff_health",
            "covid",
            "工作人员每日健康监测（体温、症状），有登记",
            "Staff health is checked daily (temperature, symptoms) and recorded",
        ),
        _DISINFECTION,
        _TRANSFER,
    ),
)

V2021_2 = ChecklistSpec(
    label="v2021.2",
    effective_from=date(2021, 5, 25),
    items=(
        *_PROGRAMME,
        _I(
            "gl_current",
            "guidelines",
            "院感防控制度和操作规程已按《新型冠状病毒肺炎防控方案（第八版）》修订",
            "IPC policies and procedures are revised to the national COVID-19 prevention and "
            "control plan, 8th edition",
            CRITICAL,
        ),
        *_GUIDELINES_SHARED,
        *_TRAINING_SHARED,
        _I(
            "tr_covid",
            "training",
            "全员完成德尔塔变异株防控及第八版方案培训，重点岗位人员实操考核合格",
            "All staff trained on the Delta variant and the 8th-edition plan; staff in key "
            "posts passed a practical assessment",
            CRITICAL,
        ),
        *_SURVEILLANCE,
        *_MULTIMODAL,
        *_MONITORING,
        *_WORKLOAD,
        _I(
            "ws_rest",
            "workload_staffing",
            "防控一线人员合理排班、轮换休整，高风险岗位人员闭环管理",
            "Front-line staff work planned shifts with rest rotation; staff in high-risk posts "
            "live in closed-loop management",
        ),
        *_ENVIRONMENT,
        _I(
            "cv_triage",
            "covid",
            "各入口设预检分诊点，落实测温、查验健康码和行程卡、询问14天旅居史，"
            "中高风险地区来人专人引导至发热门诊",
            "Pre-check triage at every entrance: temperature, health code, travel card and "
            "14-day travel history; people from medium- and high-risk areas are escorted to "
            "the fever clinic",
            CRITICAL,
        ),
        _FEVER_CLINIC,
        _I(
            "cv_ppe",
            "covid",
            "工作人员按岗位分级防护，穿脱防护用品有专人督导，脱卸区设置规范",
            "Staff wear PPE graded to their post; donning and doffing is observed by a trained "
            "monitor, in a properly laid-out doffing area",
            CRITICAL,
        ),
        _HAND_HYGIENE,
        _I(
            "cv_staff_health",
            "covid",
            "工作人员每日健康监测，发热门诊、隔离病区等高风险岗位人员每日核酸检测",
            "Staff health is checked daily; staff in fever clinics, isolation wards and other "
            "high-risk posts are tested (nucleic acid) every day",
            CRITICAL,
        ),
        _DISINFECTION,
        _TRANSFER,
        _I(
            "cv_admission_test",
            "covid",
            "新入院患者及陪护人员持48小时内核酸检测阴性结果",
            "New inpatients and their carers show a negative nucleic-acid test taken within "
            "48 hours",
        ),
        _I(
            "cv_visitors",
            "covid",
            "暂停探视，陪护人员固定（原则上一患一陪）并纳入健康监测",
            "Visits are suspended; each patient has at most one fixed carer, under health "
            "monitoring",
        ),
    ),
)

CHECKLISTS: tuple[ChecklistSpec, ...] = (V2021_1, V2021_2)


def checklist_in_force(day: date) -> ChecklistSpec:
    """The checklist version in force on `day` (the first version for earlier days)."""
    current = CHECKLISTS[0]
    for spec in CHECKLISTS:
        if spec.effective_from <= day:
            current = spec
    return current


def ensure_checklists(session: Session) -> dict[str, int]:
    """Insert the checklist versions and items that are missing; return label -> version id."""
    ids: dict[str, int] = {}
    for spec in CHECKLISTS:
        version = session.exec(
            select(models.ChecklistVersion).where(models.ChecklistVersion.label == spec.label)
        ).first()
        if version is None:
            version = models.ChecklistVersion(label=spec.label, effective_from=spec.effective_from)
            session.add(version)
            session.flush()
        present = set(
            session.exec(
                select(models.ChecklistItem.code).where(
                    models.ChecklistItem.version_id == version.id
                )
            ).all()
        )
        for position, item in enumerate(spec.items, start=1):
            if item.code in present:
                continue
            session.add(
                models.ChecklistItem(
                    version_id=version.id,
                    component=item.component,
                    code=item.code,
                    text_zh=item.text_zh,
                    text_en=item.text_en,
                    weight=item.weight,
                    position=position,
                )
            )
        session.flush()
        ids[spec.label] = version.id
    return ids
