"""The epidemic curve: new counts per day as stacked bars, with a moving-average line.

Data-agnostic: it draws any daily counts split into series (confirmed / asymptomatic, or
anything else), optionally in small multiples, so the Overview and briefing screens can use
it as the case map does. Labels come from the caller, already translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from components.case_map import KIND_COLOURS
from data.codes import CASE_KINDS
from i18n import current_language, t

AVERAGE_COLOUR = "#1f2d3d"


@dataclass(frozen=True)
class CurveLabels:
    """Translated titles: axes, legend, and the average line's legend entry."""

    day: str
    count: str
    series: str
    average: str
    facet: str = ""


def epidemic_curve(
    counts: pd.DataFrame,
    *,
    series_colours: Mapping[str, str],
    labels: CurveLabels,
    average: pd.DataFrame | None = None,
    facet: bool = False,
    height: int = 280,
    facet_size: tuple[int, int] = (560, 120),
    facet_columns: int = 2,
    day_ticks: Sequence[date] | None = None,
) -> alt.FacetChart | alt.LayerChart:
    """Bars of `counts` (columns day, series, count) stacked in `series_colours` order, and a
    line of `average` (columns day, average); with `facet`, one small chart (width, height
    `facet_size`) per value of the column `facet` in both frames, `facet_columns` a row.
    `day_ticks` are the days labelled (else as many as Vega fits).
    """
    order = list(series_colours)
    bars = counts.assign(
        layer="bar",
        day=pd.to_datetime(counts["day"]),
        rank=counts["series"].map({name: rank for rank, name in enumerate(order)}),
    )
    frames = [bars]
    if average is not None and not average.empty:
        frames.append(
            average.assign(layer="line", day=pd.to_datetime(average["day"]), series=labels.average)
        )
    rows = pd.concat(frames, ignore_index=True)
    colour = alt.Color(
        "series:N",
        title=labels.series,
        scale=alt.Scale(
            domain=[*order, labels.average],
            range=[*series_colours.values(), AVERAGE_COLOUR],
        ),
        legend=alt.Legend(orient="top"),
    )
    axis = alt.Axis(format="%m-%d")
    if day_ticks is not None:
        axis = alt.Axis(
            format="%m-%d",
            labelAngle=0,
            values=[alt.DateTime(year=d.year, month=d.month, date=d.day) for d in day_ticks],
        )
    day = alt.X("yearmonthdate(day):T", title=labels.day, axis=axis)
    base = alt.Chart()
    bar_layer = (
        base.transform_filter(alt.datum.layer == "bar")
        .mark_bar()
        .encode(
            x=day,
            y=alt.Y("count:Q", title=labels.count, stack="zero"),
            color=colour,
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("yearmonthdate(day):T", title=labels.day, format="%Y-%m-%d"),
                alt.Tooltip("series:N", title=labels.series),
                alt.Tooltip("count:Q", title=labels.count),
            ],
        )
    )
    line_layer = (
        base.transform_filter(alt.datum.layer == "line")
        .mark_line(strokeWidth=2.5, interpolate="monotone")
        .encode(
            x=alt.X("yearmonthdate(day):T", title=labels.day, bandPosition=0.5),
            y=alt.Y("average:Q", title=labels.count),
            color=colour,
            tooltip=[
                alt.Tooltip("yearmonthdate(day):T", title=labels.day, format="%Y-%m-%d"),
                alt.Tooltip("average:Q", title=labels.average, format=".1f"),
            ],
        )
    )
    layered = alt.layer(bar_layer, line_layer, data=rows)
    if not facet:
        return layered.properties(height=height)
    # Small multiples cannot stretch to the container: they get a fixed size.
    width, facet_height = facet_size
    return layered.properties(width=width, height=facet_height).facet(
        facet=alt.Facet(
            "facet:N",
            title=labels.facet,
            header=alt.Header(labelOrient="top", labelFontSize=13, labelFontWeight="bold"),
        ),
        columns=facet_columns,
    )


def local_case_curve(
    counts: pd.DataFrame, average: pd.DataFrame, *, by_district: bool = False
) -> alt.FacetChart | alt.LayerChart:
    """The local-case curve as the case map and Overview show it: confirmed and asymptomatic
    stacked in the map's colours, with the 7-day average (`data.queries.cases.EpidemicCurve`).
    """
    kind_names = {kind: t(f"kind.{kind}") for kind in CASE_KINDS}
    bars = pd.DataFrame(
        {
            "day": counts["report_date"],
            "series": counts["kind"].map(kind_names),
            "count": counts["cases"],
        }
    )
    line = average.rename(columns={"report_date": "day"})
    if by_district:
        bars["facet"] = counts[f"district_{current_language()}"]
        line["facet"] = line[f"district_{current_language()}"]
    return epidemic_curve(
        bars,
        series_colours={
            kind_names[kind]: "#{:02x}{:02x}{:02x}".format(*KIND_COLOURS[kind][:3])
            for kind in CASE_KINDS
        },
        labels=CurveLabels(
            day=t("cases.col.report_date"),
            count=t("cases.col.cases"),
            series=t("cases.col.kind"),
            average=t("cases.curve.average"),
            facet=t("cases.col.district"),
        ),
        average=line,
        facet=by_district,
    )
