"""Issued daily briefings: the list, and one as issued (figures and text as stored)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from data import models
from data.timeutil import as_utc


@dataclass(frozen=True)
class IssuedBriefing:
    """A briefing as issued: its figures and its text in both languages, and who issued it."""

    id: int
    cutoff_at: datetime
    report_day: date
    figures: dict[str, Any]
    text_zh: str
    text_en: str
    issued_at: datetime
    issued_by: str

    def text(self, lang: str) -> str:
        """The text in `lang` ("zh" or "en")."""
        return self.text_en if lang == "en" else self.text_zh


def list_issued_briefings(*, session: Session) -> list[dict[str, Any]]:
    """Every issued briefing, the latest cut-off first: id, cut-off, day, issued by and when."""
    b = models.IssuedBriefing
    rows = session.execute(
        select(b.id, b.cutoff_at, b.report_day, b.issued_at, b.issued_by).order_by(
            b.cutoff_at.desc()
        )
    ).mappings()
    return [
        {**row, "cutoff_at": as_utc(row["cutoff_at"]), "issued_at": as_utc(row["issued_at"])}
        for row in rows
    ]


def get_issued_briefing(*, session: Session, briefing_id: int) -> IssuedBriefing | None:
    """One issued briefing exactly as stored, or None."""
    record = session.get(models.IssuedBriefing, briefing_id)
    if record is None:
        return None
    return IssuedBriefing(
        id=record.id,
        cutoff_at=as_utc(record.cutoff_at),
        report_day=record.report_day,
        figures=json.loads(record.figures_json),
        text_zh=record.text_zh,
        text_en=record.text_en,
        issued_at=as_utc(record.issued_at),
        issued_by=record.issued_by,
    )


def find_issued_briefing(*, session: Session, cutoff: datetime) -> IssuedBriefing | None:
    """The briefing issued for exactly this cut-off, or None."""
    b = models.IssuedBriefing
    found = session.execute(select(b.id).where(b.cutoff_at == as_utc(cutoff))).scalar()
    return None if found is None else get_issued_briefing(session=session, briefing_id=found)
