"""Import speed: testing-site reports into a fresh SQLite (or --database-url) database.

Builds a city of testing sites (one round per district), writes a CSV of N reports, and
times (1) the write side's batch alone (rows already typed) and (2) the whole import of the
file (reading, codes to ids, every check, writing, derived state, change log); prints a
table of rows per second and the peak memory of the process.

    python benchmarks/import_speed.py --rows 100000
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from data import models  # noqa: E402
from data.db import make_engine, upgrade_schema  # noqa: E402
from data.reference.districts import DISTRICT_TABLE  # noqa: E402
from data.transfer import import_file  # noqa: E402
from data.writes import SYSTEM, create_facilities, create_rounds  # noqa: E402
from data.writes.batch import upsert_batch  # noqa: E402
from data.writes.testing import SITE_REPORT  # noqa: E402

START = datetime(2021, 5, 26, tzinfo=UTC)


def _city(engine, sites: int) -> list[tuple[int, str]]:  # noqa: ANN001
    districts = [code for code, *_ in DISTRICT_TABLE]
    with Session(engine) as session:
        create_facilities(
            session,
            actor=SYSTEM,
            rows=[
                {
                    "code": f"S{n:05d}",
                    "kind": "testing_site",
                    "district_code": districts[n % len(districts)],
                    "name_zh": f"采样点{n}",
                    "name_en": f"Site {n}",
                    "lon": 113.3,
                    "lat": 23.1,
                }
                for n in range(sites)
            ],
        )
        create_rounds(
            session,
            actor=SYSTEM,
            rows=[
                {
                    "district_code": code,
                    "round_no": 1,
                    "target_population": 10_000_000,
                    "start_at": START,
                    "deadline_at": START + timedelta(days=30),
                }
                for code in districts
            ],
        )
        f = models.Facility
        return list(session.execute(select(f.id, f.code).order_by(f.id)).all())


def _rows(sites: list[tuple[int, str]], count: int) -> list[tuple[int, str, datetime]]:
    random.seed(1)
    out = []
    for n in range(count):
        site = sites[n % len(sites)]
        out.append((site[0], site[1], START + timedelta(minutes=10 * (n // len(sites)))))
    return out


def _csv(rows: list) -> bytes:
    lines = ["site code,round number,report time,open,sampled,results out,positives"]
    for _, code, moment in rows:
        local = moment + timedelta(hours=8)
        lines.append(f"{code},1,{local:%Y-%m-%d %H:%M},yes,30,20,0")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=4_500)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    results = []
    for label in ("write side (typed rows)", "whole import (CSV file)"):
        folder = tempfile.mkdtemp()
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        engine = make_engine(url)
        upgrade_schema(engine)
        sites = _city(engine, args.sites)
        rows = _rows(sites, args.rows)
        with Session(engine) as session:
            if label.startswith("write"):
                typed = [
                    (
                        n + 2,
                        {
                            "site_id": s,
                            "round_id": None,
                            "reported_at": m,
                            "sampled": 30,
                            "resulted": 20,
                        },
                    )
                    for n, (s, _, m) in enumerate(rows)
                ]
                began = time.perf_counter()
                upsert_batch(session, actor=SYSTEM, entity=SITE_REPORT, rows=typed)
            else:
                data = _csv(rows)
                began = time.perf_counter()
                import_file(
                    session,
                    actor=SYSTEM,
                    kind="site-reports",
                    stream=io.BytesIO(data),
                    filename="bench.csv",
                )
            elapsed = time.perf_counter() - began
        engine.dispose()
        results.append((label, args.rows, elapsed))
    print(f"{'path':<26} {'rows':>10} {'seconds':>8} {'rows/s':>10}")
    for label, count, elapsed in results:
        print(f"{label:<26} {count:>10,} {elapsed:>8.2f} {count / elapsed:>10,.0f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
