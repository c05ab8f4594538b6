"""Strings of the screen mode: the rotation bar, playlist problems, the alert interrupt."""

STRINGS: dict[str, tuple[str, str]] = {
    "screen.next": ("下一屏：{view}，{seconds} 秒后", "Next: {view} in {seconds} s"),
    "screen.position": ("第 {n}/{total} 屏", "Screen {n} of {total}"),
    "screen.bad_playlist": (
        "播放列表（playlist）中的“{part}”有误：{reason}。现按默认列表轮播：{default}",
        'The playlist\'s "{part}" is wrong: {reason}. Showing the default playlist '
        "instead: {default}",
    ),
    "screen.bad_view": (
        "没有名为 {view} 的页面（可用：{views}）",
        "there is no view called {view} (views: {views})",
    ),
    "screen.bad_seconds": (
        "时长应为 {low} 至 {high} 之间的整数秒",
        "a duration is a whole number of seconds from {low} to {high}",
    ),
    "screen.bad_form": (
        "每一项应写作“页面:秒数”，如 overview:60",
        'each entry is written "view:seconds", e.g. overview:60',
    ),
    "screen.empty": ("列表为空", "the list is empty"),
    "ack.button": ("确认已知悉", "Acknowledge"),
    "ack.help": (
        "确认本预警已有人处理：各大屏恢复轮播（12 小时内不再因本预警中断）。",
        "Say that this alert is being dealt with: wall screens go back to their rotation "
        "(it does not interrupt them again for 12 hours).",
    ),
    "ack.done": ("✓ {actor} 已于 {time} 确认", "✓ Acknowledged by {actor} at {time}"),
    "screen.interrupt.title": ("严重预警：轮播已暂停", "Critical alert: the rotation is paused"),
    "screen.interrupt.how": (
        "登录用户在总览页或本屏点击“确认已知悉”后，或预警解除后，大屏恢复轮播。",
        "The screens go back to their rotation once a signed-in user acknowledges the alert "
        "(on the Overview, or here), or when it ends.",
    ),
    "screen.interrupt.where": ("详见：{view}", "See: {view}"),
    "ack.all": ("全部确认已知悉（{count} 条）", "Acknowledge all {count}"),
}
