"""Figures of past moments kept in the database for every server (data.kept): what is kept
and comes back as it was, when kept figures are read and when they are worked out again."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete, func, select
from sqlmodel import Session

from data import models
from data.kept import code_version, decode, encode, find_kept, keep, kept_key
from data.queries.common import get_change_counter
from tests.factories import at, make_facility, make_site_report

CUTOFF = at("2021-06-10 00:00")


def test_plain_figures_come_back_exactly_and_others_are_not_kept() -> None:
    figures = {
        "day": date(2021, 6, 9),
        "cutoff": datetime(2021, 6, 10, tzinfo=UTC),
        "rows": [{"n": 3, "share": 0.25, "none": None, "missing": math.nan, "ok": True}],
        "counts": {"440103": np.int64(2)},
        "text": "荔湾区",
    }
    back = decode(encode(figures))
    assert back["day"] == date(2021, 6, 9)
    assert back["cutoff"] == datetime(2021, 6, 10, tzinfo=UTC)
    assert back["counts"] == {"440103": 2}
    assert math.isnan(back["rows"][0].pop("missing"))
    assert back["rows"] == [{"n": 3, "share": 0.25, "none": None, "ok": True}]
    # A tuple would come back a list, a frame not at all: worked out every time instead.
    assert encode({"pair": (1, 2)}) is None
    assert encode(pd.DataFrame({"a": [1]})) is None


def _kept_rows(session: Session) -> int:
    return session.execute(select(func.count()).select_from(models.KeptFigures)).scalar_one()


def test_kept_figures_are_read_until_a_change_dated_at_or_before_their_moment(
    session: Session,
) -> None:
    site = make_facility(session, kind="testing_site")
    key = kept_key("data.briefing.compute_figures", (("cutoff", CUTOFF),))
    counter = get_change_counter(session=session)
    assert keep(
        session, key=key, name="briefing", moment=CUTOFF, counter=counter, value={"cases": 3}
    )
    # A report made after the moment: the figures stand (and are checked up to it).
    make_site_report(session, site_id=site.id, reported_at=at("2021-06-10 00:30"), sampled=5)
    now = get_change_counter(session=session)
    assert find_kept(session, key=key, moment=CUTOFF, counter=now) == {"cases": 3}
    assert session.get(models.KeptFigures, key, populate_existing=True).checked == now
    # A late report, dated before it: they are forgotten, to be worked out again.
    make_site_report(session, site_id=site.id, reported_at=at("2021-06-09 23:00"), sampled=5)
    later = get_change_counter(session=session)
    assert find_kept(session, key=key, moment=CUTOFF, counter=later) is None
    assert _kept_rows(session) == 0
    # Another server had forgotten them first: nothing is left to forget, nothing fails.
    keep(session, key=key, name="briefing", moment=CUTOFF, counter=counter, value={"cases": 3})
    other = Session(session.get_bind())
    session.execute(delete(models.KeptFigures))
    session.commit()
    assert find_kept(other, key=key, moment=CUTOFF, counter=later) is None
    other.close()


def test_the_key_holds_the_read_its_arguments_and_the_data_layers_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    arguments = (("cutoff", CUTOFF),)
    key = kept_key("data.briefing.compute_figures", arguments)
    assert key == kept_key("data.briefing.compute_figures", arguments)
    assert key != kept_key("data.briefing.compute_figures", (("cutoff", at("2021-06-11 00:00")),))
    assert key != kept_key("data.queries.overview.get_past_figures", arguments)
    monkeypatch.setattr("data.kept.code_version", lambda: code_version() + "-changed")
    assert key != kept_key("data.briefing.compute_figures", arguments)


def test_accounts_sign_ins_and_acknowledgements_alter_no_kept_figures(session: Session) -> None:
    from datetime import timedelta

    from data import accounts, writes
    from data.writes import SYSTEM, Actor
    from data.writes.acknowledgements import acknowledge_alerts

    key = kept_key("data.briefing.compute_figures", (("cutoff", CUTOFF),))
    counter = get_change_counter(session=session)
    keep(session, key=key, name="briefing", moment=CUTOFF, counter=counter, value={"cases": 3})
    user = writes.create_user(
        session, actor=SYSTEM, username="leader", role="leadership", password="long enough pw"
    )
    accounts.start_session(session, user_id=user.id, lifetime=timedelta(hours=1))
    accounts.issue_screen_token(session, actor=SYSTEM, name="hall-1")
    boss = Actor(name="leader", role="leadership", user_id=user.id)
    acknowledge_alerts(session, actor=boss, alerts=[("stock:1:2", "supplies", "440103")])
    now = get_change_counter(session=session)
    assert now > counter + 3
    assert find_kept(session, key=key, moment=CUTOFF, counter=now) == {"cases": 3}


def test_figures_kept_long_ago_are_let_go_when_others_are_kept(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = kept_key("data.queries.overview.get_past_figures", (("today", date(2021, 5, 1)),))
    new = kept_key("data.queries.overview.get_past_figures", (("today", date(2021, 6, 10)),))
    monkeypatch.setattr("data.kept.utc_now", lambda: at("2021-05-01 12:00"))
    keep(session, key=old, name="past", moment=CUTOFF, counter=1, value=[1])
    monkeypatch.setattr("data.kept.utc_now", lambda: at("2021-05-31 11:00"))
    keep(session, key=new, name="past", moment=CUTOFF, counter=1, value=[2])
    assert _kept_rows(session) == 2  # 29 days and 23 hours
    monkeypatch.setattr("data.kept.utc_now", lambda: at("2021-05-31 13:00"))
    keep(session, key=new, name="past", moment=CUTOFF, counter=1, value=[2])
    assert session.execute(select(models.KeptFigures.key)).scalars().all() == [new]
