"""Testing maps on the offline district basemap: completion by district, sites by queue."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from components.maps import (
    BASE_FILL,
    basemap_layer,
    city_view,
    district_labels_layer,
    offline_deck,
    place,
)
from components.testing_tables import round_label
from i18n import current_language, t

# Completion runs from a pale to a deep blue; districts without a chosen round stay grey.
COMPLETION_LOW = (222, 235, 247)
COMPLETION_HIGH = (8, 81, 156)
COMPLETION_ALPHA = 220
BAND_COLOURS = {
    "red": [200, 30, 30, 235],
    "amber": [230, 145, 0, 235],
    "ok": [46, 150, 70, 220],
    "closed": [120, 120, 120, 160],
}
# The map draws at most this many sites, worst queues first, to keep its payload small
# (each point's label travels with it).
MAX_SITE_POINTS = 1_000
# About the narrowest these maps are drawn (a laptop's column): the whole city fits.
MAP_WIDTH = 340
MAP_HEIGHT = 460


def completion_colour(percent: float) -> list[int]:
    """The fill of a district `percent` complete (0–100), on the pale-to-deep blue ramp."""
    share = min(max(percent, 0.0), 100.0) / 100.0
    rgb = [
        round(low + (high - low) * share)
        for low, high in zip(COMPLETION_LOW, COMPLETION_HIGH, strict=True)
    ]
    return [*rgb, COMPLETION_ALPHA]


def completion_districts(districts: pd.DataFrame, rounds: pd.DataFrame) -> pd.DataFrame:
    """Districts with a fill and a label from their latest chosen round (grey without one)."""
    lang = current_language()
    latest = rounds.sort_values(["start_at", "round_no"]).groupby("district_code").tail(1)
    by_code = {row["district_code"]: row for row in latest.to_dict("records")}
    fills, labels = [], []
    for code, name in zip(districts["code"], districts[f"name_{lang}"], strict=True):
        row = by_code.get(code)
        if row is None:
            fills.append(list(BASE_FILL))
            labels.append(name)
        else:
            fills.append(completion_colour(float(row["percent"])))
            labels.append(
                t("testing.map_label", round=round_label(row), percent=f"{row['percent']:.1f}%")
            )
    return districts.assign(fill=fills, label=labels)


def completion_deck(districts: pd.DataFrame, rounds: pd.DataFrame) -> pdk.Deck:
    """A choropleth of the chosen rounds' completion, framed on the chosen districts."""
    shaded = completion_districts(districts, rounds)
    layer = basemap_layer(shaded, layer_id="completion", properties=["label"], fill_column="fill")
    # The whole city, named: the chosen districts stand out by their shading.
    return offline_deck(
        [layer, district_labels_layer(districts, size=12)],
        view=city_view(districts, width=MAP_WIDTH, height=MAP_HEIGHT),
        tooltip={"text": "{label}"},
        height=MAP_HEIGHT,
    )


def site_points(sites: pd.DataFrame, limit: int = MAX_SITE_POINTS) -> pd.DataFrame:
    """The sites to draw (the first `limit`, worst queue first): place `p`, colour `c` and
    label."""
    lang = current_language()
    shown = sites.head(limit)
    labels = [
        t("testing.site_label", site=site, wait=int(wait))
        if band != "closed"
        else t("testing.site_label_closed", site=site)
        for site, band, wait in zip(
            shown[f"name_{lang}"], shown["band"], shown["queue_wait_minutes"], strict=True
        )
    ]
    # Short keys: a thousand sites go in the deck.
    return pd.DataFrame(
        {
            "p": [place(lon, lat) for lon, lat in zip(shown["lon"], shown["lat"], strict=True)],
            "c": [BAND_COLOURS[band] for band in shown["band"]],
            "label": labels,
        }
    )


def sites_deck(districts: pd.DataFrame, sites: pd.DataFrame) -> pdk.Deck:
    """Testing sites coloured by queue (worst drawn on top) over the district basemap."""
    points = site_points(sites)
    layer = pdk.Layer(
        "ScatterplotLayer",
        id="testing-sites",
        # Drawn in reverse so the worst queues, listed first, end up on top.
        data=points.iloc[::-1],
        get_position="p",
        get_fill_color="c",
        get_radius=250,
        radius_min_pixels=5,
        radius_max_pixels=14,
        stroked=True,
        get_line_color=[255, 255, 255, 200],
        line_width_min_pixels=1,
        pickable=True,
    )
    base = basemap_layer(districts, layer_id="districts", pickable=False)
    return offline_deck(
        [base, district_labels_layer(districts, size=12), layer],
        view=city_view(districts, width=MAP_WIDTH, height=MAP_HEIGHT),
        tooltip={"text": "{label}"},
        height=MAP_HEIGHT,
    )
