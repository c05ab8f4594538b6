"""Strings of the alerts (data.alerts) and of source freshness, wherever they are shown."""

STRINGS: dict[str, tuple[str, str]] = {
    # One sentence per kind; {name} is the place in the reader's language.
    "alerts.round_behind": (
        "{name}第 {round_no} 轮核酸检测预计无法在截止时间 {deadline} 前完成"
        "（已采样 {percent}，按近期速度预计 {projected} 完成）",
        "{name} testing round {round_no} will miss its deadline of {deadline} "
        "({percent} sampled; at the recent rate it finishes {projected})",
    ),
    "alerts.round_behind.never": (
        "{name}第 {round_no} 轮核酸检测近 6 小时无采样，无法在截止时间 {deadline} 前完成"
        "（已采样 {percent}）",
        "{name} testing round {round_no} took no samples in the last 6 hours and will not "
        "finish by its deadline of {deadline} ({percent} sampled)",
    ),
    "alerts.round_behind.missed": (
        "{name}第 {round_no} 轮核酸检测已过截止时间 {deadline}，仍未完成（已采样 {percent}）",
        "{name} testing round {round_no} passed its deadline of {deadline} unfinished "
        "({percent} sampled)",
    ),
    "alerts.hotel_full": (
        "{name}入住率 {percent}，可用房间 {available} / {total} 间",
        "{name} is {percent} occupied: {available} of {total} rooms free",
    ),
    "alerts.supply_short": (
        "{name}的{item}仅够 {days} 天（库存 {on_hand} {unit}）",
        "{item} at {name} lasts {days} {days:day|days} ({on_hand} {unit} on hand)",
    ),
    # Stock on hand that lasts less than a whole day at its burn rate (0 whole days).
    "alerts.supply_short.under_one": (
        "{name}的{item}可用不足1天（库存 {on_hand} {unit}）",
        "{item} at {name} lasts under 1 day ({on_hand} {unit} on hand)",
    ),
    "alerts.supply_short.out": (
        "{name}的{item}已断货（库存 {on_hand} {unit}）",
        "{item} at {name} is out of stock ({on_hand} {unit} on hand)",
    ),
    "alerts.queue_long": (
        "{name}排队等候 {minutes} 分钟（超过 60 分钟）",
        "{name}: {minutes}-minute queue (over 60 minutes)",
    ),
    "alerts.action_overdue": (
        "{name}有 {overdue} 项院感整改逾期未完成（未关闭共 {open} 项）",
        "{name} has {overdue} overdue corrective {overdue:action|actions} ({open} open in all)",
    ),
    "alerts.source_stale": (
        "{source}：{stale} / {reporters} 个上报单位超过规定间隔未上报",
        "{source}: {stale} of {reporters} reporters {stale:has|have} not reported within "
        "{stale:its|their} expected interval",
    ),
    # Alerts by kind (data.alerts.group_alerts): what the alerts of a group are about, as a
    # phrase that also stands inside a sentence (English starts it in lower case); a kind
    # whose severities differ in meaning says each (".critical").
    "alerts.group.round_behind": ("预计逾期完成的检测轮次", "testing rounds that will finish late"),
    "alerts.group.round_behind.critical": (
        "已逾期或无法完成的检测轮次",
        "testing rounds past their deadline or not finishing",
    ),
    "alerts.group.hotel_full": ("入住率达 95% 的隔离酒店", "quarantine hotels 95% full or more"),
    "alerts.group.hotel_full.critical": (
        "已无空房的隔离酒店",
        "quarantine hotels with no room free",
    ),
    "alerts.group.supply_short": ("可用 3 天及以下的物资", "supply lines at 3 days or less"),
    "alerts.group.queue_long": (
        "排队超过 60 分钟的采样点",
        "testing sites queueing over 60 minutes",
    ),
    "alerts.group.action_overdue": (
        "有逾期院感整改的机构",
        "facilities with overdue corrective actions",
    ),
    "alerts.group.source_stale": (
        "有单位逾期未上报的数据来源",
        "sources with stale reporters",
    ),
    "alerts.group.heading": ("{title}：{count} 条", "{title}: {count}"),
    "alerts.group.more": ("另有 {count} 条", "{count} more"),
    "alerts.group.rest": (
        "其余 {count} 条请在“{page}”页查看。",
        "{count} more: see the {page} page.",
    ),
    "alerts.none": ("当前没有预警。", "No alerts now."),
    "alerts.title": ("预警", "Alerts"),
    "alerts.count": (
        "严重 {critical} 条 · 注意 {warning} 条",
        "{critical} critical · {warning} {warning:warning|warnings}",
    ),
    "alerts.open": ("查看", "Open"),
    # Sources of figures (data.measures.freshness.SOURCES)
    "source.testing_sites": ("核酸采样点", "Testing sites"),
    "source.hotels": ("隔离酒店", "Quarantine hotels"),
    "source.stock": ("物资库存", "Supply stock"),
    "source.audits": ("院感督查", "Infection-control audits"),
    "source.cases": ("病例流调", "Case tracing"),
    # Source freshness (data.queries.freshness)
    "freshness.title": ("数据时效", "How fresh the figures are"),
    "freshness.col.source": ("数据来源", "Source"),
    "freshness.by_system": ("系统（批量写入）", "system (bulk writes)"),
    "freshness.col.state": ("状态", "State"),
    "freshness.col.last": ("最近上报", "Last report"),
    "freshness.col.by": ("上报人", "By"),
    "freshness.col.stale": ("逾期未报 / 应报单位", "Stale / reporters"),
    "freshness.col.reporter": ("上报单位", "Reporter"),
    "freshness.col.district": ("区", "District"),
    "freshness.col.interval": ("规定间隔", "Expected every"),
    "freshness.state.fresh": ("✓ 按时", "✓ On time"),
    "freshness.state.stale": ("● 有逾期", "● Some stale"),
    "freshness.state.none": ("— 无应报单位", "— No reporters"),
    "freshness.never": ("从未上报", "never"),
    "freshness.interval.days": ("{days} 天", "{days} d"),
    "freshness.interval.hours": ("{hours} 小时", "{hours} h"),
    "freshness.interval.minutes": ("{minutes} 分钟", "{minutes} min"),
    "freshness.expander": (
        "{source}：{count} 个单位逾期未报",
        "{source}: {count} stale {count:reporter|reporters}",
    ),
    "freshness.more": (
        "仅列出最久未报的 {shown} 个（共 {count} 个）。",
        "Only the {shown} longest silent are listed ({count} in all).",
    ),
    "freshness.caption": (
        "规定上报间隔：核酸采样点、隔离酒店按各自设定的间隔（演示情景中采样点 2 小时、酒店"
        " 4 小时）；物资库存每日盘点一次；院感督查每 14 天至少一次；有在院病例的区每日更新"
        "流调。超过间隔（或从未上报）即为逾期。上报人取自变更日志（院感督查为督查人）。",
        "Expected intervals: testing sites and quarantine hotels each have their own (in the "
        "demo scenario sites every 2 hours, hotels every 4); stock is counted daily; every "
        "facility is audited at least every 14 days; a district with cases in hospital "
        "updates their tracing daily. Past the interval (or never reported) is stale. “By” "
        "is from the change log (for audits, the auditor).",
    ),
}
