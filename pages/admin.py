"""Data admin: bulk import of spreadsheets, exports and templates (admins; duty officers
within their scope), and for admins the accounts and wall-screen tokens."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlmodel import Session

from components.forms import FormField, render_form, reset
from data import accounts, writes
from data.codes import USER_ROLES
from data.queries.common import list_districts
from data.reference.districts import DISTRICT_TABLE
from data.timeutil import format_local
from data.transfer import FORMATS, KINDS, UnreadableFile, export_bytes, import_file, template_bytes
from data.writes import WriteError, allowed
from i18n import current_language, describe_problem, t
from panels import label
from shell import current_user, get_engine, read, refresh_counter, save, start_page

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


def _role_name(role: str) -> str:
    text = t(f"role.{role}")
    return text[:1].upper() + text[1:]


def _moment(value: object) -> str:
    return "" if value is None or pd.isna(value) else format_local(value)


def accounts_tab() -> None:
    """Admins: who may sign in (add, disable, enable, reset a password) and the wall screens'
    read-only tokens (issue, revoke). The command line does the same (python -m data users)."""
    districts = read(list_districts)
    lang = current_language()
    district_names = dict(zip(districts["code"], districts[f"name_{lang}"], strict=True))
    users = read(accounts.list_users)
    st.subheader(t("admin.users"))
    if users:
        st.dataframe(
            pd.DataFrame(
                {
                    t("signin.username"): [user["username"] for user in users],
                    t("admin.col_role"): [_role_name(user["role"]) for user in users],
                    t("signin.scope"): [
                        "、".join(
                            [district_names.get(code, code) for code in user["districts"]]
                            + user["facilities"]
                        )
                        or t("signin.city_wide")
                        for user in users
                    ],
                    t("admin.col_active"): [
                        t("admin.active" if user["is_active"] else "admin.disabled")
                        for user in users
                    ],
                    t("admin.col_last_seen"): [_moment(user["last_seen_at"]) for user in users],
                }
            ),
            hide_index=True,
            width="stretch",
            key="admin_users",
        )
    add, change = st.columns(2)
    with add:
        st.markdown(f"**{t('admin.add_user')}**")
        fields = [
            FormField("username", label("username"), "text", ""),
            FormField("display_name", label("display_name"), "text", ""),
            FormField(
                "role",
                label("role"),
                "choice",
                "duty_officer",
                options=list(USER_ROLES),
                # Labels made now: a select box may format its options outside this run.
                format_func={role: _role_name(role) for role in USER_ROLES}.__getitem__,
            ),
            FormField(
                "district_codes",
                label("district_codes"),
                "choices",
                (),
                options=list(district_names),
                format_func=district_names.__getitem__,
                help=t("admin.scope_help"),
            ),
            FormField(
                "facility_codes",
                label("facility_codes"),
                "text",
                "",
                help=t("admin.facilities_help"),
            ),
            FormField(
                "password",
                label("password"),
                "text",
                "",
                help=t("admin.password_help"),
                extra={"type": "password", "autocomplete": "new-password"},
            ),
        ]
        values = render_form("user_add", fields, submit_label=t("admin.add_submit"), columns=1)
        if values is not None:
            codes = [code.strip() for code in values["facility_codes"].split(",") if code.strip()]
            outcome = save(
                "user_add",
                lambda session, actor: writes.create_user(
                    session, actor=actor, **{**values, "facility_codes": codes}
                ),
                fields=[field.name for field in fields],
            )
            if outcome == "saved":
                reset("user_add")
            st.rerun()
    with change:
        st.markdown(f"**{t('admin.change_user')}**")
        if users:
            _change_user([user["username"] for user in users])
    _screens()


ACTIONS = ("disable", "enable", "reset_password")


def _change_user(usernames: list[str]) -> None:
    """Disable, enable or give a new password to one account."""
    username = st.selectbox(t("signin.username"), usernames, key="admin_user_choice")
    fields = [
        FormField(
            "action",
            t("admin.action"),
            "choice",
            "disable",
            options=list(ACTIONS),
            format_func={action: t(f"admin.action_{action}") for action in ACTIONS}.__getitem__,
        ),
        FormField(
            "password",
            t("admin.new_password"),
            "text",
            "",
            help=t("admin.new_password_help"),
            extra={"type": "password", "autocomplete": "new-password"},
        ),
    ]
    form = f"user_change_{username}"
    values = render_form(form, fields, submit_label=t("admin.change_submit"), columns=1)
    if values is None:
        return

    def write(session, actor):  # noqa: ANN001, ANN202
        if values["action"] == "reset_password":
            return writes.reset_password(
                session, actor=actor, username=username, password=values["password"]
            )
        change = writes.disable_user if values["action"] == "disable" else writes.enable_user
        return change(session, actor=actor, username=username)

    if save(form, write, fields=["password"]) == "saved":
        reset(form)
    st.rerun()


def _screens() -> None:
    """The wall screens' read-only tokens: issue (shown once), revoke, and when last seen."""
    st.subheader(t("admin.screens"))
    st.caption(t("admin.screens_help"))
    tokens = read(accounts.list_screen_tokens)
    if tokens:
        st.dataframe(
            pd.DataFrame(
                {
                    t("admin.col_screen"): [token["name"] for token in tokens],
                    t("admin.col_active"): [
                        t("admin.active" if token["active"] else "admin.revoked")
                        for token in tokens
                    ],
                    t("admin.col_created"): [
                        f"{_moment(token['created_at'])} · {token['created_by']}"
                        for token in tokens
                    ],
                    t("admin.col_last_seen"): [_moment(token["last_seen_at"]) for token in tokens],
                }
            ),
            hide_index=True,
            width="stretch",
            key="admin_screens",
        )
    issued = st.session_state.pop("_issued_screen_token", None)
    if issued is not None:
        name, token = issued
        st.success(t("admin.token_issued", name=name), icon=":material/key:")
        st.code(token, language=None)
    issue, revoke = st.columns(2)
    with issue:
        fields = [FormField("name", t("admin.col_screen"), "text", "", help=t("admin.screen_name"))]
        values = render_form("screen_issue", fields, submit_label=t("admin.issue"), columns=1)
        if values is not None:
            made: list[str] = []
            outcome = save(
                "screen_issue",
                lambda session, actor: made.append(
                    accounts.issue_screen_token(session, actor=actor, name=values["name"])
                ),
                fields=["name"],
            )
            if outcome == "saved":
                st.session_state["_issued_screen_token"] = (values["name"].strip(), made[0])
                reset("screen_issue")
            st.rerun()
    active = [token["name"] for token in tokens if token["active"]]
    with revoke:
        if active:
            fields = [FormField("name", t("admin.col_screen"), "choice", active[0], options=active)]
            values = render_form("screen_revoke", fields, submit_label=t("admin.revoke"), columns=1)
            if values is not None:
                save(
                    "screen_revoke",
                    lambda session, actor: accounts.revoke_screen_token(
                        session, actor=actor, name=values["name"]
                    ),
                    fields=["name"],
                )
                st.rerun()


if start_page("admin.title", require_data=False) is not None:
    kinds = importable_kinds()
    if not kinds:
        st.error(t("admin.refused_role"), icon=":material/block:")
        st.stop()
    manages_accounts = allowed(current_user(), "create", "user")
    titles = [t("admin.tab_import"), t("admin.tab_export")]
    if manages_accounts:
        titles.append(t("admin.tab_accounts"))
    # Tracked on the server: the open tab stays open through the rerun after a save.
    tabs = st.tabs(titles, key="admin_tab", on_change="rerun")
    with tabs[0]:
        import_tab(kinds)
    with tabs[1]:
        export_tab(kinds)
    if manages_accounts:
        with tabs[2]:
            accounts_tab()
