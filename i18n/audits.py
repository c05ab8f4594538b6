"""Strings of the audits page."""

STRINGS: dict[str, tuple[str, str]] = {
    "audits.title": ("院感督查", "Infection-control audits"),
    "audits.caption": (
        "医院、发热门诊和隔离酒店的院感防控督查：最近一次督查得分与等级、各项目符合率、"
        "检查发现与整改。数据截至 {time}（{zone}）。",
        "Infection-control audits of hospitals, fever clinics and quarantine hotels: latest "
        "score and level, compliance by component, findings and corrective actions. As of "
        "{time} ({zone}).",
    ),
    # Filters
    "audits.filter.district": ("区", "District"),
    "audits.filter.kinds": ("设施类型", "Facility kind"),
    "audits.filter.kinds_all": ("全部类型", "All kinds"),
    "audits.filter.statuses": ("整改状态", "Action status"),
    "audits.filter.statuses_all": ("全部状态", "All statuses"),
    # Facility kinds, IPCAF levels, item results, statuses
    "audits.kind.designated_hospital": ("定点医院", "Designated hospital"),
    "audits.kind.general_hospital": ("综合医院", "General hospital"),
    "audits.kind.fever_clinic": ("发热门诊", "Fever clinic"),
    "audits.kind.quarantine_hotel": ("隔离酒店", "Quarantine hotel"),
    "audits.level.inadequate": ("不足", "Inadequate"),
    "audits.level.basic": ("基础", "Basic"),
    "audits.level.intermediate": ("中级", "Intermediate"),
    "audits.level.advanced": ("高级", "Advanced"),
    "audits.level.not_scored": ("未评分", "Not scored"),
    "audits.result.pass": ("符合", "Pass"),
    "audits.result.partial": ("部分符合", "Partial"),
    "audits.result.fail": ("不符合", "Fail"),
    "audits.result.na": ("不适用", "Not applicable"),
    "audits.result.missing": ("未记录", "Not recorded"),
    "audits.status.overdue": ("逾期", "Overdue"),
    "audits.status.open": ("整改中", "Open"),
    "audits.status.closed": ("已关闭", "Closed"),
    "audits.status_name.overdue": ("逾期", "Overdue"),
    "audits.status_name.open": ("整改中（未到期）", "Open (not yet due)"),
    "audits.status_name.closed": ("已关闭", "Closed"),
    "audits.due.never": ("从未督查", "Never audited"),
    "audits.due.due": ("待督查", "Due for audit"),
    "audits.due.current": ("14 天内已督查", "Audited within 14 days"),
    # KPIs
    "audits.kpi.recent": ("14 天内已督查", "Audited within 14 days"),
    "audits.kpi.recent_help": (
        "应督查设施 {total} 家，待督查 {due} 家",
        "{due} of {total} {total:facility|facilities} due for audit",
    ),
    "audits.kpi.never": ("从未督查", "Never audited"),
    "audits.kpi.never_help": ("在设施表中排在最前", "listed first in the facility table"),
    "audits.kpi.weak": ("等级为不足或基础", "Inadequate or basic"),
    "audits.kpi.weak_help": (
        "最近一次督查得分不超过 400 分（满分 800）",
        "latest score 400 or less (of 800)",
    ),
    "audits.kpi.open": ("未关闭整改项", "Open corrective actions"),
    "audits.kpi.open_help": ("其中逾期 {overdue} 项", "{overdue} of them overdue"),
    "audits.kpi.overdue": ("逾期未整改的院感问题", "Overdue corrective actions"),
    "audits.kpi.overdue_help": (
        "超过整改期限仍未关闭，与总览一致",
        "open past their due date; the Overview counts the same",
    ),
    # Tabs and sections
    "audits.tab.facilities": ("设施得分", "Facilities"),
    "audits.tab.grid": ("项目符合率", "Compliance grid"),
    "audits.tab.findings": ("发现与整改", "Findings and actions"),
    "audits.tab.history": ("趋势与详情", "Trend and detail"),
    "audits.facilities_caption": (
        "最差在前：从未督查或未评分的设施排在最前，其余按最近一次 IPCAF 得分从低到高。IPCAF "
        "得分按 WHO 定义：8 个核心组成部分各按加权符合率计 0–100 分，合计 800 分（部分符合计一半，"
        "不适用项不计，不同版本检查表可比）；等级：不足 0–200、基础 201–400、中级 401–600、"
        "高级 601–800；核心项目全部不适用为“未评分”。新冠防控专项单独计分（0–100），不计入 "
        "IPCAF。最近 14 天（含今天）内未督查的设施标为待督查。",
        "Worst first: facilities never audited or not scored come first, then the rest by "
        "latest IPCAF score, lowest first. The IPCAF score is WHO's: each of the 8 core "
        "components scores 0–100 by its weighted compliance, summed to 800 (partial counts "
        "half, not-applicable items drop out, so checklist versions stay comparable); levels: "
        "inadequate 0–200, basic 201–400, intermediate 401–600, advanced 601–800; no core item "
        'applicable is "not scored". The COVID-response items score 0–100 on their own, '
        "outside IPCAF. A facility not audited in the last 14 days (today included) is due for "
        "audit.",
    ),
    "audits.grid_caption": (
        "各设施最近一次督查中各项目的加权符合率（部分符合计一半，不适用项不计）；灰色表示"
        "该项目无适用项。",
        "Weighted compliance per component in each facility's latest audit (partial counts "
        "half, not-applicable items drop out); grey: no item of the component applied.",
    ),
    "audits.grid_capped": (
        "仅显示得分最低的 {shown} 家设施（共 {total} 家已督查）；可按区或类型筛选查看其他设施。",
        "Showing the {shown} lowest-scoring of {total} audited facilities; filter by district "
        "or kind to see the others.",
    ),
    "audits.grid_none": (
        "没有符合筛选条件的已督查设施。",
        "No audited facility matches the filters.",
    ),
    "audits.findings_caption": (
        "逾期（超过整改期限仍未关闭）的整改项标红，排在最前。",
        "Overdue actions (open past their due date) are red and listed first.",
    ),
    "audits.facilities_shown": (
        "显示最差的 {shown} 家，共 {total} 家。",
        "Showing the {shown} weakest of {total} facilities.",
    ),
    "audits.findings_shown": (
        "显示最紧急的 {shown} 项，共 {total} 项；完整清单请下载。",
        "Showing the {shown} most urgent of {total} actions; the download has them all.",
    ),
    "audits.findings_count": (
        "共 {rows} 项，其中逾期 {overdue} 项",
        "{rows} {rows:action|actions}, {overdue} of them overdue",
    ),
    "audits.download": ("下载检查发现（CSV）", "Download findings (CSV)"),
    "audits.pick_facility": ("设施", "Facility"),
    "audits.find_facility": ("查找设施", "Find a facility"),
    "audits.find_facility_help": (
        "输入设施或所在区名称的一部分（中文或英文）；清空即列出最差的设施。",
        "Type part of a facility's or its district's name (Chinese or English); clear it to "
        "list the weakest again.",
    ),
    "audits.find_facility_shown": (
        "列出最差的 {shown} 家，共 {total} 家；输入名称可查找其他设施。",
        "Listing the {shown} weakest of {total}; type a name to find another.",
    ),
    "audits.find_facility_none": (
        "没有名称含所输入文字的已督查设施。",
        "No audited facility's name holds what was typed.",
    ),
    "audits.pick_audit": ("督查记录", "Audit"),
    "audits.trend": ("得分趋势", "Score trend"),
    "audits.trend_caption": (
        "色带为 IPCAF 等级区间；点的形状表示所用检查表版本。",
        "Bands are the IPCAF levels; the point shape shows the checklist version used.",
    ),
    "audits.no_audited": (
        "没有符合筛选条件的已督查设施。",
        "No facility matching the filters has been audited.",
    ),
    "audits.detail": ("督查详情", "Audit detail"),
    "audits.detail_header": (
        "督查时间 {time} · 督查人 {auditor} · 检查表 {checklist}",
        "Audited {time} · by {auditor} · checklist {checklist}",
    ),
    "audits.detail_findings": ("本次督查发现的问题", "Findings of this audit"),
    "audits.detail_no_findings": ("本次督查没有记录问题。", "This audit recorded no findings."),
    # Columns
    "audits.col.facility": ("设施", "Facility"),
    "audits.col.kind": ("类型", "Kind"),
    "audits.col.district": ("区", "District"),
    "audits.col.audit_status": ("督查状态", "Audit status"),
    "audits.col.last_audit": ("最近督查", "Last audit"),
    "audits.col.days_since": ("距今天数", "Days since audit"),
    "audits.col.score": ("IPCAF 得分", "IPCAF score"),
    "audits.col.score_help": (
        "8 个核心组成部分各 0–100 分，合计 0–800 分",
        "8 core components of 0–100 each, summed to 0–800",
    ),
    "audits.col.covid_score": ("新冠专项得分", "COVID items score"),
    "audits.col.covid_score_help": (
        "新冠防控专项的加权符合率（0–100），不计入 IPCAF",
        "Weighted compliance of the COVID-response items (0–100), outside IPCAF",
    ),
    "audits.col.level": ("等级", "Level"),
    "audits.col.checklist": ("检查表", "Checklist"),
    "audits.col.open": ("未关闭整改", "Open actions"),
    "audits.col.overdue": ("逾期整改", "Overdue actions"),
    "audits.col.component": ("项目", "Component"),
    "audits.col.compliance": ("符合率", "Compliance"),
    "audits.col.items": ("检查项", "Items"),
    "audits.col.items_value": (
        "符合 {passed} · 部分 {partial} · 不符合 {failed} · 不适用 {na}",
        "{passed} pass · {partial} partial · {failed} fail · {na} n/a",
    ),
    "audits.col.status": ("状态", "Status"),
    "audits.col.finding": ("问题", "Finding"),
    "audits.col.action": ("整改措施", "Corrective action"),
    "audits.col.owner": ("责任人", "Owner"),
    "audits.col.due": ("整改期限", "Due"),
    "audits.col.closed": ("关闭日期", "Closed"),
    "audits.col.days_overdue": ("逾期天数", "Days overdue"),
    "audits.col.audited": ("督查时间", "Audited"),
    "audits.col.item": ("检查项", "Item"),
    "audits.col.number": ("序号", "No."),
    "audits.col.code": ("编号", "Code"),
    "audits.col.weight": ("权重", "Weight"),
    "audits.col.result": ("结果", "Result"),
    "audits.col.note": ("备注", "Note"),
    "audits.col.auditor": ("督查人", "Auditor"),
}
