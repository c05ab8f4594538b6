"""Altair charts as the Vega-Lite specs st.vega_lite_chart draws."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any

import altair as alt
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes
from streamlit.elements.vega_charts import _is_geojson_or_topojson_payload

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
    _build: Callable[..., alt.TopLevelMixin],
) -> dict:
    return with_arrow_datasets(chart_spec(_build(**_arguments)))


def fingerprint(arguments: dict[str, Any]) -> str:
    """A fingerprint of a chart's or map's arguments (frames, tuples of days and values, numbers),
    from their pickled bytes: Streamlit's own hashing walks a tuple value by value in Python
    and took a sixth of the Overview's rerun for its 11 charts. Equal arguments pickled
    differently only cost a rebuild."""
    return hashlib.blake2b(pickle.dumps(arguments, protocol=5), digest_size=20).hexdigest()


def cached_chart(build: Callable[..., alt.TopLevelMixin], /, **arguments: Any) -> dict:
    """The spec of `build(**arguments)`, made once per language and arguments: a rerun with
    the same data draws the chart without building it again (the audits grid of a city took
    ~90 ms a run)."""
    name = f"{build.__module__}.{build.__qualname__}"
    return _built_spec(
        name, current_language(), fingerprint(arguments), _arguments=arguments, _build=build
    )
