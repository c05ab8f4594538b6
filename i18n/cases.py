"""Strings of the case map page."""

STRINGS: dict[str, tuple[str, str]] = {
    "cases.title": ("病例地图", "Case map"),
    "cases.caption": (
        "本土病例、传播链与分级管控区域，数据截至 {time}（{zone}）。不含境外输入病例。",
        "Local cases, transmission chains and tiered control zones, as of {time} ({zone}). "
        "Imported cases are not included.",
    ),
    "cases.privacy": (
        ":material/lock: 本页不显示姓名、身份证号、电话号码或详细住址；"
        "病例位置只到社区（街道）一级。",
        ":material/lock: This page never shows names, ID numbers, phone numbers or exact "
        "addresses; case positions are community-level (street or village).",
    ),
    # Filters
    "cases.filter.replay": ("地图日期（回看）", "Map as of (replay)"),
    "cases.filter.replay_help": (
        "拖动查看疫情期间任一天的地图：只显示当天及以前报告的病例、当天有效的管控区域。",
        "Drag to see the map as of any day of the outbreak: only cases reported by then, "
        "only zones in force that day.",
    ),
    "cases.filter.from": ("起始日期", "From"),
    "cases.filter.from_help": (
        "统计时段从这一天开始，到地图日期为止。",
        "The period counted starts on this day and ends on the map's day.",
    ),
    "cases.filter.district": ("区", "District"),
    "cases.filter.district_help": (
        "也可以在地图上点击一个区；再点一次回到全市。",
        "Or click a district on the map; click it again for the whole city.",
    ),
    "cases.filter.kinds": ("病例类别", "Case kind"),
    "cases.filter.from_after_replay": (
        "起始日期 {start} 晚于地图日期 {day}，已按 {day} 当天统计。",
        "The start date {start} is after the map's day {day}: showing {day} alone.",
    ),
    "cases.filter.no_kinds": (
        "请至少选择一种病例类别，否则不显示任何病例。",
        "Choose at least one case kind; with none, no case is shown.",
    ),
    # Headline figures
    "cases.kpi.total": ("时段内本土感染者", "Local infections in the period"),
    "cases.kpi.total_help": (
        "{start} 至 {day} · 确诊 {confirmed} · 无症状 {asymptomatic}",
        "{start} to {day} · {confirmed} confirmed · {asymptomatic} asymptomatic",
    ),
    "cases.kpi.new": ("{day} 新增", "New on {day}"),
    "cases.kpi.new_help": ("当天报告的本土感染者", "Local infections reported that day"),
    # The sign leads: Streamlit picks the delta's arrow and colour from the first character.
    "cases.kpi.delta": ("{delta:+d}（较前一日）", "{delta:+d} on the day before"),
    "cases.kpi.in_hospital": ("在院治疗", "In hospital"),
    "cases.kpi.in_hospital_help": (
        "其中重症、危重症 {severe} 例",
        "{severe} of them severe or critical",
    ),
    "cases.kpi.contacts": ("密接、次密接已管控", "Contacts under control"),
    "cases.kpi.contacts_help": (
        "密接 {close_controlled}/{close_identified} · 次密接 "
        "{secondary_controlled}/{secondary_identified}",
        "close {close_controlled}/{close_identified} · secondary "
        "{secondary_controlled}/{secondary_identified}",
    ),
    "cases.kpi.zones": ("当天有效管控区域", "Control zones in force"),
    "cases.kpi.zones_help": (
        "封闭 {sealed} · 封控 {controlled} · 防范 {prevention}",
        "{sealed} sealed · {controlled} controlled · {prevention} prevention",
    ),
    # Map
    "cases.map.title": ("{day} 疫情地图", "The outbreak on {day}"),
    "cases.map.alt": (
        "广州市各区地图，显示本土病例、传播关系、管控区域和防控设施",
        "Map of Guangzhou's districts with local cases, transmission links, control zones "
        "and facilities",
    ),
    "cases.map.hint": (
        "悬停查看概况；点击病例查看详情，点击一个区即筛选到该区。",
        "Hover for a summary; click a case for its details, or a district to filter the page "
        "to it.",
    ),
    # The card of a case clicked on the map
    "cases.card.reported": ("报告日期：{day}", "Reported: {day}"),
    "cases.card.status": ("状态：{status} · {severity}", "Status: {status} · {severity}"),
    "cases.card.hospital": ("收治医院：{name}", "Hospital: {name}"),
    "cases.card.contacts": (
        "密接已管控 {close_controlled}/{close_identified} · 次密接 "
        "{secondary_controlled}/{secondary_identified}",
        "Contacts under control: close {close_controlled}/{close_identified} · secondary "
        "{secondary_controlled}/{secondary_identified}",
    ),
    "cases.card.infector": ("传染源：{case}", "Infected by: {case}"),
    "cases.card.no_infector": ("传染源：尚未查明", "Infected by: not traced"),
    "cases.card.infected": (
        "传染给 {count} 例：{cases}",
        "Went on to infect {count}: {cases}",
    ),
    "cases.card.infected_none": ("尚无已知的续发病例", "No known onward cases"),
    "cases.card.close": (
        "点击地图空白处关闭。",
        "Click an empty spot on the map to close.",
    ),
    "cases.map.capped": (
        "地图显示最新的 {shown} 例（共 {total} 例）；密度图层包含全部病例。",
        "The map shows the newest {shown} of {total} {total:case|cases}; the density layer covers "
        "them all.",
    ),
    "cases.map.facilities_capped": (
        "只显示前 {shown} 个设施；选择一个区可查看该区全部设施。",
        "Only the first {shown} {shown:facility is|facilities are} shown; choose a district to see "
        "all of its own.",
    ),
    "cases.layer.title": ("图层", "Layers"),
    "cases.layer.points": ("病例", "Cases"),
    "cases.layer.density": ("病例密度", "Case density"),
    "cases.layer.links": ("传播关系", "Transmission links"),
    "cases.layer.zones": ("管控区域", "Control zones"),
    "cases.layer.hospitals": ("定点医院", "Designated hospitals"),
    "cases.layer.hotels": ("隔离酒店", "Quarantine hotels"),
    "cases.layer.sites": ("核酸采样点", "Testing sites"),
    "cases.legend.district_title": (
        "区内本土病例（所选时段）",
        "Local cases in a district (period)",
    ),
    "cases.legend.district_cases": ("{cases} 例", "{cases} {cases:case|cases}"),
    "cases.legend.older": ("较早报告的病例（颜色较淡）", "Older cases (fainter)"),
    "cases.legend.link": ("传播关系（传染者 → 被传染者）", "Link (infector → infected)"),
    "cases.legend.density": ("病例密度（少 → 多）", "Case density (low → high)"),
    "cases.empty.no_cases": (
        "截至 {day} 尚无本土病例报告。",
        "No local case has been reported up to {day}.",
    ),
    # Tooltips
    "cases.tip.population": ("人口：{value}", "Population: {value}"),
    "cases.tip.district_total": (
        "时段内病例：{total}（确诊 {confirmed} · 无症状 {asymptomatic}）",
        "Cases in the period: {total} ({confirmed} confirmed · {asymptomatic} asymptomatic)",
    ),
    "cases.tip.district_new": ("{day} 新增：{value}", "New on {day}: {value}"),
    "cases.tip.district_hospital": (
        "在院：{value}（重症、危重症 {severe}）",
        "In hospital: {value} ({severe} severe or critical)",
    ),
    "cases.tip.district_zones": ("有效管控区域：{value}", "Control zones in force: {value}"),
    "cases.tip.imposed": ("实施：{value}", "Imposed: {value}"),
    "cases.tip.capacity_beds": ("床位：{value}", "Beds: {value}"),
    "cases.tip.capacity_rooms": ("房间：{value}", "Rooms: {value}"),
    "cases.status.admitted": ("住院治疗", "In hospital"),
    "cases.status.discharged": ("已出院", "Discharged"),
    "cases.status.died": ("死亡", "Died"),
    "cases.facility.designated_hospital": ("定点医院", "Designated hospital"),
    "cases.facility.quarantine_hotel": ("隔离酒店", "Quarantine hotel"),
    "cases.facility.testing_site": ("核酸采样点", "Testing site"),
    "cases.facility_status.standby": ("备用", "On standby"),
    "cases.facility_status.closed": ("已关闭", "Closed"),
    # Epidemic curve
    "cases.curve.title": ("流行曲线", "Epidemic curve"),
    "cases.curve.by_district": ("按区分列", "Split by district"),
    "cases.curve.average": ("7 日平均", "7-day average"),
    # Table by district
    "cases.table.title": ("各区病例与密接管控（{day}）", "Cases and contacts by district ({day})"),
    "cases.table.help": (
        "“累计”及密接数为 {start} 至 {day} 报告的病例；在院、重症及危重症为 {day} 当天结束时。"
        "点击列名排序。",
        "Total and contacts count the cases reported {start} to {day}; in hospital and severe "
        "or critical are at the end of {day}. Click a column's name to sort.",
    ),
    "cases.table.download": ("下载 CSV", "Download CSV"),
    "cases.col.code": ("区划代码", "District code"),
    "cases.col.district": ("区", "District"),
    "cases.col.new_today": ("当日新增", "New that day"),
    "cases.col.last_7_days": ("近 7 日", "Last 7 days"),
    "cases.col.total": ("累计", "Total"),
    "cases.col.in_hospital": ("在院", "In hospital"),
    "cases.col.severe": ("重症、危重症", "Severe or critical"),
    "cases.col.close_controlled": ("密接已管控", "Close contacts controlled"),
    "cases.col.close_identified": ("密接已排查", "Close contacts identified"),
    "cases.col.secondary_controlled": ("次密接已管控", "Secondary contacts controlled"),
    "cases.col.secondary_identified": ("次密接已排查", "Secondary contacts identified"),
    "cases.col.controlled_percent": ("密接、次密接管控率", "Contacts under control"),
    "cases.col.report_date": ("报告日期", "Report date"),
    "cases.col.cases": ("例数", "Cases"),
    "cases.col.kind": ("类别", "Kind"),
    # Zones
    "cases.zones.title": ("管控区域（{day}）", "Control zones ({day})"),
    "cases.zones.population": ("涉及人口 {value}", "{value} people"),
    "cases.zones.show_lifted": ("同时列出已解除的区域", "Also list zones already lifted"),
    "cases.zones.none": ("当天没有有效的管控区域。", "No control zone is in force that day."),
    "cases.col.level": ("级别", "Level"),
    "cases.col.zone": ("区域", "Zone"),
    "cases.col.population": ("人口", "Population"),
    "cases.col.imposed": ("实施时间", "Imposed"),
    "cases.col.lifted": ("解除时间", "Lifted"),
    # Chains
    "cases.chains.title": ("传播链", "Transmission chains"),
    "cases.chains.summary": (
        "{chains} 条传播链，共 {linked} 例；另有 {single} 例尚无已知传播关系。",
        "{chains} {chains:chain|chains} holding {linked} {linked:case|cases}; {single} "
        "{single:case has|cases have} no known link yet.",
    ),
    "cases.chains.none": ("没有已知的传播链。", "No known transmission chain."),
    "cases.chains.help": (
        "代数：指示病例为第 1 代，其传染的为第 2 代，依此类推。",
        "Generations: the index case is generation 1, those it infected generation 2, and so on.",
    ),
    "cases.col.index_case": ("指示病例", "Index case"),
    "cases.col.chain_size": ("病例数", "Cases"),
    "cases.col.generations": ("代数", "Generations"),
    "cases.col.first_report": ("首例报告", "First reported"),
    "cases.col.last_report": ("最新报告", "Latest reported"),
    "cases.col.districts": ("涉及区数", "Districts"),
}
