"""Strings about the database and the settings: unavailable, damaged, too new; bad settings;
backups. Shown on every page and by the command line (`--lang`)."""

STRINGS: dict[str, tuple[str, str]] = {
    "db.unavailable": (
        "无法连接数据库 {url}：{reason}",
        "cannot reach the database at {url}: {reason}",
    ),
    "db.damaged": (
        "数据库文件 {path} 已损坏（{detail}）；请用备份恢复（python -m data restore 文件）",
        "the database file {path} is damaged ({detail}); restore it from a backup "
        "(python -m data restore FILE)",
    ),
    "db.unknown_revision": (
        "数据库的结构版本为 {revision}，本版本程序只认识到 {head}：它已被更新版本的程序升级，"
        "请运行那个版本",
        "the database is at schema revision {revision}, which this version of the app does "
        "not know (it knows up to {head}): a newer version has upgraded it; run that version",
    ),
    "db.problem": ("数据库出错：{reason}", "the database refused: {reason}"),
    "db.retrying": (
        "数据库暂时无法访问，每 {seconds} 秒自动重试，恢复后页面自动刷新。原因：{reason}",
        "Database unavailable, retrying every {seconds} s; the page comes back by itself "
        "when it answers. Reason: {reason}",
    ),
    "db.stopped": (
        "无法使用数据库：{reason}。修复后请刷新页面。",
        "The database cannot be used: {reason}. Reload the page once it is fixed.",
    ),
    "settings.bad": ("设置 {name} 有误：{message}", "setting {name} is wrong: {message}"),
    "settings.why.DATABASE_URL": (
        "必须以 sqlite:// 或 postgresql+psycopg:// 开头",
        "must start with sqlite:// or postgresql+psycopg://",
    ),
    "settings.why.DEMO_SCALE": ("只能是 demo 或 city", "must be demo or city"),
    "settings.why.DEMO_DATA": ("只能是 1 或 0", "must be 1 or 0"),
    "settings.why.TIMEZONE": (
        "不是已知的时区（例如 Asia/Shanghai）",
        "is not a known time zone (e.g. Asia/Shanghai)",
    ),
    "settings.why.REPLAY_AT": (
        "不是可用的时间（例如 2021-06-10 20:00）",
        "is not a usable time (e.g. 2021-06-10 20:00)",
    ),
    "settings.why.SESSION_HOURS": (
        "必须是小时数（例如 12）",
        "must be a number of hours (e.g. 12)",
    ),
    "settings.why.DB_CONNECT_TIMEOUT": (
        "必须是 0 到 300 之间的秒数",
        "must be a number of seconds above 0, at most 300",
    ),
    "settings.why.DB_STATEMENT_TIMEOUT": (
        "必须是 0 到 3600 之间的秒数",
        "must be a number of seconds above 0, at most 3600",
    ),
    "settings.why.DB_RETRY_SECONDS": (
        "必须是 1 到 600 之间的秒数",
        "must be a number of seconds from 1 to 600",
    ),
    "backup.done": (
        "已将 {url} 备份到 {file}（{size}）",
        "backed up {url} to {file} ({size})",
    ),
    "backup.restored": (
        "已用 {file} 恢复 {url}；结构版本 {revision}",
        "restored {url} from {file}; schema revision {revision}",
    ),
    "backup.no_file": ("找不到备份文件 {file}", "no backup file {file}"),
    "backup.not_backup": (
        "{file} 不是本系统的备份（{reason}）",
        "{file} is not a backup of this system ({reason})",
    ),
    "backup.exists": (
        "{file} 已存在；请换一个文件名或先删除它",
        "{file} exists already; choose another name or remove it first",
    ),
    "backup.tool_missing": (
        "PostgreSQL 的备份需要 {tool}（apt-get install postgresql-client），或自行运行：{command}",
        "a PostgreSQL backup needs {tool} (apt-get install postgresql-client), or run it "
        "yourself: {command}",
    ),
    "backup.tool_failed": ("{tool} 失败：{reason}", "{tool} failed: {reason}"),
    "simulate.not_demo": (
        "数据库中不是模拟演示数据：模拟器不会向真实数据写入虚构的上报",
        "The database does not hold the simulated demo: the simulator never writes made-up "
        "reports among real data",
    ),
    "simulate.tick": (
        "已写入：采样点报告 {sites} 条，酒店报告 {hotels} 条，"
        "库存盘点 {stock} 条，新病例 {cases} 例",
        "written: {sites} testing-site {sites:report|reports}, {hotels} hotel "
        "{hotels:report|reports}, {stock} stock {stock:count|counts}, {cases} new "
        "{cases:case|cases}",
    ),
    "simulate.stopped": ("已停止（共 {ticks} 轮）", "stopped after {ticks} {ticks:tick|ticks}"),
    "seed.has_data": (
        "数据库中已有数据；如要删除并载入演示情景，请加 --replace",
        "the database already holds data; use --replace to delete it and load the demo scenario",
    ),
}
