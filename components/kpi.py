"""KPI cards: a big figure with its label and a line of detail."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Kpi:
    """One headline figure."""

    key: str
    label: str
    value: str
    detail: str = ""
    delta: str | None = None
    delta_color: str = "inverse"


def render_kpis(kpis: list[Kpi], *, per_row: int = 4) -> None:
    """Cards in rows of `per_row`: bordered metrics with their line of detail."""
    for start in range(0, len(kpis), per_row):
        columns = st.columns(per_row)
        for column, kpi in zip(columns, kpis[start : start + per_row], strict=False):
            with column.container(border=True):
                st.metric(kpi.label, kpi.value, delta=kpi.delta, delta_color=kpi.delta_color)
                if kpi.detail:
                    st.caption(kpi.detail)
