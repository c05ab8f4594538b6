"""Acknowledging a critical alert: the signed-in user has seen it, so wall screens go back
to their rotation (screen mode) until the acknowledgement runs out or the alert ends."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import Session

from data import models
from data.timeutil import as_utc, utc_now
from data.writes.actor import Actor
from data.writes.changelog import ALTERS_NO_FIGURES, as_json, log_change, record_key
from data.writes.errors import InvalidRecord, Problem
from data.writes.permissions import authorize
from data.writes.rules import Bad, Context, text
from data.writes.unit import unit_of_work

# An acknowledgement holds for a duty shift: a critical alert still open after it
# interrupts the screens again, for the next shift to see.
ACKNOWLEDGED_FOR = timedelta(hours=12)


def _checked(field: str, value: object, max_length: int) -> str:
    try:
        return text(max_length)(value, Context.current())
    except Bad as bad:
        raise InvalidRecord(Problem(bad.code, field, params=bad.params)) from None


def acknowledge_alert(
    session: Session,
    *,
    actor: Actor,
    alert_key: str,
    kind: str,
    district_code: str | None = None,
    at: datetime | None = None,
) -> models.AlertAcknowledgement:
    """Record that `actor` has seen the alert `alert_key` (any signed-in user; not a wall
    screen), logged in the change log with the alert's district."""
    (record,) = acknowledge_alerts(
        session, actor=actor, alerts=[(alert_key, kind, district_code)], at=at
    )
    return record


def acknowledge_alerts(
    session: Session,
    *,
    actor: Actor,
    alerts: Iterable[tuple[str, str, str | None]],
    at: datetime | None = None,
) -> list[models.AlertAcknowledgement]:
    """Acknowledge several alerts at once, each given as (key, kind, district code or None):
    all of them or, on any refusal, none; one change-log entry each."""
    authorize(actor, "create", "alert_acknowledgement")
    checked = [
        (_checked("alert_key", key, 80), _checked("kind", kind, 20), district)
        for key, kind, district in alerts
    ]
    now = utc_now() if at is None else as_utc(at)
    records = []
    with unit_of_work(session):
        for alert_key, kind, district_code in checked:
            record = models.AlertAcknowledgement(
                alert_key=alert_key,
                kind=kind,
                acknowledged_at=now,
                expires_at=now + ACKNOWLEDGED_FOR,
                user_id=actor.user_id,
                actor=actor.name[:60],
            )
            session.add(record)
            session.flush()
            log_change(
                session,
                actor=actor,
                table_name=record.__tablename__,
                record_key=record_key(record),
                action="insert",
                before=None,
                # What a reader of the log needs (the record's id and user are its key
                # and its "who").
                after=as_json(
                    {
                        "alert_key": alert_key,
                        "kind": kind,
                        "acknowledged_at": record.acknowledged_at,
                        "expires_at": record.expires_at,
                    }
                ),
                districts=[district_code] if district_code else None,
                effective_at=ALTERS_NO_FIGURES,  # the alerts' figures stay as they are
            )
            records.append(record)
    return records
