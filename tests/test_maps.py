"""Every map opens on the whole city, Conghua in the north to Nansha in the south."""

from __future__ import annotations

import json
import math

import pandas as pd
import pydeck as pdk
import pytest

from components.maps import city_bounds, city_view, offline_deck
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
