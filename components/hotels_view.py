"""Renderers of the quarantine-hotel view: hotel table, outlook, map layer, trend charts.

Every function takes DataFrames from `data.queries.hotels` (or plain values) and never
touches the database, so the briefing screen can reuse them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import pandas as pd
import pydeck as pdk
import streamlit as st
from pypinyin import lazy_pinyin

from components.case_map import tooltip
from components.export import excel_csv
from components.format import fmt_days, fmt_int, fmt_percent, plain
from components.maps import (
    PointGrid,
    basemap_layer,
    city_view,
    district_labels_layer,
    offline_deck,
    point_grid,
)
from components.pills import AMBER, GREEN, GREY, RED, pill_column, pills
from data.timeutil import format_local
from i18n import current_language, t

# Alerts name this many hotels, then say how many more.
NAMES_IN_ALERT = 8

# Occupancy bands: a pill's colour in tables (level_colours), a dot's colour on the map.
BAND_RGBA = {
    None: [160, 160, 160, 200],
    "red": [200, 30, 45, 230],
    "amber": [240, 160, 20, 230],
    "green": [40, 150, 80, 210],
}
# Dots are drawn in this order of their level (then a stale report last): the most urgent on
# top.
DRAW_ORDER = {None: 0, "green": 1, "amber": 2, "red": 3}
# The hotel map's height, in pixels: its view is fitted to it and the page draws it so.
MAP_HEIGHT = 560
STALE_RING = [20, 20, 20, 255]
NO_RING = [255, 255, 255, 200]
# Beyond this many days, "days until full" is shown as "over N days": a far-off date from a
# slow trickle of intake is no forecast.
DAYS_SHOWN_MAX = 30
COHORT_COLOURS = {"inbound": "#1f77b4", "close_contact": "#d62728", "secondary_contact": "#ff7f0e"}


def _code(value: object) -> str | None:
    """A coded value, or None for a missing one (pandas shows those as NaN)."""
    return value if isinstance(value, str) and value else None


def cohort_label(cohort: str | None) -> str:
    """A cohort's name in the reader's language."""
    code = _code(cohort)
    return t(f"cohort.{code}") if code else t("hotels.cohort.none")


def band_label(band: str | None) -> str:
    """The occupancy level as words with a coloured dot (readable without colour too)."""
    return t(f"hotels.band.{_code(band) or 'none'}")


def days_until_full_text(days: float | None, hotels: int = 1) -> str:
    """Days until full as text: 'full', 'not filling', a number of days, or unknown."""
    if hotels == 0:
        return t("hotels.no_hotels")
    if days is None or (isinstance(days, float) and math.isnan(days)):
        return t("hotels.unknown")
    if math.isinf(days):
        return t("hotels.not_filling")
    if days <= 0:
        return t("hotels.full_now")
    if days > DAYS_SHOWN_MAX:
        return t("hotels.over_days", days=DAYS_SHOWN_MAX)
    return fmt_days(days)


SORT_ORDERS = ("occupancy", "available", "last_report", "name")


def sort_hotels(hotels: pd.DataFrame, by: str) -> pd.DataFrame:
    """Hotels in the chosen order; hotels without the figure (no report) come last."""
    if by == "available":
        return hotels.sort_values(["rooms_available", "code"], na_position="last")
    if by == "last_report":
        return hotels.sort_values(["last_reported_at", "code"], na_position="first")
    if by == "name":
        # Chinese names by their pinyin, as a Chinese reader looks them up (not code points).
        lang = current_language()
        return hotels.sort_values(
            [f"name_{lang}", "code"],
            key=lambda column: column.map(name_sort_key) if column.name == "name_zh" else column,
        )
    return hotels.sort_values(
        ["occupancy_percent", "code"], ascending=[False, True], na_position="last"
    )


def _counts(values: pd.Series) -> pd.Series:
    """Whole numbers, blank where unknown (a column of Python None would show "None")."""
    return pd.to_numeric(values, errors="coerce").astype("Int64")


def name_sort_key(name: str) -> str:
    """A Chinese name's sort key: its pinyin syllables (白云 before 海珠 before 荔湾)."""
    return " ".join(lazy_pinyin(name))


def _last_report_text(row: pd.Series) -> str:
    if row["last_reported_at"] is None or pd.isna(row["last_reported_at"]):
        return t("hotels.report.no_report")
    return format_local(row["last_reported_at"])


def hotel_table(hotels: pd.DataFrame) -> pd.DataFrame:
    """The per-hotel table with headings and values in the reader's language.

    What decides first (a laptop shows the left of the table): the hotel, its occupancy and
    level, the rooms free, whether it reported. Only an active hotel takes guests: a hotel
    on standby or closed has no rooms free, occupancy or level (a dash, not "normal").
    """
    lang = current_language()
    active = (hotels["status"] == "active").to_numpy()
    return pd.DataFrame(
        {
            t("hotels.col.hotel"): hotels[f"name_{lang}"],
            t("hotels.col.occupancy"): hotels["occupancy_percent"].round(1).where(active),
            t("hotels.col.level"): [
                band_label(band) if is_active else "—"
                for band, is_active in zip(hotels["occupancy_band"], active, strict=True)
            ],
            t("hotels.col.available"): _counts(hotels["rooms_available"]).where(active),
            # Only an active hotel is expected to report: the others show a dash.
            t("hotels.col.report"): [
                t(f"hotels.report.{report}") if is_active else "—"
                for report, is_active in zip(hotels["report_status"], active, strict=True)
            ],
            t("hotels.col.district"): hotels[f"district_{lang}"],
            t("hotels.col.cohort"): hotels["cohort"].map(cohort_label),
            t("hotels.col.status"): hotels["status"].map(lambda s: t(f"hotels.status.{s}")),
            t("hotels.col.rooms"): _counts(hotels["rooms_total"]),
            t("hotels.col.occupied"): _counts(hotels["rooms_occupied"]),
            t("hotels.col.cleaning"): _counts(hotels["rooms_cleaning"]),
            t("hotels.col.staff"): _counts(hotels["staff_on_duty"]),
            t("hotels.col.intake_today"): _counts(hotels["intake_today"]),
            t("hotels.col.discharges_today"): _counts(hotels["discharges_today"]),
            t("hotels.col.last_report"): hotels.apply(_last_report_text, axis=1).astype(str),
            t("hotels.col.code"): hotels["code"],
        }
    ).reset_index(drop=True)


def rooms_outlook(days: float | None) -> str:
    """When the city's quarantine rooms run out, in words (the Overview's card): beyond
    DAYS_SHOWN_MAX days, as the hotels page says, not a far-off figure such as 1,699.3 days."""
    if days is None:
        return t("overview.rooms_full_unknown")
    if math.isinf(days):
        return t("overview.rooms_not_filling")
    if days <= 0:
        return t("overview.rooms_full_now")
    if days > DAYS_SHOWN_MAX:
        return t("overview.rooms_full_beyond", days=DAYS_SHOWN_MAX)
    return t("overview.rooms_full_in", days=f"{days:.1f}")


def level_colours() -> dict[str, str]:
    """Each occupancy level's words (as the tables show them) and the colour of its pill."""
    return {
        band_label("red"): RED,
        band_label("amber"): AMBER,
        band_label("green"): GREEN,
        band_label(None): GREY,
        "—": GREY,
    }


def hotel_csv(hotels: pd.DataFrame) -> bytes:
    """Every hotel of the list as the table shows it, for the download."""
    return excel_csv(hotel_table(hotels))


def hotel_table_page(hotels: pd.DataFrame, *, order: str, n: int) -> tuple[pd.DataFrame, int]:
    """The first `n` hotels in `order` as the table draws them (the level a pill), and how
    many there are in all: worked out once per change of the hotels (shell.Source.derive),
    a province's ~2,000 hotels are not all sent (the download has them all)."""
    table = hotel_table(sort_hotels(hotels, order).head(n))
    level = t("hotels.col.level")
    return table.assign(**{level: pills(table[level])}), len(hotels)


def draw_hotel_table(table: pd.DataFrame, *, key: str) -> None:
    """Draw a page of `hotel_table_page`: the occupancy a bar, the level a coloured pill."""
    level = t("hotels.col.level")
    number = st.column_config.NumberColumn(format="localized")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key=key,
        column_config={
            t("hotels.col.hotel"): st.column_config.TextColumn(pinned=True),
            level: pill_column(level, level_colours()),
            t("hotels.col.rooms"): number,
            t("hotels.col.occupied"): number,
            t("hotels.col.cleaning"): number,
            t("hotels.col.available"): number,
            t("hotels.col.staff"): number,
            t("hotels.col.intake_today"): number,
            t("hotels.col.discharges_today"): number,
            t("hotels.col.occupancy"): st.column_config.ProgressColumn(
                format="%.1f%%", min_value=0, max_value=100, color="gray", width="medium"
            ),
        },
    )


def alert_names(frame: pd.DataFrame, lang: str) -> str:
    """Hotel names for an alert, the first few then a count of the rest."""
    names = [plain(name) for name in frame[f"name_{lang}"]]
    shown = "、".join(names[:NAMES_IN_ALERT]) if lang == "zh" else ", ".join(names[:NAMES_IN_ALERT])
    if len(names) > NAMES_IN_ALERT:
        shown += " " + t("hotels.alert.more", count=len(names) - NAMES_IN_ALERT)
    return shown


@dataclass(frozen=True)
class HotelsSeen:
    """What the page shows of every hotel beside the table: its alerts (level, words, icon),
    and the districts to filter by."""

    alerts: list[tuple[str, str, str]]
    district_names: dict[str, str]


def hotels_seen(hotels: pd.DataFrame, *, lang: str) -> HotelsSeen:
    """Alerts for active hotels at 95 %+, reports late and hotels never reported; the
    districts with a hotel."""
    active = hotels[hotels["status"] == "active"]
    alerts = []
    red = active[active["occupancy_band"] == "red"]
    if len(red):
        text = t("hotels.alert.red", count=len(red), names=alert_names(red, lang))
        alerts.append(("error", text, ":material/warning:"))
    for status, key in (("stale", "hotels.alert.stale"), ("no_report", "hotels.alert.no_report")):
        late = active[active["report_status"] == status]
        if len(late):
            text = t(key, count=len(late), names=alert_names(late, lang))
            alerts.append(("warning", text, ":material/schedule:"))
    with_hotels = hotels.drop_duplicates("district_code")
    names = dict(zip(with_hotels["district_code"], with_hotels[f"district_{lang}"], strict=True))
    return HotelsSeen(alerts, names)


def report_intervals(hotels: pd.DataFrame) -> tuple[int, list[int]]:
    """How many hotels are listed, and their expected report intervals (minutes)."""
    return len(hotels), sorted({int(m) for m in hotels["report_interval_minutes"]})


def outlook_table(outlook: pd.DataFrame) -> pd.DataFrame:
    """City-wide and per-cohort outlook with headings and values in the reader's language."""
    return pd.DataFrame(
        {
            t("hotels.col.scope"): outlook["scope"].map(
                lambda scope: t("hotels.scope.all") if scope == "all" else cohort_label(scope)
            ),
            t("hotels.col.hotels"): outlook["hotels"],
            t("hotels.col.rooms"): outlook["rooms_total"],
            t("hotels.col.occupied"): outlook["rooms_occupied"],
            t("hotels.col.cleaning"): outlook["rooms_cleaning"],
            t("hotels.col.available"): outlook["rooms_available"],
            t("hotels.col.occupancy"): outlook["occupancy_percent"].round(1),
            t("hotels.col.level"): outlook["occupancy_band"].map(band_label),
            t("hotels.col.net_per_day"): outlook["net_per_day"].round(1),
            t("hotels.col.waiting"): outlook["waiting"],
            t("hotels.col.short"): outlook["rooms_short"],
            t("hotels.col.days_until_full"): [
                days_until_full_text(days, hotels)
                for days, hotels in zip(outlook["days_until_full"], outlook["hotels"], strict=True)
            ],
        }
    )


def render_outlook(outlook: pd.DataFrame, *, key: str) -> None:
    """Draw the outlook table (whole city, then each cohort)."""
    table = outlook_table(outlook)
    level = t("hotels.col.level")
    st.dataframe(
        table.assign(**{level: pills(table[level])}),
        hide_index=True,
        width="stretch",
        key=key,
        column_config={
            level: pill_column(level, level_colours()),
            t("hotels.col.occupancy"): st.column_config.ProgressColumn(
                format="%.1f%%", min_value=0, max_value=100, color="gray"
            ),
            t("hotels.col.net_per_day"): st.column_config.NumberColumn(format="%.1f"),
            **{
                t(f"hotels.col.{name}"): st.column_config.NumberColumn(format="localized")
                for name in (
                    "hotels",
                    "rooms",
                    "occupied",
                    "cleaning",
                    "available",
                    "waiting",
                    "short",
                )
            },
        },
    )


def hotel_points(hotels: pd.DataFrame, grid: PointGrid) -> list[dict]:
    """One map dot per hotel with a reported position, as the layer sends it: place `p` on
    `grid`, radius `r` in metres, level `k` (its index in BAND_RGBA, left out for none), `s`
    when an active hotel's report is stale or missing, and hover text. The accessors
    (`band_colour_accessor`, `ring_accessor`) turn `k` and `s` into colours in the browser:
    a province's ~2,000 dots send two small numbers instead of eight."""
    lang = current_language()
    located = hotels[hotels["lon"].notna() & hotels["lat"].notna()]
    # Drawn from the least to the most urgent, whatever the table's order: a dot drawn later
    # covers its neighbours, and a full hotel must not hide under a green one in its town.
    urgency = [
        DRAW_ORDER.get(_code(band), 0) * 2 + int(stale)
        for band, stale in zip(
            located["occupancy_band"].where(located["status"] == "active"),
            (located["status"] == "active") & (located["report_status"] != "current"),
            strict=True,
        )
    ]
    located = located.iloc[sorted(range(len(located)), key=urgency.__getitem__)]
    bands = list(BAND_RGBA)
    points = []
    for hotel in located.to_dict("records"):
        active = hotel["status"] == "active"
        band = _code(hotel["occupancy_band"]) if active else None
        rooms = hotel["rooms_total"]
        point = {
            "p": grid.point(hotel["lon"], hotel["lat"]),
            "r": round(200 + 40 * math.sqrt(int(rooms))) if not pd.isna(rooms) else 200,
            "tooltip": t(
                "hotels.map_tooltip",
                name=hotel[f"name_{lang}"],
                cohort=cohort_label(hotel["cohort"]),
                status=t(f"hotels.status.{hotel['status']}"),
                occupancy=fmt_percent(_nan_to_none(hotel["occupancy_percent"])),
                occupied=fmt_int(_nan_to_none(hotel["rooms_occupied"])),
                rooms=fmt_int(_nan_to_none(rooms)),
                available=fmt_int(_nan_to_none(hotel["rooms_available"])),
                report=t(f"hotels.report.{hotel['report_status']}"),
            ),
        }
        if band in bands[1:]:
            point["k"] = bands.index(band)
        if active and hotel["report_status"] != "current":
            point["s"] = 1
        points.append(point)
    return points


def band_colour_accessor() -> str:
    """The deck.gl accessor of a hotel dot's colour: its level's in BAND_RGBA (`k`, the
    index; none for the first, no data)."""
    colours = [str(colour).replace(" ", "") for colour in BAND_RGBA.values()]
    accessor = colours[0]
    for index in range(len(colours) - 1, 0, -1):
        accessor = f"k=={index}?{colours[index]}:{accessor}"
    return accessor


def ring_accessor() -> str:
    """The deck.gl accessor of a hotel dot's rim: dark when `s` (report stale or missing)."""
    return f"s?{STALE_RING}:{NO_RING}".replace(" ", "")


def _nan_to_none(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def hotel_layer(points: list[dict], grid: PointGrid) -> pdk.Layer:
    """Hotels as dots coloured by occupancy, ringed dark when their report is not current."""
    return pdk.Layer(
        "ScatterplotLayer",
        id="hotels",
        data=points,
        get_position=grid.accessor("p"),
        get_fill_color=band_colour_accessor(),
        get_line_color=ring_accessor(),
        get_radius="r",
        radius_min_pixels=6,  # seen at a glance on the whole city
        radius_max_pixels=16,
        stroked=True,
        line_width_min_pixels=2,
        pickable=True,
    )


def hotel_deck(districts: pd.DataFrame, hotels: pd.DataFrame) -> pdk.Deck:
    """The hotels as dots by occupancy level over the district basemap, framing the city."""
    grid = point_grid((hotels.dropna(subset=["lon", "lat"]), "lon", "lat"))
    return offline_deck(
        [
            basemap_layer(districts, pickable=False),
            district_labels_layer(districts, size=12),
            hotel_layer(hotel_points(hotels, grid), grid),
        ],
        view=city_view(districts, height=MAP_HEIGHT),
        height=MAP_HEIGHT,
        tooltip=tooltip(),
    )


def occupancy_chart(daily: pd.DataFrame) -> alt.Chart:
    """Occupied rooms against rooms in total per day, one colour per cohort."""
    frame = daily.assign(cohort_label=daily["cohort"].map(cohort_label))
    long = frame.melt(
        id_vars=["day", "cohort_label"],
        value_vars=["rooms_occupied", "rooms_total"],
        var_name="series",
        value_name="rooms",
    )
    long["series"] = long["series"].map(
        {"rooms_occupied": t("hotels.series.occupied"), "rooms_total": t("hotels.series.rooms")}
    )
    long["day"] = pd.to_datetime(long["day"])
    cohorts = [c for c in COHORT_COLOURS if c in set(daily["cohort"])]
    return (
        alt.Chart(long)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("day:T", title=t("hotels.col.day"), axis=alt.Axis(format="%m-%d")),
            y=alt.Y("rooms:Q", title=t("hotels.col.count")),
            color=alt.Color(
                "cohort_label:N",
                title=t("hotels.col.cohort"),
                scale=alt.Scale(
                    domain=[cohort_label(c) for c in cohorts],
                    range=[COHORT_COLOURS[c] for c in cohorts],
                ),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                title=t("hotels.col.series"),
                sort=[t("hotels.series.occupied"), t("hotels.series.rooms")],
            ),
            tooltip=[
                alt.Tooltip("day:T", title=t("hotels.col.day"), format="%Y-%m-%d"),
                alt.Tooltip("cohort_label:N", title=t("hotels.col.cohort")),
                alt.Tooltip("series:N", title=t("hotels.col.series")),
                alt.Tooltip("rooms:Q", title=t("hotels.col.count")),
            ],
        )
        .properties(height=300)
    )


def flows_chart(daily: pd.DataFrame) -> alt.Chart:
    """Intake and discharges per day across all hotels, side by side."""
    per_day = daily.groupby("day", as_index=False)[["intake", "discharges"]].sum()
    long = per_day.melt(
        id_vars=["day"], value_vars=["intake", "discharges"], var_name="series", value_name="n"
    )
    long["series"] = long["series"].map(
        {"intake": t("hotels.series.intake"), "discharges": t("hotels.series.discharges")}
    )
    long["day"] = pd.to_datetime(long["day"]).dt.strftime("%m-%d")
    order = [t("hotels.series.intake"), t("hotels.series.discharges")]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("day:O", title=t("hotels.col.day")),
            xOffset=alt.XOffset("series:N", sort=order),
            y=alt.Y("n:Q", title=t("hotels.col.people")),
            color=alt.Color(
                "series:N",
                title=t("hotels.col.series"),
                sort=order,
                scale=alt.Scale(domain=order, range=["#d62728", "#2ca02c"]),
            ),
            tooltip=[
                alt.Tooltip("day:O", title=t("hotels.col.day")),
                alt.Tooltip("series:N", title=t("hotels.col.series")),
                alt.Tooltip("n:Q", title=t("hotels.col.people")),
            ],
        )
        .properties(height=300)
    )
