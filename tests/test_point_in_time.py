"""Every view read at a moment T equals the same view on a copy cut at T (nothing after T).

For each view, a history across several days is read at several moments with everything
present; then the database is cut back to each moment in turn (latest first) and rebuilt,
and the same reads must give exactly the same figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data.queries import audits, cases, hotels, overview, supplies, testing
from data.settings import get_settings
from data.timeutil import local_day
from tests.conftest import open_app
from tests.factories import at
from tests.pointintime import (
    MOMENTS,
    History,
    build_history,
    clock_at,
    keep_only_up_to,
    same,
)


def _hotel_reads(session: Session, history: History, moment: datetime) -> dict:
    clock = clock_at(moment)
    return {
        "hotels": hotels.list_hotels(session=session, clock=clock),
        "outlook": hotels.list_capacity_outlook(session=session, clock=clock),
        "daily": hotels.list_daily_rooms(session=session, clock=clock),
        "rooms": hotels.get_room_totals(session=session, at=moment),
        "cohorts": hotels.list_room_totals_by_cohort(session=session, at=moment),
        "by_status": hotels.count_hotels_by_status(session=session, at=moment),
    }


def _testing_reads(session: Session, history: History, moment: datetime) -> dict:
    rounds = (history.liwan_round, history.yuexiu_round)
    return {
        "outlook": testing.list_round_outlook(session=session, now=moment),
        "outlook_3h": testing.list_round_outlook(session=session, now=moment, window_hours=3),
        "totals": testing.list_round_totals(session=session, as_of=moment),
        "hourly": testing.list_round_hourly(session=session, round_ids=rounds, until=moment),
        "backlog": testing.list_backlog_by_district(
            session=session, since=moment - timedelta(hours=30), until=moment
        ),
        "sites": testing.list_site_status(session=session, now=moment, today=local_day(moment)),
    }


def _supply_reads(session: Session, history: History, moment: datetime) -> dict:
    today = local_day(moment)
    return {
        "lines": supplies.list_stock_lines(session=session, today=today, at=moment),
        "items": supplies.list_item_totals(session=session, today=today, at=moment),
        "outs": supplies.list_stock_outs(session=session, today=today, at=moment),
        "history": supplies.list_line_history(
            session=session,
            item_id=history.item,
            location_id=history.warehouse,
            start=today - timedelta(days=10),
            end=today,
            at=moment,
        ),
    }


def _audit_reads(session: Session, history: History, moment: datetime) -> dict:
    today = local_day(moment)
    return {
        "facilities": audits.list_facility_audit_status(session=session, today=today, at=moment),
        "actions": audits.get_action_totals(session=session, today=today, at=moment),
        "findings": audits.list_findings(session=session, today=today, at=moment),
        "grid": audits.list_component_compliance(session=session, at=moment),
        "trend": audits.list_facility_audits(
            session=session, facility_id=history.hospital, at=moment
        ),
    }


def _case_reads(session: Session, history: History, moment: datetime) -> dict:
    today = local_day(moment)
    return {
        "totals": cases.get_local_case_totals(session=session, today=today, at=moment),
        "contacts": cases.get_contact_totals(session=session, today=today, at=moment),
        "districts": cases.count_local_cases_by_district(session=session, today=today, at=moment),
        "zones": cases.count_active_zones(session=session, at=moment),
        "zone_list": cases.list_zones(session=session, at=moment, include_lifted=True),
        "points": cases.list_case_points(session=session, end=today, at=moment),
        "facilities": cases.list_map_facilities(session=session, at=moment),
    }


def _overview_reads(session: Session, history: History, moment: datetime) -> dict:
    return {"headline": overview.get_headline(session=session, clock=clock_at(moment))}


READS: dict[str, Callable[[Session, History, datetime], dict]] = {
    "hotels": _hotel_reads,
    "testing": _testing_reads,
    "supplies": _supply_reads,
    "audits": _audit_reads,
    "cases": _case_reads,
    "overview": _overview_reads,
}


@pytest.mark.parametrize("view", list(READS))
def test_a_view_read_at_a_moment_equals_the_database_cut_at_that_moment(
    session: Session, view: str
) -> None:
    history = build_history(session)
    read = READS[view]
    with_later_data = {moment: read(session, history, moment) for moment in MOMENTS}
    for moment in sorted(MOMENTS, reverse=True):
        keep_only_up_to(session, moment)
        cut = read(session, history, moment)
        for name, figures in with_later_data[moment].items():
            try:
                same(figures, cut[name])
            except AssertionError as error:
                raise AssertionError(f"{view}.{name} at {moment}: {error}") from error


def _page_figures(script: str) -> dict:
    """Every metric and table a page shows (as text and values)."""
    app = open_app(script, timeout=60)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    return {
        "metrics": [(metric.label, metric.value, metric.help) for metric in app.metric],
        "tables": {number: frame.value for number, frame in enumerate(app.dataframe)},
        "captions": [caption.value for caption in app.caption],
    }


@pytest.mark.parametrize(
    "script",
    [
        "pages/overview.py",
        "pages/cases.py",
        "pages/testing.py",
        "pages/hotels.py",
        "pages/supplies.py",
        "pages/audits.py",
    ],
)
def test_a_page_replayed_at_a_moment_shows_what_the_cut_copy_shows(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch, script: str
) -> None:
    moment = at("2021-06-09 06:05")  # 14:05 in Guangzhou
    monkeypatch.setenv("REPLAY_AT", "2021-06-09 14:05")
    get_settings.cache_clear()
    with Session(engine) as session:
        build_history(session)
    with_later_data = _page_figures(script)
    with Session(engine) as session:
        keep_only_up_to(session, moment)
    st.cache_data.clear()
    cut = _page_figures(script)
    assert cut["metrics"] == with_later_data["metrics"]
    assert cut["captions"] == with_later_data["captions"]
    assert cut["tables"].keys() == with_later_data["tables"].keys()
    for number, table in with_later_data["tables"].items():
        pd.testing.assert_frame_equal(table.astype(str), cut["tables"][number].astype(str))
