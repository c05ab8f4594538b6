"""Strings of the hotels page."""

STRINGS: dict[str, tuple[str, str]] = {
    "hotels.title": ("隔离酒店", "Quarantine hotels"),
    "hotels.caption": (
        "集中隔离酒店房间与收治情况，数据截至 {time}（{zone}）。总数只计启用中的酒店。",
        "Rooms and flows of the designated quarantine hotels, as of {time} ({zone}). "
        "Totals count active hotels only.",
    ),
    "hotels.none": (
        "数据库中还没有隔离酒店。",
        "There are no quarantine hotels in the database yet.",
    ),
    # Headline figures
    "hotels.kpi.hotels": ("酒店 启用 / 备用 / 关闭", "Hotels active / standby / closed"),
    "hotels.kpi.rooms_total": ("房间总数", "Rooms in total"),
    "hotels.kpi.rooms_total_help": (
        "{hotels} 家启用酒店的最新上报",
        "latest {hotels:report|reports} of {hotels} active {hotels:hotel|hotels}",
    ),
    "hotels.kpi.occupied": ("在住房间", "Rooms occupied"),
    "hotels.kpi.cleaning": ("清洁消毒中", "Rooms being cleaned"),
    "hotels.kpi.available": ("可用房间", "Rooms available"),
    "hotels.kpi.available_help": (
        "未入住且不在清洁消毒中的房间",
        "neither occupied nor being cleaned",
    ),
    "hotels.kpi.occupancy": ("入住率", "Occupancy"),
    "hotels.kpi.occupancy_help": (
        "在住 ÷ 房间总数；≥85% 黄色，≥95% 红色",
        "occupied ÷ rooms; amber from 85%, red from 95%",
    ),
    "hotels.kpi.days_until_full": ("全市预计住满", "City rooms full in"),
    "hotels.kpi.days_until_full_help": (
        "净收治 {net} 间/天（近 {window} 天及今日）",
        "net intake {net} {net:room|rooms}/day (last {window} days and today)",
    ),
    "hotels.kpi.waiting": ("待转运密接", "Close contacts waiting"),
    "hotels.kpi.waiting_help": (
        "已判定未管控的密接；密接酒店可用 {free} 间",
        "identified, not yet placed; {free} {free:room|rooms} free in close-contact hotels",
    ),
    # Alerts
    "hotels.alert.short": (
        "待转运密接 {waiting} 人，密接隔离酒店可用房间仅 {free} 间，缺口 {short} 间。",
        "{waiting} close {waiting:contact is|contacts are} waiting but close-contact hotels have "
        "only {free} {free:room|rooms} free: {short} {short:room|rooms} short.",
    ),
    "hotels.alert.red": (
        "入住率达到 95% 以上的酒店（{count} 家）：{names}",
        "Hotels at 95% occupancy or more ({count}): {names}",
    ),
    "hotels.alert.stale": (
        "超过规定间隔未上报的启用酒店（{count} 家），数据可能已过时：{names}",
        "Active hotels whose report is older than expected ({count}); their figures may be "
        "out of date: {names}",
    ),
    "hotels.alert.no_report": (
        "尚未上报的启用酒店（{count} 家）：{names}",
        "Active hotels with no report yet ({count}): {names}",
    ),
    "hotels.alert.more": ("等 {count} 家", "and {count} more"),
    # Outlook
    "hotels.outlook": ("房间何时用尽", "When will rooms run out"),
    "hotels.outlook_caption": (
        "预计住满天数 = (可用房间 − 待转运密接) ÷ 日均净收治。日均净收治 = 近 {window} 个完整日"
        "及今日已过时段的（收治 − 解除）之和 ÷ 所覆盖天数；≤0 为“未在增加”。",
        "Days until full = (rooms available − close contacts waiting) ÷ net daily intake. Net "
        "daily intake = (intake − discharges) over the last {window} complete days and today so "
        "far, divided by the days covered; 0 or less means not filling.",
    ),
    "hotels.scope.all": ("全市", "Whole city"),
    "hotels.not_filling": ("未在增加", "not filling"),
    "hotels.over_days": ("超过 {days} 天", "over {days} days"),
    "hotels.full_now": ("已满", "full"),
    "hotels.no_hotels": ("无酒店", "no hotels"),
    "hotels.unknown": ("无数据", "no data"),
    # Columns
    "hotels.col.scope": ("范围", "Scope"),
    "hotels.col.hotel": ("酒店", "Hotel"),
    "hotels.col.code": ("编号", "Code"),
    "hotels.col.district": ("区", "District"),
    "hotels.col.cohort": ("收治人群", "Cohort"),
    "hotels.col.status": ("状态", "Status"),
    "hotels.col.report": ("上报", "Report"),
    "hotels.col.hotels": ("酒店数", "Hotels"),
    "hotels.col.rooms": ("房间", "Rooms"),
    "hotels.col.occupied": ("在住", "Occupied"),
    "hotels.col.cleaning": ("清洁中", "Cleaning"),
    "hotels.col.available": ("可用", "Available"),
    "hotels.col.occupancy": ("入住率", "Occupancy"),
    "hotels.col.level": ("等级", "Level"),
    "hotels.col.staff": ("在岗人员", "Staff on duty"),
    "hotels.col.intake_today": ("今日收治", "Intake today"),
    "hotels.col.discharges_today": ("今日解除", "Discharges today"),
    "hotels.col.last_report": ("最近上报", "Last report"),
    "hotels.col.net_per_day": ("日均净收治", "Net intake / day"),
    "hotels.col.waiting": ("待转运", "Waiting"),
    "hotels.col.short": ("缺口", "Short"),
    "hotels.col.days_until_full": ("预计住满", "Full in"),
    "hotels.col.day": ("日期", "Day"),
    "hotels.col.count": ("房间数", "Rooms"),
    "hotels.col.people": ("人数", "People"),
    "hotels.col.series": ("指标", "Measure"),
    # Values
    "hotels.status.active": ("启用", "Active"),
    "hotels.status.standby": ("备用", "Standby"),
    "hotels.status.closed": ("关闭", "Closed"),
    "hotels.report.current": ("正常", "Current"),
    "hotels.report.stale": ("逾期未报", "Stale"),
    "hotels.report.no_report": ("未上报", "No report"),
    "hotels.band.red": ("红 ≥95%", "Red ≥95%"),
    "hotels.band.amber": ("黄 ≥85%", "Amber ≥85%"),
    "hotels.band.green": ("正常 <85%", "Normal <85%"),
    "hotels.band.none": ("无数据", "No data"),
    "hotels.cohort.none": ("未指定", "Unassigned"),
    # Hotel list
    "hotels.list": ("各隔离酒店", "Hotels"),
    "hotels.filter.district": ("区", "District"),
    "hotels.filter.district_all": ("全市", "Whole city"),
    "hotels.filter.cohort": ("收治人群", "Cohort"),
    "hotels.filter.all_cohorts": ("全部人群", "All cohorts"),
    "hotels.sort": ("排序", "Sort by"),
    "hotels.sort.occupancy": ("入住率（高在前）", "Occupancy (highest first)"),
    "hotels.sort.available": ("可用房间（少在前）", "Rooms available (fewest first)"),
    "hotels.sort.last_report": ("最近上报（最早在前）", "Last report (oldest first)"),
    "hotels.sort.name": ("酒店名称", "Hotel name"),
    "hotels.download": ("下载 CSV", "Download CSV"),
    "hotels.list_caption": (
        "{shown} 家酒店；点击列标题可排序。上报超过规定间隔（{interval}）即为逾期。",
        "{shown} {shown:hotel|hotels}; click a column heading to sort. A report older than "
        "the hotel's expected interval ({interval}) is stale.",
    ),
    "hotels.list_shown": (
        "显示排在最前的 {shown} 家，共 {total} 家；完整清单请下载。",
        "Showing the first {shown} of {total} hotels in this order; the download has them all.",
    ),
    "hotels.interval_minutes": ("{minutes} 分钟", "{minutes} min"),
    # Map
    "hotels.map": ("隔离酒店分布", "Hotels on the map"),
    "hotels.map_legend": (
        "圆点颜色：红色 入住率 ≥95%，橙色 ≥85%，绿色 <85%，灰色 无数据或未启用；"
        "黑色描边：启用酒店逾期未报或尚未上报。点的大小随房间数。",
        "Dot colour: red at 95% occupancy or more, amber from 85%, green below 85%, grey no "
        "data or not active; a dark ring: an active hotel's report is stale or missing. Dot "
        "size follows the rooms.",
    ),
    "hotels.map_tooltip": (
        "{name}\n{cohort} · {status}\n入住 {occupancy}（{occupied}/{rooms}）\n"
        "可用 {available} · 上报：{report}",
        "{name}\n{cohort} · {status}\noccupancy {occupancy} ({occupied}/{rooms})\n"
        "available {available} · report: {report}",
    ),
    # Trends
    "hotels.trend": ("趋势", "Trends"),
    "hotels.trend.occupancy": ("在住与房间总数（按收治人群）", "Occupied and rooms, by cohort"),
    "hotels.trend.flows": ("每日收治与解除（全市）", "Intake and discharges per day (city)"),
    "hotels.trend.caption": (
        "每日房间数取各酒店当天最后一次上报；今日取各启用酒店的最新上报（即上方合计）。"
        "收治与解除为当日累计，今日截至目前。",
        "Rooms per day are each hotel's last report of that day; today's are the active "
        "hotels' latest reports (the totals above). Intake and discharges are per day, today "
        "so far.",
    ),
    "hotels.trend.empty": ("最近 {days} 天没有上报。", "No reports in the last {days} days."),
    "hotels.series.occupied": ("在住", "Occupied"),
    "hotels.series.rooms": ("房间总数", "Rooms"),
    "hotels.series.intake": ("收治", "Intake"),
    "hotels.series.discharges": ("解除隔离", "Discharges"),
}
