"""Which alerts signed-in users have acknowledged, as of a moment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from data import models


def get_acknowledgements(*, session: Session, at: datetime) -> dict[str, dict]:
    """The acknowledgements in force at `at`, by alert key: who (`actor`) and when
    (`acknowledged_at`, the newest one of a key)."""
    ack = models.AlertAcknowledgement
    rows = session.execute(
        select(ack.alert_key, ack.actor, ack.acknowledged_at)
        .where(ack.acknowledged_at <= at, ack.expires_at > at)
        .order_by(ack.acknowledged_at)
    )
    return {
        row.alert_key: {"actor": row.actor, "acknowledged_at": row.acknowledged_at} for row in rows
    }
