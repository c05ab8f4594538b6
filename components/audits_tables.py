"""Tables of the audits page: plain query frames turned into what the reader sees.

Statuses and results are coloured pills (a one-value multiselect column): the colour is in
the column's configuration, so the table costs nothing more to send than its values. A
pandas Styler colours cell by cell and costs about a second for a city's open actions.
Colours, not emoji, carry the warnings: the command hall's screens may lack an emoji font.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.format import as_written
from components.pills import AMBER, BLUE, GREEN, GREY, RED, pill_column, pills
from data.measures.audits import ACTION_STATUSES, AUDIT_STATUSES, COMPONENT_MAX, MAX_SCORE
from data.timeutil import command_zone
from i18n import current_language, t

AUDIT_STATUS_COLOURS = {"never": RED, "due": AMBER, "current": GREEN}
ACTION_STATUS_COLOURS = {"overdue": RED, "open": BLUE, "closed": GREY}
RESULT_COLOURS = {"fail": RED, "partial": AMBER, "pass": GREEN, "na": GREY, "missing": GREY}

Config = dict[str, st.column_config.Column]


def _name(frame: pd.DataFrame, stem: str) -> pd.Series:
    return frame[f"{stem}_{current_language()}"]


def _day(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else "—"


def _local_times(moments: pd.Series) -> pd.Series:
    """Stored (UTC) times as local 'YYYY-MM-DD HH:MM' text, for a whole column at once."""
    if moments.empty:
        return pd.Series([], index=moments.index, dtype="object")
    local = pd.to_datetime(moments, utc=True).dt.tz_convert(command_zone())
    return local.dt.strftime("%Y-%m-%d %H:%M")


def kind_label(kind: str) -> str:
    """A facility kind in the reader's language."""
    return t(f"audits.kind.{kind}")


def level_label(level: object) -> str:
    """An IPCAF level in the reader's language; an em dash when there is none."""
    return t(f"audits.level.{level}") if isinstance(level, str) else "—"


def facility_table(facilities: pd.DataFrame) -> pd.DataFrame:
    """The latest-audit list as shown, in the order given (`facility_config` draws it)."""
    status = t("audits.col.audit_status")
    return pd.DataFrame(
        {
            t("audits.col.facility"): _name(facilities, "name"),
            t("audits.col.kind"): facilities["kind"].map(kind_label),
            t("audits.col.district"): _name(facilities, "district"),
            status: pills(facilities["audit_status"].map(lambda code: t(f"audits.due.{code}"))),
            t("audits.col.last_audit"): facilities["last_audit_day"].map(_day),
            # Text, so that a facility never audited shows a dash rather than "None".
            t("audits.col.days_since"): facilities["days_since_audit"].map(
                lambda days: "—" if pd.isna(days) else str(int(days))
            ),
            t("audits.col.score"): facilities["score"],
            t("audits.col.level"): facilities["level"].map(level_label),
            t("audits.col.covid_score"): facilities["covid_score"],
            t("audits.col.checklist"): facilities["checklist_label"].map(
                lambda label: label if isinstance(label, str) else "—"
            ),
            t("audits.col.open"): facilities["open_actions"],
            t("audits.col.overdue"): facilities["overdue_actions"],
        }
    )


def facility_config() -> Config:
    """The latest-audit list's column configuration: its status a pill, its scores bars."""
    status = t("audits.col.audit_status")
    return {
        status: pill_column(
            status,
            {t(f"audits.due.{code}"): AUDIT_STATUS_COLOURS[code] for code in AUDIT_STATUSES},
        ),
        t("audits.col.score"): st.column_config.ProgressColumn(
            t("audits.col.score"),
            min_value=0,
            max_value=MAX_SCORE,
            format="%.1f",
            help=t("audits.col.score_help"),
        ),
        t("audits.col.covid_score"): st.column_config.ProgressColumn(
            t("audits.col.covid_score"),
            min_value=0,
            max_value=COMPONENT_MAX,
            format="%.1f",
            help=t("audits.col.covid_score_help"),
        ),
    }


@dataclass(frozen=True)
class FacilityCounts:
    """What the headline and the tabs count of the latest-audit list."""

    facilities: int
    current: int
    never: int
    weak: int
    audited: int
    # The first audited facilities (weakest first) that the compliance grid draws.
    grid_ids: tuple[int, ...]


def facility_counts(facilities: pd.DataFrame, *, grid_rows: int) -> FacilityCounts:
    """`FacilityCounts` of list_facility_audit_status' rows."""
    statuses = facilities["audit_status"].value_counts()
    audited = facilities[facilities["audit_id"].notna()]
    return FacilityCounts(
        facilities=len(facilities),
        current=int(statuses.get("current", 0)),
        never=int(statuses.get("never", 0)),
        weak=int(facilities["level"].isin(["inadequate", "basic"]).sum()),
        audited=len(audited),
        grid_ids=tuple(int(facility_id) for facility_id in audited["facility_id"].head(grid_rows)),
    )


def facility_page(facilities: pd.DataFrame, *, n: int) -> tuple[pd.DataFrame, int]:
    """The first `n` facilities as the list shows them, and how many there are."""
    return facility_table(facilities.head(n)), len(facilities)


def score_text(score: object) -> str:
    """An IPCAF score with one decimal; "not scored" when there is none."""
    if score is None or pd.isna(score):
        return t("audits.level.not_scored")
    return f"{float(score):.1f}"


def findings_table(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings and corrective actions as plain text (the CSV): who must fix what by when."""
    return pd.DataFrame(
        {
            t("audits.col.status"): findings["status"].map(lambda code: t(f"audits.status.{code}")),
            t("audits.col.due"): findings["due_date"].map(_day),
            t("audits.col.days_overdue"): findings["days_overdue"],
            t("audits.col.facility"): _name(findings, "facility"),
            t("audits.col.district"): _name(findings, "district"),
            t("audits.col.kind"): findings["kind"].map(kind_label),
            # Typed once, in one language: marked as the original in the other's view.
            t("audits.col.owner"): findings["owner"].map(as_written),
            t("audits.col.finding"): _name(findings, "finding").map(as_written),
            t("audits.col.action"): _name(findings, "action").map(as_written),
            t("audits.col.closed"): findings["closed_date"].map(_day),
            t("audits.col.audited"): _local_times(findings["audited_at"]),
        }
    )


def findings_view(plain: pd.DataFrame) -> tuple[pd.DataFrame, Config]:
    """Findings as shown (from findings_table): overdue actions in red pills; and the config."""
    status = t("audits.col.status")
    table = plain.copy()
    table[status] = pills(table[status])
    colours = {t(f"audits.status.{code}"): ACTION_STATUS_COLOURS[code] for code in ACTION_STATUSES}
    return table, {status: pill_column(status, colours)}


def audit_items_view(
    items: pd.DataFrame, components: Mapping[str, tuple[str, str]]
) -> tuple[pd.DataFrame, Config]:
    """Every item of an audit (component, code, text, weight, result, note) and its config."""
    column = 0 if current_language() == "zh" else 1
    result = t("audits.col.result")
    table = pd.DataFrame(
        {
            t("audits.col.component"): items["component"].map(
                lambda code: components[code][column] if code in components else code
            ),
            # Numbered as the audit form numbers them (never the internal code).
            t("audits.col.number"): range(1, len(items) + 1),
            t("audits.col.item"): _name(items, "text"),
            t("audits.col.weight"): items["weight"],
            result: pills(
                items["result"].map(
                    lambda code: t(f"audits.result.{code if isinstance(code, str) else 'missing'}")
                )
            ),
            t("audits.col.note"): items["note"].map(as_written),
        }
    )
    colours = {t(f"audits.result.{code}"): colour for code, colour in RESULT_COLOURS.items()}
    config: Config = {
        result: pill_column(result, colours),
        t("audits.col.weight"): st.column_config.NumberColumn(format="%g"),
    }
    return table, config
