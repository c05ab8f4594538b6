"""Testing charts (Altair): cumulative sampled against target per round, and the lab backlog.

Times are drawn in the command's zone: they are converted to local wall-clock time and handed
to Vega-Lite without a zone, so every browser shows the same hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import altair as alt
import pandas as pd

from components.palette import district_scale
from components.testing_tables import round_label
from data.timeutil import command_zone
from i18n import current_language, t

# A projection is drawn at most this far past the later of now and the deadline.
PROJECTION_HORIZON = timedelta(hours=48)
FACET_WIDTH = 300
FACET_HEIGHT = 190
DEADLINE_COLOUR = "#c0392b"


def local_naive(moments: pd.Series | list) -> pd.Series:
    """Stored UTC times as wall-clock times in the command's zone, without a zone."""
    series = pd.to_datetime(pd.Series(moments), utc=True)
    return series.dt.tz_convert(command_zone()).dt.tz_localize(None)


def progress_series(hourly: pd.DataFrame, rounds: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Long-form points per round: cumulative sampled, the projection, target and deadline.

    The cumulative count of an hourly bucket is drawn at the hour's end (or now, if sooner);
    an unfinished round's line runs on to now, and its projection from now to the target.
    """
    frames = []
    for row in rounds.to_dict("records"):
        mine = hourly[hourly["round_id"] == row["round_id"]]
        if mine.empty:
            continue
        start = pd.Timestamp(row["start_at"])
        ends = pd.to_datetime(mine["hour"], utc=True) + pd.Timedelta(hours=1)
        times = [start, *ends.clip(upper=pd.Timestamp(now))]
        values = [0, *mine["cum_sampled"].astype("int64")]
        series = ["sampled"] * len(times)
        finished = row["status"] == "complete"
        if not finished and times[-1] < pd.Timestamp(now):
            times.append(pd.Timestamp(now))
            values.append(int(row["sampled"]))
            series.append("sampled")
        if not finished and not row["never_finishes"] and row["status"] != "upcoming":
            horizon = max(pd.Timestamp(now), pd.Timestamp(row["deadline_at"])) + PROJECTION_HORIZON
            projected = pd.Timestamp(row["projected_at"])
            end, value = projected, int(row["target_population"])
            if projected > horizon:
                hours = (horizon - pd.Timestamp(now)) / pd.Timedelta(hours=1)
                end, value = horizon, round(int(row["sampled"]) + float(row["per_hour"]) * hours)
            times += [pd.Timestamp(now), end]
            values += [int(row["sampled"]), value]
            series += ["projected", "projected"]
        frames.append(
            pd.DataFrame(
                {
                    "round": round_label(row),
                    "time": times,
                    "value": values,
                    "series": series,
                    "target": int(row["target_population"]),
                    "deadline": pd.Timestamp(row["deadline_at"]),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["round", "time", "value", "series", "target", "deadline"])
    points = pd.concat(frames, ignore_index=True)
    points["time"] = local_naive(points["time"])
    points["deadline"] = local_naive(points["deadline"])
    points["series"] = points["series"].map(
        {"sampled": t("testing.chart.sampled"), "projected": t("testing.chart.projected")}
    )
    return points


def progress_chart(points: pd.DataFrame, *, order: list[str]) -> alt.FacetChart:
    """One small chart per round: cumulative sampled, projection, target line, deadline."""
    time_title, people = t("testing.chart.time"), t("testing.chart.people")
    sampled, projected = t("testing.chart.sampled"), t("testing.chart.projected")
    base = alt.Chart()
    x = alt.X("time:T", title=time_title, axis=alt.Axis(format="%m-%d %H:%M", labelAngle=-30))
    line = base.mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        x=x,
        y=alt.Y("value:Q", title=people),
        color=alt.Color(
            "series:N",
            title=t("testing.chart.series"),
            scale=alt.Scale(domain=[sampled, projected], range=["#1f77b4", "#7f7f7f"]),
        ),
        strokeDash=alt.StrokeDash(
            "series:N",
            scale=alt.Scale(domain=[sampled, projected], range=[[1, 0], [6, 4]]),
            legend=None,
        ),
        detail="series:N",
        tooltip=[
            alt.Tooltip("round:N", title=t("testing.col.round")),
            alt.Tooltip("series:N", title=t("testing.chart.series")),
            alt.Tooltip("time:T", title=time_title, format="%m-%d %H:%M"),
            alt.Tooltip("value:Q", title=people, format=","),
        ],
    )
    target = base.mark_rule(color="#2e7d32", strokeDash=[2, 2]).encode(
        y=alt.Y("max(target):Q"),
        tooltip=[alt.Tooltip("max(target):Q", title=t("testing.chart.target"), format=",")],
    )
    deadline = base.mark_rule(color=DEADLINE_COLOUR, strokeWidth=2).encode(
        x=alt.X("max(deadline):T"),
        tooltip=[
            alt.Tooltip("max(deadline):T", title=t("testing.chart.deadline"), format="%m-%d %H:%M")
        ],
    )
    layered = alt.layer(line, target, deadline, data=points).properties(
        width=FACET_WIDTH, height=FACET_HEIGHT
    )
    return (
        # One above the other: two side by side ran off a laptop's screen.
        layered.facet(facet=alt.Facet("round:N", title=None, sort=order), columns=1)
        .resolve_scale(x="independent", y="independent")
        .resolve_axis(x="independent", y="independent")
    )


def backlog_chart(backlog: pd.DataFrame, *, now: datetime) -> alt.Chart:
    """Samples awaiting results over time, stacked by district (the top is the city total).

    An hour's backlog is drawn at the hour's end, or now for the hour under way.
    """
    lang = current_language()
    ends = pd.to_datetime(backlog["hour"], utc=True) + pd.Timedelta(hours=1)
    frame = pd.DataFrame(
        {
            "district": backlog[f"name_{lang}"],
            "time": local_naive(ends.clip(upper=pd.Timestamp(now))),
            "pending": backlog["pending"].astype("int64"),
        }
    ).drop_duplicates(subset=["district", "time"], keep="last")
    time_title = t("testing.chart.time")
    return (
        alt.Chart(frame)
        .mark_area(interpolate="step-before", opacity=0.85)
        .encode(
            x=alt.X("time:T", title=time_title, axis=alt.Axis(format="%m-%d %H:%M")),
            y=alt.Y("pending:Q", title=t("testing.chart.pending"), stack="zero"),
            color=alt.Color(
                "district:N", title=t("testing.col.district"), scale=district_scale(lang)
            ),
            tooltip=[
                alt.Tooltip("district:N", title=t("testing.col.district")),
                alt.Tooltip("time:T", title=time_title, format="%m-%d %H:%M"),
                alt.Tooltip("pending:Q", title=t("testing.chart.pending"), format=","),
            ],
        )
        .properties(height=300)
    )
