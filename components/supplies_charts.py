"""Supply trend charts (altair): one line's on hand against its reorder level, and its use."""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd

from i18n import t

ON_HAND_COLOUR = "#1f77b4"
REORDER_COLOUR = "#c0392b"
CONSUMED_COLOUR = "#e69f00"
# Stock is counted in whole units: no 0.5 ticks, thousands separated.
COUNT_AXIS = alt.Axis(format=",d", tickMinStep=1)


def _day_axis(start: date, end: date) -> alt.X:
    """The window's days from `start` to the end of `end`, labelled by day, whatever the data."""
    return alt.X(
        "day:T",
        title=t("supplies.col.day"),
        scale=alt.Scale(domain=[start.isoformat(), (end + timedelta(days=1)).isoformat()]),
        axis=alt.Axis(format="%m-%d", tickCount={"interval": "week", "step": 1}),
    )


def _with_days(history: pd.DataFrame) -> pd.DataFrame:
    days = pd.to_datetime(history["day"])
    return history.assign(day=days, day_end=days + pd.Timedelta(days=1))


def on_hand_chart(
    history: pd.DataFrame, *, start: date, end: date, reorder_level: int, height: int = 260
) -> alt.LayerChart:
    """Each day's last count, held until the next one, with the reorder level (when set)."""
    frame = _with_days(history)
    line = (
        alt.Chart(frame)
        .mark_line(point=True, color=ON_HAND_COLOUR, interpolate="step-after")
        .encode(
            x=_day_axis(start, end),
            y=alt.Y("on_hand:Q", title=t("supplies.col.on_hand"), axis=COUNT_AXIS),
            tooltip=[
                alt.Tooltip("day:T", title=t("supplies.col.day"), format="%Y-%m-%d"),
                alt.Tooltip("on_hand:Q", title=t("supplies.col.on_hand"), format=","),
                alt.Tooltip("received:Q", title=t("supplies.col.received"), format=","),
            ],
        )
    )
    if reorder_level <= 0:
        return alt.layer(line).properties(height=height)
    reorder = pd.DataFrame(
        {"level": [reorder_level], "label": [t("supplies.trend.reorder", level=reorder_level)]}
    )
    rule = (
        alt.Chart(reorder)
        .mark_rule(color=REORDER_COLOUR, strokeDash=[6, 4])
        .encode(y="level:Q", tooltip=[alt.Tooltip("label:N", title=" ")])
    )
    label = (
        alt.Chart(reorder)
        .mark_text(align="left", dx=4, dy=-6, color=REORDER_COLOUR)
        .encode(y="level:Q", x=alt.value(0), text="label:N")
    )
    return alt.layer(line, rule, label).properties(height=height)


def consumption_chart(
    history: pd.DataFrame, *, start: date, end: date, height: int = 200
) -> alt.Chart:
    """Use reported per day (since the previous count), one bar per counted day."""
    frame = _with_days(history)
    return (
        alt.Chart(frame)
        .mark_bar(color=CONSUMED_COLOUR, stroke="white", strokeWidth=1)
        .encode(
            x=_day_axis(start, end),
            x2="day_end:T",
            # With a ranged x the bar would lie flat: anchor it at zero explicitly.
            y2=alt.datum(0),
            y=alt.Y("consumed:Q", title=t("supplies.col.consumed"), axis=COUNT_AXIS),
            tooltip=[
                alt.Tooltip("day:T", title=t("supplies.col.day"), format="%Y-%m-%d"),
                alt.Tooltip("consumed:Q", title=t("supplies.col.consumed"), format=","),
                alt.Tooltip("received:Q", title=t("supplies.col.received"), format=","),
            ],
        )
        .properties(height=height)
    )
