"""Strings of the sign-in page, the sidebar's account, and the update panels."""

STRINGS: dict[str, tuple[str, str]] = {
    # Sign-in page and the sidebar's account
    "signin.title": ("登录", "Sign in"),
    "signin.intro": (
        "请使用指挥部分配的账号登录。登录后，本浏览器在一个工作日内保持登录状态。",
        "Sign in with the account the command gave you. This browser stays signed in for a "
        "working day.",
    ),
    "signin.username": ("用户名", "User name"),
    "signin.password": ("密码", "Password"),
    "signin.submit": ("登录", "Sign in"),
    "signin.role": ("角色", "Role"),
    "signin.scope": ("负责范围", "Scope"),
    "signin.city_wide": ("全市", "Whole city"),
    "signin.demo_intro": (
        "当前为模拟演示数据，可使用以下演示账号登录（真实数据下不显示）。",
        "The data is the simulated demo: sign in with one of these demo accounts (never "
        "shown with real data).",
    ),
    "signin.signed_in_as": ("当前用户：", "Signed in:"),
    "signin.role_scope": ("{role} · {scope}", "{role} · {scope}"),
    "signin.sign_out": ("退出登录", "Sign out"),
    # Update forms
    "form.time": ("时刻", "Time"),
    "form.saved": ("已保存", "Saved"),
    "form.failed": (
        "保存失败（{reason}），未写入任何数据，请重试。",
        "Saving failed ({reason}); nothing was written. Try again.",
    ),
    # Hotels
    "hotels.update.title": ("更新隔离酒店状态", "Update a hotel's status"),
    "hotels.update.none_in_scope": (
        "您负责的范围内没有隔离酒店。",
        "There is no quarantine hotel in your scope.",
    ),
    "hotels.update.hotel": ("酒店", "Hotel"),
    "hotels.update.reported_at": ("上报日期", "Report date"),
    "hotels.update.submit": ("提交状态", "Submit status"),
    # Testing sites
    "testing.update.title": ("上报采样点情况", "Report a testing site"),
    "testing.update.site": ("采样点", "Testing site"),
    "testing.update.reported_at": ("上报日期", "Report date"),
    "testing.update.round": ("第 {number} 轮", "Round {number}"),
    "testing.update.no_round": ("不属于任何轮次", "No round"),
    "testing.update.submit": ("提交报告", "Submit report"),
    "testing.update.round_title": (
        "调整检测轮次的目标人数和截止时间",
        "Change a round's target and deadline",
    ),
    "testing.update.round_choice": ("检测轮次", "Testing round"),
    "testing.update.round_submit": ("保存轮次", "Save round"),
    "testing.update.no_round_in_scope": (
        "您负责的范围内没有检测轮次。",
        "There is no testing round in your scope.",
    ),
    "testing.update.none_in_scope": (
        "您负责的范围内没有采样点。",
        "There is no testing site in your scope.",
    ),
    # Supplies
    "supplies.update.count_title": ("上报库存盘点", "Report a stock count"),
    "supplies.update.level_title": ("修改补货线", "Change a reorder level"),
    "supplies.update.line": ("物资 · 地点", "Item · location"),
    "supplies.update.reported_at": ("盘点日期", "Count date"),
    "supplies.update.count_submit": ("提交盘点", "Submit count"),
    "supplies.update.level_submit": ("保存补货线", "Save reorder level"),
    "supplies.update.none_in_scope": (
        "您负责的范围内没有库存项。",
        "There is no stock line in your scope.",
    ),
    # Audits
    "audits.new.title": ("录入院感督查", "Enter an audit"),
    "audits.new.facility": ("受检机构", "Facility audited"),
    "audits.new.results": (
        "检查结果（检查表 {checklist}）",
        "Item results (checklist {checklist})",
    ),
    "audits.new.results_help": (
        "每一项都需选择结果；不涉及的项选“不适用”，不计入得分。",
        "Choose a result for every item; an item that does not apply is 'Not applicable' and "
        "does not count towards the score.",
    ),
    "audits.new.findings": ("发现的问题与整改措施", "Findings and corrective actions"),
    "audits.new.findings_help": (
        "每个问题一行：问题、整改措施、责任人和整改期限必填；可关联到检查项。",
        "One row per finding: the finding, its corrective action, owner and due date are "
        "required; it may name the checklist item.",
    ),
    "audits.new.col.component": ("类别", "Component"),
    "audits.new.col.item": ("检查项", "Item"),
    "audits.new.col.result": ("结果", "Result"),
    "audits.new.col.note": ("备注", "Note"),
    "audits.new.col.finding": ("问题", "Finding"),
    "audits.new.col.action": ("整改措施", "Corrective action"),
    "audits.new.col.owner": ("责任人", "Owner"),
    "audits.new.col.due_date": ("整改期限", "Due date"),
    "audits.new.submit": ("保存督查", "Save the audit"),
    "audits.new.none_in_scope": (
        "您负责的范围内没有需督查的机构。",
        "There is no facility to audit in your scope.",
    ),
    "audits.update.title": ("关闭整改措施", "Close a corrective action"),
    "audits.update.action": ("整改措施", "Corrective action"),
    "audits.update.submit": ("确认已完成整改", "Close the action"),
    "audits.update.none_open": ("没有未完成的整改措施。", "No corrective action is open."),
    # Case map
    "cases.update.case_title": ("更新病例情况", "Update a case"),
    "cases.update.case": ("病例（住院治疗中）", "Case (in hospital)"),
    "cases.update.case_submit": ("保存病例", "Save case"),
    "cases.update.no_case": (
        "您负责的范围内没有住院治疗中的病例。",
        "No case in hospital in your scope.",
    ),
    "cases.update.impose_title": ("划定管控区域", "Impose a control zone"),
    "cases.update.zone_district": ("所在区", "District"),
    "cases.update.zone_code_help": (
        "全市唯一的区域编码，已按区和时间预填，可修改",
        "A code unique in the city; filled in from the district and the time, change it if "
        "you like",
    ),
    "cases.update.zone_name_en_help": (
        "可不填：英文界面将显示中文名称",
        "May be left blank: the English screens then show the Chinese name",
    ),
    "cases.update.impose_submit": ("划定", "Impose the zone"),
    "cases.update.no_district": (
        "您负责的范围内没有可划定管控区域的区。",
        "There is no district in your scope to impose a zone in.",
    ),
    "cases.update.lift_title": ("解除管控区域", "Lift a control zone"),
    "cases.update.zone": ("管控区域（执行中）", "Control zone (in force)"),
    "cases.update.lift_submit": ("解除", "Lift the zone"),
    "cases.update.no_zone": (
        "您负责的范围内没有执行中的管控区域。",
        "No control zone in force in your scope.",
    ),
    "cases.severity.none": ("无症状", "No symptoms"),
    "cases.severity.mild": ("轻型", "Mild"),
    "cases.severity.moderate": ("普通型", "Moderate"),
    "cases.severity.severe": ("重型", "Severe"),
    "cases.severity.critical": ("危重型", "Critical"),
}
