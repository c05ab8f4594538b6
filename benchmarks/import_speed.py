"""Import speed and memory: testing-site reports into a fresh SQLite (or --database-url)
database.

For each N of --rows: builds a city of testing sites (one round per district), writes a CSV
file of N reports, and in a new process each (so that its peak memory is the import's own)
times (1) the write side's batch alone (typed rows streamed to it) and (2) the whole import
of the file (reading, codes to ids, every check, writing, derived state, change log); prints
validated rows per second (wall clock and CPU time of the importing process: on a shared
machine the wall clock measures the neighbours too) and its peak resident memory. With
--repeat N each is run N times on a fresh database and the median is printed.

    python benchmarks/import_speed.py --rows 100000 1000000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
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


def _rows(sites: list[tuple[int, str]], count: int):  # noqa: ANN202 - a generator
    """(site id, site code, report time) of N reports: every site every 10 minutes."""
    for n in range(count):
        site = sites[n % len(sites)]
        yield site[0], site[1], START + timedelta(minutes=10 * (n // len(sites)))


def _write_csv(path: Path, rows) -> None:  # noqa: ANN001
    with path.open("w", encoding="utf-8") as out:
        out.write("site code,round number,report time,open,sampled,results out,positives\n")
        for _, code, moment in rows:
            local = moment + timedelta(hours=8)
            out.write(f"{code},1,{local:%Y-%m-%d %H:%M},yes,30,20,0\n")


def _rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory (`VmRSS`) or its peak (`VmHWM`), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _child(path: str, url: str, csv_file: str, count: int) -> None:
    """One measured import, in this process alone; prints its figures as JSON."""
    engine = make_engine(url)
    with Session(engine) as session:
        f = models.Facility
        sites = list(session.execute(select(f.id, f.code).order_by(f.id)).all())
        before = _rss_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        if path == "write":
            typed = (
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
                for n, (s, _, m) in enumerate(_rows(sites, count))
            )
            upsert_batch(session, actor=SYSTEM, entity=SITE_REPORT, rows=typed)
        else:
            with open(csv_file, "rb") as stream:
                import_file(
                    session, actor=SYSTEM, kind="site-reports", stream=stream, filename="bench.csv"
                )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    engine.dispose()
    # The peak of this program's own memory: ru_maxrss outlives exec on Linux, so a child
    # started by a big process (benchmarks/run.py at province scale) reported its parent's.
    peak = _rss_mb("VmHWM")
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak, "before_mb": before}))


def _measure(args: argparse.Namespace, path: str, count: int) -> dict[str, float]:
    """One measured run in a new process, on a new database (and file)."""
    folder = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    engine = make_engine(url)
    upgrade_schema(engine)
    sites = _city(engine, args.sites)
    engine.dispose()
    csv_file = folder / "bench.csv"
    if path == "file":
        _write_csv(csv_file, _rows(sites, count))
    output = subprocess.run(
        [sys.executable, __file__, "--child", path, url, str(csv_file), str(count)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    ).stdout
    shutil.rmtree(folder)  # the file and the SQLite database: a million rows take 100s of MB
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--sites", type=int, default=4_500)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the median is shown")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, url, csv_file, count = args.child
        _child(path, url, csv_file, int(count))
        return
    results = []
    for count in args.rows:
        for path, label in (("write", "write side (typed rows)"), ("file", "whole import (CSV)")):
            runs = [_measure(args, path, count) for _ in range(args.repeat)]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            results.append((label, count, median))
    print(
        f"{'path':<24} {'rows':>10} {'wall s':>7} {'rows/s':>8} {'CPU s':>7} {'rows/CPU s':>10}"
        f" {'peak MB':>8} {'before MB':>9}"
    )
    for label, count, r in results:
        print(
            f"{label:<24} {count:>10,} {r['wall']:>7.2f} {count / r['wall']:>8,.0f} "
            f"{r['cpu']:>7.2f} {count / r['cpu']:>10,.0f} {r['peak_mb']:>8,.0f}"
            f" {r['before_mb']:>9,.0f}"
        )
    print("rows/s: validated rows per second of wall clock; rows/CPU s: per second of the")
    print("importing process's CPU time. peak MB: its peak resident memory; before MB: its")
    print("memory just before the import began (Python, libraries, the open database)")
    if args.repeat > 1:
        print(f"each figure is the median of {args.repeat} runs")


if __name__ == "__main__":
    main()
