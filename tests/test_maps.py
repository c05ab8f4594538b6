"""Every map opens on the whole city, Conghua in the north to Nansha in the south."""

from __future__ import annotations

import json
import math

import pandas as pd
import pydeck as pdk
import pytest

from components.maps import (
    DRAWN_TOLERANCE_DEGREES,
    basemap_layer,
    city_bounds,
    city_view,
    drawn_geometry,
    offline_deck,
    parsed_geometry,
)
from data.reference.districts import load_districts


@pytest.mark.parametrize(("width", "height"), [(640, 480), (900, 560), (1100, 640)])
def test_the_city_view_shows_every_district(width: int, height: int) -> None:
    districts = pd.DataFrame([district.__dict__ for district in load_districts()])
    west, south, east, north = city_bounds(districts)
    assert south < 22.7 and north > 23.8  # Nansha's south and Conghua's north
    view = city_view(districts, width=width, height=height)
    # deck.gl's world is 512 * 2**zoom pixels wide; Web Mercator stretches latitude.
    lon_shown = width * 360 / (512 * 2**view.zoom)
    lat_shown = height * 360 / (512 * 2**view.zoom) * math.cos(math.radians(view.latitude))
    assert view.longitude - lon_shown / 2 <= west and view.longitude + lon_shown / 2 >= east
    assert view.latitude - lat_shown / 2 <= south and view.latitude + lat_shown / 2 >= north


def test_a_decks_chinese_text_travels_as_utf8_not_as_escapes() -> None:
    # JSON's \u escapes take 6 bytes a character where UTF-8 takes 3: a city's case map
    # carries thousands of Chinese tooltips.
    layer = pdk.Layer(
        "TextLayer",
        id="labels",
        data=[{"position": [113.25, 23.1], "text": "荔湾区"}],
        get_position="position",
        get_text="text",
    )
    spec = offline_deck([layer]).to_json()
    assert '"text":"荔湾区"' in spec
    assert "\\u" not in spec
    assert json.loads(spec)["layers"][0]["data"] == [{"position": [113.25, 23.1], "text": "荔湾区"}]


def test_a_drawn_outline_drops_the_bends_under_50_metres_and_keeps_the_larger() -> None:
    # A square 0.01 degrees (about 1 km) across whose south side bends out 0.0002 degrees
    # (about 22 m) and whose east side bends out 0.002 (about 220 m), at 5 decimals.
    square = {
        "type": "Polygon",
        "coordinates": [
            [
                [113.2, 23.1],
                [113.205, 23.0998],
                [113.21, 23.1],
                [113.212, 23.105],
                [113.21, 23.11],
                [113.2, 23.11],
                [113.2, 23.1],
            ]
        ],
    }
    drawn = drawn_geometry(json.dumps(square))
    assert drawn == {
        "type": "Polygon",
        "coordinates": [
            [
                [113.2, 23.1],
                [113.21, 23.1],
                [113.212, 23.105],
                [113.21, 23.11],
                [113.2, 23.11],
                [113.2, 23.1],
            ]
        ],
    }


def test_the_maps_draw_each_district_within_50_metres_of_its_surveyed_outline() -> None:
    from shapely.geometry import shape

    districts = pd.DataFrame([district.__dict__ for district in load_districts()])
    surveyed_bytes = drawn_bytes = 0
    for text in districts["boundary_geojson"]:
        surveyed, drawn = shape(parsed_geometry(text)), shape(drawn_geometry(text))
        assert drawn.is_valid
        # The tolerance, and half a unit of the 4th decimal each way for the rounding.
        assert surveyed.hausdorff_distance(drawn) <= DRAWN_TOLERANCE_DEGREES + 0.00008
        assert abs(drawn.area - surveyed.area) / surveyed.area < 0.005
        surveyed_bytes += len(json.dumps(parsed_geometry(text), separators=(",", ":")))
        drawn_bytes += len(json.dumps(drawn_geometry(text), separators=(",", ":")))
    # What the 11 outlines weigh in every map's deck: 110,231 bytes as surveyed.
    assert (surveyed_bytes, drawn_bytes) == (110_231, 51_441)
    # The basemap layer of every map carries the drawn outlines.
    layer = basemap_layer(districts)
    assert [f["geometry"] for f in layer.data["features"]] == [
        drawn_geometry(text) for text in districts["boundary_geojson"]
    ]
