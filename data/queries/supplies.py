"""Reads about supply stock: on hand, burn rate, days of supply."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import and_, func, select
from sqlmodel import Session

from data import models
from data.measures.supplies import BURN_WINDOW_DAYS, burn_rate, days_of_supply, supply_band

LINE_COLUMNS = [
    "item_id",
    "location_id",
    "on_hand",
    "on_order",
    "reorder_level",
    "last_reported_at",
    "consumed_window",
    "days_counted",
]


def list_stock_lines(*, session: Session, today: date) -> pd.DataFrame:
    """Every stock line with on hand, burn rate, days of supply and band as of `today`."""
    s, daily = models.StockState, models.StockDaily
    window_start = today - timedelta(days=BURN_WINDOW_DAYS - 1)
    window = (
        select(
            daily.item_id,
            daily.location_id,
            func.sum(daily.consumed).label("consumed_window"),
            func.count().label("days_counted"),
        )
        .where(daily.day >= window_start, daily.day <= today)
        .group_by(daily.item_id, daily.location_id)
        .subquery()
    )
    query = select(
        s.item_id,
        s.location_id,
        s.on_hand,
        s.on_order,
        s.reorder_level,
        s.last_reported_at,
        func.coalesce(window.c.consumed_window, 0).label("consumed_window"),
        func.coalesce(window.c.days_counted, 0).label("days_counted"),
    ).outerjoin(window, and_(window.c.item_id == s.item_id, window.c.location_id == s.location_id))
    lines = pd.DataFrame(session.execute(query).mappings().all(), columns=LINE_COLUMNS)
    rates = [
        burn_rate(int(consumed), int(days))
        for consumed, days in zip(lines["consumed_window"], lines["days_counted"], strict=True)
    ]
    lines["burn_rate"] = pd.Series(rates, dtype="float64", index=lines.index)
    lines["days_of_supply"] = [
        days_of_supply(int(on_hand), rate)
        for on_hand, rate in zip(lines["on_hand"], rates, strict=True)
    ]
    lines["band"] = [supply_band(days) for days in lines["days_of_supply"]]
    return lines
