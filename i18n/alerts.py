"""Strings of the alerts (data.alerts) and of source freshness, wherever they are shown."""

STRINGS: dict[str, tuple[str, str]] = {
    "alerts.severity.critical": ("▲ 严重", "▲ Critical"),
    "alerts.severity.warning": ("● 注意", "● Warning"),
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
        "{item} at {name} lasts {days} days ({on_hand} {unit} on hand)",
    ),
    "alerts.queue_long": (
        "{name}排队等候 {minutes} 分钟（超过 60 分钟）",
        "{name}: {minutes}-minute queue (over 60 minutes)",
    ),
    "alerts.action_overdue": (
        "{name}有 {overdue} 项院感整改逾期未完成（未关闭共 {open} 项）",
        "{name} has {overdue} overdue corrective actions ({open} open in all)",
    ),
    "alerts.source_stale": (
        "{source}：{stale} / {reporters} 个上报单位超过规定间隔未上报",
        "{source}: {stale} of {reporters} reporters have not reported within their "
        "expected interval",
    ),
    "alerts.never": ("无法完成", "never at this rate"),
    "alerts.none": ("当前没有警报。", "No alerts now."),
    "alerts.title": ("警报", "Alerts"),
    "alerts.count": (
        "严重 {critical} 条 · 注意 {warning} 条",
        "{critical} critical · {warning} warnings",
    ),
    "alerts.more": ("另有 {count} 条警报", "{count} more alerts"),
    "alerts.open": ("查看", "Open"),
    # Sources of figures (data.measures.freshness.SOURCES)
    "source.testing_sites": ("核酸采样点", "Testing sites"),
    "source.hotels": ("隔离酒店", "Quarantine hotels"),
    "source.stock": ("物资库存", "Supply stock"),
    "source.audits": ("院感督导", "Infection-control audits"),
    "source.cases": ("病例流调", "Case tracing"),
}
