"""Case map arithmetic and map helpers: pure functions, exact values."""

from __future__ import annotations

import json
import math
from datetime import date

import pandas as pd
import pytest

from components.case_map import (
    case_dot,
    district_after_pick,
    district_fill,
    kind_colour_accessor,
    picked_case,
    picked_district,
    recency_alpha,
    zone_geometry,
)
from components.maps import (
    BASE_FILL,
    PointGrid,
    circle_polygon,
    fit_view,
    geometry_bounds,
    point_grid,
)
from data.measures.cases import (
    Chain,
    ChainPosition,
    chain_positions,
    daily_series,
    percent_of,
    trailing_average,
    transmission_chains,
)

# 1 → 2 → 3 → 4 and 1 → 5: one chain of five, four generations; 6 → 7; 8 alone.
LINKS = {1: None, 2: 1, 3: 2, 4: 3, 5: 1, 6: None, 7: 6, 8: None}


def test_chain_positions_follow_infectors_to_the_index_case() -> None:
    positions = chain_positions(LINKS)
    assert positions[1] == ChainPosition(root=1, generation=1)
    assert positions[4] == ChainPosition(root=1, generation=4)
    assert positions[5] == ChainPosition(root=1, generation=2)
    assert positions[7] == ChainPosition(root=6, generation=2)
    assert positions[8] == ChainPosition(root=8, generation=1)


def test_transmission_chains_largest_first_with_generation_count() -> None:
    assert transmission_chains(LINKS) == [
        Chain(root=1, size=5, generations=4, members=(1, 2, 3, 4, 5)),
        Chain(root=6, size=2, generations=2, members=(6, 7)),
        Chain(root=8, size=1, generations=1, members=(8,)),
    ]


def test_an_infector_not_among_the_cases_starts_its_own_chain() -> None:
    # Case 9's infector (99) is reported later than the day shown: 9 is an index case.
    assert transmission_chains({9: 99, 10: 9}) == [
        Chain(root=9, size=2, generations=2, members=(9, 10))
    ]


def test_a_loop_in_the_links_is_cut_instead_of_hanging() -> None:
    positions = chain_positions({1: 2, 2: 1, 3: 2})
    assert {position.root for position in positions.values()} == {1}
    assert sorted(position.generation for position in positions.values()) == [1, 2, 3]
    assert transmission_chains({}) == []


def test_deep_chains_need_no_recursion() -> None:
    links = {case: (case - 1 if case > 0 else None) for case in range(5000)}
    assert transmission_chains(links)[0].generations == 5000


def test_daily_series_fills_missing_days_with_zero() -> None:
    counts = {date(2021, 5, 21): 1, date(2021, 5, 23): 4, date(2021, 5, 30): 9}
    assert daily_series(counts, date(2021, 5, 20), date(2021, 5, 23)) == [
        (date(2021, 5, 20), 0),
        (date(2021, 5, 21), 1),
        (date(2021, 5, 22), 0),
        (date(2021, 5, 23), 4),
    ]
    assert daily_series(counts, date(2021, 5, 23), date(2021, 5, 22)) == []


def test_trailing_average_needs_a_full_window() -> None:
    values = [7, 0, 0, 0, 0, 0, 0, 14, 7]
    assert trailing_average(values) == [None] * 6 + [1.0, 2.0, 3.0]
    assert trailing_average([2, 4], window=1) == [2.0, 4.0]
    assert trailing_average([]) == []
    with pytest.raises(ValueError):
        trailing_average([1], window=0)


def test_percent_of() -> None:
    assert percent_of(37, 50) == 74.0
    assert percent_of(0, 0) is None


def test_newer_cases_are_brighter() -> None:
    assert recency_alpha(0) == 255
    assert recency_alpha(7) == 162  # half way to the faintest
    assert recency_alpha(14) == recency_alpha(40) == 70
    assert recency_alpha(-1) == 255  # reported "after" the day shown: as new as can be


@pytest.mark.parametrize(
    ("cases", "fill"),
    [
        (0, BASE_FILL),
        (1, [249, 231, 226, 255]),
        (29, [244, 212, 204, 255]),
        (500, [226, 160, 150, 255]),
    ],
)
def test_district_shading_steps(cases: int, fill: list[int]) -> None:
    assert district_fill(cases) == fill


def _selection(layer: str, *objects: dict) -> dict:
    return {
        "selection": {
            "indices": {layer: list(range(len(objects)))} if objects else {},
            "objects": {layer: list(objects)} if objects else {},
        }
    }


LIWAN_FEATURE = {"type": "Feature", "properties": {"code": "440103", "name_en": "Liwan"}}
KNOWN = frozenset({"440103", "440104"})


def test_a_picked_district_becomes_the_filter() -> None:
    assert picked_district(_selection("districts", LIWAN_FEATURE)) == "440103"
    assert district_after_pick(_selection("districts", LIWAN_FEATURE), None, KNOWN) == "440103"
    assert district_after_pick(_selection("districts", LIWAN_FEATURE), "440104", KNOWN) == "440103"


def test_an_empty_pick_returns_to_the_whole_city() -> None:
    assert picked_district(_selection("districts")) is None
    assert district_after_pick(_selection("districts"), "440103", KNOWN) is None
    assert district_after_pick(None, "440103", KNOWN) is None
    assert (
        district_after_pick({"selection": {"indices": {}, "objects": {}}}, "440103", KNOWN) is None
    )


def test_picking_something_else_keeps_the_filter() -> None:
    case = {"position": [113.2, 23.1], "tooltip": "GZ-1"}
    assert picked_district(_selection("cases", case)) is None
    assert district_after_pick(_selection("cases", case), "440104", KNOWN) == "440104"
    unknown = {"properties": {"code": "999999"}}
    assert district_after_pick(_selection("districts", unknown), "440104", KNOWN) == "440104"
    assert picked_district(_selection("districts", {"properties": {}})) is None


def test_circle_polygon_has_the_radius_in_metres() -> None:
    circle = circle_polygon(113.24, 23.08, 1000.0, segments=4)
    ring = circle["coordinates"][0]
    assert circle["type"] == "Polygon" and len(ring) == 5 and ring[0] == ring[-1]
    east, north = ring[0], ring[1]
    assert north[1] - 23.08 == pytest.approx(1000 / 111_320, abs=1e-6)
    metres_east = (east[0] - 113.24) * 111_320 * math.cos(math.radians(23.08))
    assert metres_east == pytest.approx(1000, abs=0.1)


def test_geometry_bounds_and_the_view_that_fits_them() -> None:
    square = {"type": "Polygon", "coordinates": [[[113.0, 23.0], [113.4, 23.0], [113.4, 23.2]]]}
    assert geometry_bounds(square) == (113.0, 23.0, 113.4, 23.2)
    multi = {"type": "MultiPolygon", "coordinates": [[[[113.5, 22.9], [113.6, 23.3]]]]}
    assert geometry_bounds(multi) == (113.5, 22.9, 113.6, 23.3)
    assert geometry_bounds({"type": "Polygon", "coordinates": []}) is None
    view = fit_view((113.0, 23.0, 113.4, 23.2), width=1000, height=1000, padding=0.0)
    assert (view.longitude, view.latitude) == pytest.approx((113.2, 23.1))
    # 0.4° of longitude over 1,000 px: 1000 * 360 / (512 * 0.4) = 2^10.78.
    assert view.zoom == pytest.approx(10.78, abs=0.01)
    # A wide, low map: 0.2° of latitude (stretched by 1 / cos 23.1°) over 500 px binds.
    low = fit_view((113.0, 23.0, 113.4, 23.2), width=1000, height=500, padding=0.0)
    assert low.zoom == pytest.approx(10.66, abs=0.01)
    assert fit_view((113.2, 23.1, 113.2, 23.1)).zoom == 13.0  # a single point: the cap


def test_zone_shapes_polygon_or_circle() -> None:
    polygon = {"type": "Polygon", "coordinates": [[[113.0, 23.0], [113.1, 23.0], [113.0, 23.1]]]}
    drawn = {"polygon_geojson": json.dumps(polygon), "center_lon": 0.0, "center_lat": 0.0}
    assert zone_geometry({**drawn, "radius_m": None}) == polygon
    feature = json.dumps({"type": "Feature", "geometry": polygon, "properties": {}})
    assert zone_geometry({**drawn, "polygon_geojson": feature, "radius_m": None}) == polygon
    circle = {"polygon_geojson": None, "center_lon": 113.24, "center_lat": 23.08, "radius_m": 500}
    assert zone_geometry(circle) == circle_polygon(113.24, 23.08, 500)


def test_a_picked_case_is_named_by_its_dots_hover() -> None:
    dot = {"p": [570, 839], "a": 255, "tooltip": "GZ-L1464 · Confirmed · 06-10"}
    assert picked_case(_selection("cases", dot)) == "GZ-L1464"
    assert picked_case(_selection("districts", LIWAN_FEATURE)) is None
    assert picked_case(_selection("cases")) is None
    assert picked_case(None) is None
    # A case picked leaves the district filter as it was.
    assert district_after_pick(_selection("cases", dot), "440103", KNOWN) == "440103"


def test_points_go_to_the_browser_as_whole_numbers_on_a_grid() -> None:
    cases = pd.DataFrame({"lon": [113.2571, 113.60], "lat": [23.0839, 23.55]})
    links = pd.DataFrame({"infector_lon": [113.1999], "infector_lat": [23.2]})
    grid = point_grid(
        (cases, "lon", "lat"), (links, "infector_lon", "infector_lat"), (None, "", "")
    )
    assert grid == PointGrid(113.1, 23.0)
    assert grid.point(113.2571, 23.0839) == [1571, 839]
    assert grid.point(113.60, 23.55) == [5000, 5500]
    assert grid.accessor("p") == "[113.1+p[0]/10000,23.0+p[1]/10000]"
    # What the accessor adds back is the place to 4 decimals (about 10 m).
    assert pytest.approx(113.2571, abs=1e-9) == 113.1 + 1571 / 10000
    assert point_grid((cases.iloc[:0], "lon", "lat")) == PointGrid(0.0, 0.0)


def test_a_case_dot_carries_its_kind_only_when_not_confirmed() -> None:
    grid = PointGrid(113.2, 23.0)
    day = date(2021, 6, 10)
    assert case_dot("GZ-1", "confirmed", date(2021, 6, 3), 113.25, 23.1, day=day, grid=grid) == {
        "p": [500, 1000],
        "a": 162,  # seven days old: halfway between 255 and 70
        "tooltip": "GZ-1 · 确诊病例 · 06-03",  # in the reader's language (Chinese by default)
    }
    assert case_dot("GZ-2", "asymptomatic", day, 113.2, 23.0, day=day, grid=grid) == {
        "p": [0, 0],
        "a": 255,
        "k": 1,
        "tooltip": "GZ-2 · 无症状感染者 · 06-10",
    }
    assert kind_colour_accessor() == "k==1?[230,159,0,a]:[192,57,43,a]"
