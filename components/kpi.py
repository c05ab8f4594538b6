"""KPI cards: a big figure with its label, its status in words, and a line of detail.

A figure is never cut short: labels and values wrap inside their card instead of ending in
an ellipsis (a laptop's 1366-pixel screen shows "16,713 / 16,860" whole), and the cards of
a row share one height. A card in alarm or warning says so with a symbol and a word as
well as a colour, so that colour-blind readers and grey-scale printouts read it too.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from i18n import t

# Status -> (badge colour, symbol). The word comes from the catalogue (`kpi.status.<status>`).
STATUS_MARKS = {
    "alarm": ("red", "▲"),
    "warning": ("orange", "●"),
    "ok": ("green", "✓"),
}

# Streamlit's metric truncates its label, value and change with an ellipsis; here they wrap,
# and the value shrinks a little on narrow cards before it wraps.
_STYLE = """
<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; line-height: 1.15;
}
[data-testid="stMetricValue"] { font-size: clamp(1.5rem, 2.3vw, 2.25rem) !important; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important;
}
[class*="st-key-kpi-alarm-"] { border-left: 6px solid #c0392b !important; }
[class*="st-key-kpi-warning-"] { border-left: 6px solid #d68910 !important; }
</style>
"""


@dataclass(frozen=True)
class Kpi:
    """One headline figure; `status` (alarm, warning, ok or None) marks it beyond colour."""

    key: str
    label: str
    value: str
    detail: str = ""
    delta: str | None = None
    delta_color: str = "inverse"
    status: str | None = None


def status_badge(status: str) -> str:
    """A status as Markdown: coloured, with its symbol and word (▲ Alarm)."""
    colour, symbol = STATUS_MARKS[status]
    return f":{colour}-badge[{symbol} {t(f'kpi.status.{status}')}]"


def render_kpis(kpis: list[Kpi], *, per_row: int = 4) -> None:
    """Cards in rows of `per_row`: bordered metrics of one height, with status and detail."""
    st.html(_STYLE)
    for start in range(0, len(kpis), per_row):
        columns = st.columns(per_row)
        for column, kpi in zip(columns, kpis[start : start + per_row], strict=False):
            key = f"kpi-{kpi.status or 'plain'}-{kpi.key}"
            with column.container(border=True, height="stretch", key=key):
                st.metric(kpi.label, kpi.value, delta=kpi.delta, delta_color=kpi.delta_color)
                if kpi.status in STATUS_MARKS:
                    st.markdown(status_badge(kpi.status))
                if kpi.detail:
                    st.caption(kpi.detail)
