"""Offline maps: the district polygons are the basemap, so nothing fetches tiles."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd
import pydeck as pdk

# The city as a whole, in the GCJ-02 frame the boundaries use.
CITY_VIEW = pdk.ViewState(latitude=23.28, longitude=113.45, zoom=8.3, pitch=0, bearing=0)
CENTRE_VIEW = pdk.ViewState(latitude=23.12, longitude=113.29, zoom=10.5, pitch=0, bearing=0)
BASE_FILL = [236, 239, 243, 255]
BASE_LINE = [120, 130, 145, 255]


def district_features(districts: pd.DataFrame, properties: Sequence[str] = ()) -> dict:
    """A GeoJSON FeatureCollection of districts (column `boundary_geojson`) with properties."""
    wanted = ["code", "name_zh", "name_en", *properties]
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(row["boundary_geojson"]),
            "properties": {name: _plain(row[name]) for name in wanted if name in row},
        }
        for _, row in districts.iterrows()
    ]
    return {"type": "FeatureCollection", "features": features}


def _plain(value: object) -> object:
    """A value JSON can carry (numpy numbers to Python ones)."""
    return value.item() if hasattr(value, "item") else value


def basemap_layer(
    districts: pd.DataFrame,
    *,
    layer_id: str = "districts",
    properties: Sequence[str] = (),
    fill_column: str | None = None,
    pickable: bool = True,
) -> pdk.Layer:
    """District polygons as the basemap; filled by a `[r, g, b, a]` column when given."""
    features = district_features(districts, [*properties, *([fill_column] if fill_column else [])])
    return pdk.Layer(
        "GeoJsonLayer",
        id=layer_id,
        data=features,
        stroked=True,
        filled=True,
        get_fill_color=f"properties.{fill_column}" if fill_column else BASE_FILL,
        get_line_color=BASE_LINE,
        line_width_min_pixels=1,
        pickable=pickable,
        auto_highlight=pickable,
    )


def offline_deck(
    layers: list[pdk.Layer],
    *,
    view: pdk.ViewState = CITY_VIEW,
    tooltip: dict | bool = True,
    height: int = 560,
) -> pdk.Deck:
    """A deck with no map provider: nothing is fetched from a tile server."""
    return pdk.Deck(
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        map_style=None,
        tooltip=tooltip,
        height=height,
    )
