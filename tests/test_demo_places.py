"""The demo's places: street centres inside their districts, points and polygons near them."""

from __future__ import annotations

import random

import pytest

from data.demo.places import (
    STREETS,
    VILLAGES,
    in_district,
    point_near,
    ring_around,
)
from data.reference.districts import DISTRICT_TABLE

PLACES = [place for code in STREETS for place in (*STREETS[code], *VILLAGES.get(code, ()))]


def test_every_district_has_streets() -> None:
    assert sorted(STREETS) == sorted(code for code, *_ in DISTRICT_TABLE)
    assert all(len(streets) >= 5 for streets in STREETS.values())


@pytest.mark.parametrize("place", PLACES, ids=lambda place: place.name_en)
def test_street_centre_is_inside_its_district_only(place) -> None:  # noqa: ANN001
    assert in_district(place.district_code, place.lon, place.lat)
    others = [code for code, *_ in DISTRICT_TABLE if code != place.district_code]
    assert not any(in_district(code, place.lon, place.lat) for code in others)


def test_points_near_a_street_stay_in_the_district_and_within_reach() -> None:
    rng = random.Random(1)
    place = STREETS["440103"][0]
    for _ in range(200):
        lon, lat = point_near(rng, place.district_code, place.lon, place.lat, 300)
        assert in_district(place.district_code, lon, lat)
        assert abs(lon - place.lon) < 0.0035 and abs(lat - place.lat) < 0.003


def test_ring_is_closed() -> None:
    ring = ring_around(random.Random(2), 113.24, 23.08, 500)
    assert ring[0] == ring[-1] and len(ring) == 9


def test_a_point_outside_the_city_is_in_no_district() -> None:
    assert not any(in_district(code, 116.40, 39.90) for code, *_ in DISTRICT_TABLE)
