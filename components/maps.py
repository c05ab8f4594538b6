"""Offline maps: the district polygons are the basemap, so nothing fetches tiles."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st
from pydeck.bindings.json_tools import default_serialize

from components.charts import fingerprint, taken
from i18n import current_language, name

# The city as a whole, in the GCJ-02 frame the boundaries use.
CITY_VIEW = pdk.ViewState(latitude=23.28, longitude=113.45, zoom=8.3, pitch=0, bearing=0)
CENTRE_VIEW = pdk.ViewState(latitude=23.12, longitude=113.29, zoom=10.5, pitch=0, bearing=0)
BASE_FILL = [236, 239, 243, 255]
BASE_LINE = [120, 130, 145, 255]
# Hovered districts darken slightly (deck.gl's default highlight is a strong navy).
BASE_HIGHLIGHT = [31, 45, 61, 40]


def district_features(districts: pd.DataFrame, properties: Sequence[str] = ()) -> dict:
    """A GeoJSON FeatureCollection of districts (column `boundary_geojson`) with properties."""
    wanted = ["code", "name_zh", "name_en", *properties]
    features = [
        {
            "type": "Feature",
            "geometry": drawn_geometry(row["boundary_geojson"]),
            "properties": {name: _plain(row[name]) for name in wanted if name in row},
        }
        for _, row in districts.iterrows()
    ]
    return {"type": "FeatureCollection", "features": features}


def _plain(value: object) -> object:
    """A value JSON can carry (numpy numbers to Python ones)."""
    return value.item() if hasattr(value, "item") else value


@lru_cache(maxsize=128)
def parsed_geometry(geojson: str) -> dict:
    """A GeoJSON geometry parsed once per process (boundaries never change); do not mutate it."""
    return json.loads(geojson)


# District outlines are drawn simplified to within about 50 m of their surveyed line (less
# than a pixel at the whole city's zoom, about one at a district's), with coordinates to
# 4 decimals (about 10 m): the 11 outlines went to the browser as 110 KB in every map, now
# about 50 KB.
DRAWN_TOLERANCE_DEGREES = 0.0005
DRAWN_DECIMALS = 4


def place(lon: float, lat: float) -> list[float]:
    """A point as a map sends it to the browser: `[lon, lat]` to 4 decimals, about 10 m (a
    city's case map carries thousands of them; cases are placed at their community)."""
    return [round(float(lon), DRAWN_DECIMALS), round(float(lat), DRAWN_DECIMALS)]


@dataclass(frozen=True)
class PointGrid:
    """Points sent as whole ten-thousandths of a degree (the 4 decimals of `place`) from a
    corner, which the layer's accessor adds back in the browser: `[113.2176,23.0669]` goes
    as `[2176,5669]` from (113.0, 22.5). The case map sends ~4,000 points at city scale."""

    lon0: float
    lat0: float

    def point(self, lon: float, lat: float) -> list[int]:
        """A point's place on the grid: `place(lon, lat)` less the corner, in 1e-4 degrees."""
        scale = 10**DRAWN_DECIMALS
        return [round((float(lon) - self.lon0) * scale), round((float(lat) - self.lat0) * scale)]

    def accessor(self, key: str) -> str:
        """The deck.gl accessor (a pydeck expression) that turns a datum's `key` back into
        `[lon, lat]`."""
        scale = 10**DRAWN_DECIMALS
        return f"[{self.lon0}+{key}[0]/{scale},{self.lat0}+{key}[1]/{scale}]"


def point_grid(*frames: tuple[pd.DataFrame | None, str, str]) -> PointGrid:
    """The grid whose corner (to a tenth of a degree, below and left) is south-west of every
    point of the frames' `(frame, lon column, lat column)`; (0, 0) when they are empty."""
    lons = [frame[lon].min() for frame, lon, _ in frames if frame is not None and len(frame)]
    lats = [frame[lat].min() for frame, _, lat in frames if frame is not None and len(frame)]
    if not lons:
        return PointGrid(0.0, 0.0)
    return PointGrid(math.floor(min(lons) * 10) / 10, math.floor(min(lats) * 10) / 10)


def _rounded(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return place(coordinates[0], coordinates[1])
    return [_rounded(part) for part in coordinates]


@lru_cache(maxsize=128)
def drawn_geometry(geojson: str) -> dict:
    """A district's outline as the maps draw it: simplified (shapely, keeping each polygon
    valid) and rounded, parsed once per process; do not mutate it. Bounds and anything
    measured use the outline as surveyed (`parsed_geometry`)."""
    import shapely
    from shapely.geometry import mapping, shape

    geometry = parsed_geometry(geojson)
    try:
        simple = shape(geometry).simplify(DRAWN_TOLERANCE_DEGREES, preserve_topology=True)
    except (shapely.errors.ShapelyError, ValueError, TypeError, KeyError):
        return geometry  # drawn as surveyed: deck.gl draws what it can of it
    if simple.is_empty:
        return geometry
    drawn = mapping(simple)
    return {"type": drawn["type"], "coordinates": _rounded(drawn["coordinates"])}


# Metres per degree of latitude (longitude degrees shrink with cos(latitude)).
METRES_PER_DEGREE = 111_320.0


def circle_polygon(lon: float, lat: float, radius_m: float, segments: int = 48) -> dict:
    """A GeoJSON Polygon approximating a circle of `radius_m` metres around a point."""
    dlat = radius_m / METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    ring = [
        [
            round(lon + dlon * math.cos(2 * math.pi * step / segments), 6),
            round(lat + dlat * math.sin(2 * math.pi * step / segments), 6),
        ]
        for step in range(segments)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _positions(coordinates: object) -> Iterator[tuple[float, float]]:
    if isinstance(coordinates, list | tuple) and coordinates:
        if isinstance(coordinates[0], int | float):
            yield float(coordinates[0]), float(coordinates[1])
        else:
            for part in coordinates:
                yield from _positions(part)


def geometry_bounds(geometry: dict) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of a GeoJSON geometry; None when it has no points."""
    points = list(_positions(geometry.get("coordinates", [])))
    if not points:
        return None
    lons, lats = zip(*points, strict=True)
    return min(lons), min(lats), max(lons), max(lats)


def fit_view(
    bounds: tuple[float, float, float, float],
    *,
    width: int = 1000,
    height: int = 560,
    padding: float = 0.15,
    max_zoom: float = 13.0,
) -> pdk.ViewState:
    """A view centred on `bounds` (min lon, min lat, max lon, max lat) that shows all of it."""
    min_lon, min_lat, max_lon, max_lat = bounds
    lon_span = max(max_lon - min_lon, 1e-4) * (1 + 2 * padding)
    # Web Mercator stretches latitude by 1 / cos(latitude).
    middle = math.radians((min_lat + max_lat) / 2)
    lat_span = max(max_lat - min_lat, 1e-4) * (1 + 2 * padding) / math.cos(middle)
    # deck.gl's world is 512 * 2**zoom pixels wide.
    zoom = min(
        math.log2(width * 360 / (512 * lon_span)), math.log2(height * 360 / (512 * lat_span))
    )
    return pdk.ViewState(
        longitude=(min_lon + max_lon) / 2,
        latitude=(min_lat + max_lat) / 2,
        zoom=round(min(zoom, max_zoom), 2),
        pitch=0,
        bearing=0,
    )


def city_bounds(districts: pd.DataFrame) -> tuple[float, float, float, float] | None:
    """The box around every district: Conghua in the north to Nansha in the south."""
    return _bounds_of(tuple(districts["boundary_geojson"]))


@lru_cache(maxsize=16)
def _bounds_of(boundaries: tuple[str, ...]) -> tuple[float, float, float, float] | None:
    # Walking every boundary point takes ~8 ms; the boundaries never change.
    boxes = [geometry_bounds(parsed_geometry(text)) for text in boundaries]
    present = [box for box in boxes if box is not None]
    if not present:
        return None
    return (
        min(box[0] for box in present),
        min(box[1] for box in present),
        max(box[2] for box in present),
        max(box[3] for box in present),
    )


def city_view(districts: pd.DataFrame, *, height: int, width: int = 900) -> pdk.ViewState:
    """A view that frames the whole city in a map of about this size."""
    bounds = city_bounds(districts)
    return (
        CITY_VIEW if bounds is None else fit_view(bounds, width=width, height=height, padding=0.04)
    )


DISTRICT_LABELS = "district_labels"


def district_labels_layer(districts: pd.DataFrame, *, size: int = 14) -> pdk.Layer:
    """District names at their label points, in the reader's language (the basemap has no
    other labels; the browser's own CJK font draws them, nothing is fetched)."""
    labels = [
        {
            "position": [round(row["centroid_lon"], 5), round(row["centroid_lat"], 5)],
            "text": name(row, "name"),
        }
        for _, row in districts.iterrows()
    ]
    return pdk.Layer(
        "TextLayer",
        id=DISTRICT_LABELS,
        data=labels,
        get_position="position",
        get_text="text",
        get_size=size,
        get_color=[55, 65, 81, 230],
        character_set=pdk.types.String("auto"),
        font_family=pdk.types.String(
            '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'
        ),
        font_weight=600,
        outline_width=3,
        outline_color=[255, 255, 255, 230],
        font_settings={"sdf": True},
        pickable=False,
    )


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
        highlight_color=BASE_HIGHLIGHT,
    )


# Streamlit's deck frontend draws its own Carto basemap (fetched from Carto's servers) under
# any deck whose JSON has no `mapStyle`, whatever `map_provider` says; only this value,
# pydeck's "no style given" marker, makes it draw no basemap and fetch nothing.
NO_BASEMAP = "__MAP_STYLE__"


class CompactDeck(pdk.Deck):
    """A deck whose JSON has no indentation: pydeck indents by two spaces, which makes
    boundary coordinates several times larger on their way to the browser."""

    def to_json(self) -> str:
        return json.dumps(
            self,
            sort_keys=True,
            default=default_serialize,
            separators=(",", ":"),
            ensure_ascii=False,
        )


def offline_deck(
    layers: list[pdk.Layer],
    *,
    view: pdk.ViewState = CITY_VIEW,
    tooltip: dict | bool = True,
    height: int = 560,
    style_url: str | None = None,
) -> pdk.Deck:
    """A deck with no basemap: the browser fetches nothing from any tile or style server.

    `style_url` (optional) names a MapLibre style on an intranet tile server, drawn under the
    layers; without it the district polygons are the only basemap.
    """
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_provider="maplibre" if style_url else None,
        map_style=style_url or NO_BASEMAP,
        tooltip=tooltip,
        height=height,
    )


class PreparedDeck(pdk.Deck):
    """A deck whose JSON is made already (see `cached_deck`): st.pydeck_chart sends it as it
    is, with no pydeck work."""

    def __init__(self, spec: str, tooltip: dict | bool) -> None:  # noqa: D107
        # pydeck's own __init__ would build a deck again; st.pydeck_chart reads only these.
        self.layers: list = []
        self._tooltip = tooltip
        self.deck_widget = None
        self._spec = spec

    def to_json(self) -> str:
        return self._spec


@st.cache_data(max_entries=64, show_spinner=False)
def _deck_spec(
    name: str,
    lang: str,
    digest: str,
    _arguments: dict[str, Any],
    _build: Callable[..., pdk.Deck],
) -> tuple[str, dict | bool]:
    deck = _build(**taken(_arguments))
    for layer in deck.layers:
        # pandas 3 frames do not serialize in pydeck (st.pydeck_chart does the same).
        if isinstance(layer.data, pd.DataFrame):
            layer.data = layer.data.to_dict(orient="records")
    return deck.to_json(), deck._tooltip


def cached_deck(build: Callable[..., pdk.Deck], /, **arguments: Any) -> pdk.Deck:
    """`build(**arguments)`, made once per language and arguments: a rerun with the same
    data sends the same JSON without building it again (a city's case map takes ~50 ms).
    The arguments are told apart by the fingerprint of their pickled bytes: Streamlit's own
    hashing of the case map's frames (the district outlines, 1,464 cases) took ~35 ms of
    every rerun."""
    name = f"{build.__module__}.{build.__qualname__}"
    spec, tooltip = _deck_spec(
        name, current_language(), fingerprint(arguments), _arguments=arguments, _build=build
    )
    return PreparedDeck(spec, tooltip)
