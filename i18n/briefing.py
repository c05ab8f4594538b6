"""Strings of the daily briefing: its text (in the style of the municipal daily report), its
page and its command."""

STRINGS: dict[str, tuple[str, str]] = {
    "briefing.title": ("每日通报", "Daily briefing"),
    "briefing.heading": ("广州市疫情防控每日通报", "Guangzhou epidemic control: daily briefing"),
    "briefing.period": (
        "{day}0—24时 · 数据截至{cutoff}（{zone}）",
        "{day}, 0:00 to 24:00 · figures as of {cutoff} ({zone})",
    ),
    "briefing.simulated": (
        "本通报依据模拟演示数据生成，不是真实疫情记录。",
        "This briefing is generated from the simulated demo data, not from a real outbreak.",
    ),
    "briefing.date": ("{month}{day}日", "{day} {month}"),
    **{
        f"briefing.month.{number}": (f"{number}月", english)
        for number, english in enumerate(
            (
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ),
            start=1,
        )
    },
    "briefing.moment": ("{date}{hour}时", "{hour:02d}:00 on {date}"),
    "briefing.moment_minutes": ("{date}{hour}时{minute}分", "{hour:02d}:{minute:02d} on {date}"),
    # 1. Cases
    "briefing.cases.heading": ("一、病例情况", "1. Cases"),
    "briefing.cases.new": (
        "{day}0—24时，全市新增{confirmed}、{asymptomatic}，{change}。",
        "From 0:00 to 24:00 on {day}, the city reported {confirmed} and {asymptomatic}, {change}.",
    ),
    # Counted nouns: "1 new local confirmed case", "3 new local confirmed cases".
    "briefing.n.new_confirmed": (
        "本土确诊病例{count}例",
        "{count} new local confirmed {count:case|cases}",
    ),
    "briefing.n.new_asymptomatic": (
        "无症状感染者{count}例",
        "{count} new local asymptomatic {count:infection|infections}",
    ),
    "briefing.n.total_confirmed": (
        "本土确诊病例{count}例",
        "{count} local confirmed {count:case|cases}",
    ),
    "briefing.n.total_asymptomatic": (
        "无症状感染者{count}例",
        "{count} local asymptomatic {count:infection|infections}",
    ),
    "briefing.n.rounds": ("当前检测轮次{count}个", "{count} current testing {count:round|rounds}"),
    "briefing.n.hotels": (
        "启用隔离酒店{count}家",
        "{count} quarantine {count:hotel|hotels} in use",
    ),
    "briefing.n.waiting": (
        "待入住密切接触者{count}人",
        "{count} close {count:contact|contacts} waiting for a room",
    ),
    "briefing.change.up": ("较前一日增加{count}例", "{count} more than the day before"),
    "briefing.change.down": ("较前一日减少{count}例", "{count} fewer than the day before"),
    "briefing.change.same": ("与前一日持平", "as many as the day before"),
    "briefing.cases.by_district": ("其中，{parts}。", "By district: {parts}."),
    "briefing.cases.district_confirmed": ("确诊病例{count}例", "{count} confirmed"),
    "briefing.cases.district_asymptomatic": ("无症状感染者{count}例", "{count} asymptomatic"),
    "briefing.cases.district_and": ("、", " and "),
    "briefing.cases.district_join": ("，", "; "),
    "briefing.cases.district_part": ("{district}{counts}", "{district} {counts}"),
    "briefing.cases.totals": (
        "截至{cutoff}，全市累计报告{confirmed}、{asymptomatic}；"
        "在院治疗{in_hospital}例，其中重症、危重症{severe}例。",
        "As of {cutoff}, the city has reported {confirmed} and {asymptomatic} in total; "
        "{in_hospital} in hospital, {severe} of them severe or critical.",
    ),
    "briefing.cases.contacts": (
        "累计追踪密切接触者{close_identified}人，已管控{close_controlled}人；"
        "次密切接触者{secondary_identified}人，已管控{secondary_controlled}人。"
        "现有封闭区{sealed}个、封控区{controlled}个、防范区{prevention}个。",
        "Close contacts traced: {close_identified}, {close_controlled} under control; "
        "secondary contacts: {secondary_identified}, {secondary_controlled} under control. "
        "Control zones in force: {sealed} sealed, {controlled} controlled, "
        "{prevention} prevention.",
    ),
    "briefing.col.district": ("区", "District"),
    "briefing.col.confirmed": ("新增确诊", "New confirmed"),
    "briefing.col.asymptomatic": ("新增无症状", "New asymptomatic"),
    "briefing.col.previous": ("前一日新增", "New the day before"),
    "briefing.col.total": ("累计", "Total"),
    "briefing.col.in_hospital": ("在院", "In hospital"),
    # 2. Testing
    "briefing.testing.heading": ("二、核酸检测", "2. Testing"),
    "briefing.testing.rounds": (
        "截至{cutoff}，{rounds}，已采样{sampled}人，目标{target}人，完成率{percent}；"
        "其中滞后或逾期{late}个。",
        "As of {cutoff}, {rounds}: {sampled} sampled of {target} targeted ({percent}); "
        "{late} of them behind or past the deadline.",
    ),
    "briefing.testing.no_rounds": (
        "截至{cutoff}，无检测轮次。",
        "As of {cutoff}, there is no testing round.",
    ),
    "briefing.testing.round": (
        "{district}第{round_no}轮：已采样{sampled}人，目标{target}人（{percent}），"
        "待出结果{pending}人，阳性{positive}人；{status}。",
        "{district} round {round_no}: {sampled} sampled of {target} ({percent}), "
        "{pending} awaiting results, {positive} positive; {status}.",
    ),
    "briefing.testing.sites": (
        "采样点开放{open}个（共{total}个），{day}已采样{sampled_today}人。",
        "{open} of {total} sampling {total:site|sites} open; {sampled_today} sampled on {day}.",
    ),
    # 3. Quarantine hotels
    "briefing.hotels.heading": ("三、隔离酒店", "3. Quarantine hotels"),
    "briefing.hotels.rooms": (
        "{hotels}，共有房间{total}间，在住{occupied}间，清洁中{cleaning}间，"
        "可用{available}间；{waiting}。",
        "{hotels} with {total} {total:room|rooms}: {occupied} occupied, {cleaning} being cleaned, "
        "{available} free; {waiting}.",
    ),
    "briefing.hotels.full_in": (
        "按近日每日净入住{net}间计，约{days}天住满。",
        "At the recent net intake of {net} rooms a day, the rooms are full in about {days} days.",
    ),
    "briefing.hotels.full_now": (
        "可用房间已不足以安置待入住人员。",
        "The free rooms no longer hold everyone waiting for one.",
    ),
    "briefing.hotels.not_filling": (
        "近日无净入住，暂无住满之虞。",
        "No net intake of late: the rooms are not filling up.",
    ),
    # 4. Supplies
    "briefing.supplies.heading": ("四、物资保障", "4. Supplies"),
    "briefing.supplies.lines": (
        "有消耗数据的物资{lines}项，可用不足7天的{under_7}项，其中3天及以下{under_3}项。",
        "{lines} stock {lines:line|lines} with consumption data: {under_7} under 7 days of supply, "
        "{under_3} of them at 3 days or less.",
    ),
    "briefing.supplies.shortest": ("最紧缺的物资：", "Shortest lines:"),
    # An item's name may hold brackets of its own ("84消毒液（500毫升）"): the place is not
    # put in a second pair.
    "briefing.supplies.line": ("{location}的{item}：{days}", "{item} at {location}: {days}"),
    "briefing.supplies.out": ("已断货", "out of stock"),
    "briefing.supplies.under_one": ("不足1天", "under 1 day"),
    # 5. Infection-control audits
    "briefing.audits.heading": ("五、院感督查", "5. Infection-control audits"),
    "briefing.audits.scores": (
        "应督查机构{facilities}家，已督查{audited}家；最近一次督查IPCAF平均得分{average}分、"
        "最低{lowest}分（满分800），其中“不足”等级{inadequate}家。",
        "{audited} of {facilities} {facilities:facility|facilities} audited; latest IPCAF "
        "scores average {average}, lowest {lowest} (of 800); {inadequate} at the Inadequate "
        "level.",
    ),
    "briefing.audits.none": (
        "应督查机构{facilities}家，尚无计分的督查。",
        "{facilities} {facilities:facility|facilities} to audit; no scored audit yet.",
    ),
    "briefing.audits.actions": (
        "整改事项未关闭{open}项，其中逾期{overdue}项。",
        "{open} corrective {open:action|actions} open, {overdue} of them overdue.",
    ),
    # 6. Alerts
    "briefing.alerts.heading": ("六、预警", "6. Alerts"),
    "briefing.alerts.none": ("截至{cutoff}，无预警。", "No alert as of {cutoff}."),
    "briefing.alerts.count": (
        "截至{cutoff}，共有预警{total}条，其中严重{critical}条、注意{warning}条。",
        "As of {cutoff}: {total} {total:alert|alerts}, {critical} critical and {warning} "
        "{warning:warning|warnings}.",
    ),
    # Alerts are listed by kind (data.alerts.group_alerts), the worst few of each; those
    # not listed are counted by kind ({kinds}: briefing.alerts.kind joined).
    "briefing.alerts.shown": (
        "以下每类列出最严重的{shown}条，另有{count}条未列出：{kinds}。",
        "The {shown} worst of each kind are listed; {count} more {count:is|are} not: {kinds}.",
    ),
    "briefing.alerts.kind": ("{title}{count}条", "{title} ({count})"),
    "briefing.alerts.kind_join": ("、", ", "),
    # Charts
    "briefing.chart.curve": ("每日新增本土感染者", "New local infections per day"),
    "briefing.chart.districts": ("各区{day}新增", "New on {day} by district"),
    "briefing.chart.count": ("例数", "Cases"),
    # Issued
    "error.briefing_future": (
        "截止时间 {value} 尚未到来，不能签发。",
        "The cut-off {value} is still to come: it cannot be issued.",
    ),
    "error.briefing_issued": (
        "截止于 {value} 的通报已签发，签发后不再更改。",
        "The briefing of {value} is already issued; an issued briefing is not changed.",
    ),
    "entity.briefing": ("每日通报", "daily briefings"),
    "field.cutoff_at": ("截止时间", "cut-off"),
    "briefing.issued_by": ("签发：{user}，{time}", "Issued by {user} at {time}"),
    # The page
    "briefing.caption": (
        "截止时间前最后一个整日的病例，以及截止时刻的检测、酒店、物资与督查情况；"
        "数字与各视图同一口径。",
        "The cases of the last whole day before the cut-off, and testing, hotels, supplies "
        "and audits at the cut-off; every figure is the one the views show.",
    ),
    "briefing.cutoff_date": ("截止日期", "Cut-off date"),
    "briefing.cutoff_time": ("截止时间", "Cut-off time"),
    "briefing.draft": ("草稿（未签发）", "Draft (not issued)"),
    "briefing.working": (
        "正在计算截至 {cutoff} 的简报数据（每个截止时间只算一次，之后直接读取）……",
        "Working out the briefing's figures as of {cutoff} (once per cut-off; kept from then on)…",
    ),
    "briefing.download_md": ("下载 Markdown", "Download Markdown"),
    "briefing.download_pdf": ("下载 PDF", "Download PDF"),
    "briefing.issue": ("签发本通报", "Issue this briefing"),
    "briefing.issue_help": (
        "签发后，通报的数字与中英文文本即被冻结，之后的迟报不再改变它。",
        "Issuing freezes the briefing's figures and its text in both languages: later "
        "reports no longer change it.",
    ),
    "briefing.issued_status": (
        "本通报已由 {user} 于 {time} 签发，签发后不再更改。",
        "Issued by {user} at {time}: an issued briefing is not changed.",
    ),
    "briefing.may_not_issue": (
        "只有领导和管理员可以签发通报。",
        "Only leadership and admins may issue a briefing.",
    ),
    "briefing.issued_list": ("已签发的通报", "Issued briefings"),
    "briefing.issued_none": ("尚无已签发的通报。", "No briefing has been issued yet."),
    "briefing.issued_item": (
        "{cutoff} 截止 · {user} 签发于 {time}",
        "Cut-off {cutoff} · issued by {user} at {time}",
    ),
    "briefing.future_cutoff": (
        "截止时间晚于当前时刻（{now}），请选择更早的时间。",
        "The cut-off is later than now ({now}): choose an earlier time.",
    ),
    "briefing.pdf_unavailable": ("无法生成 PDF：{reason}", "The PDF cannot be made: {reason}"),
    "briefing.font_missing": (
        "找不到中文字体文件（Noto Sans CJK）。请在服务器上安装 Debian 软件包 fonts-noto-cjk"
        "（apt-get install fonts-noto-cjk），或用 BRIEFING_FONT 指定字体文件。",
        "No CJK font file (Noto Sans CJK) was found. Install the Debian package "
        "fonts-noto-cjk on the server (apt-get install fonts-noto-cjk), or name a font file "
        "in BRIEFING_FONT.",
    ),
    "briefing.cli.bad_cutoff": (
        "无法识别的截止时间：{value}（格式：YYYY-MM-DD HH:MM，本地时间）",
        "not a cut-off time: {value} (expected YYYY-MM-DD HH:MM, local time)",
    ),
    "briefing.cli.wrote": ("已写入 {file}", "wrote {file}"),
    "briefing.cli.issued": (
        "已签发截止于 {cutoff} 的通报（编号 {id}）",
        "issued the briefing of {cutoff} (number {id})",
    ),
    "briefing.cli.pdf_needs_output": ("PDF 需要 --output 文件", "a PDF needs --output FILE"),
    "briefing.cli.issue_needs_user": (
        "签发需要 --user 用户名（领导或管理员账户）",
        "issuing needs --user NAME (a leadership or admin account)",
    ),
    "briefing.cli.as_issued": (
        "截止于 {cutoff} 的通报已签发：输出签发时的版本",
        "the briefing of {cutoff} is issued: this is it as issued",
    ),
}
