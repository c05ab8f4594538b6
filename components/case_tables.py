"""The case map's tables: cases by district (with CSV), control zones, transmission chains."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.export import excel_csv, later
from components.paging import whole_table_height
from data.measures.cases import percent_of
from data.timeutil import format_local
from i18n import current_language, t

DISTRICT_COLUMNS = (  # column, label key
    ("district", "cases.col.district"),
    ("new_today", "cases.col.new_today"),
    ("last_7_days", "cases.col.last_7_days"),
    ("total", "cases.col.total"),
    ("in_hospital", "cases.col.in_hospital"),
    ("severe", "cases.col.severe"),
    ("close_controlled", "cases.col.close_controlled"),
    ("close_identified", "cases.col.close_identified"),
    ("secondary_controlled", "cases.col.secondary_controlled"),
    ("secondary_identified", "cases.col.secondary_identified"),
    ("controlled_percent", "cases.col.controlled_percent"),
)


def district_table(figures: pd.DataFrame) -> pd.DataFrame:
    """count_local_cases_by_district's rows as shown: named, with % of contacts under control,
    most cases first."""
    controlled = figures["close_controlled"] + figures["secondary_controlled"]
    identified = figures["close_identified"] + figures["secondary_identified"]
    table = figures.assign(
        district=figures[f"name_{current_language()}"],
        controlled_percent=[
            percent_of(int(part), int(whole))
            for part, whole in zip(controlled, identified, strict=True)
        ],
    )
    table = table[["district_code", *(column for column, _ in DISTRICT_COLUMNS)]]
    return table.sort_values(["total", "district_code"], ascending=[False, True])


def district_csv(table: pd.DataFrame) -> bytes:
    """The table by district as CSV, headers in the reader's language, the share of contacts
    under control to one decimal (the page shows whole ones): not 98.90205143022249."""
    export = table.assign(controlled_percent=table["controlled_percent"].round(1)).rename(
        columns={"district_code": t("cases.col.code"), **{c: t(k) for c, k in DISTRICT_COLUMNS}}
    )
    return excel_csv(export)


# The figures of the chosen districts that the headline sums.
SUMMED = (
    "in_hospital",
    "severe",
    "close_controlled",
    "close_identified",
    "secondary_controlled",
    "secondary_identified",
)


@dataclass(frozen=True)
class DistrictFigures:
    """The chosen district's (or every district's) figures as the page shows them: the
    table's rows and the sums its headline cards add up."""

    table: pd.DataFrame
    sums: dict[str, int]


def district_figures(figures: pd.DataFrame, *, district: str | None) -> DistrictFigures:
    """`figures` (count_local_cases_by_district, every district) of `district` (None: all)."""
    if district:
        figures = figures[figures["district_code"] == district]
    return DistrictFigures(
        district_table(figures), {column: int(figures[column].sum()) for column in SUMMED}
    )


def render_district_table(table: pd.DataFrame, *, key: str, file_name: str) -> None:
    """The sortable table by district (`district_table`) and its CSV download (headers in the
    reader's language)."""
    config: dict[str, object] = {"district_code": None}
    for column, label in DISTRICT_COLUMNS:
        if column == "district":
            config[column] = st.column_config.TextColumn(t(label), pinned=True)
        elif column == "controlled_percent":
            config[column] = st.column_config.ProgressColumn(
                t(label), min_value=0, max_value=100, format="%.0f%%"
            )
        else:
            # Whole numbers with thousands separators (2,775), as the headline cards show them.
            config[column] = st.column_config.NumberColumn(t(label), format="localized")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=whole_table_height(len(table)),  # every district at once
        column_config=config,
        key=key,
    )
    st.download_button(
        t("cases.table.download"),
        later(district_csv, table),  # made when clicked, not on every run
        file_name=file_name,
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )


def _lifted(moment: object) -> str:
    return format_local(None if pd.isna(moment) else moment)


@dataclass(frozen=True)
class ZoneList:
    """The zones of the day as the page shows them: the population of those in force per
    level, and the table's rows (those in force, or every one with the lifted)."""

    population: dict[str, int]
    table: pd.DataFrame


def zone_list(zones: pd.DataFrame, *, with_lifted: bool, levels: tuple[str, ...]) -> ZoneList:
    """`zones` (list_zones with the lifted ones) as `ZoneList`."""
    active = zones[zones["active"]]
    population = {
        level: int(active.loc[active["level"] == level, "population"].sum()) for level in levels
    }
    return ZoneList(population, zone_table(zones if with_lifted else active))


def zone_table(zones: pd.DataFrame) -> pd.DataFrame:
    """Control zones (list_zones' rows): level, name, district, population, imposed, lifted."""
    lang = current_language()
    return pd.DataFrame(
        {
            "level": zones["level"].map(lambda level: t(f"zone.{level}")),
            "name": zones[f"name_{lang}"],
            "district": zones[f"district_{lang}"],
            "population": zones["population"],
            "imposed": zones["imposed_at"].map(format_local),
            "lifted": zones["lifted_at"].map(_lifted),
        }
    )


def render_zone_table(table: pd.DataFrame, *, key: str) -> None:
    """Draw `zone_table`'s rows."""
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "level": st.column_config.TextColumn(t("cases.col.level"), width="small"),
            "name": st.column_config.TextColumn(t("cases.col.zone"), width="medium"),
            "district": st.column_config.TextColumn(t("cases.col.district"), width="small"),
            "population": st.column_config.NumberColumn(
                t("cases.col.population"), format="localized", width="small"
            ),
            "imposed": t("cases.col.imposed"),
            "lifted": t("cases.col.lifted"),
        },
        key=key,
    )


def render_chain_table(chains: pd.DataFrame, *, key: str) -> None:
    """The largest transmission chains (list_transmission_chains' rows)."""
    st.dataframe(
        pd.DataFrame(
            {
                "index_case": chains["index_case_no"],
                "district": chains[f"index_district_{current_language()}"],
                "size": chains["size"],
                "generations": chains["generations"],
                "first": chains["first_report_date"],
                "last": chains["last_report_date"],
                "districts": chains["districts"],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "index_case": t("cases.col.index_case"),
            "district": t("cases.col.district"),
            "size": st.column_config.NumberColumn(t("cases.col.chain_size")),
            "generations": st.column_config.NumberColumn(t("cases.col.generations")),
            "first": st.column_config.DateColumn(t("cases.col.first_report")),
            "last": st.column_config.DateColumn(t("cases.col.last_report")),
            "districts": st.column_config.NumberColumn(t("cases.col.districts")),
        },
        key=key,
    )
