"""Strings of the supplies page."""

STRINGS: dict[str, tuple[str, str]] = {
    "supplies.title": ("物资保障", "Supply levels"),
    "supplies.caption": (
        "防护用品、检测耗材、试剂、消毒用品和生活物资的库存与可用天数，数据截至 {time}（{zone}）。",
        "Stock of PPE, test kits, reagents, disinfectant and living supplies, and how many "
        "days it lasts, as of {time} ({zone}).",
    ),
    "supplies.definitions": (
        "消耗速度：近 7 天（截至今日）内首次与末次盘点之间的日均消耗，至少需 2 天的盘点数据"
        "（参照美国 CDC 防护用品消耗计算方法）；可用天数 = 现有库存 ÷ 消耗速度，库存为 0 即 0 天；"
        "预计断货日 = 今日 + 可用整天数。3 天及以下标红，不足 7 天标橙。",
        "Burn rate: average daily use between the first and last count in the last 7 days "
        "(to today), which needs counts on at least 2 days (CDC burn-rate method). Days of "
        "supply = on hand ÷ burn rate; nothing on hand is 0 days. Projected stock-out = today "
        "+ whole days of supply. Red at 3 days or less, amber under 7.",
    ),
    "supplies.empty": (
        "还没有物资库存记录。仓库、医院、酒店和采样点上报盘点后，这里会显示库存和可用天数。",
        "No stock has been reported yet. Once warehouses, hospitals, hotels and testing sites "
        "report their counts, their stock and days of supply show here.",
    ),
    # Filters
    "supplies.filter.category": ("物资类别", "Item category"),
    "supplies.filter.district": ("区", "District"),
    "supplies.filter.kind": ("地点类型", "Location kind"),
    "supplies.filter.all": ("全部", "All"),
    "supplies.category.ppe": ("防护用品", "PPE"),
    "supplies.category.test_kit": ("检测耗材", "Test kits"),
    "supplies.category.reagent": ("检测试剂", "Reagents"),
    "supplies.category.disinfectant": ("消毒用品", "Disinfectant"),
    "supplies.category.living": ("生活物资", "Living supplies"),
    "supplies.kind.designated_hospital": ("定点医院", "Designated hospital"),
    "supplies.kind.general_hospital": ("综合医院", "General hospital"),
    "supplies.kind.fever_clinic": ("发热门诊", "Fever clinic"),
    "supplies.kind.quarantine_hotel": ("隔离酒店", "Quarantine hotel"),
    "supplies.kind.testing_site": ("采样点", "Testing site"),
    "supplies.kind.warehouse": ("区物资仓库", "District warehouse"),
    # Headline figures
    "supplies.kpi.lines": ("库存条目", "Stock lines"),
    "supplies.kpi.lines_help": (
        "{items} 种物资 · {locations} 个地点",
        "{items} {items:item|items} at {locations} {locations:location|locations}",
    ),
    "supplies.kpi.critical": ("3 天及以下", "3 days or less"),
    "supplies.kpi.critical_help": ("其中已断货 {zero} 项", "{zero} of them at zero"),
    "supplies.kpi.low": ("不足 7 天", "Under 7 days"),
    "supplies.kpi.low_help": ("含 3 天及以下的条目", "Including those of 3 days or less"),
    "supplies.kpi.unknown": ("数据不足", "Not enough data"),
    "supplies.kpi.unknown_help": (
        "近 7 天盘点少于 2 天，无法计算消耗速度",
        "Counted on fewer than 2 of the last 7 days: no burn rate",
    ),
    # Sections
    "supplies.tab.items": ("全市按物资", "City-wide by item"),
    "supplies.tab.lines": ("按地点", "By location"),
    "supplies.tab.trends": ("趋势", "Trends"),
    "supplies.tab.stock_outs": ("断货", "Stock-outs"),
    "supplies.items_caption": (
        "全市可用天数 = 全部库存 ÷ 有消耗数据的各地点日消耗之和（假定物资可在全市调配）。"
        "最先用完的物资排在最前。",
        "City-wide days of supply = all stock on hand ÷ the summed daily use of the lines "
        "that have a burn rate (as if stock can be moved across the city). The items that "
        "run out first are at the top.",
    ),
    "supplies.lines_caption": (
        "每种物资在每个地点的库存，按紧急程度排序。",
        "Each item's stock at each location, most urgent first.",
    ),
    "supplies.download": ("下载 CSV", "Download CSV"),
    "supplies.lines_search": ("查找物资、地点或区", "Find an item, location or district"),
    "supplies.lines_search_help": (
        "输入名称的一部分（中文或英文）；清空后显示全部。",
        "Type part of a name (Chinese or English); clear it to see every line again.",
    ),
    "supplies.lines_shown": (
        "显示最紧急的 {shown} 条，共 {total} 条。可查找，或下载完整清单。",
        "Showing the {shown} most urgent of {total} lines. Search, or download the full list.",
    ),
    "supplies.lines_found_none": ("没有名称含“{text}”的库存。", "No stock line matches “{text}”."),
    "supplies.trend.item": ("物资", "Item"),
    "supplies.trend.location": ("地点", "Location"),
    "supplies.trend.on_hand": ("库存（近 30 天）", "On hand (last 30 days)"),
    "supplies.trend.consumption": ("每日消耗", "Consumption per day"),
    "supplies.trend.reorder": ("补货线 {level}", "Reorder level {level}"),
    "supplies.trend.summary": (
        "日消耗：{burn} · 可用天数：{days} · 预计断货：{stock_out} · 在途：{on_order}",
        "Burn per day: {burn} · Days of supply: {days} · Projected stock-out: {stock_out} · "
        "On order: {on_order}",
    ),
    "supplies.trend.no_history": (
        "该条目近 30 天没有盘点记录。",
        "This line has no counts in the last 30 days.",
    ),
    "supplies.stock_outs_shown": (
        "显示最严重的 {shown} 条（当前为 0 的在前，断货天数多的在前），共 {total} 条。",
        "Showing the {shown} worst of {total} lines (at zero now first, then the most days at "
        "zero).",
    ),
    "supplies.trend.find_location": ("查找地点", "Find a location"),
    "supplies.trend.find_location_help": (
        "输入地点或所在区名称的一部分（中文或英文）；清空即列出最紧急的地点。",
        "Type part of a location's or its district's name (Chinese or English); clear it to "
        "list the most urgent again.",
    ),
    "supplies.trend.locations_shown": (
        "列出最紧急的 {shown} 个地点，共 {total} 个；输入名称可查找其他地点。",
        "Listing the {shown} most urgent of {total} locations; type a name to find another.",
    ),
    "supplies.trend.location_none": (
        "该物资没有名称含所输入文字的地点。",
        "No location of this item has a name that holds what was typed.",
    ),
    "supplies.stock_outs_caption": (
        "当前库存为 0 的条目，以及近 30 天内（截至今日）某日最后一次盘点为 0 的条目；"
        "断货天数只计有盘点的日子。",
        "Lines at zero now, and lines whose last count of some day in the last 30 days (to "
        "today) was zero; days at zero count only days with a count.",
    ),
    "supplies.stock_outs_none": (
        "近 30 天没有断货记录。",
        "No stock-outs in the last 30 days.",
    ),
    # Columns
    "supplies.col.item": ("物资", "Item"),
    "supplies.col.category": ("类别", "Category"),
    "supplies.col.unit": ("单位", "Unit"),
    "supplies.col.location": ("地点", "Location"),
    "supplies.col.kind": ("地点类型", "Location kind"),
    "supplies.col.district": ("区", "District"),
    "supplies.col.on_hand": ("现有库存", "On hand"),
    "supplies.col.on_order": ("在途", "On order"),
    "supplies.col.reorder_level": ("补货线", "Reorder level"),
    "supplies.col.burn": ("日消耗", "Burn per day"),
    "supplies.col.days": ("可用天数", "Days of supply"),
    "supplies.col.band": ("天数区间", "Band"),
    "supplies.col.status": ("状态", "Status"),
    "supplies.col.stock_out": ("预计断货日", "Projected stock-out"),
    "supplies.col.days_counted": ("近 7 天盘点天数", "Days counted (7 d)"),
    "supplies.col.last_count": ("最后盘点", "Last count"),
    "supplies.col.lines": ("地点数", "Lines"),
    "supplies.col.lines_critical": ("3 天及以下的地点", "Lines at 3 days or less"),
    "supplies.col.lines_at_zero": ("断货地点", "Lines at zero"),
    "supplies.col.lines_without_burn": ("无消耗数据的地点", "Lines without burn data"),
    "supplies.col.at_zero_now": ("当前断货", "At zero now"),
    "supplies.col.days_at_zero": ("近 30 天断货天数", "Days at zero (30 d)"),
    "supplies.col.last_day_at_zero": ("最近断货日", "Last day at zero"),
    "supplies.col.day": ("日期", "Day"),
    "supplies.col.consumed": ("消耗", "Consumed"),
    "supplies.col.received": ("入库", "Received"),
    # Values
    "supplies.not_enough_data": ("数据不足", "not enough data"),
    "supplies.no_use": ("无消耗", "no use"),
    "supplies.band_days": ("{band} 天", "{band} days"),
    "supplies.level.critical": ("● 3 天及以下", "● 3 days or less"),
    "supplies.level.low": ("● 不足 7 天", "● Under 7 days"),
    "supplies.level.ok": ("● 充足", "● 7 days or more"),
    "supplies.level.unknown": ("○ 数据不足", "○ Not enough data"),
    "supplies.level.no_use": ("○ 无消耗", "○ No use"),
    "supplies.yes": ("是", "yes"),
    "supplies.no": ("否", "no"),
}
