"""Chart specs built once (components.charts): the same chart, sent as Streamlit sends it,
without building, validating or converting it again on a rerun. No database."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _two_charts() -> None:
    """The same Altair chart drawn by Streamlit from the chart and from the cached spec."""
    import altair as alt
    import pandas as pd
    import streamlit as st

    from components.charts import cached_chart

    def build(rows: tuple) -> alt.Chart:
        frame = pd.DataFrame(list(rows), columns=["day", "value"])
        return alt.Chart(frame).mark_line().encode(x="day:T", y="value:Q")

    rows = (("2021-06-01", 1.0), ("2021-06-02", None), ("2021-06-03", 3.5))
    st.vega_lite_chart(build(rows).to_dict(validate=False), key="plain")
    st.vega_lite_chart(cached_chart(build, rows=rows), key="cached")


def test_a_cached_spec_sends_the_same_chart_and_data_as_streamlit_would() -> None:
    app = AppTest.from_function(_two_charts, default_timeout=30).run()
    assert not app.exception
    plain, cached = (chart.proto for chart in app.get("vega_lite_chart"))
    assert cached.spec == plain.spec
    assert [(d.name, d.data.data) for d in cached.datasets] == [
        (d.name, d.data.data) for d in plain.datasets
    ]


def test_a_chart_is_built_once_for_the_same_arguments_and_language() -> None:
    import altair as alt
    import pandas as pd
    import streamlit as st

    from components.charts import cached_chart
    from i18n import language

    built = []

    def build(frame: pd.DataFrame) -> alt.Chart:
        built.append(len(frame))
        return alt.Chart(frame).mark_bar().encode(x="a:Q")

    st.cache_data.clear()
    first = cached_chart(build, frame=pd.DataFrame({"a": [1, 2]}))
    assert cached_chart(build, frame=pd.DataFrame({"a": [1, 2]})) == first
    assert built == [2]
    # Its table is already the Arrow bytes Streamlit sends: a rerun does not convert it again.
    assert [type(rows) for rows in first["datasets"].values()] == [bytes]
    cached_chart(build, frame=pd.DataFrame({"a": [1, 2, 3]}))
    with language("en"):
        cached_chart(build, frame=pd.DataFrame({"a": [1, 2]}))
    assert built == [2, 3, 2]
    st.cache_data.clear()
