"""Acknowledging a critical alert through the write side: who may, how long it holds, and
its change-log entry (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from data import models
from data.queries.acknowledgements import get_acknowledgements
from data.queries.common import get_change_counter
from data.writes import Actor, InvalidRecord, PermissionDenied
from data.writes.acknowledgements import ACKNOWLEDGED_FOR, acknowledge_alert
from tests.factories import at

LEADER = Actor(name="zhang", role="leadership")
NOON = at("2021-06-10 04:00")


@pytest.mark.parametrize(
    "actor",
    [
        LEADER,
        Actor(name="li", role="duty_officer", district_codes=frozenset({"440104"})),
        Actor(name="wang", role="auditor"),
        Actor(name="root", role="admin"),
    ],
)
def test_any_signed_in_person_acknowledges_an_alert_for_a_shift(
    session: Session, actor: Actor
) -> None:
    before = get_change_counter(session=session)
    acknowledge_alert(
        session,
        actor=actor,
        alert_key="hotel_full:17",
        kind="hotel_full",
        district_code="440103",
        at=NOON,
    )
    assert timedelta(hours=12) == ACKNOWLEDGED_FOR
    assert get_acknowledgements(session=session, at=NOON - timedelta(minutes=1)) == {}
    expected = {"hotel_full:17": {"actor": actor.name, "acknowledged_at": NOON}}
    assert get_acknowledgements(session=session, at=NOON) == expected
    assert get_acknowledgements(session=session, at=NOON + timedelta(hours=11, minutes=59)) == (
        expected
    )
    assert get_acknowledgements(session=session, at=NOON + timedelta(hours=12)) == {}
    assert get_change_counter(session=session) == before + 1
    entry = session.exec(select(models.ChangeLog).order_by(models.ChangeLog.id.desc())).first()
    assert (entry.table_name, entry.action, entry.actor, entry.districts) == (
        "alertacknowledgement",
        "insert",
        actor.name,
        "440103",
    )


def test_the_newest_acknowledgement_of_an_alert_says_who(session: Session) -> None:
    acknowledge_alert(
        session, actor=LEADER, alert_key="round_behind:3", kind="round_behind", at=NOON
    )
    later = NOON + timedelta(hours=1)
    other = Actor(name="chen", role="leadership")
    acknowledge_alert(
        session, actor=other, alert_key="round_behind:3", kind="round_behind", at=later
    )
    assert get_acknowledgements(session=session, at=later) == {
        "round_behind:3": {"actor": "chen", "acknowledged_at": later}
    }


def test_a_wall_screen_cannot_acknowledge(session: Session) -> None:
    screen = Actor(name="screen:hall-1", role="screen")
    with pytest.raises(PermissionDenied) as refused:
        acknowledge_alert(session, actor=screen, alert_key="hotel_full:17", kind="hotel_full")
    assert refused.value.code == "not_permitted"
    assert get_acknowledgements(session=session, at=NOON + timedelta(days=9999)) == {}


@pytest.mark.parametrize(
    ("key", "code"), [("", "blank"), ("   ", "blank"), ("x" * 81, "too_long"), (17, "not_text")]
)
def test_an_alert_key_is_checked(session: Session, key: object, code: str) -> None:
    with pytest.raises(InvalidRecord) as refused:
        acknowledge_alert(session, actor=LEADER, alert_key=key, kind="hotel_full")
    assert refused.value.code == code
    assert session.exec(select(models.AlertAcknowledgement)).all() == []


def test_several_alerts_are_acknowledged_at_once_or_none(session: Session) -> None:
    from data.writes.acknowledgements import acknowledge_alerts

    before = get_change_counter(session=session)
    acknowledge_alerts(
        session,
        actor=LEADER,
        alerts=[
            ("supply_short:1", "supply_short", "440103"),
            ("supply_short:2", "supply_short", None),
        ],
        at=NOON,
    )
    assert sorted(get_acknowledgements(session=session, at=NOON)) == [
        "supply_short:1",
        "supply_short:2",
    ]
    assert get_change_counter(session=session) == before + 2
    with pytest.raises(InvalidRecord):
        acknowledge_alerts(
            session,
            actor=LEADER,
            alerts=[("supply_short:3", "supply_short", None), ("", "supply_short", None)],
            at=NOON,
        )
    assert "supply_short:3" not in get_acknowledgements(session=session, at=NOON)


def test_the_change_log_says_which_alert_until_when(session: Session) -> None:
    import json

    acknowledge_alert(session, actor=LEADER, alert_key="hotel_full:17", kind="hotel_full", at=NOON)
    entry = session.exec(select(models.ChangeLog).order_by(models.ChangeLog.id.desc())).first()
    assert json.loads(entry.after_json) == {
        "alert_key": "hotel_full:17",
        "kind": "hotel_full",
        "acknowledged_at": "2021-06-10T04:00:00+00:00",
        "expires_at": "2021-06-10T16:00:00+00:00",
    }
