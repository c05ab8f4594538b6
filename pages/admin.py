"""Data admin: bulk import of spreadsheets, exports and templates (admins; duty officers
within their scope). Tabs, so that more admin tasks can join them."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlmodel import Session

from data.reference.districts import DISTRICT_TABLE
from data.transfer import FORMATS, KINDS, UnreadableFile, export_bytes, import_file, template_bytes
from data.writes import WriteError, allowed
from i18n import current_language, describe_problem, t
from shell import current_user, get_engine, refresh_counter, start_page

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def importable_kinds() -> list[str]:
    """The kinds of file the signed-in user may import (their role may add such records)."""
    actor = current_user()
    return [name for name, kind in KINDS.items() if allowed(actor, "create", kind.entity.name)]


def kind_label(name: str) -> str:
    return t(f"transfer.kind.{name}")


def problems_table(problems) -> pd.DataFrame:  # noqa: ANN001 - write-side Problems
    """Every problem as the user reads it: row, column (in their language), reason."""
    return pd.DataFrame(
        {
            t("admin.col_row"): [p.row if p.row is not None else "" for p in problems],
            t("admin.col_column"): [t(f"field.{p.field}") if p.field else "" for p in problems],
            t("admin.col_reason"): [describe_problem(p.at_row(None)) for p in problems],
        }
    )


def import_tab(kinds: list[str]) -> None:
    actor = current_user()
    if actor.role == "duty_officer":
        names = {code: (zh, en) for code, zh, en, _ in DISTRICT_TABLE}
        lang = 1 if current_language() == "en" else 0
        scope = "、".join(
            names[code][lang] for code in sorted(actor.district_codes) if code in names
        )
        st.caption(t("admin.scope_note", scope=scope or "-"))
    # Labels made now: a selectbox may format its options outside this run's language.
    labels = {name: kind_label(name) for name in kinds}
    kind = st.selectbox(t("admin.kind"), kinds, format_func=labels.__getitem__, key="import_kind")
    upload = st.file_uploader(
        t("admin.file"), type=["csv", "xlsx"], help=t("admin.file_help"), key="import_file"
    )
    if not st.button(t("admin.import"), type="primary", disabled=upload is None, key="import_go"):
        return
    bar = st.progress(0.0, text=t("admin.progress", done=0))

    def progress(done: int, total: int | None) -> None:
        share = min(done / total, 1.0) if total else 0.0
        bar.progress(share, text=t("admin.progress", done=f"{done:,}"))

    try:
        with Session(get_engine()) as session:
            result = import_file(
                session,
                actor=actor,
                kind=kind,
                stream=upload,
                filename=upload.name,
                progress=progress,
            )
    except UnreadableFile as error:
        bar.empty()
        st.error(describe_problem(error.problem), icon=":material/error:")
        return
    except WriteError as error:
        bar.empty()
        st.error(t("import.refused", count=len(error.problems)), icon=":material/error:")
        st.subheader(t("admin.problems"))
        st.dataframe(problems_table(error.problems), hide_index=True, width="stretch")
        return
    except Exception as error:  # noqa: BLE001 - a user sees a message, never a traceback
        bar.empty()
        st.error(t("admin.failed", reason=type(error).__name__), icon=":material/error:")
        return
    bar.progress(1.0, text=t("admin.progress", done=f"{result.rows:,}"))
    refresh_counter()
    st.success(
        t(
            "import.done",
            kind=kind_label(kind),
            rows=result.rows,
            inserted=result.inserted,
            updated=result.updated,
            unchanged=result.unchanged,
        ),
        icon=":material/check_circle:",
    )


def export_tab(kinds: list[str]) -> None:
    lang = current_language()
    labels = {name: kind_label(name) for name in kinds}
    kind = st.selectbox(t("admin.kind"), kinds, format_func=labels.__getitem__, key="export_kind")
    fmt = st.segmented_control(t("admin.format"), FORMATS, default="csv", key="export_format")
    fmt = fmt or "csv"
    with Session(get_engine()) as session:
        template = template_bytes(session, kind, fmt, lang)
    st.download_button(
        t("admin.template"),
        template,
        file_name=f"template-{kind}.{fmt}",
        mime=MIME[fmt],
        help=t("admin.template_help"),
        icon=":material/description:",
        key="template_download",
    )
    st.caption(t("admin.export_help"))
    prepared = f"export_{kind}_{fmt}_{lang}"
    if st.button(t("admin.prepare_export"), key="export_prepare"):
        with Session(get_engine()) as session:
            st.session_state[prepared] = export_bytes(session, kind, fmt, lang)
    if prepared in st.session_state:
        data, count = st.session_state[prepared]
        st.download_button(
            t("admin.export", count=f"{count:,}"),
            data,
            file_name=f"{kind}.{fmt}",
            mime=MIME[fmt],
            icon=":material/download:",
            key="export_download",
        )


if start_page("admin.title", require_data=False) is not None:
    kinds = importable_kinds()
    if not kinds:
        st.error(t("admin.refused_role"), icon=":material/block:")
        st.stop()
    import_, export = st.tabs([t("admin.tab_import"), t("admin.tab_export")])
    with import_:
        import_tab(kinds)
    with export:
        export_tab(kinds)
