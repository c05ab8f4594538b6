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


def test_a_map_is_built_once_for_the_same_frames_and_language() -> None:
    import pandas as pd
    import pydeck as pdk
    import streamlit as st

    from components.maps import cached_deck, offline_deck
    from i18n import language

    built = []

    def build(points: pd.DataFrame) -> pdk.Deck:
        built.append(len(points))
        layer = pdk.Layer("ScatterplotLayer", points, get_position=["lon", "lat"], id="cases")
        return offline_deck([layer], view=pdk.ViewState(longitude=113.3, latitude=23.1, zoom=9))

    def points(count: int) -> pd.DataFrame:
        return pd.DataFrame({"lon": [113.2, 113.21, 113.22][:count], "lat": 23.1})

    st.cache_data.clear()
    first = cached_deck(build, points=points(2)).to_json()
    # Equal frames (new objects, as every rerun reads them) send the same deck unbuilt.
    assert cached_deck(build, points=points(2)).to_json() == first
    assert built == [2]
    assert '"data":[{"lat":23.1,"lon":113.2},{"lat":23.1,"lon":113.21}]' in first
    cached_deck(build, points=points(3))
    with language("en"):
        cached_deck(build, points=points(2))
    assert built == [2, 3, 2]
    st.cache_data.clear()


def _fingerprints() -> None:
    """Fingerprints of frames as a page run makes them: read (known by their read's key),
    not read, and read but changed since."""
    import pandas as pd
    import streamlit as st

    from components.charts import READ_FRAMES, fingerprint, remember_read

    def frame(*values: int) -> pd.DataFrame:
        return pd.DataFrame({"a": list(values)})

    unread = fingerprint({"f": frame(1, 2)})
    remember_read(first := frame(1, 2), ("q", 1, ()))  # no run under way: not kept
    st.session_state[READ_FRAMES] = {}  # a run under way (shell.refresh_counter)
    remember_read(first, ("q", 1, ()))
    remember_read(again := frame(1, 2), ("q", 1, ()))
    remember_read(later := frame(1, 2), ("q", 2, ()))  # the counter moved
    named = [fingerprint({"f": f}) for f in (first, again, later)]
    first["b"] = 0  # a column added since it was read: another frame
    st.session_state["found"] = {
        "unread equal": unread == fingerprint({"f": frame(1, 2)}),
        "same read": named[0] == named[1],
        "named, not by bytes": named[0] != unread,
        "counter moved": named[2] != named[0],
        "changed since read": fingerprint({"f": first})
        == fingerprint({"f": frame(1, 2).assign(b=0)}),
    }


def test_a_frame_the_run_has_read_is_fingerprinted_by_its_read() -> None:
    app = AppTest.from_function(_fingerprints, default_timeout=30).run()
    assert not app.exception
    assert app.session_state["found"] == {
        "unread equal": True,
        "same read": True,
        "named, not by bytes": True,
        "counter moved": True,
        "changed since read": True,
    }


def test_equal_frames_held_differently_have_one_fingerprint() -> None:
    """The first rows of a frame just read and of the same frame out of the data cache (a
    copy) pickle differently: the audits grid, drawn from such rows, was built again on the
    run after every write."""
    import pickle

    import pandas as pd

    from components.charts import fingerprint

    read = pd.DataFrame({"code": ["F1", "F2", "F3"], "score": [700.0, 420.5, None]})
    read["rank"] = read["score"].rank()
    cached = pickle.loads(pickle.dumps(read))
    assert pickle.dumps(read.head(2)) != pickle.dumps(cached.head(2))
    assert fingerprint({"shown": read.head(2)}) == fingerprint({"shown": cached.head(2)})
    # Other rows, values, columns or types are other charts.
    others = [
        read.head(1),
        read.head(2).assign(score=[700.0, 420.0]),
        read.head(2).rename(columns={"rank": "place"}),
        read.head(2).astype({"score": "float32"}),
    ]
    prints = {fingerprint({"shown": frame}) for frame in [read.head(2), *others]}
    assert len(prints) == 5
    # A frame pandas cannot hash row by row (a list in a cell) is still fingerprinted.
    listed = pd.DataFrame({"path": [[1, 2], [3]]})
    assert fingerprint({"f": listed}) == fingerprint({"f": listed.copy()})
