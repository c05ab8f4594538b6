"""Strings of the testing page."""

STRINGS: dict[str, tuple[str, str]] = {
    "testing.title": ("核酸检测进度", "Testing progress"),
    "testing.caption": (
        "全员核酸检测各轮次的采样、检测进度与完成时限，数据截至 {time}（{zone}）。",
        "Whole-population testing rounds: sampling, results and deadlines, as of {time} ({zone}).",
    ),
    "testing.definitions": (
        "完成率 = 已采样 ÷ 目标人数；待出结果 = 已采样 − 已出结果；采样速度 = 近 {hours} 小时"
        "（不早于本轮开始）每小时采样数；预计完成 = 现在 + 剩余人数 ÷ 采样速度，不晚于截止时间即"
        "为按期。近 {hours} 小时无采样则按当前速度无法完成。混采（10 合 1）阳性管只是线索，"
        "不计为阳性病例，单独列出。",
        "Completion = sampled ÷ target population; pending = sampled − results out; throughput "
        "= samples per hour over the last {hours} hours (not before the round began); "
        "projected completion = now + remaining ÷ throughput, on track when no later than the "
        "deadline. With no samples in the last {hours} hours a round will not finish at the "
        "current rate. A positive pool (10-in-1 pooled sampling) is a lead, not a case: it is "
        "shown apart from confirmed positives.",
    ),
    "testing.no_rounds": (
        "还没有核酸检测轮次。指挥部下达全员检测任务后，这里会显示各区各轮次的进度。",
        "No testing rounds yet. Once the command orders whole-population testing, each "
        "district's rounds and their progress show here.",
    ),
    "testing.choose_round": ("请至少选择一个检测轮次。", "Choose at least one testing round."),
    # Filters
    "testing.filter.rounds": ("检测轮次（区 · 轮次）", "Testing rounds (district · round)"),
    "testing.filter.rounds_help": (
        "默认显示此刻进行中的轮次；没有进行中的轮次时显示各区最近一轮。",
        "Rounds under way now are shown by default; when none is, each district's latest.",
    ),
    "testing.filter.window": ("采样速度计算时段", "Throughput window"),
    "testing.filter.window_hours": ("近 {hours} 小时", "Last {hours} hours"),
    "testing.round_label": ("{district} 第 {round_no} 轮", "{district} round {round_no}"),
    "testing.round_label_partial": (
        "{district} 第 {round_no} 轮（部分区域）",
        "{district} round {round_no} (partial)",
    ),
    "testing.round_no": ("第 {round_no} 轮", "Round {round_no}"),
    "testing.round_no_partial": ("第 {round_no} 轮（部分区域）", "Round {round_no} (partial)"),
    "testing.round_option": ("{label}（{start} → {deadline}）", "{label} ({start} → {deadline})"),
    "testing.scope.whole": ("全区", "Whole district"),
    "testing.scope.partial": ("部分区域", "Part of the district"),
    # Headline figures
    "testing.kpi.completion": ("所选轮次完成率", "Completion, chosen rounds"),
    "testing.kpi.completion_help": (
        "{rounds} 个轮次 · 已采样 {sampled} / 目标 {target}",
        "{rounds} {rounds:round|rounds} · {sampled} sampled of {target}",
    ),
    "testing.kpi.pending": ("待出结果", "Awaiting results"),
    "testing.kpi.pending_help": (
        "所选轮次已采样未出结果；全市实验室积压 {city}",
        "Sampled, no result yet, chosen rounds; city-wide lab backlog {city}",
    ),
    "testing.kpi.positive": ("阳性（确诊）", "Confirmed positives"),
    "testing.kpi.positive_help": ("所选轮次检出的阳性", "Positives found in the chosen rounds"),
    "testing.kpi.pools": ("混采阳性管（线索）", "Positive pools (leads)"),
    "testing.kpi.pools_help": (
        "10 合 1 混采阳性，需单管复核，不是病例",
        "10-in-1 pools testing positive: to be retested one by one, not cases",
    ),
    "testing.kpi.late": ("滞后或逾期轮次", "Rounds behind or missed"),
    "testing.kpi.late_help": (
        "滞后 {behind} · 逾期 {missed} · 按期 {on_track}",
        "{behind} behind · {missed} missed · {on_track} on track",
    ),
    # Deadline tracking
    "testing.deadlines": ("完成时限跟踪", "Deadline tracking"),
    "testing.status.on_track": ("● 按期", "● On track"),
    "testing.status.behind": ("● 滞后", "● Behind"),
    "testing.status.missed": ("● 已逾期", "● Missed"),
    "testing.status.upcoming": ("○ 未开始", "○ Not started"),
    "testing.status.complete": ("● 已完成", "● Complete"),
    "testing.status.complete_late": ("● 已完成（超时）", "● Complete (late)"),
    "testing.late_hours": ("{hours} 小时", "{hours} h"),
    "testing.never": ("按当前速度无法完成", "Never at the current rate"),
    "testing.alert.behind": (
        "{round} 进度滞后：按每小时 {per_hour} 人的速度，预计 {projected} 完成，"
        "比截止时间 {deadline} 晚 {hours} 小时。",
        "{round} is behind: at {per_hour} an hour it would finish at {projected}, {hours} h "
        "after its deadline of {deadline}.",
    ),
    "testing.alert.behind_never": (
        "{round} 进度滞后：近 {window} 小时没有采样，按当前速度无法在截止时间 {deadline} 前完成"
        "（尚余 {remaining} 人）。",
        "{round} is behind: nothing sampled in the last {window} h, so at the current rate "
        "it will not finish by its deadline of {deadline} ({remaining} still to sample).",
    ),
    "testing.alert.missed": (
        "{round} 已超过截止时间 {deadline}，仍有 {remaining} 人未采样；按当前速度预计 "
        "{projected} 完成，超时 {hours} 小时。",
        "{round} missed its deadline of {deadline} with {remaining} still to sample; at the "
        "current rate it would finish at {projected}, {hours} h late.",
    ),
    "testing.alert.missed_never": (
        "{round} 已超过截止时间 {deadline}，仍有 {remaining} 人未采样，近 {window} 小时没有采样。",
        "{round} missed its deadline of {deadline} with {remaining} still to sample, and "
        "nothing sampled in the last {window} h.",
    ),
    "testing.alert.all_on_track": (
        "所选进行中的轮次均可按期完成。",
        "Every chosen round under way is on track.",
    ),
    "testing.col.district": ("区", "District"),
    "testing.col.round": ("轮次", "Round"),
    "testing.col.scope": ("范围", "Scope"),
    "testing.col.start": ("开始", "Start"),
    "testing.col.deadline": ("截止时间", "Deadline"),
    "testing.col.status": ("状态", "Status"),
    "testing.col.per_hour": ("采样速度（人/小时）", "Samples per hour"),
    "testing.col.projected": ("预计 / 实际完成", "Projected / actual completion"),
    "testing.col.late": ("超时", "Late by"),
    "testing.col.target": ("目标人数", "Target population"),
    "testing.col.sampled": ("已采样", "Sampled"),
    "testing.col.resulted": ("已出结果", "Results out"),
    "testing.col.pending": ("待出结果", "Pending"),
    "testing.col.positive": ("阳性（确诊）", "Confirmed positives"),
    "testing.col.pools": ("混采阳性管（线索）", "Positive pools (leads)"),
    "testing.col.percent": ("完成率", "Complete"),
    # Progress by district
    "testing.progress": ("各区检测进度", "Progress by district"),
    "testing.download": ("下载进度表（CSV）", "Download the table (CSV)"),
    "testing.map_caption": (
        "颜色越深完成率越高；灰色为未选轮次的区。同一区选了多个轮次时，按最近一轮着色。",
        "Darker is more complete; grey districts have no chosen round. A district with "
        "several chosen rounds is coloured by its latest.",
    ),
    "testing.map_label": ("{round}：完成 {percent}", "{round}: {percent} complete"),
    # Charts
    "testing.cumulative": ("累计采样与目标", "Cumulative sampled against target"),
    "testing.cumulative_caption": (
        "实线为累计采样，虚线为按当前速度的预测，横线为目标人数，红色竖线为截止时间。",
        "Solid: cumulative sampled; dashed: projection at the current rate; horizontal line: "
        "target; red vertical line: deadline.",
    ),
    "testing.no_reports": (
        "所选轮次还没有采样上报。",
        "No samples have been reported for the chosen rounds yet.",
    ),
    "testing.chart.time": ("时间", "Time"),
    "testing.chart.people": ("人数", "People"),
    "testing.chart.series": ("数据", "Series"),
    "testing.chart.sampled": ("累计采样", "Sampled"),
    "testing.chart.projected": ("预测", "Projected"),
    "testing.chart.target": ("目标人数", "Target"),
    "testing.chart.deadline": ("截止时间", "Deadline"),
    "testing.backlog": ("实验室积压（待出结果）", "Lab backlog (awaiting results)"),
    "testing.backlog_caption": (
        "各区已采样未出结果的样本数，堆叠的总高度即全市积压；含所有轮次。",
        "Samples taken but not yet resulted, per district; the stack's height is the "
        "city-wide backlog. All rounds count.",
    ),
    "testing.no_backlog": ("这段时间没有检测记录。", "No testing recorded in this period."),
    "testing.chart.pending": ("待出结果", "Awaiting results"),
    # Testing sites
    "testing.sites": ("采样点", "Testing sites"),
    "testing.sites_scope": ("只看所选轮次所在的区", "Only the chosen rounds' districts"),
    "testing.sites_caption": (
        "排队超过 30 分钟标橙、超过 60 分钟标红，排队最久的在前。超过上报间隔未上报的标为"
        "“未按时上报”。",
        "Queues over 30 minutes are amber, over 60 red; the longest queues come first. A site "
        "that has not reported within its interval is marked stale.",
    ),
    "testing.sites_future": (
        "采样点状态为最新上报，晚于回看时刻 {time}。",
        "Site states are the latest reports, later than the replay time {time}.",
    ),
    "testing.sites_capped": (
        "表中列出排队最久的 {shown} 个采样点（共 {total} 个）。",
        "The table lists the {shown} {shown:site|sites} with the longest queues (of {total}).",
    ),
    "testing.no_sites": ("没有采样点。", "No testing sites."),
    "testing.kpi.sites_open": ("开放采样点", "Sites open"),
    "testing.kpi.sites_open_help": (
        "共 {total} 个 · 今日已采样 {sampled}",
        "of {total} · {sampled} sampled today",
    ),
    "testing.kpi.queue_red": ("排队超过 60 分钟", "Queues over 60 min"),
    "testing.kpi.queue_amber": ("排队 30–60 分钟", "Queues 30–60 min"),
    "testing.kpi.queue_help": ("易成传播点，需分流", "Risk of spread: divert people"),
    "testing.kpi.stale": ("未按时上报", "Stale sites"),
    "testing.kpi.stale_help": ("超过各自上报间隔未上报", "Not reported within their interval"),
    "testing.band.red": ("● 超过 60 分钟", "● Over 60 min"),
    "testing.band.amber": ("● 30–60 分钟", "● 30–60 min"),
    "testing.band.ok": ("● 30 分钟以内", "● Up to 30 min"),
    "testing.band.closed": ("⚫ 关闭", "⚫ Closed"),
    "testing.col.site": ("采样点", "Site"),
    "testing.col.queue": ("排队", "Queue"),
    "testing.col.wait": ("排队时长（分钟）", "Queue wait (min)"),
    "testing.col.open": ("开放", "Open"),
    "testing.col.sampled_today": ("今日采样", "Sampled today"),
    "testing.col.last_report": ("最近上报", "Last report"),
    "testing.col.stale": ("未按时上报", "Stale"),
    "testing.site_label": ("{site}：排队 {wait} 分钟", "{site}: {wait} min queue"),
    "testing.site_label_closed": ("{site}：关闭", "{site}: closed"),
}
