"""Altair charts as the Vega-Lite specs st.vega_lite_chart draws."""

from __future__ import annotations

import altair as alt


def chart_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec, for st.vega_lite_chart.

    st.altair_chart validates every spec against the Vega-Lite schema on every run (20 to
    100 ms a chart); these specs are fixed by the components that build them and validated
    once, in tests.
    """
    return chart.to_dict(validate=False)
