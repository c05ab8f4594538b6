"""What reading settings as of a moment costs: the views' reads on the demo scenario, with
and without edits of settings after the moment read.

Seeds the demo scenario (anchored 2021-06-10, so that its end is 20:00 that day) into a
fresh SQLite database (or --database-url, emptied first), then times each read (median of
--repeat runs, milliseconds) in three states:

- "no edits": nothing edited; the moment is the scenario's end (the fast path);
- "edits, replayed before": --edits edits of every kind written now, read at the
  scenario's end, which is before all of them (settings rewound);
- "edits, read after": the same edits, read at a moment after them (the fast path again).

    python benchmarks/settings_as_of.py --edits 300
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from data import models  # noqa: E402
from data.db import make_engine, upgrade_schema  # noqa: E402
from data.demo import seed_demo  # noqa: E402
from data.queries import audits, cases, hotels, overview, supplies, testing  # noqa: E402
from data.queries.common import Clock, get_scenario  # noqa: E402
from data.timeutil import local_day, utc_now  # noqa: E402
from data.writes import (  # noqa: E402
    SYSTEM,
    clear_operational_data,
    edit_action,
    edit_case,
    edit_facility,
    edit_reorder_level,
    edit_round,
)

ANCHOR = date(2021, 6, 10)


def _reads(session: Session, clock: Clock) -> dict[str, Callable[[], object]]:
    at, today = clock.now, clock.today
    return {
        "testing: round outlook": lambda: testing.list_round_outlook(session=session, now=at),
        "hotels: list": lambda: hotels.list_hotels(session=session, clock=clock),
        "hotels: by status": lambda: hotels.count_hotels_by_status(session=session, at=at),
        "cases: by district": lambda: cases.count_local_cases_by_district(
            session=session, today=today, at=at
        ),
        "cases: points": lambda: cases.list_case_points(session=session, end=today, at=at),
        "supplies: stock lines": lambda: supplies.list_stock_lines(
            session=session, today=today, at=at
        ),
        "audits: findings": lambda: audits.list_findings(session=session, today=today, at=at),
        "overview: headline": lambda: overview.get_headline(session=session, clock=clock),
    }


def _time(session: Session, clock: Clock, repeat: int) -> dict[str, float]:
    timings = {}
    for name, read in _reads(session, clock).items():
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            read()
            runs.append((time.perf_counter() - started) * 1000)
        timings[name] = statistics.median(runs)
    return timings


def _edit(session: Session, edits: int) -> dict[str, int]:
    """`edits` edits of each kind (fewer where the scenario has fewer records)."""
    made = dict.fromkeys(("cases", "facilities", "rounds", "reorder levels", "actions"), 0)

    def fresh(model: type, key: object) -> object:
        return session.get(model, key, populate_existing=True)

    case_ids = session.execute(select(models.Case.id).limit(edits)).scalars().all()
    for number, case_id in enumerate(case_ids):
        severity = ("severe", "moderate")[number % 2]
        version = fresh(models.Case, case_id).version
        edit_case(
            session,
            actor=SYSTEM,
            case_id=case_id,
            expected_version=version,
            changes={"severity": severity},
        )
        made["cases"] += 1
    f = models.Facility
    facility_ids = session.execute(
        select(f.id).where(f.status == "active").order_by(f.id).limit(edits)
    ).scalars()
    for facility_id in list(facility_ids):
        version = fresh(f, facility_id).version
        edit_facility(
            session,
            actor=SYSTEM,
            facility_id=facility_id,
            expected_version=version,
            changes={"report_interval_minutes": 120},
        )
        made["facilities"] += 1
    for round_id in session.execute(select(models.TestingRound.id)).scalars().all()[:edits]:
        stored = fresh(models.TestingRound, round_id)
        edit_round(
            session,
            actor=SYSTEM,
            round_id=round_id,
            expected_version=stored.version,
            changes={"deadline_at": stored.deadline_at + timedelta(hours=6)},
        )
        made["rounds"] += 1
    s = models.StockState
    lines = session.execute(select(s.item_id, s.location_id).limit(edits)).all()
    for item_id, location_id in lines:
        version = fresh(s, (item_id, location_id)).version
        edit_reorder_level(
            session,
            actor=SYSTEM,
            item_id=item_id,
            location_id=location_id,
            expected_version=version,
            reorder_level=500,
        )
        made["reorder levels"] += 1
    for finding_id in session.execute(select(models.AuditFinding.id).limit(edits)).scalars():
        version = fresh(models.AuditFinding, finding_id).version
        edit_action(
            session,
            actor=SYSTEM,
            finding_id=finding_id,
            expected_version=version,
            changes={"owner": "benchmark"},
        )
        made["actions"] += 1
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite)")
    parser.add_argument("--edits", type=int, default=300, help="edits of each kind")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each read")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite:///{Path(folder) / 'settings.db'}"
        engine = make_engine(url)
        upgrade_schema(engine)
        with Session(engine) as session:
            clear_operational_data(session, actor=SYSTEM)
        seed_demo(engine, anchor_date=ANCHOR)
        with Session(engine) as session:
            end = get_scenario(session=session).as_of
            replayed = Clock(now=end, today=local_day(end), replay=True)
            columns = {"no edits": _time(session, replayed, arguments.repeat)}
            made = _edit(session, arguments.edits)
            columns["edits, replayed before"] = _time(session, replayed, arguments.repeat)
            later = utc_now() + timedelta(minutes=1)
            after = Clock(now=later, today=local_day(later), replay=True)
            columns["edits, read after"] = _time(session, after, arguments.repeat)
        engine.dispose()
    print(f"{engine.dialect.name}, demo scenario; edits written: {made}")
    print()
    print("| read (median ms) | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name in columns["no edits"]:
        print(f"| {name} | " + " | ".join(f"{c[name]:.1f}" for c in columns.values()) + " |")


if __name__ == "__main__":
    main()
