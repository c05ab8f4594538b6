"""KPI cards: a big figure with its label, its change since yesterday, a small trend
(sparkline), its status in words, and a line of detail.

A figure is never cut short: labels and values wrap inside their card instead of ending in
an ellipsis (a laptop's 1366-pixel screen shows "16,713 / 16,860" whole), and the cards of
a row share one height, their figures on one line. A card in a critical or warning state
says so with a symbol and a word as well as a colour (components.severity, the alerts'
words), so that colour-blind readers and grey-scale printouts read it too.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from components.charts import cached_chart, chart_spec
from components.severity import SEVERITY_MARKS, severity_badge
from i18n import current_language, t

# Streamlit's metric truncates its label, value and change with an ellipsis; here they wrap,
# and the value shrinks a little on narrow cards before it wraps.
_STYLE = """
<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  line-height: 1.4 !important;
}
/* A label of one line takes the room of two, so that the figures of a row stand on one line
   whichever labels a laptop's 1366 pixels wrap (two lines: 2 x 1.4em). */
[data-testid="stMetricLabel"] { min-height: 2.8em !important; align-items: flex-start !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; line-height: 1.15;
}
[data-testid="stMetricValue"] { font-size: clamp(1.5rem, 2.3vw, 2.25rem) !important; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important;
}
[class*="st-key-kpi-critical-"] { border-left: 6px solid #c0392b !important; }
[class*="st-key-kpi-warning-"] { border-left: 6px solid #d68910 !important; }
</style>
"""


@dataclass(frozen=True)
class Kpi:
    """One headline figure; `status` (critical, warning, ok or None) marks it beyond colour."""

    key: str
    label: str
    value: str
    detail: str = ""
    delta: str | None = None
    delta_color: str = "inverse"
    status: str | None = None
    # A small trend drawn under the figure: (day, value) pairs, oldest first.
    trend: Sequence[tuple[date, float | None]] = ()
    # The change's arrow: auto (from the sign its text starts with), up, down or off.
    delta_arrow: str = "auto"


SPARK_COLOUR = "#4a6fa5"
SPARK_HEIGHT = 42


def sparkline(trend: Sequence[tuple[date, float | None]], *, label: str) -> alt.Chart:
    """A small line of daily values without axes; the tooltip gives each day's value."""
    frame = pd.DataFrame(list(trend), columns=["day", "value"])
    frame["day"] = pd.to_datetime(frame["day"])
    base = alt.Chart(frame).encode(
        x=alt.X("day:T", axis=None),
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
        tooltip=[
            alt.Tooltip("day:T", title=t("kpi.trend.day"), format="%Y-%m-%d"),
            alt.Tooltip("value:Q", title=label, format=",.4~f"),
        ],
    )
    line = base.mark_line(color=SPARK_COLOUR, strokeWidth=1.5)
    # The last point (today) is marked, so the line reads as leading up to the figure.
    last = base.transform_window(rank="rank()", sort=[alt.SortField("day", order="descending")])
    dot = last.transform_filter(alt.datum.rank == 1).mark_point(
        color=SPARK_COLOUR, filled=True, size=18
    )
    return alt.layer(line, dot).properties(height=SPARK_HEIGHT)


# A sparkline's table, as the spec names it (the template's own name for it).
SPARK_DATA = "trend"


@functools.lru_cache(maxsize=64)
def _sparkline_template(label: str, lang: str) -> str:
    """The spec of a sparkline labelled `label` in `lang`, without its table (as JSON): the
    same for every trend, so built by Altair once per label and language, not per trend."""
    spec = chart_spec(sparkline([(date(2021, 1, 1), 0.0)], label=label))
    spec.pop("datasets", None)
    spec["data"] = {"name": SPARK_DATA}
    return json.dumps(spec)


def sparkline_spec(trend: Sequence[tuple[date, float | None]], *, label: str) -> dict:
    """The Vega-Lite spec of `sparkline(trend, label=label)`: its template with the days'
    values as its table (Altair took ~10 ms a card to build each trend's chart, 0.1 s of
    the Overview's first open and of its run after every write)."""
    spec = json.loads(_sparkline_template(label, current_language()))
    spec["datasets"] = {
        SPARK_DATA: [
            {"day": pd.Timestamp(day).strftime("%Y-%m-%dT%H:%M:%S"), "value": _number(value)}
            for day, value in trend
        ]
    }
    return spec


def _number(value: float | None) -> float | None:
    """A day's value as Altair writes it into a table: a missing one (None, NaN) as null."""
    return None if value is None or pd.isna(value) else value


# How a change is coloured: by its colour name, or by its direction under "normal" (up is
# good) and "inverse" (up is bad), as st.metric draws it.
_TONES = {"green": "good", "red": "bad", "normal": "good", "inverse": "bad"}


def tone(kpi: Kpi) -> str:
    """Whether the card's change is drawn as good, bad or neither ("plain"): screen mode
    draws it again in the hall's dark colours by this word (in the card's key)."""
    if kpi.delta is None or kpi.delta_arrow == "off" or kpi.delta_color not in _TONES:
        return "plain"
    found = _TONES[kpi.delta_color]
    if kpi.delta_color in {"green", "red"}:
        return found
    down = kpi.delta_arrow == "down" or (
        kpi.delta_arrow == "auto" and str(kpi.delta).lstrip().startswith("-")
    )
    if not down:
        return found
    return "bad" if found == "good" else "good"


# A date in a card's detail never breaks at its hyphens ("2026-" / "12-06"): a word joiner
# (U+2060, no width) after each hyphen between digits.
_DATE_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")


def unbroken(text: str) -> str:
    """`text` with its dates kept on one line."""
    return _DATE_HYPHEN.sub("-\u2060", text)


def render_kpis(kpis: list[Kpi], *, per_row: int = 4) -> None:
    """Cards in rows of `per_row`: bordered metrics of one height, with status and detail."""
    st.html(_STYLE)
    for start in range(0, len(kpis), per_row):
        columns = st.columns(per_row)
        for column, kpi in zip(columns, kpis[start : start + per_row], strict=False):
            key = f"kpi-{kpi.status or 'plain'}-{kpi.key}-tone-{tone(kpi)}"
            with column.container(border=True, height="stretch", key=key):
                st.metric(
                    kpi.label,
                    kpi.value,
                    delta=kpi.delta,
                    delta_color=kpi.delta_color,
                    delta_arrow=kpi.delta_arrow,
                )
                if any(value is not None for _, value in kpi.trend):
                    # Built once per trend and language: 10 cards' charts validated by
                    # Altair on every rerun took ~250 ms of the Overview's.
                    st.vega_lite_chart(
                        cached_chart(sparkline_spec, trend=tuple(kpi.trend), label=kpi.label),
                        width="stretch",
                        key=f"kpi-trend-{kpi.key}",
                    )
                if kpi.status in SEVERITY_MARKS:
                    st.markdown(severity_badge(kpi.status))
                if kpi.detail:
                    st.caption(unbroken(kpi.detail))
