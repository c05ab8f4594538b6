"""`python -m data simulate`: the demo keeps moving through the write side; real data is
never touched; Ctrl-C stops it cleanly."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data import models
from data.demo import seed_demo
from data.demo.simulate import NotSimulated, simulate_tick
from data.timeutil import utc_now

ROOT = Path(__file__).resolve().parent.parent


def _count(session: Session, table: type) -> int:
    return session.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_tick_writes_reports_through_the_write_side(engine: Engine) -> None:
    seed_demo(engine)
    with Session(engine) as session:
        before = (
            _count(session, models.TestingSiteReport),
            _count(session, models.HotelReport),
            _count(session, models.StockReport),
            session.get(models.ChangeCounter, 1).value,
        )
        tick = simulate_tick(session, rng=random.Random(7), now=utc_now())
        after = (
            _count(session, models.TestingSiteReport),
            _count(session, models.HotelReport),
            _count(session, models.StockReport),
            session.get(models.ChangeCounter, 1).value,
        )
        assert tick.site_reports > 0 and tick.hotel_reports == 4 and tick.stock_reports == 12
        assert after[:3] == (
            before[0] + tick.site_reports,
            before[1] + tick.hotel_reports,
            before[2] + tick.stock_reports,
        )
        assert after[3] > before[3]  # live screens see the counter move
        logged = session.execute(
            select(func.count())
            .select_from(models.ChangeLog)
            .where(models.ChangeLog.actor == "simulator")
        ).scalar_one()
        assert logged >= 3  # one batch entry per kind: traceable to the simulator


def test_the_simulator_refuses_real_data(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(NotSimulated):
        simulate_tick(session, rng=random.Random(1))


def test_ctrl_c_stops_the_command_cleanly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "data", "seed"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "data", "--lang", "en", "simulate", "--interval", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stdout.readline()  # the first tick is written
    assert first.startswith("written: ")
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert out.strip().splitlines()[-1].startswith("stopped after ")
