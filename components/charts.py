"""Altair charts as the Vega-Lite specs st.vega_lite_chart draws."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes
from streamlit.elements.vega_charts import _is_geojson_or_topojson_payload
from streamlit.runtime.scriptrunner import get_script_run_ctx

from i18n import current_language


def chart_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec, for st.vega_lite_chart.

    st.altair_chart validates every spec against the Vega-Lite schema on every run (20 to
    100 ms a chart); these specs are fixed by the components that build them and validated
    once, in tests.
    """
    return chart.to_dict(validate=False)


def with_arrow_datasets(spec: dict) -> dict:
    """The spec with its named tables as the Arrow bytes st.vega_lite_chart sends.

    Given rows, Streamlit turns each table into a pandas frame and then into Arrow on every
    run (a quarter of the Overview's rerun, its 11 charts); given bytes, it sends them as
    they are. Map shapes (GeoJSON, TopoJSON) stay in the spec, as Streamlit leaves them."""
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    return {
        **spec,
        "datasets": {
            name: rows
            if isinstance(rows, bytes) or _is_geojson_or_topojson_payload(rows)
            else convert_anything_to_arrow_bytes(rows)
            for name, rows in datasets.items()
        },
    }


@st.cache_data(max_entries=64, show_spinner=False)
def _built_spec(
    name: str,
    lang: str,
    digest: str,
    _arguments: dict[str, Any],
    _build: Callable[..., alt.TopLevelMixin | dict],
) -> dict:
    built = _build(**taken(_arguments))
    return with_arrow_datasets(built if isinstance(built, dict) else chart_spec(built))


# The frames this script run has read, by id: (the frame, its read's key, its rows and
# columns then). `shell.read` puts each there and the run's end takes them away (a
# fragment's rerun has none).
READ_FRAMES = "_read_frames"


def remember_read(frame: pd.DataFrame, key: tuple) -> None:
    """Note that `frame` is what the read `key` (the query, the change counter, its
    arguments) gave this run: a fingerprint names it by that key instead of its bytes."""
    frames = st.session_state.get(READ_FRAMES)
    if frames is not None:
        frames[id(frame)] = (frame, key, _shape(frame))


def _shape(frame: pd.DataFrame) -> tuple:
    return len(frame), tuple(frame.columns)


def _named(value: Any, frames: dict[int, tuple]) -> Any:
    """A frame this run read, as its read's key (if still the same object, rows and columns:
    a column added to it since would make it another frame); anything else as it is."""
    known = frames.get(id(value))
    if known is not None and known[0] is value and known[2] == _shape(value):
        return ("read", known[1])
    return value


def _content(value: Any) -> Any:
    """A frame as its columns, their types and a hash of each row; anything else as it is.

    Pickled, equal frames differ by how they are held: the first rows of a frame just read
    and of the same frame out of the data cache pickled differently, so a chart of them was
    built again on the run after every write (the audits grid: 128 ms)."""
    if not isinstance(value, pd.DataFrame):
        return value
    try:
        rows = pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
    except TypeError:  # a cell pandas cannot hash (a list): its pickle
        return value
    return ("frame", tuple(map(str, value.columns)), tuple(map(str, value.dtypes)), rows)


def stands_in(value: Any) -> bool:
    """Whether `value` stands for a read not taken back yet (shell.Source): it names the read
    by its `cache_key()`, and calling it gives the read's result."""
    return callable(value) and callable(getattr(value, "cache_key", None))


def taken(arguments: dict[str, Any]) -> dict[str, Any]:
    """The arguments with each stand-in (`stands_in`) replaced by its read's result."""
    return {name: value() if stands_in(value) else value for name, value in arguments.items()}


def fingerprint(arguments: dict[str, Any]) -> str:
    """A fingerprint of a chart's or map's arguments (frames, tuples of days and values, numbers),
    from their pickled bytes: Streamlit's own hashing walks a tuple value by value in Python
    and took a sixth of the Overview's rerun for its 11 charts. A frame the run has read (see
    `remember_read`) is named by its read's key: pickling the case map's frames (thousands of
    rows, the district outlines) took 15 % of its rerun. Any other frame is taken by its
    rows' hashes (`_content`). Equal arguments pickled differently only cost a rebuild."""
    arguments = {
        name: ("read", value.cache_key()) if stands_in(value) else value
        for name, value in arguments.items()
    }
    frames = st.session_state.get(READ_FRAMES) if get_script_run_ctx() is not None else None
    if frames:
        arguments = {name: _named(value, frames) for name, value in arguments.items()}
    arguments = {name: _content(value) for name, value in arguments.items()}
    return hashlib.blake2b(pickle.dumps(arguments, protocol=5), digest_size=20).hexdigest()


def cached_chart(build: Callable[..., alt.TopLevelMixin | dict], /, **arguments: Any) -> dict:
    """The spec of `build(**arguments)` (an Altair chart, or its Vega-Lite spec already),
    made once per language and arguments: a rerun with the same data draws the chart
    without building it again (the audits grid of a city took ~90 ms a run)."""
    name = f"{build.__module__}.{build.__qualname__}"
    return _built_spec(
        name, current_language(), fingerprint(arguments), _arguments=arguments, _build=build
    )
