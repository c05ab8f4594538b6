"""Issuing a daily briefing: its figures and text frozen as issued (leadership and admins)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from data import models
from data.briefing import report_day
from data.timeutil import as_utc, utc_now
from data.writes.actor import Actor
from data.writes.changelog import ALTERS_NO_FIGURES, log_record
from data.writes.errors import InvalidRecord, Problem
from data.writes.permissions import authorize_role
from data.writes.unit import unit_of_work


def issue_briefing(
    session: Session,
    *,
    actor: Actor,
    figures: dict[str, Any],
    text_zh: str,
    text_en: str,
    now: datetime | None = None,
) -> models.IssuedBriefing:
    """Store a briefing as issued; refused for a cut-off still to come or one already issued
    (an issued briefing is never replaced: it is what was sent)."""
    authorize_role(actor, "create", "briefing")
    cutoff = as_utc(datetime.fromisoformat(figures["cutoff"]))
    now = as_utc(now or utc_now())
    if cutoff > now:
        raise InvalidRecord(Problem("briefing_future", "cutoff_at", params={"value": cutoff}))
    with unit_of_work(session):
        taken = session.execute(
            select(models.IssuedBriefing.id).where(models.IssuedBriefing.cutoff_at == cutoff)
        ).first()
        if taken is not None:
            raise InvalidRecord(Problem("briefing_issued", "cutoff_at", params={"value": cutoff}))
        record = models.IssuedBriefing(
            cutoff_at=cutoff,
            report_day=report_day(cutoff),
            figures_json=json.dumps(figures, ensure_ascii=False, sort_keys=True),
            text_zh=text_zh,
            text_en=text_en,
            issued_at=now,
            issued_by=actor.name,
            user_id=actor.user_id,
        )
        session.add(record)
        session.flush()
        # Issuing freezes the briefing's text; the figures of its cut-off stay as they are.
        log_record(session, actor, record, "insert", before=None, effective_at=ALTERS_NO_FIGURES)
    return record
