"""Strings of the Overview page."""

STRINGS: dict[str, tuple[str, str]] = {
    "overview.title": ("总览", "Overview"),
    "overview.caption": (
        "全市疫情防控主要指标，数据截至 {time}（{zone}）。",
        "The city's headline figures, as of {time} ({zone}).",
    ),
    "overview.cases.new_local": ("今日新增本土病例", "New local cases today"),
    "overview.cases.new_local_help": (
        "今日（{day}）报告的本土确诊病例与无症状感染者",
        "Local confirmed cases and asymptomatic infections reported today ({day})",
    ),
    "overview.delta": ("较昨日 {delta}", "{delta} on yesterday"),
    "overview.delta_points": ("较昨日 {delta} 个百分点", "{delta} points on yesterday"),
    "overview.delta_same": ("与昨日持平", "Same as yesterday"),
    "overview.trend_caption": (
        "卡片中的小图为近 14 天每天结束时的数值（今天为当前时刻），“较昨日”与昨天结束时相比。",
        "The small chart in each card is the figure at the end of each of the last 14 days "
        "(today: now); the change is on the end of yesterday.",
    ),
    "overview.cases.new_split": (
        "确诊 {confirmed} · 无症状 {asymptomatic}（{day}）",
        "{confirmed} confirmed · {asymptomatic} asymptomatic ({day})",
    ),
    "overview.in_hospital": ("在院本土感染者", "Local infections in hospital"),
    "overview.in_hospital_help": (
        "今日结束时仍在院（含重症、危重症 {severe} 人）",
        "In hospital at the end of today ({severe} severe or critical)",
    ),
    "overview.severe": ("重症、危重症", "Severe or critical"),
    "overview.severe_help": (
        "在院本土感染者中按最新记录为重症或危重症者",
        "Local infections in hospital whose latest recorded severity is severe or critical",
    ),
    "overview.cases.total_local": ("累计本土感染者", "Local infections in total"),
    "overview.cases.total_split": (
        "确诊 {confirmed} · 无症状 {asymptomatic}",
        "{confirmed} confirmed · {asymptomatic} asymptomatic",
    ),
    "overview.contacts": ("密接、次密接已管控", "Contacts under control"),
    "overview.contacts_help": (
        "密接 {close_controlled}/{close_identified} · 次密接 "
        "{secondary_controlled}/{secondary_identified}",
        "close {close_controlled}/{close_identified} · secondary "
        "{secondary_controlled}/{secondary_identified}",
    ),
    "overview.zones": ("现行管控区域", "Control zones in force"),
    "overview.zones_split": (
        "封闭 {sealed} · 封控 {controlled} · 防范 {prevention}",
        "{sealed} sealed · {controlled} controlled · {prevention} prevention",
    ),
    "overview.testing": ("当前核酸检测轮次完成率", "Testing completion, current rounds"),
    "overview.testing_help": (
        "{rounds} 个轮次（进行中的轮次；若无，各区最近一轮，与核酸检测页默认所选相同）"
        " · 已采样 {sampled} / 目标 {target} 人",
        "{rounds} {rounds:round|rounds} (those under way; if none, each district's latest, "
        "as the testing page chooses first) · {sampled} sampled of {target} targeted",
    ),
    "overview.testing_none": ("当前无进行中的检测轮次", "No testing round under way"),
    "overview.rooms_free": ("隔离酒店可用房间", "Quarantine rooms free"),
    "overview.rooms_help": (
        "{hotels} 家启用酒店 · 共 {total} 间 · 在住 {occupied} · 清洁中 {cleaning}",
        "{hotels} active {hotels:hotel|hotels} · {total} {total:room|rooms} · "
        "{occupied} occupied · {cleaning} cleaning",
    ),
    "overview.rooms_full_in": (
        "按近 3 天净入住，约 {days} 天后住满",
        "Full in about {days} days at the last 3 days' net intake",
    ),
    "overview.rooms_full_beyond": (
        "按近 3 天净入住，{days} 天内不会住满",
        "Not full within {days} days at the last 3 days' net intake",
    ),
    "overview.rooms_full_now": (
        "已无可用房间（含待转运密接）",
        "No room left (counting close contacts waiting)",
    ),
    "overview.rooms_not_filling": (
        "近 3 天净入住未增加，暂不会住满",
        "Not filling: net intake over the last 3 days is not positive",
    ),
    "overview.rooms_full_unknown": (
        "近 3 天无上报，无法估计何时住满",
        "No reports in the last 3 days: when rooms run out is unknown",
    ),
    "overview.supply_low": ("可用不足 7 天的物资", "Supply lines under 7 days"),
    "overview.supply_help": (
        "其中 3 天及以下 {critical} 项，共 {lines} 项有消耗数据",
        "{critical} of them at 3 days or less; {lines} {lines:line|lines} with burn data",
    ),
    "overview.overdue": ("逾期未整改的院感问题", "Overdue corrective actions"),
    "overview.overdue_help": (
        "未关闭 {open} 项，其中逾期 {overdue} 项",
        "{open} open, {overdue} of them overdue",
    ),
    "overview.district_table": ("各区病例", "Cases by district"),
    "overview.col.district": ("区", "District"),
    "overview.col.new_today": ("今日新增", "New today"),
    "overview.col.last_7_days": ("近 7 日", "Last 7 days"),
    "overview.col.total": ("累计", "Total"),
    "overview.curve": ("每日新增本土感染者", "New local infections per day"),
}
