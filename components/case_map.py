"""The case map's layers, colours, tooltips and legend, drawn from the case queries' frames.

Every layer carries its own one-line-per-fact tooltip text (in the reader's language), so one
deck tooltip template (`{tooltip}`) serves all of them. Layers have fixed ids: the page's
selection handling and the tests find them by id. pydeck reads a plain string property as an
expression; literal strings (atlas, units, fonts) are wrapped in `pdk.types.String`.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Mapping
from datetime import date
from functools import lru_cache

import pandas as pd
import pydeck as pdk

from components.format import fmt_int, plain
from components.maps import (
    BASE_FILL,
    CITY_VIEW,
    PointGrid,
    basemap_layer,
    circle_polygon,
    city_bounds,
    district_features,
    district_labels_layer,
    fit_view,
    geometry_bounds,
    offline_deck,
    parsed_geometry,
    point_grid,
)
from data.codes import MAP_FACILITY_KINDS
from data.timeutil import format_local
from i18n import both_names, t

DISTRICTS = "districts"
SELECTED = "district_selected"
ZONES = "zones"
DENSITY = "density"
LINKS = "links"
CASES = "cases"
FACILITIES = "facilities"

# Colours chosen to stay apart from one another on a light basemap and for colour-blind
# readers: cases red / amber (as on the Overview's curve), zones purple / blue / green.
KIND_COLOURS: dict[str, tuple[int, int, int]] = {
    "confirmed": (192, 57, 43),
    "asymptomatic": (230, 159, 0),
}
ZONE_COLOURS: dict[str, tuple[int, int, int]] = {
    "sealed": (118, 42, 131),
    "controlled": (31, 120, 180),
    "prevention": (27, 158, 119),
}
# Fill opacity: the strictest tier most opaque, so it reads on top of the others.
ZONE_FILL_ALPHA = {"sealed": 130, "controlled": 90, "prevention": 60}
# Hovered objects lighten (deck.gl's default navy highlight would read as a sealed zone).
HIGHLIGHT = [255, 255, 255, 90]
LINK_SOURCE = (90, 90, 110)
LINK_TARGET = (192, 57, 43)
# Even the lightest step must read on the pale basemap: one case in a hexagon counts.
DENSITY_RANGE = [
    [254, 204, 92],
    [253, 160, 64],
    [246, 110, 48],
    [227, 60, 40],
    [189, 0, 38],
    [128, 0, 38],
]
# District shading by cases in the period: (at least this many cases, fill colour).
DISTRICT_STEPS: tuple[tuple[int, list[int]], ...] = (
    (100, [226, 160, 150, 255]),
    (30, [236, 188, 178, 255]),
    (10, [244, 212, 204, 255]),
    (1, [249, 231, 226, 255]),
    (0, BASE_FILL),
)
ICON_SIZE = 64
# Cases fade from full opacity (reported on the day shown) to this over FADE_DAYS.
OLDEST_ALPHA = 70
FADE_DAYS = 14

TOOLTIP_STYLE = {
    "backgroundColor": "rgba(255, 255, 255, 0.96)",
    "color": "#1f2d3d",
    "fontSize": "14px",
    "lineHeight": "1.45",
    "border": "1px solid #9aa5b1",
    "whiteSpace": "pre",
}


def tooltip() -> dict:
    """The deck's tooltip: each picked object's own `tooltip` text."""
    return {"text": "{tooltip}", "style": TOOLTIP_STYLE}


def recency_alpha(age_days: int) -> int:
    """Opacity of a case reported `age_days` before the day shown: newer cases are brighter."""
    age = min(max(age_days, 0), FADE_DAYS)
    return round(255 - (255 - OLDEST_ALPHA) * age / FADE_DAYS)


def district_fill(cases: int) -> list[int]:
    """The basemap fill of a district with `cases` in the period (light, so points stand out)."""
    for threshold, colour in DISTRICT_STEPS:
        if cases >= threshold:
            return list(colour)
    return list(BASE_FILL)


def picked_district(selection: Mapping | None, *, layer_id: str = DISTRICTS) -> str | None:
    """The code of the district picked on the map (pydeck selection state), or None."""
    objects = ((selection or {}).get("selection") or {}).get("objects") or {}
    for picked in objects.get(layer_id) or []:
        properties = picked.get("properties") if isinstance(picked, Mapping) else None
        code = (properties or {}).get("code")
        if code:
            return str(code)
    return None


def district_after_pick(
    selection: Mapping | None, current: str | None, known: set[str] | frozenset[str]
) -> str | None:
    """The district filter after a click on the map.

    A known district picked: that district. Nothing picked any more (a click on empty map,
    or on the selected district again): the whole city. Something else picked (a case, a
    zone): the filter stays as it was.
    """
    code = picked_district(selection)
    if code is not None:
        return code if code in known else current
    objects = ((selection or {}).get("selection") or {}).get("objects") or {}
    if not any(objects.values()):
        return None
    return current


def districts_layer(
    districts: pd.DataFrame,
    figures: pd.DataFrame,
    zones_by_district: Mapping[str, int],
    *,
    day: date,
) -> pdk.Layer:
    """The basemap: districts shaded by cases in the period, with their totals as tooltips.

    `districts`: code, names, population, centroid, boundary (list_districts);
    `figures`: count_local_cases_by_district's columns for every district.
    """
    by_code = figures.set_index("district_code")
    rows = []
    for _, district in districts.iterrows():
        code = district["code"]
        known = code in by_code.index
        row = by_code.loc[code] if known else None
        total = int(row["total"]) if known else 0
        lines = [
            both_names(district, "name"),
            t("cases.tip.population", value=fmt_int(district["population"])),
        ]
        if known:
            lines += [
                t(
                    "cases.tip.district_total",
                    total=fmt_int(total),
                    confirmed=fmt_int(row["confirmed"]),
                    asymptomatic=fmt_int(row["asymptomatic"]),
                ),
                t("cases.tip.district_new", day=day.isoformat(), value=fmt_int(row["new_today"])),
                t(
                    "cases.tip.district_hospital",
                    value=fmt_int(row["in_hospital"]),
                    severe=fmt_int(row["severe"]),
                ),
            ]
        lines.append(t("cases.tip.district_zones", value=fmt_int(zones_by_district.get(code, 0))))
        rows.append(
            {**district.to_dict(), "fill": district_fill(total), "tooltip": "\n".join(lines)}
        )
    shaded = pd.DataFrame(rows)
    return basemap_layer(shaded, layer_id=DISTRICTS, properties=["tooltip"], fill_column="fill")


def selected_district_layer(districts: pd.DataFrame, selected: str | None) -> pdk.Layer | None:
    """A bold outline around the district the page is filtered to (None for the whole city)."""
    chosen = districts[districts["code"] == selected]
    if selected is None or chosen.empty:
        return None
    return pdk.Layer(
        "GeoJsonLayer",
        id=SELECTED,
        data=district_features(chosen),
        stroked=True,
        filled=False,
        get_line_color=[31, 45, 61, 255],
        line_width_min_pixels=3,
        pickable=False,
    )


def zone_geometry(zone: Mapping) -> dict:
    """A zone's shape: its polygon when drawn, else a circle of its radius around its centre."""
    shape = zone.get("polygon_geojson")
    if isinstance(shape, str) and shape.strip():
        geometry = parsed_geometry(shape)
        if geometry.get("type") == "Feature":
            return geometry["geometry"]
        return geometry
    return circle_polygon(float(zone["center_lon"]), float(zone["center_lat"]), zone["radius_m"])


def zones_layer(zones: pd.DataFrame) -> pdk.Layer:
    """Zones in force, filled and outlined by level; the strictest drawn last (on top)."""
    features = []
    for _, zone in zones.iloc[::-1].iterrows():
        level = zone["level"]
        colour = ZONE_COLOURS[level]
        lines = [
            f"{t('zone.' + level)} · {both_names(zone, 'name')}",
            both_names(zone, "district"),
            t("cases.tip.population", value=fmt_int(zone["population"])),
            t("cases.tip.imposed", value=format_local(zone["imposed_at"])),
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": zone_geometry(zone),
                "properties": {
                    "fill": [*colour, ZONE_FILL_ALPHA[zone["level"]]],
                    "line": [*colour, 255],
                    "tooltip": "\n".join(lines),
                },
            }
        )
    return pdk.Layer(
        "GeoJsonLayer",
        id=ZONES,
        data={"type": "FeatureCollection", "features": features},
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        line_width_min_pixels=2,
        pickable=True,
        auto_highlight=True,
        highlight_color=HIGHLIGHT,
    )


def density_layer(places: pd.DataFrame) -> pdk.Layer:
    """Case density: hexagons of about 500 m, coloured by the cases in them."""
    data = [
        {"position": [round(lon, 5), round(lat, 5)], "cases": int(cases)}
        for lon, lat, cases in places[["lon", "lat", "cases"]].itertuples(index=False)
    ]
    return pdk.Layer(
        "HexagonLayer",
        id=DENSITY,
        data=data,
        get_position="position",
        get_color_weight="cases",
        color_aggregation=pdk.types.String("SUM"),
        get_elevation_weight="cases",
        elevation_aggregation=pdk.types.String("SUM"),
        radius=500,
        coverage=0.9,
        extruded=False,
        opacity=0.6,
        color_range=DENSITY_RANGE,
        pickable=False,
    )


def links_layer(links: pd.DataFrame, grid: PointGrid) -> pdk.Layer:
    """Transmission links as arcs from infector (grey) to infected (red), their ends on `grid`.
    Arcs are not picked: a case's card names its infector and whom it infected."""
    data = [
        {"f": grid.point(from_lon, from_lat), "t": grid.point(lon, lat)}
        for from_lon, from_lat, lon, lat in links[
            ["infector_lon", "infector_lat", "lon", "lat"]
        ].itertuples(index=False)
    ]
    return pdk.Layer(
        "ArcLayer",
        id=LINKS,
        data=data,
        get_source_position=grid.accessor("f"),
        get_target_position=grid.accessor("t"),
        get_source_color=[*LINK_SOURCE, 150],
        get_target_color=[*LINK_TARGET, 200],
        get_width=1.5,
        width_min_pixels=1.5,
        # Low arcs: links stay near the places they join instead of sweeping over the city.
        get_height=0.25,
        pickable=False,
    )


def case_hover(case_no: str, kind: str, report_date: date) -> str:
    """A case dot's hover text: its number, kind and day (`GZ-L1464 · Confirmed · 06-10`).
    The rest (where, status, contacts, links) is on the card a click opens: with ~1,500 dots
    the map's first load stays small."""
    return f"{case_no} · {t(f'kind.{kind}')} · {report_date:%m-%d}"


def picked_case(selection: Mapping | None) -> str | None:
    """The number of the case clicked on the map (pydeck selection state), or None."""
    objects = ((selection or {}).get("selection") or {}).get("objects") or {}
    for picked in objects.get(CASES) or []:
        text = picked.get("tooltip") if isinstance(picked, Mapping) else None
        if isinstance(text, str) and " · " in text:
            return text.split(" · ")[0]
    return None


def kind_colour_accessor() -> str:
    """The deck.gl accessor of a case dot's colour: its kind's (`k`, the index in
    KIND_COLOURS; none for the first) with its recency's opacity (`a`)."""
    colours = [f"[{r},{g},{b},a]" for r, g, b in KIND_COLOURS.values()]
    accessor = colours[0]
    for index in range(len(colours) - 1, 0, -1):
        accessor = f"k=={index}?{colours[index]}:{accessor}"
    return accessor


def case_dot(
    case_no: str,
    kind: str,
    report_date: date,
    lon: float,
    lat: float,
    *,
    day: date,
    grid: PointGrid,
) -> dict:
    """One case as the map's dot layer sends it: place on `grid`, opacity by recency, kind
    (its index in KIND_COLOURS, left out for the first) and hover text."""
    dot = {
        "p": grid.point(lon, lat),
        "a": recency_alpha((day - report_date).days),
        "tooltip": case_hover(case_no, kind, report_date),
    }
    index = list(KIND_COLOURS).index(kind)
    if index:
        dot["k"] = index
    return dot


def case_card_lines(card: Mapping) -> list[str]:
    """A clicked case's card, a line per fact (Markdown, names escaped): the case, when and
    where it was reported, its status, hospital and contacts, and its links. `card`: the
    fields of the case query's CaseCard."""
    kind, status, severity = card["kind"], card["status"], card["severity"]
    lines = [
        f"**{plain(card['case_no'])} · {t(f'kind.{kind}')}**",
        t("cases.card.reported", day=card["report_date"].isoformat()),
        f"{plain(both_names(card, 'district'))} · {plain(both_names(card, 'community'))}",
        t(
            "cases.card.status",
            status=t(f"cases.status.{status}"),
            severity=t(f"cases.severity.{severity}"),
        ),
    ]
    if card["hospital_zh"] is not None:
        lines.append(t("cases.card.hospital", name=plain(both_names(card, "hospital"))))
    lines.append(
        t(
            "cases.card.contacts",
            close_controlled=fmt_int(card["close_controlled"]),
            close_identified=fmt_int(card["close_identified"]),
            secondary_controlled=fmt_int(card["secondary_controlled"]),
            secondary_identified=fmt_int(card["secondary_identified"]),
        )
    )
    if card["infector_case_no"] is None:
        lines.append(t("cases.card.no_infector"))
    else:
        lines.append(t("cases.card.infector", case=plain(card["infector_case_no"])))
    if card["infected_case_nos"]:
        lines.append(
            t(
                "cases.card.infected",
                count=fmt_int(len(card["infected_case_nos"])),
                cases=", ".join(plain(case_no) for case_no in card["infected_case_nos"]),
            )
        )
    else:
        lines.append(t("cases.card.infected_none"))
    return lines


def cases_layer(points: pd.DataFrame, *, day: date, grid: PointGrid) -> pdk.Layer:
    """Cases as dots with a white rim: red confirmed, amber asymptomatic, newer brighter."""
    columns = ["case_no", "kind", "report_date", "lon", "lat"]
    data = [case_dot(*row, day=day, grid=grid) for row in points[columns].itertuples(index=False)]
    return pdk.Layer(
        "ScatterplotLayer",
        id=CASES,
        data=data,
        get_position=grid.accessor("p"),
        get_fill_color=kind_colour_accessor(),
        get_line_color=[255, 255, 255, 230],
        stroked=True,
        line_width_min_pixels=1,
        get_radius=90,
        radius_min_pixels=5,  # seen at a glance on the whole city
        radius_max_pixels=14,
        pickable=True,
        auto_highlight=True,
        highlight_color=HIGHLIGHT,
    )


def _icon_image(kind: str, size: int = ICON_SIZE):  # noqa: ANN202 - PIL image
    """One facility icon, drawn at 4x and scaled down for smooth edges."""
    from PIL import Image, ImageDraw

    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = big // 16
    box = (margin, margin, big - margin, big - margin)
    if kind == "designated_hospital":  # white badge, red cross
        draw.rounded_rectangle(box, radius=big // 6, fill="white", outline=(192, 57, 43), width=14)
        bar, reach = big // 9, big // 3
        middle = big // 2
        draw.rectangle((middle - bar, middle - reach, middle + bar, middle + reach), fill="#c0392b")
        draw.rectangle((middle - reach, middle - bar, middle + reach, middle + bar), fill="#c0392b")
    elif kind == "quarantine_hotel":  # navy badge, white house
        draw.rounded_rectangle(box, radius=big // 6, fill=(21, 67, 130), outline="white", width=10)
        roof = [(big // 2, big // 5), (big // 5, big // 2), (4 * big // 5, big // 2)]
        draw.polygon(roof, fill="white")
        draw.rectangle((big // 3 - 4, big // 2, 2 * big // 3 + 4, 4 * big // 5), fill="white")
    else:  # testing site: teal disc, white test tube
        draw.ellipse(box, fill=(0, 121, 107), outline="white", width=10)
        width = big // 10
        middle = big // 2
        draw.rounded_rectangle(
            (middle - width, big // 4, middle + width, 3 * big // 4),
            radius=width,
            fill="white",
        )
    return image.resize((size, size), Image.LANCZOS)


def _png_uri(image) -> str:  # noqa: ANN001 - PIL image
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@lru_cache(maxsize=1)
def icon_atlas() -> tuple[str, str]:
    """The facility icons as one PNG data URI and its mapping (JSON): nothing is fetched."""
    from PIL import Image

    atlas = Image.new("RGBA", (ICON_SIZE * len(MAP_FACILITY_KINDS), ICON_SIZE), (0, 0, 0, 0))
    mapping = {}
    for index, kind in enumerate(MAP_FACILITY_KINDS):
        atlas.paste(_icon_image(kind), (index * ICON_SIZE, 0))
        mapping[kind] = {
            "x": index * ICON_SIZE,
            "y": 0,
            "width": ICON_SIZE,
            "height": ICON_SIZE,
            "mask": False,
        }
    return _png_uri(atlas), json.dumps(mapping)


@lru_cache(maxsize=len(MAP_FACILITY_KINDS))
def icon_uri(kind: str) -> str:
    """One facility icon as a PNG data URI (for the legend)."""
    return _png_uri(_icon_image(kind, 32))


def facilities_layer(facilities: pd.DataFrame) -> pdk.Layer:
    """Designated hospitals, quarantine hotels and testing sites as icons."""
    kinds = {kind: t(f"cases.facility.{kind}") for kind in MAP_FACILITY_KINDS}
    data = []
    for row in facilities.to_dict("records"):
        lines = [both_names(row, "name"), f"{kinds[row['kind']]} · {both_names(row, 'district')}"]
        if pd.notna(row["capacity"]):
            unit = "rooms" if row["kind"] == "quarantine_hotel" else "beds"
            lines.append(t(f"cases.tip.capacity_{unit}", value=fmt_int(row["capacity"])))
        if row["status"] != "active":
            lines.append(t(f"cases.facility_status.{row['status']}"))
        data.append(
            {
                "position": [round(row["lon"], 5), round(row["lat"], 5)],
                "icon": row["kind"],
                "size": 30 if row["kind"] == "designated_hospital" else 22,
                "tooltip": "\n".join(lines),
            }
        )
    atlas, mapping = icon_atlas()
    return pdk.Layer(
        "IconLayer",
        id=FACILITIES,
        data=data,
        get_position="position",
        get_icon="icon",
        get_size="size",
        size_units=pdk.types.String("pixels"),
        icon_atlas=pdk.types.String(atlas),
        icon_mapping=json.loads(mapping),
        pickable=True,
        auto_highlight=True,
        highlight_color=HIGHLIGHT,
    )


def _swatch(style: str) -> str:
    return (
        '<span style="display:inline-block;width:14px;height:14px;margin-right:6px;'
        f'vertical-align:-2px;{style}"></span>'
    )


def legend_html() -> str:
    """The map's legend: what each colour, shape and icon means (HTML for st.markdown)."""

    def rgb(colour: tuple[int, ...], alpha: float = 1.0) -> str:
        return f"rgba({colour[0]},{colour[1]},{colour[2]},{alpha})"

    # The districts' shading: local cases in the period, in steps.
    steps = sorted(DISTRICT_STEPS)
    items = [
        _swatch(f"background:{rgb(tuple(colour))};border:1px solid #78828f")
        + t(
            "cases.legend.district_cases",
            cases=f"{low}–{steps[index + 1][0] - 1}" if index + 1 < len(steps) else f"≥ {low}",
        )
        for index, (low, colour) in enumerate(steps)
        if low > 0
    ]
    items.insert(0, f"<b>{t('cases.legend.district_title')}</b>")
    items += [
        _swatch(f"border-radius:50%;background:{rgb(colour)};border:1px solid white")
        + t(f"kind.{kind}")
        for kind, colour in KIND_COLOURS.items()
    ]
    items.append(
        _swatch("border-radius:50%;background:rgba(192,57,43,0.3)") + t("cases.legend.older")
    )
    items += [
        _swatch(
            f"background:{rgb(colour, ZONE_FILL_ALPHA[level] / 255)};border:2px solid {rgb(colour)}"
        )
        + t(f"zone.{level}")
        for level, colour in ZONE_COLOURS.items()
    ]
    items.append(
        _swatch(
            f"height:4px;vertical-align:3px;background:linear-gradient(90deg,{rgb(LINK_SOURCE)},"
            f"{rgb(LINK_TARGET)})"
        )
        + t("cases.legend.link")
    )
    gradient = ",".join(f"rgb({r},{g},{b})" for r, g, b in DENSITY_RANGE)
    items.append(
        _swatch(f"background:linear-gradient(90deg,{gradient})") + t("cases.legend.density")
    )
    items += [
        f'<img src="{icon_uri(kind)}" width="16" height="16" '
        f'style="margin-right:6px;vertical-align:-3px" alt="">{t(f"cases.facility.{kind}")}'
        for kind in MAP_FACILITY_KINDS
    ]
    rows = "".join(f'<div style="margin:2px 0;white-space:nowrap">{item}</div>' for item in items)
    return f'<div style="font-size:0.9rem;line-height:1.5">{rows}</div>'


def map_bounds(
    districts: pd.DataFrame, selected: str | None
) -> tuple[float, float, float, float] | None:
    """What the map frames: the selected district, else the whole city (Conghua to Nansha)."""
    if selected is not None:
        boundary = districts.loc[districts["code"] == selected, "boundary_geojson"]
        if not boundary.empty:
            return geometry_bounds(parsed_geometry(boundary.iloc[0]))
    return city_bounds(districts)


def case_deck(
    districts: pd.DataFrame,
    figures: pd.DataFrame,
    zones_in_force: pd.DataFrame,
    *,
    day: date,
    selected: str | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    zones: pd.DataFrame | None = None,
    places: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    facilities: pd.DataFrame | None = None,
    points: pd.DataFrame | None = None,
    style_url: str | None = None,
    height: int = 640,
) -> pdk.Deck:
    """The case map, bottom to top: districts, zones, density, the selected district's outline,
    names, links, facilities, cases. A layer whose frame is None is off.

    `figures` (count_local_cases_by_district, every district) and `zones_in_force` (every
    district's zones) fill the district tooltips whatever is drawn.
    """
    per_district = zones_in_force.groupby("district_code").size().to_dict()
    layers = [districts_layer(districts, figures, per_district, day=day)]
    if zones is not None:
        layers.append(zones_layer(zones))
    if places is not None:
        layers.append(density_layer(places))
    outline = selected_district_layer(districts, selected)
    if outline is not None:
        layers.append(outline)
    layers.append(district_labels_layer(districts))
    # Cases and links go as whole numbers on one grid south-west of them all.
    grid = point_grid((points, "lon", "lat"), (links, "infector_lon", "infector_lat"))
    if links is not None:
        layers.append(links_layer(links, grid))
    if facilities is not None:
        layers.append(facilities_layer(facilities))
    if points is not None:
        layers.append(cases_layer(points, day=day, grid=grid))
    view = (
        fit_view(bounds, width=1100, height=height, max_zoom=12, padding=0.04)
        if bounds
        else CITY_VIEW
    )
    return offline_deck(layers, view=view, tooltip=tooltip(), height=height, style_url=style_url)
