"""The page-speed benchmark (issue #16): every page of app.py, timed and weighed, at one scale.

    python benchmarks/run.py --scale demo
    python benchmarks/run.py --scale city --database-url postgresql+psycopg://...
    python benchmarks/run.py --scale province --database-url postgresql+psycopg://...

Seeds the simulated scenario of that scale (anchored on 2021-06-10) into the database, or
reuses it when it already holds that scale (the default database is
var/benchmark/<scale>.db), then measures, and prints a table and where each figure misses
its target:

- every page of app.py's lists (VIEWS, ADMIN_VIEWS and any list added later), run through
  app.py by streamlit.testing's AppTest signed in as the demo admin: cold (Streamlit's data
  cache cleared first), warm (a rerun with nothing changed) and after a write (the change
  counter moved: today's reads read again, the days that are over still cached), median and
  p95 wall time and CPU time of the whole run;
- per page, its main aggregate read by our data layer and the naive way (whole tables into
  pandas, grouped there), and naive / ours;
- the bytes the server would send the browser: the run's ForwardMsgs serialized, with a
  message the browser already holds (Streamlit's cacheable messages, by hash, of the size
  .streamlit/config.toml sets) counted as the reference Streamlit sends in its place;
- CPU time of one live-refresh tick when nothing changed (shell.watch_for_changes' body);
- one update through the write side with its change-log row (a stock line's reorder level,
  set and set back): median and p95;
- import throughput of 100,000 testing-site reports (benchmarks/import_speed.py, in a
  process of its own on a fresh database);
- peak memory of this process (the "server") and the memory each extra open session adds.

JSON goes to --json (default var/benchmark/<scale>-<backend>.json); when the JSON of the
scale below on the same backend lies beside it (city: demo; province: city), each page's
ratio to it is worked out (target ≤ 1.5).
Wall times on a shared machine are noisy: CPU times and ratios come first.
"""

from __future__ import annotations

import argparse
import ast
import functools
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHONWARNINGS", "ignore")

from data.codes import DEMO_SCALES  # noqa: E402 - after the project's root is on the path

ANCHOR = date(2021, 6, 10)
# The scale each is held against (its pages within TARGETS["over_smaller_scale"] of it).
SMALLER_SCALE = {"city": "demo", "province": "city"}
ADMIN = "demo-admin"
TARGETS = {
    "warm_median_ms": 50,
    "warm_p95_ms": 100,
    "cold_median_ms": 500,
    # city ÷ demo, and province ÷ city: each scale's page within 1.5× of the one below.
    "over_smaller_scale": 1.5,
    "naive_over_ours": 20,
    "tick_cpu_ms": 5,
    "first_load_kb": 300,
    "rerun_kb": 20,
    "update_p95_ms": 50,
    "import_rows_per_s": 50_000,
    "session_mb": 20,
}


# --- the pages ---------------------------------------------------------------------------------


def app_pages() -> list[tuple[str, str]]:
    """(address, script) of every page app.py lists, read from its source: any module-level
    tuple of page rows ("pages/x.py", title key, icon, address, ...) counts, so pages added
    later are benchmarked without a change here."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    found: list[tuple[str, str]] = []
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            continue
        if not isinstance(value, tuple):
            continue
        for row in value:
            if (
                isinstance(row, tuple)
                and len(row) >= 4
                and isinstance(row[0], str)
                and row[0].startswith("pages/")
                and row[0].endswith(".py")
                and (row[3], row[0]) not in found
            ):
                found.append((row[3], row[0]))
    return found


# --- the database ------------------------------------------------------------------------------


def backend_of(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).get_backend_name()


def prepare(url: str, scale: str) -> dict[str, Any]:
    """Seed the scenario of `scale` into an empty database, or check that it holds it."""
    from sqlmodel import Session

    from data.db import make_engine, upgrade_schema
    from data.demo.seed import seed_demo
    from data.queries.common import count_rows, get_scenario, has_any_data

    engine = make_engine(url)
    upgrade_schema(engine)
    with Session(engine) as session:
        scenario, filled = get_scenario(session=session), has_any_data(session=session)
    seeded = None
    if filled:
        if scenario is None or scenario.scale != scale:
            engine.dispose()
            held = scenario.scale if scenario else "data that is not the demo"
            raise SystemExit(f"{url} holds {held}, not the {scale} scenario: give another URL")
    else:
        print(f"seeding the {scale} scenario into {url} ...", flush=True)
        wall, cpu = time.perf_counter(), time.process_time()
        seed_demo(engine, scale=scale, anchor_date=ANCHOR)
        seeded = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}
    with Session(engine) as session:
        rows = count_rows(session=session)
    engine.dispose()
    return {"seeded": seeded, "rows": rows}


def admin_token_and_actor(url: str) -> tuple[str, Any]:
    """A live session of the demo admin (seeded with the scenario), and its write actor."""
    from datetime import timedelta

    from sqlmodel import Session, select

    from data import accounts, models
    from data.db import make_engine
    from data.writes.actor import Actor

    engine = make_engine(url)
    with Session(engine) as session:
        user = session.exec(select(models.User).where(models.User.username == ADMIN)).one()
        token = accounts.start_session(session, user_id=user.id, lifetime=timedelta(hours=6))
        actor = Actor(name=user.username, role=user.role, user_id=user.id)
    engine.dispose()
    return token, actor


# --- figures -------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def summary(wall: list[float], cpu: list[float]) -> dict[str, float]:
    return {
        "median_ms": statistics.median(wall),
        "p95_ms": p95(wall),
        "cpu_median_ms": statistics.median(cpu),
        "cpu_p95_ms": p95(cpu),
        "runs": len(wall),
    }


def timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall ms, CPU ms of this process, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result


# --- bytes to the browser ------------------------------------------------------------------------

_RUNNERS: list[Any] = []


def as_on_a_server() -> None:
    """Make AppTest's runs cost what a server's do, and keep what each run sends.

    AppTest makes a new script cache for every run, so it compiles app.py and the page again
    each time (about 40 ms); a server compiles each script once. All runs share one cache
    here. Each AppTest script runner is remembered: its queue holds what its run sends.

    AppTest also forgets, at every run, that the app routes its pages itself (st.navigation),
    so each run first ran the page alone as an old-style `pages/` page until the page sent it
    through app.py again (shell._route_through_app): a second, partial run that a server
    makes only for the first request after it starts (2026-12-07: up to 6 ms of CPU a run).
    """
    from streamlit import logger as streamlit_logger
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    streamlit_logger.set_log_level("error")
    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    original = LocalScriptRunner.run

    def run(self, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN001
        _RUNNERS.append(self)
        del _RUNNERS[:-1]
        return original(self, *args, **kwargs)

    LocalScriptRunner.run = run
    forgetting = PagesManager.__init__

    def remembering(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN001
        forgetting(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # as after a server's first run

    PagesManager.__init__ = remembering


class Connection:
    """What one browser holds and how its WebSocket compresses: the hashes of the messages
    it keeps (a cacheable message it holds again goes as a reference,
    streamlit.runtime.forward_msg_cache), and a permessage-deflate stream (.streamlit/
    config.toml turns it on; the server keeps its compression context between messages, as
    the `websockets` library does by default)."""

    def __init__(self) -> None:
        self.cache: set[str] = set()
        self.deflate = zlib.compressobj(6, zlib.DEFLATED, -15)


def sent_bytes(connection: Connection) -> tuple[int, int]:
    """Bytes of the last run's messages as the server sends them to `connection`'s browser:
    as serialized, and on the wire (compressed)."""
    from streamlit.runtime.forward_msg_cache import create_reference_msg, populate_hash_if_needed

    total = wire = 0
    for message in _RUNNERS[-1].forward_msgs():
        populate_hash_if_needed(message)
        if message.metadata.cacheable and message.hash in connection.cache:
            message = create_reference_msg(message)
        elif message.metadata.cacheable:
            connection.cache.add(message.hash)
        payload = message.SerializeToString()
        total += len(payload)
        wire += len(connection.deflate.compress(payload))
        wire += len(connection.deflate.flush(zlib.Z_SYNC_FLUSH)) - 4  # the tail RFC 7692 drops
    return total, wire


# --- pages through app.py ------------------------------------------------------------------------


def open_app(token: str) -> Any:
    from streamlit.testing.v1 import AppTest

    from signin import TOKEN

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    app.session_state[TOKEN] = token
    app.run()
    if app.exception:
        raise SystemExit(f"app.py: {app.exception[0].message}")
    return app


@functools.cache
def _writer() -> Any:
    from data.db import make_engine

    return make_engine(os.environ["DATABASE_URL"])


def move_change_counter(table_name: str = "benchmark") -> None:
    """A live write somewhere else, as the pages see it: the change counter moves, and the
    change log has its row, dated at the moment the pages show (as a report made now is).
    Reads of that moment are read again; figures of a past moment (a briefing's cut-off)
    stay cached (shell.read_as_of).

    Logged under `table_name`: by default a table of no topic, which may alter anything
    (every read of now is read again); "testingsitereport" as a testing-site report, the
    write that comes in most (only the reads of testing and of everything are read again:
    data.queries.reach). The figures are the same either way: what is measured is the work
    of reading them again."""
    from sqlmodel import Session

    from data.queries.common import clock_for, get_scenario
    from data.writes import SYSTEM
    from data.writes.changelog import log_change

    with Session(_writer()) as session:
        moment = clock_for(get_scenario(session=session)).now
        log_change(
            session,
            actor=SYSTEM,
            table_name=table_name,
            record_key="-",
            action="update",
            before=None,
            after=None,
            effective_at=moment,
        )
        session.commit()


def forget_kept_figures() -> None:
    """Empty the figures of past moments kept in the database (data.kept)."""
    from sqlalchemy import delete
    from sqlmodel import Session

    from data import models

    with Session(_writer()) as session:
        session.execute(delete(models.KeptFigures))
        session.commit()


def measure_page(token: str, script: str, runs: int) -> dict[str, Any]:
    """Cold and warm runs of one page in one session, and the bytes each sends."""
    import streamlit as st

    app = open_app(token)
    app.switch_page(script)
    st.cache_data.clear()
    browser = Connection()
    first = timed(app.run)
    if app.exception:
        raise SystemExit(f"{script}: {app.exception[0].message}")
    first_bytes, first_wire = sent_bytes(browser)
    rerun_bytes, rerun_wire = [], []
    warm_wall, warm_cpu = [], []
    for _ in range(runs):
        wall, cpu, _ = timed(app.run)
        warm_wall.append(wall)
        warm_cpu.append(cpu)
        sent, wire = sent_bytes(browser)
        rerun_bytes.append(sent)
        rerun_wire.append(wire)
    # After a live write elsewhere: the change counter moved, so today's reads are read
    # again while the days that are over and a briefing's cut-off stay cached (what every
    # open page pays when anything is written; a live screen's refresh reruns it).
    written_wall, written_cpu = [], []
    for _ in range(runs):
        move_change_counter()
        wall, cpu, _ = timed(app.run)
        written_wall.append(wall)
        written_cpu.append(cpu)
    # After a testing-site report: the reads of the other topics stay cached.
    reported_wall, reported_cpu = [], []
    for _ in range(runs):
        move_change_counter("testingsitereport")
        wall, cpu, _ = timed(app.run)
        reported_wall.append(wall)
        reported_cpu.append(cpu)
    cold_wall, cold_cpu = [first[0]], [first[1]]
    for _ in range(runs - 1):
        st.cache_data.clear()
        wall, cpu, _ = timed(app.run)
        cold_wall.append(wall)
        cold_cpu.append(cpu)
    # Cold with nothing kept in the database either (data.kept): the first open ever, or
    # after a change dated at or before the past moments a page reads.
    unkept_wall, unkept_cpu = [], []
    for _ in range(runs):
        forget_kept_figures()
        st.cache_data.clear()
        wall, cpu, _ = timed(app.run)
        unkept_wall.append(wall)
        unkept_cpu.append(cpu)
    if app.exception:
        raise SystemExit(f"{script}: {app.exception[0].message}")
    return {
        "cold": summary(cold_wall, cold_cpu),
        "cold_unkept": summary(unkept_wall, unkept_cpu),
        "warm": summary(warm_wall, warm_cpu),
        "after_write": summary(written_wall, written_cpu),
        "after_report": summary(reported_wall, reported_cpu),
        "first_load_bytes": first_bytes,
        "rerun_bytes": statistics.median(rerun_bytes),
        "first_load_wire_bytes": first_wire,
        "rerun_wire_bytes": statistics.median(rerun_wire),
    }


def harness_ms(runs: int) -> dict[str, float]:
    """The same AppTest run of a script that draws nothing (AppTest's own cost)."""
    from streamlit.testing.v1 import AppTest

    empty = Path(tempfile.mkdtemp()) / "empty.py"
    empty.write_text("import streamlit as st\n", encoding="utf-8")
    app = AppTest.from_file(str(empty))
    app.run()
    wall, cpu = [], []
    for _ in range(runs):
        w, c, _ = timed(app.run)
        wall.append(w)
        cpu.append(c)
    return summary(wall, cpu)


# --- ours and the naive way ----------------------------------------------------------------------


def _clock(session: Any) -> Any:
    from data.queries.common import get_clock

    return get_clock(session=session)


def _naive_latest(frame: Any, keys: list[str], moment: str) -> Any:
    return frame.sort_values(moment).groupby(keys, as_index=False).tail(1)


def aggregates() -> dict[str, tuple[str, Callable, Callable]]:
    """Per page address: (what, ours(session, clock), naive(engine, clock)): the page's main
    aggregate by the data layer, and the same figures from whole tables in pandas."""
    import pandas as pd

    from data.queries import audits, cases, changelog, hotels, supplies, testing

    def table(engine: Any, name: str) -> pd.DataFrame:
        return pd.read_sql_table(name, engine)

    def naive_round_totals(engine: Any, clock: Any) -> Any:
        reports = table(engine, "testingsitereport")
        return reports.groupby("round_id")[["sampled", "resulted", "positive"]].sum()

    def naive_cases(engine: Any, clock: Any) -> Any:
        frame = table(engine, "case")
        frame = frame[frame["source"] == "local"]
        today = frame["report_date"] == pd.Timestamp(clock.today)
        return (
            frame.assign(today=today)
            .groupby("district_code")
            .agg(total=("id", "size"), today=("today", "sum"))
        )

    def naive_sites(engine: Any, clock: Any) -> Any:
        reports, sites = table(engine, "testingsitereport"), table(engine, "facility")
        latest = _naive_latest(reports, ["site_id"], "reported_at")
        return (
            latest.merge(sites, left_on="site_id", right_on="id")
            .groupby("district_code")
            .agg(open=("is_open", "sum"), wait=("queue_wait_minutes", "max"))
        )

    def naive_hotels(engine: Any, clock: Any) -> Any:
        reports = table(engine, "hotelreport")
        latest = _naive_latest(reports, ["hotel_id"], "reported_at")
        return latest[["rooms_total", "rooms_occupied", "rooms_cleaning"]].sum()

    def naive_stock(engine: Any, clock: Any) -> Any:
        reports = table(engine, "stockreport")
        keys = ["item_id", "location_id"]
        latest = _naive_latest(reports, keys, "reported_at").set_index(keys)["on_hand"]
        # PostgreSQL gives aware times, SQLite naive UTC ones: compare both in UTC.
        moments = pd.to_datetime(reports["reported_at"], utc=True)
        week = reports[moments >= pd.Timestamp(clock.today, tz="UTC") - pd.Timedelta(days=7)]
        burn = week.groupby(keys)["consumed"].sum() / 7
        return (latest / burn.where(burn > 0)).sort_values()

    def naive_audits(engine: Any, clock: Any) -> Any:
        audits_frame, findings = table(engine, "audit"), table(engine, "auditfinding")
        facilities = table(engine, "facility")
        latest = _naive_latest(audits_frame, ["facility_id"], "audited_at")
        open_actions = (
            findings[findings["closed_date"].isna()]
            .groupby("facility_id")
            .size()
            .rename("open_actions")
        )
        return (
            facilities.merge(latest, left_on="id", right_on="facility_id", how="left")
            .join(open_actions, on="facility_id")
            .sort_values("score")
        )

    def naive_changes(engine: Any, clock: Any) -> Any:
        log = table(engine, "changelog")
        return len(log), log.sort_values(["changed_at", "id"], ascending=False).head(50)

    return {
        "overview": (
            "testing progress per round",
            lambda s, c: testing.list_round_totals(session=s, as_of=c.now),
            naive_round_totals,
        ),
        "cases": (
            "local cases per district",
            lambda s, c: cases.count_local_cases_by_district(session=s, today=c.today),
            naive_cases,
        ),
        "testing": (
            "latest report per site",
            lambda s, c: testing.list_site_status(session=s, now=c.now, today=c.today),
            naive_sites,
        ),
        "hotels": (
            "latest report per hotel",
            lambda s, c: hotels.list_hotels(session=s, clock=c),
            naive_hotels,
        ),
        "supplies": (
            "days of supply per stock line",
            lambda s, c: supplies.list_stock_lines(session=s, today=c.today),
            naive_stock,
        ),
        "audits": (
            "latest audit per facility",
            lambda s, c: audits.list_facility_audit_status(session=s, today=c.today),
            naive_audits,
        ),
        "changelog": (
            "change log: count and newest page",
            lambda s, c: changelog.change_page(session=s, filters=changelog.Filters()),
            naive_changes,
        ),
    }


# The largest table each naive way reads whole.
NAIVE_TABLES = {
    "overview": "testingsitereport",
    "cases": "case",
    "testing": "testingsitereport",
    "hotels": "hotelreport",
    "supplies": "stockreport",
    "audits": "audit",
    "changelog": "changelog",
}


def measure_aggregates(url: str, runs: int, naive_runs: int, naive_max_rows: int) -> dict[str, Any]:
    """Ours and the naive way; the naive way is not run on a table of more than
    `naive_max_rows` rows (21.6 million testing reports in pandas took 14 GB at the province
    scale and would have run this 24 GB machine out of memory)."""
    from sqlalchemy import text
    from sqlmodel import Session

    from data.db import make_engine

    engine = make_engine(url)
    results = {}
    with Session(engine) as session:
        clock = _clock(session)
    for page, (what, ours, naive) in aggregates().items():
        ours_ms, naive_ms = [], []
        for _ in range(runs):
            with Session(engine) as session:
                ours_ms.append(timed(lambda s=session, ours=ours: ours(s, clock))[0])
        with engine.connect() as connection:
            rows = connection.execute(text(f'SELECT count(*) FROM "{NAIVE_TABLES[page]}"')).scalar()
        ours_median = statistics.median(ours_ms)
        results[page] = {"what": what, "ours_ms": ours_median, "naive_table_rows": rows}
        if rows > naive_max_rows:
            results[page].update(naive_ms=None, naive_over_ours=None)
            skipped = f"naive not run ({rows:,} rows)"
            print(f"  {page:<10} {what:<36} ours {ours_median:8.1f} ms  {skipped}")
            continue
        for _ in range(naive_runs):
            naive_ms.append(timed(lambda naive=naive: naive(engine, clock))[0])
        naive_median = statistics.median(naive_ms)
        results[page].update(naive_ms=naive_median, naive_over_ours=naive_median / ours_median)
        print(f"  {page:<10} {what:<36} ours {ours_median:8.1f} ms  naive {naive_median:9.1f} ms")
    engine.dispose()
    return results


# --- refresh tick, update, import, memory --------------------------------------------------------


def measure_tick(url: str, ticks: int = 200) -> dict[str, float]:
    """shell.watch_for_changes' tick when nothing changed: a session, the change counter."""
    from sqlmodel import Session

    from data.db import make_engine
    from data.queries.common import get_change_counter

    engine = make_engine(url)

    def tick() -> int:
        with Session(engine) as session:
            return get_change_counter(session=session)

    tick()
    wall, cpu = [], []
    for _ in range(ticks):
        w, c, _ = timed(tick)
        wall.append(w)
        cpu.append(c)
    engine.dispose()
    return summary(wall, cpu)


def measure_update(url: str, actor: Any, runs: int = 40) -> dict[str, float]:
    """A stock line's reorder level edited through the write side (authorize, validate,
    write, change-log row, counter), then set back: `runs` single updates, an even count."""
    from sqlmodel import Session, select

    from data import models
    from data.db import make_engine
    from data.writes import edit_reorder_level

    engine = make_engine(url)
    with Session(engine) as session:
        line = session.exec(select(models.StockState).order_by(models.StockState.item_id)).first()
        key = (line.item_id, line.location_id)
    wall, cpu = [], []
    for n in range(runs + runs % 2):
        with Session(engine) as session:
            state = session.get(models.StockState, key)
            level = state.reorder_level + (1 if n % 2 == 0 else -1)

            def update(session: Any = session, state: Any = state, level: int = level) -> Any:
                return edit_reorder_level(
                    session,
                    actor=actor,
                    item_id=key[0],
                    location_id=key[1],
                    expected_version=state.version,
                    reorder_level=level,
                )

            w, c, _ = timed(update)
        wall.append(w)
        cpu.append(c)
    engine.dispose()
    return summary(wall, cpu)


def measure_import(rows: int, sites: int = 4_500) -> dict[str, float]:
    """The whole import of a CSV of `rows` testing-site reports into a fresh SQLite database,
    in a process of its own (benchmarks/import_speed.py's measured child)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import import_speed

    from data.db import make_engine, upgrade_schema

    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder}/import.db"
    engine = make_engine(url)
    upgrade_schema(engine)
    city = import_speed._city(engine, sites)
    engine.dispose()
    csv_file = folder / "reports.csv"
    import_speed._write_csv(csv_file, import_speed._rows(city, rows))
    output = subprocess.run(
        [sys.executable, import_speed.__file__, "--child", "file", url, str(csv_file), str(rows)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    csv_file.unlink(missing_ok=True)
    return {
        "rows": rows,
        "wall_s": figures["wall"],
        "cpu_s": figures["cpu"],
        "rows_per_s": rows / figures["wall"],
        "rows_per_cpu_s": rows / figures["cpu"],
        "peak_mb": figures["peak_mb"],
    }


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure_sessions(token: str, pages: list[tuple[str, str]], extra: int = 4) -> dict[str, float]:
    """Memory each extra open session adds: `extra` sessions kept open, each having opened
    every page (the data cache is shared, as on a server). A first session opens every page
    before the count begins: the cold runs left the data cache empty, and filling it (what
    the server holds once for all sessions) was counted as the first extra session's (36 MB
    a session at province scale, where the sessions themselves add next to nothing)."""
    kept = [open_app(token)]
    for _, script in pages:
        kept[0].switch_page(script).run()
    gc.collect()
    before = rss_mb()
    for _ in range(extra):
        app = open_app(token)
        for _, script in pages:
            app.switch_page(script).run()
        kept.append(app)
    gc.collect()
    after = rss_mb()
    return {
        "sessions": extra,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "per_session_mb": (after - before) / extra,
    }


# --- the report ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import streamlit

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_1min_at_start": os.getloadavg()[0],
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "platform": platform.platform(),
    }


def misses(result: dict[str, Any]) -> list[str]:
    """Each figure that misses its target, by how much."""
    out = []

    def check(name: str, value: float, target: float, *, at_most: bool = True, unit: str = ""):
        if (value > target) if at_most else (value < target):
            sign = "≤" if at_most else "≥"
            out.append(
                f"{name}: {value:,.1f}{unit} (target {sign} {target:,}{unit}; "
                f"{value / target:.1f}× the target)"
            )

    for page, figures in result["pages"].items():
        check(
            f"{page} warm median",
            figures["warm"]["median_ms"],
            TARGETS["warm_median_ms"],
            unit=" ms",
        )
        check(f"{page} warm p95", figures["warm"]["p95_ms"], TARGETS["warm_p95_ms"], unit=" ms")
        check(
            f"{page} cold median",
            figures["cold"]["median_ms"],
            TARGETS["cold_median_ms"],
            unit=" ms",
        )
        check(
            f"{page} first load",
            figures["first_load_bytes"] / 1024,
            TARGETS["first_load_kb"],
            unit=" KB",
        )
        check(f"{page} rerun", figures["rerun_bytes"] / 1024, TARGETS["rerun_kb"], unit=" KB")
        ratio = figures.get("over_smaller")
        if ratio is not None:
            scales = f"{result['scale']}/{result['smaller_scale']}"
            check(f"{page} {scales} (warm CPU)", ratio, TARGETS["over_smaller_scale"])
    for page, figures in result["aggregates"].items():
        if figures["naive_over_ours"] is None:
            continue  # not run: the table would not fit in memory whole
        check(
            f"{page} naive/ours",
            figures["naive_over_ours"],
            TARGETS["naive_over_ours"],
            at_most=False,
        )
    check("refresh tick CPU", result["tick"]["cpu_median_ms"], TARGETS["tick_cpu_ms"], unit=" ms")
    check("update p95", result["update"]["p95_ms"], TARGETS["update_p95_ms"], unit=" ms")
    if result.get("import"):
        check(
            "import rows/s",
            result["import"]["rows_per_s"],
            TARGETS["import_rows_per_s"],
            at_most=False,
        )
    check(
        "memory per extra session",
        result["memory"]["per_session_mb"],
        TARGETS["session_mb"],
        unit=" MB",
    )
    return out


def print_report(result: dict[str, Any]) -> None:
    print()
    print(
        f"scale {result['scale']} on {result['backend']}; harness (empty script) "
        f"{result['harness']['median_ms']:.1f} ms, not subtracted"
    )
    print(
        f"{'page':<11} {'cold ms':>8} {'p95':>7} {'CPU':>7} │ {'warm ms':>8} {'p95':>7} "
        f"{'CPU':>7} │ {'written':>8} {'report':>7} │ {'unkept':>7} │ "
        f"{'first KB':>9} {'wire':>7} {'rerun KB':>9} {'wire':>6} │ "
        f"{'÷ smaller':>9}"
    )
    for page, f in result["pages"].items():
        ratio = f.get("over_smaller")
        print(
            f"{page:<11} {f['cold']['median_ms']:>8.0f} {f['cold']['p95_ms']:>7.0f} "
            f"{f['cold']['cpu_median_ms']:>7.0f} │ {f['warm']['median_ms']:>8.1f} "
            f"{f['warm']['p95_ms']:>7.1f} {f['warm']['cpu_median_ms']:>7.1f} │ "
            f"{f['after_write']['cpu_median_ms']:>8.0f} "
            f"{f['after_report']['cpu_median_ms']:>7.0f} │ "
            f"{f['cold_unkept']['cpu_median_ms']:>7.0f} │ "
            f"{f['first_load_bytes'] / 1024:>9.1f} {f['first_load_wire_bytes'] / 1024:>7.1f} "
            f"{f['rerun_bytes'] / 1024:>9.1f} {f['rerun_wire_bytes'] / 1024:>6.1f} │ "
            f"{'' if ratio is None else f'{ratio:.2f}':>9}"
        )
    print()
    print(f"{'aggregate':<11} {'what':<36} {'ours ms':>8} {'naive ms':>9} {'naive/ours':>10}")
    for page, f in result["aggregates"].items():
        print(
            f"{page:<11} {f['what']:<36} {f['ours_ms']:>8.1f} "
            + (
                f"{f['naive_ms']:>9.1f} {f['naive_over_ours']:>10.1f}"
                if f["naive_ms"] is not None
                else f"  not run: {f['naive_table_rows']:,} rows"
            )
        )
    print()
    tick, update, memory = result["tick"], result["update"], result["memory"]
    print(
        f"refresh tick, nothing changed: {tick['cpu_median_ms']:.2f} ms CPU "
        f"({tick['median_ms']:.2f} ms wall) median"
    )
    print(
        f"one update through the write side: {update['median_ms']:.1f} ms median, "
        f"{update['p95_ms']:.1f} ms p95 ({update['cpu_median_ms']:.1f} ms CPU median)"
    )
    if result.get("import"):
        imp = result["import"]
        print(
            f"import of {imp['rows']:,} testing-site reports: {imp['rows_per_s']:,.0f} rows/s "
            f"({imp['rows_per_cpu_s']:,.0f} per CPU second; peak {imp['peak_mb']:.0f} MB)"
        )
    print(
        f"memory: peak {memory['peak_mb']:.0f} MB; each extra session "
        f"{memory['per_session_mb']:.1f} MB"
    )
    print()
    print("misses:" if result["misses"] else "every figure meets its target")
    for line in result["misses"]:
        print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=DEMO_SCALES, default="demo")
    parser.add_argument("--database-url", help="default: var/benchmark/<scale>.db (SQLite)")
    parser.add_argument("--json", help="default: var/benchmark/<scale>-<backend>.json")
    parser.add_argument("--runs", type=int, default=9, help="runs per figure (at least 9)")
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument(
        "--naive-max-rows",
        type=int,
        default=5_000_000,
        help="the naive way is not run on a larger table (it reads the table whole)",
    )
    parser.add_argument("--import-rows", type=int, default=100_000, help="0: skip the import")
    args = parser.parse_args()
    runs = max(args.runs, 9)
    folder = ROOT / "var" / "benchmark"
    folder.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{folder / (args.scale + '.db')}"
    backend = backend_of(url)
    output = Path(args.json) if args.json else folder / f"{args.scale}-{backend}.json"

    # Streamlit reads .streamlit/config.toml from the working directory, as `streamlit run`
    # does from the project's folder.
    os.chdir(ROOT)
    os.environ["DATABASE_URL"] = url
    os.environ["DEMO_DATA"] = "0"
    os.environ.pop("REPLAY_AT", None)
    from data.settings import get_settings

    get_settings.cache_clear()
    result: dict[str, Any] = {
        "scale": args.scale,
        "backend": backend,
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "targets": TARGETS,
    }
    result["database"] = prepare(url, args.scale)
    token, actor = admin_token_and_actor(url)
    as_on_a_server()
    result["harness"] = harness_ms(runs)
    pages = app_pages()
    result["pages"] = {}
    print(f"{len(pages)} pages, {runs} runs each:", flush=True)
    for address, script in pages:
        result["pages"][address] = measure_page(token, script, runs)
        f = result["pages"][address]
        print(
            f"  {address:<10} cold {f['cold']['median_ms']:7.0f} ms  warm "
            f"{f['warm']['median_ms']:6.1f} ms  first {f['first_load_bytes'] / 1024:7.1f} KB",
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["memory"] = {"peak_mb": peak, **measure_sessions(token, pages)}
    result["tick"] = measure_tick(url)
    result["update"] = measure_update(url, actor)
    print("aggregates, ours and naive:", flush=True)
    result["aggregates"] = measure_aggregates(url, runs, args.naive_runs, args.naive_max_rows)
    if args.import_rows:
        print(f"importing {args.import_rows:,} rows ...", flush=True)
        result["import"] = measure_import(args.import_rows)
    # Each page against the scale below (city ÷ demo, province ÷ city) on the same database,
    # from that scale's latest JSON beside this one.
    smaller = SMALLER_SCALE.get(args.scale)
    other = output.with_name(output.name.replace(args.scale, smaller or "", 1))
    if smaller is not None and other.exists():
        below = json.loads(other.read_text(encoding="utf-8"))
        result["smaller_scale"] = smaller
        for page, figures in result["pages"].items():
            if page in below.get("pages", {}):
                base = below["pages"][page]
                figures["over_smaller"] = (
                    figures["warm"]["cpu_median_ms"] / base["warm"]["cpu_median_ms"]
                )
                figures["over_smaller_cold"] = (
                    figures["cold"]["cpu_median_ms"] / base["cold"]["cpu_median_ms"]
                )
    result["misses"] = misses(result)
    output.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print_report(result)
    print(f"\nJSON: {output}")


if __name__ == "__main__":
    main()
