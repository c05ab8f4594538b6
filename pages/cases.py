"""Case map: where the cases are, how they link, which zones are in force, day by day."""

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components import case_map
from components.case_tables import (
    SUMMED,
    district_figures,
    render_chain_table,
    render_district_table,
    render_zone_table,
    zone_list,
)
from components.charts import cached_chart
from components.epicurve import local_case_curve
from components.format import fmt_int
from components.forms import FormField
from components.kpi import Kpi, render_kpis
from components.maps import cached_deck
from data.codes import CASE_KINDS, CASE_SEVERITIES, CASE_STATUSES, ZONE_LEVELS
from data.queries.cases import (
    CaseExtent,
    count_active_zones,
    count_local_cases_by_district,
    count_local_cases_by_place,
    get_case_card,
    get_case_extent,
    get_epidemic_curve,
    get_local_case_totals,
    list_case_points,
    list_cases_in_hospital,
    list_hospitals,
    list_map_facilities,
    list_transmission_chains,
    list_transmission_links,
    list_zones,
    list_zones_in_force,
)
from data.queries.common import Clock, list_districts
from data.settings import get_settings
from data.timeutil import day_bounds_utc, format_local, to_utc
from data.writes import create_zone, edit_case, edit_zone
from i18n import current_language, t
from panels import Panel, label, render_panel
from screen import is_screen_mode
from shell import Source, filter_from_address, filter_to_address, local_now, read, start_page

# At most this many cases (the newest) and links go to the browser; density covers them all.
POINT_LIMIT = 2000
FACILITY_LIMIT = 3000
MAP_HEIGHT = 640
LAYERS = (  # toggle key, label key, on by default
    ("cases_layer_points", "cases.layer.points", True),
    ("cases_layer_density", "cases.layer.density", False),
    ("cases_layer_links", "cases.layer.links", True),
    ("cases_layer_zones", "cases.layer.zones", True),
    ("cases_layer_hospitals", "cases.layer.hospitals", True),
    ("cases_layer_hotels", "cases.layer.hotels", False),
    ("cases_layer_sites", "cases.layer.sites", False),
)
FACILITY_TOGGLES = {
    "cases_layer_hospitals": "designated_hospital",
    "cases_layer_hotels": "quarantine_hotel",
    "cases_layer_sites": "testing_site",
}


@dataclass(frozen=True)
class Filters:
    """What the reader chose: the day shown, the period's start, a district, case kinds."""

    day: date
    start: date
    district: str | None
    kinds: tuple[str, ...] | None  # None: every kind
    moment: datetime  # zones in force "on the day" are those in force at this moment

    def cases(self) -> dict:
        """The keyword arguments every filtered case read takes (besides its end day)."""
        return {"start": self.start, "district": self.district, "kinds": self.kinds}


def _labels(prefix: str, codes: Iterable[str]) -> dict[str, str]:
    """Each code's words in this run's language, looked up now: AppTest calls a widget's
    format_func outside the script run too, where the language is not known."""
    return {code: t(f"{prefix}.{code}") for code in codes}


def _map_style_url() -> str | None:
    """An optional MapLibre style on an intranet tile server; none by default (offline)."""
    return get_settings().map_style_url or None


def _map_key() -> str:
    """The map widget's key. Its selection cannot be cleared from Python, so a district chosen
    in the selector starts a new map, on which a stale pick cannot undo the choice."""
    return f"cases_map_{st.session_state.get('cases_map_round', 0)}"


def _on_district_chosen() -> None:
    st.session_state["cases_map_round"] = st.session_state.get("cases_map_round", 0) + 1


def _on_map_select(known: frozenset[str]) -> None:
    """A district clicked on the map becomes the district filter (see district_after_pick)."""
    st.session_state["cases_district"] = case_map.district_after_pick(
        st.session_state.get(_map_key()), st.session_state.get("cases_district"), known
    )


def _moment(day: date, now: Clock) -> datetime:
    """Zones in force "on the day": imposed by its end and not lifted by then (or now, if
    today; to the minute, so that reruns within a minute share the cached reads)."""
    return min(
        day_bounds_utc(day)[1] - timedelta(microseconds=1),
        now.now.replace(second=0, microsecond=0),
    )


def _screen_filters(now: Clock, first_day: date) -> Filters:
    """A wall screen's view, with no filter bar (nothing there needs a mouse): the whole
    city, every case kind, from the first case to today."""
    return Filters(
        day=now.today, start=first_day, district=None, kinds=None, moment=_moment(now.today, now)
    )


def _filters(now: Clock, names: dict[str, str], first_day: date) -> Filters:
    """The filter bar: replay day, start of the period, district, case kinds."""
    replay, since, where, which = st.columns([3, 1.2, 1.4, 2])
    day = replay.slider(
        t("cases.filter.replay"),
        min_value=first_day,
        max_value=now.today,
        value=now.today,
        step=timedelta(days=1),
        format="YYYY-MM-DD",
        key="cases_replay_day",
        help=t("cases.filter.replay_help"),
    )
    start = since.date_input(
        t("cases.filter.from"),
        value=first_day,
        min_value=first_day,
        max_value=now.today,
        key="cases_from",
        help=t("cases.filter.from_help"),
    )
    whole_city = t("district.all")
    # District and case kinds live in the address (?cases_district=440103): a reload or a
    # bookmark opens the map as it was.
    filter_from_address("cases_district", list(names))
    filter_from_address("cases_kinds", CASE_KINDS, several=True)
    district = where.selectbox(
        t("cases.filter.district"),
        [None, *names],
        format_func=lambda code: whole_city if code is None else names[code],
        key="cases_district",
        on_change=_on_district_chosen,
        help=t("cases.filter.district_help"),
        # The whole city is the None option, which Streamlit shows as the box's empty text
        # (its own is "Choose an option", in English whatever the page's language).
        placeholder=whole_city,
    )
    # Labels fixed in this run's language (the formatter may be called outside the run).
    kind_names = {kind: t(f"kind.{kind}") for kind in CASE_KINDS}
    # Two kinds: pills show both whole (a multiselect's chips were cut off on a laptop).
    chosen = which.pills(
        t("cases.filter.kinds"),
        list(CASE_KINDS),
        selection_mode="multi",
        # Every kind at first (a kind chosen in the address is the session's value already).
        default=None if "cases_kinds" in st.session_state else list(CASE_KINDS),
        format_func=kind_names.__getitem__,
        key="cases_kinds",
    )
    filter_to_address("cases_district", district)
    filter_to_address("cases_kinds", chosen, default=list(CASE_KINDS))
    if start is None:  # the date field was cleared: the whole outbreak
        start = first_day
    if start > day:
        st.warning(t("cases.filter.from_after_replay", start=start, day=day))
        start = day
    if not chosen:
        st.warning(t("cases.filter.no_kinds"))
    return Filters(
        day=day,
        start=start,
        district=district,
        # Every kind is no filter at all (and one cache entry fewer).
        kinds=None if set(chosen) == set(CASE_KINDS) else tuple(chosen),
        moment=_moment(day, now),
    )


def _headline(chosen: Filters, sums: dict[str, int], zones: dict[str, int]) -> int:
    """The headline cards; returns the number of cases in the period."""
    totals = read(get_local_case_totals, today=chosen.day, at=chosen.moment, **chosen.cases())
    change = totals.new_today - totals.new_yesterday
    day = chosen.day.isoformat()
    render_kpis(
        [
            Kpi(
                "cases_total",
                t("cases.kpi.total"),
                fmt_int(totals.total),
                t(
                    "cases.kpi.total_help",
                    start=chosen.start.isoformat(),
                    day=day,
                    confirmed=fmt_int(totals.confirmed),
                    asymptomatic=fmt_int(totals.asymptomatic),
                ),
            ),
            Kpi(
                "cases_new",
                t("cases.kpi.new", day=day),
                fmt_int(totals.new_today),
                t("cases.kpi.new_help"),
                delta=t("cases.kpi.delta", delta=change) if change else None,
            ),
            Kpi(
                "cases_hospital",
                t("cases.kpi.in_hospital"),
                fmt_int(sums["in_hospital"]),
                t("cases.kpi.in_hospital_help", severe=fmt_int(sums["severe"])),
            ),
            Kpi(
                "cases_contacts",
                t("cases.kpi.contacts"),
                f"{fmt_int(sums['close_controlled'] + sums['secondary_controlled'])} / "
                f"{fmt_int(sums['close_identified'] + sums['secondary_identified'])}",
                t(
                    "cases.kpi.contacts_help",
                    **{name: fmt_int(sums[name]) for name in SUMMED[2:]},
                ),
            ),
            Kpi(
                "cases_zones",
                t("cases.kpi.zones"),
                fmt_int(sum(zones.values())),
                t("cases.kpi.zones_help", **{level: fmt_int(n) for level, n in zones.items()}),
            ),
        ],
        per_row=5,
    )
    return totals.total


def _map(
    chosen: Filters,
    districts: pd.DataFrame,
    all_figures: Source,
    extent: CaseExtent,
    shown_cases: int,
    *,
    screen: bool = False,
) -> None:
    """The map with its layer switches and legend; a district clicked filters the page. On
    a wall screen (`screen`) the default layers with their legend, and no switches, hint or
    clicks: nothing there needs a mouse."""
    st.subheader(t("cases.map.title", day=chosen.day.isoformat()))
    # The side column is wide enough for its switches' labels on a laptop.
    map_column, side = st.columns([4, 1.3])
    with side:
        card = st.empty()  # a clicked case's card, above the switches
        if screen:
            shown = {key: on for key, _, on in LAYERS}
        else:
            st.markdown(f"**{t('cases.layer.title')}**")
            shown = {key: st.toggle(t(label), value=on, key=key) for key, label, on in LAYERS}
        st.markdown(case_map.legend_html(), unsafe_allow_html=True)
    # The layers' reads are handed to the deck as stand-ins (shell.Source): a rerun whose
    # deck is built already does not take them back from the cache. Only the layers
    # switched on are read (None: off).
    zones_in_force = Source(list_zones, at=chosen.moment)
    district, end, cases = chosen.district, chosen.day, chosen.cases()
    zones = places = links = facilities = points = None
    if shown["cases_layer_zones"]:
        zones = (
            Source(list_zones, at=chosen.moment, district=district) if district else zones_in_force
        )
    if shown["cases_layer_density"]:
        places = Source(count_local_cases_by_place, end=end, **cases)
    if shown["cases_layer_links"]:
        links = Source(
            list_transmission_links, end=end, limit=POINT_LIMIT, at=chosen.moment, **cases
        )
    kinds = tuple(kind for key, kind in FACILITY_TOGGLES.items() if shown[key])
    if kinds:
        facilities = Source(
            list_map_facilities,
            kinds=kinds,
            district=district,
            limit=FACILITY_LIMIT,
            at=chosen.moment,
        )
    if shown["cases_layer_points"]:
        points = Source(list_case_points, end=end, limit=POINT_LIMIT, at=chosen.moment, **cases)
    known = frozenset(districts["code"])
    with map_column:
        st.pydeck_chart(
            cached_deck(
                case_map.case_deck,
                districts=districts,
                figures=all_figures,
                zones_in_force=zones_in_force,
                day=chosen.day,
                selected=district,
                bounds=case_map.map_bounds(districts, district),
                style_url=_map_style_url(),
                height=MAP_HEIGHT,
                zones=zones,
                places=places,
                links=links,
                facilities=facilities,
                points=points,
            ),
            height=MAP_HEIGHT,
            on_select="ignore" if screen else lambda: _on_map_select(known),
            selection_mode="single-object",
            key=_map_key(),
            alt=t("cases.map.alt"),
        )
        notes = [] if screen else [t("cases.map.hint")]
        drawn = 0 if points is None else points.derive(len)
        if drawn >= POINT_LIMIT and shown_cases > drawn:
            notes.append(t("cases.map.capped", shown=fmt_int(drawn), total=fmt_int(shown_cases)))
        placed = 0 if facilities is None else facilities.derive(len)
        if placed >= FACILITY_LIMIT:
            notes.append(t("cases.map.facilities_capped", shown=fmt_int(placed)))
        if notes:
            st.caption(" ".join(notes))
    picked = None if screen else case_map.picked_case(st.session_state.get(_map_key()))
    if picked is not None:
        _case_card(card, picked, chosen)


def _case_card(place: DeltaGenerator, case_no: str, chosen: Filters) -> None:
    """The card of the case clicked on the map, as on the map's day (nothing if that day's
    map has no such case)."""
    found = read(get_case_card, case_no=case_no, end=chosen.day, at=chosen.moment)
    if found is None:
        return
    with place.container(border=True):
        st.markdown("  \n".join(case_map.case_card_lines(asdict(found))))
        st.caption(t("cases.card.close"))


def _curve(chosen: Filters, *, screen: bool = False) -> None:
    """The epidemic curve: new cases per report date by kind, 7-day average, per district
    (a switch; a wall screen shows the city's curve)."""
    head, split = st.columns([4, 1])
    head.subheader(t("cases.curve.title"))
    by_district = not screen and split.toggle(
        t("cases.curve.by_district"), key="cases_curve_by_district"
    )
    curve = read(get_epidemic_curve, end=chosen.day, **chosen.cases(), by_district=by_district)
    if curve.counts.empty:
        st.info(t("empty.filter"))
        return
    chart = cached_chart(
        local_case_curve, counts=curve.counts, average=curve.average, by_district=by_district
    )
    st.vega_lite_chart(chart, width="stretch", key="cases_curve")


def _zones(chosen: Filters, counts: dict[str, int], *, screen: bool = False) -> None:
    """Zones by level (count, population) and the list of zones on the day (with the lifted
    ones at a switch; a wall screen lists those in force)."""
    st.subheader(t("cases.zones.title", day=chosen.day.isoformat()))
    zones = Source(list_zones, at=chosen.moment, district=chosen.district, include_lifted=True)
    show_lifted = not screen and st.session_state.get("cases_zones_lifted", False)
    listed = zones.derive(zone_list, with_lifted=show_lifted, levels=ZONE_LEVELS)
    for column, level in zip(st.columns(len(ZONE_LEVELS)), ZONE_LEVELS, strict=True):
        column.metric(t(f"zone.{level}"), fmt_int(counts[level]))
        column.caption(t("cases.zones.population", value=fmt_int(listed.population[level])))
    if not screen:
        st.checkbox(t("cases.zones.show_lifted"), key="cases_zones_lifted")
    if listed.table.empty:
        st.info(t("cases.zones.none"))
    else:
        render_zone_table(listed.table, key="cases_zones_table")


def _case_panel(lang: str) -> None:
    """A duty officer changes a case's status, severity or hospital (cases in hospital)."""

    def choices() -> pd.DataFrame:
        cases = read(list_cases_in_hospital)
        return pd.DataFrame(
            {
                "key": cases["id"],
                "label": cases["case_no"] + " · " + cases[f"community_{lang}"],
                "district_code": cases["district_code"],
                "facility_id": None,
            }
        )

    def fields(case_id: int) -> list[FormField]:
        case = read(list_cases_in_hospital).set_index("id").loc[case_id]
        hospitals = read(list_hospitals)
        hospital_names = dict(zip(hospitals["id"], hospitals[f"name_{lang}"], strict=True))
        hospital = None if pd.isna(case["hospital_id"]) else int(case["hospital_id"])
        return [
            FormField(
                "status",
                label("status"),
                "choice",
                case["status"],
                options=list(CASE_STATUSES),
                format_func=_labels("cases.status", CASE_STATUSES).__getitem__,
            ),
            FormField(
                "severity",
                label("severity"),
                "choice",
                case["severity"],
                options=list(CASE_SEVERITIES),
                format_func=_labels("cases.severity", CASE_SEVERITIES).__getitem__,
            ),
            FormField(
                "hospital_id",
                label("hospital_id"),
                "choice",
                hospital,
                options=list(hospital_names),
                format_func=lambda key: hospital_names.get(key, "—"),
            ),
            FormField("discharged_date", label("discharged_date"), "date", now.today),
            FormField("version", "", "hidden", int(case["version"])),
        ]

    def write(session, actor, case_id, values):  # noqa: ANN001, ANN202
        discharged = values["discharged_date"] if values["status"] == "discharged" else None
        changes = {
            "status": values["status"],
            "severity": values["severity"],
            "hospital_id": values["hospital_id"],
            "discharged_date": discharged,
        }
        return edit_case(
            session,
            actor=actor,
            case_id=int(case_id),
            expected_version=int(values["version"]),
            changes=changes,
        )

    render_panel(
        Panel(
            key="case_edit",
            title=t("cases.update.case_title"),
            action="edit",
            entity="case",
            choices=choices,
            choice_label=t("cases.update.case"),
            fields=fields,
            write=write,
            submit_label=t("cases.update.case_submit"),
            none_in_scope=t("cases.update.no_case"),
        )
    )


def _lift_panel(lang: str) -> None:
    """A duty officer lifts a control zone in force in their district."""

    def choices() -> pd.DataFrame:
        zones = read(list_zones_in_force, at=now.now)
        levels = zones["level"].map(_labels("zone", ZONE_LEVELS).__getitem__)
        return pd.DataFrame(
            {
                "key": zones["id"],
                "label": levels + " · " + zones[f"name_{lang}"],
                "district_code": zones["district_code"],
                "facility_id": None,
            }
        )

    def fields(zone_id: int) -> list[FormField]:
        zones = read(list_zones_in_force, at=now.now)
        versions = dict(zip(zones["id"], zones["version"], strict=True))
        return [
            FormField("lifted_at", label("lifted_at"), "moment", local_now()),
            FormField("version", "", "hidden", int(versions[zone_id])),
        ]

    def write(session, actor, zone_id, values):  # noqa: ANN001, ANN202
        return edit_zone(
            session,
            actor=actor,
            zone_id=int(zone_id),
            expected_version=int(values["version"]),
            changes={"lifted_at": to_utc(values["lifted_at"])},
        )

    render_panel(
        Panel(
            key="zone_lift",
            title=t("cases.update.lift_title"),
            action="edit",
            entity="zone",
            choices=choices,
            choice_label=t("cases.update.zone"),
            fields=fields,
            write=write,
            submit_label=t("cases.update.lift_submit"),
            none_in_scope=t("cases.update.no_zone"),
        )
    )


# A new zone's centre starts at its district's label point.
CENTRE_FIELDS = (("center_lon", "centroid_lon"), ("center_lat", "centroid_lat"))


def _impose_panel(districts: pd.DataFrame, lang: str) -> None:
    """A duty officer imposes a control zone in their district: a centre and a radius."""

    def fields(code: str) -> list[FormField]:
        district = districts.set_index("code").loc[code]
        opened = local_now()
        return [
            FormField(
                "level",
                label("level"),
                "choice",
                "sealed",
                options=list(ZONE_LEVELS),
                format_func=_labels("zone", ZONE_LEVELS).__getitem__,
            ),
            FormField(
                "code",
                label("code"),
                "text",
                f"{code}-{opened:%Y%m%d%H%M}",
                help=t("cases.update.zone_code_help"),
            ),
            FormField("name_zh", label("name_zh"), "text", ""),
            FormField(
                "name_en", label("name_en"), "text", "", help=t("cases.update.zone_name_en_help")
            ),
            FormField("population", label("population"), "count", 0),
            *(
                FormField(
                    name,
                    label(name),
                    "number",
                    round(float(district[centroid]), 5),
                    extra={"step": 0.001, "format": "%.5f"},
                )
                for name, centroid in CENTRE_FIELDS
            ),
            FormField(
                "radius_m",
                label("radius_m"),
                "number",
                500.0,
                extra={"step": 50.0, "format": "%.0f"},
            ),
            FormField("imposed_at", label("imposed_at"), "moment", opened),
        ]

    def write(session, actor, code, values):  # noqa: ANN001, ANN202
        zone = {
            **values,
            "district_code": code,
            "code": values["code"].strip(),
            # No English name typed: English readers see the Chinese one.
            "name_en": values["name_en"].strip() or values["name_zh"],
            "imposed_at": to_utc(values["imposed_at"]),
        }
        return create_zone(session, actor=actor, values=zone)

    render_panel(
        Panel(
            key="zone_impose",
            title=t("cases.update.impose_title"),
            action="create",
            entity="zone",
            choices=lambda: pd.DataFrame(
                {
                    "key": districts["code"],
                    "label": districts[f"name_{lang}"],
                    "district_code": districts["code"],
                    "facility_id": None,
                }
            ),
            choice_label=t("cases.update.zone_district"),
            fields=fields,
            write=write,
            submit_label=t("cases.update.impose_submit"),
            none_in_scope=t("cases.update.no_district"),
        )
    )


def _chains(chosen: Filters) -> None:
    """The largest transmission chains touching the chosen cases."""
    st.subheader(t("cases.chains.title"))
    summary = read(list_transmission_chains, end=chosen.day, at=chosen.moment, **chosen.cases())
    st.caption(
        t(
            "cases.chains.summary",
            chains=fmt_int(summary.linked_chains),
            linked=fmt_int(summary.linked_cases),
            single=fmt_int(summary.single_cases),
        )
    )
    if summary.chains.empty:
        st.info(t("cases.chains.none"))
    else:
        render_chain_table(summary.chains, key="cases_chains_table")
        st.caption(t("cases.chains.help"))


now = start_page("cases.title")
if now is not None:
    # A wall screen shows the map first, filling its first screenful; the rest follows.
    screen = is_screen_mode()
    map_slot = st.container() if screen else nullcontext()
    st.caption(t("cases.caption", time=format_local(now.now), zone=get_settings().timezone))
    st.caption(t("cases.privacy"))
    districts = read(list_districts)
    extent = read(get_case_extent, end=now.today)
    first_day = extent.first_date or now.today
    if first_day >= now.today:  # the slider needs two days to move between
        first_day = now.today - timedelta(days=1)
    names = dict(zip(districts["code"], districts[f"name_{current_language()}"], strict=True))
    # A wall screen (?screen=1) shows the map and its figures without anything to click.
    chosen = _screen_filters(now, first_day) if screen else _filters(now, names, first_day)

    # Every district's figures feed the map's tooltips; the cards and table use the chosen one.
    all_figures = Source(
        count_local_cases_by_district,
        today=chosen.day,
        start=chosen.start,
        kinds=chosen.kinds,
        at=chosen.moment,
    )
    figures = all_figures.derive(district_figures, district=chosen.district)
    zone_counts = read(count_active_zones, at=chosen.moment, district=chosen.district)
    total = _headline(chosen, figures.sums, zone_counts)
    with map_slot:
        _map(chosen, districts, all_figures, extent, total, screen=screen)
    if not extent.cases:
        st.info(t("cases.empty.no_cases", day=now.today.isoformat()))
    elif total == 0:
        st.info(t("empty.filter"))
    _curve(chosen, screen=screen)
    if not screen:
        _case_panel(current_language())
    st.subheader(t("cases.table.title", day=chosen.day.isoformat()))
    render_district_table(
        figures.table, key="cases_district_table", file_name=f"cases_by_district_{chosen.day}.csv"
    )
    st.caption(t("cases.table.help", start=chosen.start.isoformat(), day=chosen.day.isoformat()))
    _zones(chosen, zone_counts, screen=screen)
    if not screen:
        _impose_panel(districts, current_language())
        _lift_panel(current_language())
    chains_column, _ = st.columns([3, 2])  # a narrow table: it need not span the page
    with chains_column:
        _chains(chosen)
