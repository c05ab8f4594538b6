"""Altair charts as the Vega-Lite specs st.vega_lite_chart draws."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import streamlit as st

from i18n import current_language


def chart_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec, for st.vega_lite_chart.

    st.altair_chart validates every spec against the Vega-Lite schema on every run (20 to
    100 ms a chart); these specs are fixed by the components that build them and validated
    once, in tests.
    """
    return chart.to_dict(validate=False)


@st.cache_data(max_entries=64, show_spinner=False)
def _built_spec(
    name: str, lang: str, arguments: dict[str, Any], _build: Callable[..., alt.TopLevelMixin]
) -> dict:
    return chart_spec(_build(**arguments))


def cached_chart(build: Callable[..., alt.TopLevelMixin], /, **arguments: Any) -> dict:
    """The spec of `build(**arguments)`, made once per language and arguments: a rerun with
    the same data draws the chart without building it again (the audits grid of a city took
    ~90 ms a run)."""
    name = f"{build.__module__}.{build.__qualname__}"
    return _built_spec(name, current_language(), arguments, _build=build)
