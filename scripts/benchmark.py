"""Time every page's server-side run against a database, and print a table.

    python -m data seed --scale city --database-url sqlite:////tmp/city.db
    python scripts/benchmark.py --database-url sqlite:////tmp/city.db

"uncached" clears Streamlit's data cache before each run, so every query runs; "cached" is
a repeat run with nothing changed (what a refresh tick costs). Times are medians in ms of a
whole AppTest run, less the same harness running an empty script (shown as "harness").
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("overview", "cases", "testing", "hotels", "audits", "supplies")


def _sign_in() -> str:
    """A leadership session on the benchmarked database (pages show nothing signed out)."""
    from datetime import timedelta

    from sqlmodel import Session, select

    from data import accounts, models, writes
    from data.db import make_engine, upgrade_schema
    from data.settings import get_settings

    engine = make_engine(get_settings().database_url)
    upgrade_schema(engine)
    with Session(engine) as session:
        name = "benchmark-leader"
        user = session.exec(select(models.User).where(models.User.username == name)).first()
        if user is None:
            user = writes.create_user(
                session,
                actor=writes.SYSTEM,
                username=name,
                role="leadership",
                password="benchmark password",
            )
        token = accounts.start_session(session, user_id=user.id, lifetime=timedelta(hours=2))
    engine.dispose()
    return token


def _time_page(page: Path, runs: int, clear: bool, token: str | None = None) -> list[float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from signin import TOKEN

    timings = []
    for _ in range(runs):
        if clear:
            st.cache_data.clear()
        app = AppTest.from_file(str(page), default_timeout=120)
        if token is not None:
            app.session_state[TOKEN] = token
        started = time.perf_counter()
        app.run()
        timings.append((time.perf_counter() - started) * 1000)
        if app.exception:
            raise SystemExit(f"{page.name}: {app.exception[0].message}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--replay-at", help="local time to show, e.g. '2021-06-10 20:00'")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DEMO_DATA"] = "0"
    if args.replay_at:
        os.environ["REPLAY_AT"] = args.replay_at
    empty = Path(tempfile.mkdtemp()) / "empty.py"
    empty.write_text("import streamlit as st\n", encoding="utf-8")
    _time_page(empty, 1, clear=False)
    harness = statistics.median(_time_page(empty, args.runs, clear=False))
    print(f"harness: {harness:.0f} ms per run (subtracted below)")
    print(f"{'page':<10} {'uncached ms':>12} {'cached ms':>10}")
    token = _sign_in()
    for name in PAGES:
        page = ROOT / "pages" / f"{name}.py"
        if not page.exists():
            continue
        _time_page(page, 1, clear=True, token=token)  # warm imports and the engine
        uncached = statistics.median(_time_page(page, args.runs, clear=True, token=token))
        cached = statistics.median(_time_page(page, args.runs, clear=False, token=token))
        uncached, cached = uncached - harness, cached - harness
        print(f"{name:<10} {uncached:>12.0f} {cached:>10.0f}")


if __name__ == "__main__":
    main()
