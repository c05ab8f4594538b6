"""Strings shared by every page: the shell, navigation, empty states, units."""

STRINGS: dict[str, tuple[str, str]] = {
    # One word per severity, for an alert and for a headline figure's status alike (drawn
    # with a symbol and a colour: components/severity.py).
    "severity.critical": ("严重", "Critical"),
    "severity.warning": ("注意", "Warning"),
    "severity.ok": ("正常", "Normal"),
    "kpi.trend.day": ("日期", "Day"),
    "app.title": ("疫情防控指挥中心", "Epidemic Control Command Center"),
    "app.city": ("广州市", "Guangzhou"),
    "nav.command": ("指挥", "Command"),
    "nav.views": ("专题", "Views"),
    "nav.admin": ("管理", "Admin"),
    "sidebar.language": ("语言 / Language", "语言 / Language"),
    "sidebar.as_of": (
        "最近收到的上报：{time}（页面显示截至当前时刻的数据）",
        "Newest report received: {time} (pages show the figures as of now)",
    ),
    "sidebar.live": (
        "● 实时：每 {seconds} 秒检查一次新数据，有更新即刷新本页",
        "● Live: checks for new data every {seconds} s and redraws when there is any",
    ),
    "sidebar.no_data": ("数据库暂无数据", "The database holds no data yet"),
    "sidebar.timezone": ("时区：{zone}", "Time zone: {zone}"),
    "sidebar.database": ("数据库：{engine}", "Database: {engine}"),
    "banner.simulated": (
        "模拟数据：本屏显示的是仿照 2021 年 5–6 月广州疫情生成的演示情景，并非真实记录。",
        "Simulated data: this screen shows a demo scenario in the shape of Guangzhou's "
        "May–June 2021 outbreak, not a record of it.",
    ),
    "error.database": (
        "无法连接数据库：{reason}。请检查 DATABASE_URL 设置后刷新页面。",
        "Cannot reach the database: {reason}. Check the DATABASE_URL setting, then reload.",
    ),
    "error.settings": (
        "{problem}。请修正环境变量或 .env 文件后重启。",
        "{problem}. Correct the environment or the .env file, then restart.",
    ),
    "sidebar.replay": ("回看：截至 {time}", "Replay: as of {time}"),
    "sidebar.as_of_pick": ("回看某一时刻", "Show an earlier moment"),
    "sidebar.as_of_pick_help": (
        "各页面所有数字均按所选时刻显示，如同此后的上报从未发生；关闭后回到当前。",
        "Every figure on every view as it was at the chosen moment, as if nothing after it "
        "had been reported; switch off to go back.",
    ),
    "sidebar.as_of_day": ("日期", "Day"),
    "sidebar.as_of_time": ("时间", "Time"),
    "banner.picked": (
        "回看：本页所有数字均为 {time} 时的情况（之后的上报不计入）。"
        "在侧栏关闭“回看某一时刻”即回到当前。",
        "Replay: every figure on this page is as it was at {time} (nothing reported after it "
        'counts). Switch off "Show an earlier moment" in the sidebar to go back.',
    ),
    "empty.database": (
        "数据库中还没有数据。运行 `python -m data seed` 载入演示情景，或等待值班员上报。",
        "There is no data in the database yet. Run `python -m data seed` to load the demo "
        "scenario, or wait for duty officers' reports.",
    ),
    "empty.filter": ("没有符合筛选条件的记录。", "No records match the filters."),
    "table.more": ("再显示 {count} 条", "Show {count} more"),
    "unit.people": ("人", "people"),
    "unit.rooms": ("间", "rooms"),
    "unit.lines": ("项", "lines"),
    "unit.actions": ("项", "actions"),
    "district.all": ("全市", "Whole city"),
    "zone.sealed": ("封闭区", "Sealed"),
    "zone.controlled": ("封控区", "Controlled"),
    "zone.prevention": ("防范区", "Prevention"),
    "kind.confirmed": ("确诊病例", "Confirmed"),
    "kind.asymptomatic": ("无症状感染者", "Asymptomatic"),
    "cohort.inbound": ("入境人员", "Inbound travellers"),
    "cohort.close_contact": ("密切接触者", "Close contacts"),
    "cohort.secondary_contact": ("次密切接触者", "Secondary contacts"),
}
