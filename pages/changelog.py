"""Change log: who changed what and when, before -> after field by field (admins and
leadership). A bulk import is one entry that opens to its rows."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from components.export import excel_csv
from data.queries.changelog import (
    PAGE_SIZE,
    Filters,
    batch_rows,
    change_choices,
    change_page,
    change_rows_for_csv,
)
from data.reference.districts import DISTRICT_TABLE
from data.timeutil import format_local, to_utc
from data.writes.permissions import may_read_change_log
from i18n import current_language, t
from shell import current_user, read, start_page

# The change log names tables; readers see the kind of record.
TABLE_ENTITIES = {
    "testingsitereport": "site_report",
    "hotelreport": "hotel_report",
    "stockreport": "stock_report",
    "stockstate": "stock_line",
    "facility": "facility",
    "case": "case",
    "controlzone": "zone",
    "testinground": "round",
    "supplyitem": "supply_item",
    "audit": "audit",
    "auditfinding": "corrective_action",
    "user": "user",
    "screentoken": "screen_token",
    "alertacknowledgement": "alert_acknowledgement",
    "datasetinfo": "dataset",
}


def table_label(table: str) -> str:
    entity = TABLE_ENTITIES.get(table)
    label = t(f"entity.{entity}") if entity else table
    return label[:1].upper() + label[1:]


def district_label(code: str) -> str:
    names = {c: (zh, en) for c, zh, en, _ in DISTRICT_TABLE}
    return names.get(code, (code, code))[1 if current_language() == "en" else 0]


def field_label(name: str) -> str:
    from i18n import CATALOGUE

    label = t(f"field.{name}") if f"field.{name}" in CATALOGUE else name
    return label[:1].upper() + label[1:]


def shown(value: object) -> str:
    return t("changelog.none") if value is None or value == "" else str(value)


def changes_text(entry: dict) -> str:
    batch = entry["batch"]
    if batch is not None:
        if "inserted" in batch:
            file = f" · {batch['file']}" if batch.get("file") else ""
            return t(
                "changelog.batch",
                rows=batch["inserted"] + batch["updated"] + batch["unchanged"],
                inserted=batch["inserted"],
                updated=batch["updated"],
                unchanged=batch["unchanged"],
                file=file,
            )
        return t("changelog.batch_plain", rows=batch.get("rows", 0))
    return "; ".join(
        f"{field_label(name)}: {shown(before)} → {shown(after)}"
        for name, before, after in entry["changes"]
    )


def entries_table(entries: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("changelog.col_when"): [format_local(e["changed_at"]) for e in entries],
            t("changelog.col_who"): [e["actor"] for e in entries],
            t("changelog.col_what"): [
                table_label(e["table"]) + (f" {e['key']}" if e["key"] != "-" else "")
                for e in entries
            ],
            t("changelog.col_action"): [t(f"changelog.action.{e['action']}") for e in entries],
            t("changelog.col_changes"): [changes_text(e) for e in entries],
        }
    )


def filters_form() -> Filters:
    choices = read(change_choices)
    any_ = t("changelog.any")
    columns = st.columns(5)
    # Labels made now: a selectbox may format its options outside this run's language.
    users = {None: any_, **{user: user for user in choices["users"]}}
    tables = {None: any_, **{table: table_label(table) for table in choices["tables"]}}
    districts = {None: any_, **{code: district_label(code) for code, *_ in DISTRICT_TABLE}}
    user = columns[0].selectbox(
        t("changelog.user"), list(users), format_func=users.__getitem__, key="log_user"
    )
    table = columns[1].selectbox(
        t("changelog.table"), list(tables), format_func=tables.__getitem__, key="log_table"
    )
    district = columns[2].selectbox(
        t("changelog.district"),
        list(districts),
        format_func=districts.__getitem__,
        key="log_district",
    )
    since = columns[3].date_input(t("changelog.since"), value=None, key="log_since")
    until = columns[4].date_input(t("changelog.until"), value=None, key="log_until")
    return Filters(
        user=user,
        table=table,
        district=district,
        since=to_utc(datetime.combine(since, time())) if since else None,
        until=to_utc(datetime.combine(until, time()) + timedelta(days=1)) if until else None,
    )


def csv_download(filters: Filters) -> bytes:
    return excel_csv(read(_csv_rows, filters=filters))


def _csv_rows(*, session, filters: Filters) -> pd.DataFrame:  # noqa: ANN001
    rows = list(change_rows_for_csv(session=session, filters=filters))
    table = pd.DataFrame(
        rows,
        columns=[
            "changed_at",
            "actor",
            "table",
            "key",
            "action",
            "districts",
            "field",
            "before",
            "after",
        ],
    )
    if not table.empty:
        table["changed_at"] = [
            format_local(moment, "%Y-%m-%d %H:%M:%S") for moment in table["changed_at"]
        ]
    return table


if start_page("changelog.title", require_data=False) is not None:
    if not may_read_change_log(current_user()):
        st.error(t("changelog.refused_role"), icon=":material/block:")
        st.stop()
    filters = filters_form()
    total, _ = read(change_page, filters=filters, page=0, page_size=1)
    pages = max((total - 1) // PAGE_SIZE + 1, 1)
    head = st.columns([3, 1])
    head[0].caption(t("changelog.count", count=f"{total:,}"))
    page = head[1].number_input(t("changelog.page"), 1, pages, 1, key="log_page") - 1
    _, entries = read(change_page, filters=filters, page=int(page))
    if not entries:
        st.info(t("empty.filter"), icon=":material/info:")
    else:
        st.dataframe(entries_table(entries), hide_index=True, width="stretch")
        batches = {e["id"]: e for e in entries if e["batch"] is not None}
        if batches:
            names = {None: "—"}
            for key, entry in batches.items():
                when = format_local(entry["changed_at"])
                names[key] = f"{when} · {entry['actor']} · {table_label(entry['table'])} #{key}"
            chosen = st.selectbox(
                t("changelog.open_batch"),
                list(names),
                format_func=names.__getitem__,
                key="log_batch",
            )
            if chosen is not None:
                count, _ = read(batch_rows, entry_id=chosen, page=0, page_size=1)
                last = max((count - 1) // PAGE_SIZE + 1, 1)
                part = st.number_input(t("changelog.page"), 1, last, 1, key="log_batch_page")
                _, rows = read(batch_rows, entry_id=chosen, page=int(part) - 1)
                st.caption(t("changelog.batch_rows", count=f"{count:,}"))
                st.dataframe(entries_table(rows), hide_index=True, width="stretch")
    st.download_button(
        t("changelog.download"),
        csv_download(filters),
        file_name="change-log.csv",
        mime="text/csv",
        icon=":material/download:",
        key="log_download",
    )
