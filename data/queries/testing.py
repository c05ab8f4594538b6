"""Reads about mass-testing rounds and testing sites."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from data import models

ROUND_COLUMNS = [
    "round_id",
    "district_code",
    "name_zh",
    "name_en",
    "round_no",
    "scope",
    "target_population",
    "start_at",
    "deadline_at",
    "sampled",
    "resulted",
    "positive",
    "pools_positive",
]


def list_round_totals(*, session: Session, under_way_at: datetime | None = None) -> pd.DataFrame:
    """Each round with its totals so far; only rounds under way at a moment if given."""
    r, h, d = models.TestingRound, models.TestingHourly, models.District
    totals = (
        select(
            h.round_id,
            func.sum(h.sampled).label("sampled"),
            func.sum(h.resulted).label("resulted"),
            func.sum(h.positive).label("positive"),
            func.sum(h.pools_positive).label("pools_positive"),
        )
        .group_by(h.round_id)
        .subquery()
    )
    query = (
        select(
            r.id.label("round_id"),
            r.district_code,
            d.name_zh,
            d.name_en,
            r.round_no,
            r.scope,
            r.target_population,
            r.start_at,
            r.deadline_at,
            func.coalesce(totals.c.sampled, 0).label("sampled"),
            func.coalesce(totals.c.resulted, 0).label("resulted"),
            func.coalesce(totals.c.positive, 0).label("positive"),
            func.coalesce(totals.c.pools_positive, 0).label("pools_positive"),
        )
        .join(d, d.code == r.district_code)
        .outerjoin(totals, totals.c.round_id == r.id)
        .order_by(r.start_at, r.district_code, r.round_no)
    )
    if under_way_at is not None:
        query = query.where(r.start_at <= under_way_at, r.deadline_at >= under_way_at)
    return pd.DataFrame(session.execute(query).mappings().all(), columns=ROUND_COLUMNS)
