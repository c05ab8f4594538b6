"""Testing tables and alerts: round progress, deadline outlook, sites, and the CSV download.

Every function takes the data layer's frames (`data.queries.testing`) and draws or converts
them; nothing here reads the database. Status and queue cells carry a coloured mark and
words, so they read without colour too; small tables also get coloured cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from components.export import excel_csv
from components.format import fmt_int
from components.pills import AMBER, GREEN, GREY, RED, pill_column, pills
from data.measures.testing import throughput_window_start
from data.timeutil import as_utc, format_local
from i18n import current_language, t

TIME_FORMAT = "%m-%d %H:%M"
# Pill colours: a round behind or past its deadline red; a queue over 60 minutes red, over 30
# amber.
STATUS_COLOURS = {
    "missed": RED,
    "behind": RED,
    "on_track": GREEN,
    "upcoming": GREY,
    "complete": GREY,
}
BAND_COLOURS = {"red": RED, "amber": AMBER, "ok": GREEN, "closed": GREY}
# The progress table's count columns, shown with thousands separators.
PROGRESS_COUNTS = (
    "testing.col.target",
    "testing.col.sampled",
    "testing.col.resulted",
    "testing.col.pending",
    "testing.col.positive",
    "testing.col.pools",
)


def _missing(value: object) -> bool:
    """None, NaN or NaT (how pandas carries a missing time or number)."""
    return value is None or bool(pd.isna(value))


def time_text(moment: datetime | None) -> str:
    """A stored time as local month-day hour:minute; — when missing."""
    if _missing(moment):
        return "—"
    return format_local(pd.Timestamp(moment).to_pydatetime(), TIME_FORMAT)


def hours_text(hours: float | None) -> str:
    """A number of hours such as 10.0 h; — when missing."""
    if _missing(hours):
        return "—"
    return t("testing.late_hours", hours=f"{hours:.1f}")


def round_label(row: Mapping[str, object]) -> str:
    """A round's name: district and round number, e.g. Liwan round 3."""
    key = "testing.round_label_partial" if row["scope"] == "partial" else "testing.round_label"
    return t(key, district=row[f"name_{current_language()}"], round_no=row["round_no"])


def round_number(row: Mapping[str, object]) -> str:
    """A round's number within its district, e.g. Round 3 (partial)."""
    key = "testing.round_no_partial" if row["scope"] == "partial" else "testing.round_no"
    return t(key, round_no=row["round_no"])


def round_option(row: Mapping[str, object]) -> str:
    """A round as a choice in the selector: its name, start and deadline."""
    return t(
        "testing.round_option",
        label=round_label(row),
        start=time_text(row["start_at"]),
        deadline=time_text(row["deadline_at"]),
    )


def status_text(status: str, hours_late: float | None) -> str:
    """A round's status as a mark and words; a complete round that finished late says so."""
    if status == "complete" and not _missing(hours_late):
        return t("testing.status.complete_late")
    return t(f"testing.status.{status}")


def _outcome_time(row: Mapping[str, object]) -> str:
    if row["status"] == "complete":
        return time_text(row["completed_at"])
    if row["status"] == "upcoming":
        return "—"
    if row["never_finishes"]:
        return t("testing.never")
    return time_text(row["projected_at"])


def _late(row: Mapping[str, object]) -> str:
    if row["never_finishes"]:
        return t("testing.never")
    return hours_text(row["hours_late"])


def deadline_table(rounds: pd.DataFrame) -> pd.DataFrame:
    """Each round's deadline, status, throughput, projected completion and lateness."""
    records = rounds.to_dict("records")
    return pd.DataFrame(
        {
            t("testing.col.round"): [round_label(row) for row in records],
            t("testing.col.start"): [time_text(row["start_at"]) for row in records],
            t("testing.col.deadline"): [time_text(row["deadline_at"]) for row in records],
            t("testing.col.status"): [
                status_text(row["status"], row["hours_late"]) for row in records
            ],
            t("testing.col.per_hour"): [round(float(row["per_hour"]), 1) for row in records],
            t("testing.col.projected"): [_outcome_time(row) for row in records],
            t("testing.col.late"): [_late(row) for row in records],
        }
    )


def progress_table(rounds: pd.DataFrame) -> pd.DataFrame:
    """Per round (one district each): target, sampled, results, pending, positives, percent."""
    records = rounds.to_dict("records")
    return pd.DataFrame(
        {
            t("testing.col.district"): rounds[f"name_{current_language()}"].tolist(),
            t("testing.col.round"): [round_number(row) for row in records],
            t("testing.col.target"): rounds["target_population"].astype("int64").tolist(),
            t("testing.col.sampled"): rounds["sampled"].astype("int64").tolist(),
            t("testing.col.resulted"): rounds["resulted"].astype("int64").tolist(),
            t("testing.col.pending"): rounds["pending"].astype("int64").tolist(),
            t("testing.col.positive"): rounds["positive"].astype("int64").tolist(),
            t("testing.col.pools"): rounds["pools_positive"].astype("int64").tolist(),
            t("testing.col.percent"): [round(float(p), 1) for p in rounds["percent"]],
        }
    )


def csv_bytes(rounds: pd.DataFrame) -> bytes:
    """The progress and deadline columns of the rounds as CSV (UTF-8 with BOM, for Excel)."""
    progress = progress_table(rounds)
    deadlines = deadline_table(rounds).drop(columns=t("testing.col.round"))
    table = pd.concat([progress, deadlines], axis=1)
    return excel_csv(table)


@dataclass(frozen=True)
class Table:
    """A table as st.dataframe draws it: its rows and its columns' configuration (worked out
    once per change of what it shows: the page keeps it, components.charts)."""

    frame: pd.DataFrame
    config: dict[str, Any]


def render_table(table: Table, *, key: str) -> None:
    st.dataframe(table.frame, hide_index=True, width="stretch", key=key, column_config=table.config)


def deadline_display(rounds: pd.DataFrame) -> Table:
    """The deadline table, each status a pill: behind and missed red, on track green;
    samples per hour whole, with thousands separators (38,140, as the alerts say it; the
    CSV keeps the decimal)."""
    table = deadline_table(rounds)
    status, per_hour = t("testing.col.status"), t("testing.col.per_hour")
    colours = {
        label: STATUS_COLOURS.get(code, GREY)
        for label, code in zip(table[status], rounds["status"], strict=True)
    }
    return Table(
        table.assign(
            **{status: pills(table[status]), per_hour: table[per_hour].round().astype("int64")}
        ),
        {
            status: pill_column(status, colours),
            per_hour: st.column_config.NumberColumn(format="localized"),
        },
    )


def progress_display(rounds: pd.DataFrame) -> Table:
    """The progress table with a progress bar of completion."""
    return Table(
        progress_table(rounds),
        {
            **{
                t(key): st.column_config.NumberColumn(format="localized") for key in PROGRESS_COUNTS
            },
            t("testing.col.percent"): st.column_config.ProgressColumn(
                min_value=0, max_value=100, format="%.1f%%", width="medium"
            ),
        },
    )


def round_alerts(
    rounds: pd.DataFrame, *, window_hours: int, now: datetime
) -> list[tuple[str, str]]:
    """(level, text) for each missed (error) or behind (warning) round, most urgent first."""
    alerts: list[tuple[str, str]] = []
    for row in rounds.to_dict("records"):
        if row["status"] not in ("missed", "behind"):
            continue
        # The window never reaches back before the round began: say how long it really was.
        start = throughput_window_start(now, as_utc(row["start_at"]), window_hours)
        values = {
            "round": round_label(row),
            "deadline": time_text(row["deadline_at"]),
            "remaining": fmt_int(max(0, int(row["target_population"]) - int(row["sampled"]))),
            # Hours to one decimal, "6" rather than "6.0" (a live clock gives 6.20639...).
            "window": f"{round((now - start).total_seconds() / 3600, 1):g}",
        }
        if not row["never_finishes"]:
            values |= {
                "projected": time_text(row["projected_at"]),
                "hours": f"{row['hours_late']:.1f}",
                "per_hour": f"{row['per_hour']:,.0f}",
            }
        suffix = "_never" if row["never_finishes"] else ""
        level = "error" if row["status"] == "missed" else "warning"
        # Each message uses some of the values; str.format ignores the others.
        alerts.append((level, t(f"testing.alert.{row['status']}{suffix}", **values)))
    return sorted(alerts, key=lambda alert: alert[0] != "error")


def band_text(band: str) -> str:
    """A site's queue band as a mark and words, e.g. ● Over 60 min."""
    return t(f"testing.band.{band}")


def site_table(sites: pd.DataFrame) -> pd.DataFrame:
    """Testing sites in display columns, in the order given (worst queue first)."""
    lang = current_language()
    return pd.DataFrame(
        {
            # The queue first: the table sits beside the map, narrow on a laptop.
            t("testing.col.queue"): [band_text(band) for band in sites["band"]],
            t("testing.col.wait"): sites["queue_wait_minutes"].astype("int64").tolist(),
            t("testing.col.site"): sites[f"name_{lang}"].tolist(),
            t("testing.col.open"): sites["is_open"].astype(bool).tolist(),
            t("testing.col.stale"): sites["stale"].astype(bool).tolist(),
            t("testing.col.sampled_today"): sites["sampled_today"].astype("int64").tolist(),
            t("testing.col.last_report"): [time_text(m) for m in sites["last_reported_at"]],
            t("testing.col.district"): sites[f"district_{lang}"].tolist(),
        }
    )


def site_display(sites: pd.DataFrame) -> Table:
    """The sites table, each queue a pill: amber over 30 minutes, red over 60, grey closed."""
    table = site_table(sites)
    queue = t("testing.col.queue")
    colours = {band_text(band): colour for band, colour in BAND_COLOURS.items()}
    return Table(
        table.assign(**{queue: pills(table[queue])}),
        {
            queue: pill_column(queue, colours),
            t("testing.col.sampled_today"): st.column_config.NumberColumn(format="localized"),
            t("testing.col.open"): st.column_config.CheckboxColumn(),
            t("testing.col.stale"): st.column_config.CheckboxColumn(),
        },
    )
