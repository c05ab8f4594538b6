"""The sign-in form, the demo's accounts, and who is signed in (plain values in, widgets out)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from components.format import plain
from i18n import t


def sign_in_form(*, on_submit: Callable[[], None], problem: str | None) -> None:
    """User name and password; keys `login_username`, `login_password`, `login_submit`."""
    with st.form("login", border=True, width=420):
        st.text_input(t("signin.username"), key="login_username", autocomplete="username")
        st.text_input(
            t("signin.password"),
            key="login_password",
            type="password",
            autocomplete="current-password",
        )
        if problem is not None:
            st.error(problem, icon=":material/lock:")
        st.form_submit_button(t("signin.submit"), key="login_submit", on_click=on_submit)


def screen_token_form(*, on_submit: Callable[[], None], problem: str | None) -> None:
    """A wall screen signs in with the read-only token an admin issued for it."""
    with st.expander(t("signin.screen_title"), icon=":material/tv:", expanded=problem is not None):
        st.caption(t("signin.screen_intro"))
        with st.form("screen_login", border=False, width=420):
            st.text_input(
                t("signin.screen_token"), key="screen_token", type="password", autocomplete="off"
            )
            if problem is not None:
                st.error(problem, icon=":material/lock:")
            st.form_submit_button(
                t("signin.screen_submit"), key="screen_submit", on_click=on_submit
            )


def demo_accounts_table(accounts: Sequence[dict]) -> None:
    """The demo scenario's accounts and passwords (shown only while the data is the demo)."""
    st.info(t("signin.demo_intro"), icon=":material/info:")
    frame = pd.DataFrame(
        {
            t("signin.username"): [account["username"] for account in accounts],
            t("signin.password"): [account["password"] for account in accounts],
            t("signin.role"): [t(f"role.{account['role']}") for account in accounts],
            t("signin.scope"): [
                account.get("scope") or t("signin.city_wide") for account in accounts
            ],
        }
    )
    st.dataframe(frame, hide_index=True, width="content")


def signed_in_caption(
    *, name: str, role: str, districts: Sequence[str], facilities: Sequence[str]
) -> None:
    """Who is signed in, in what role, for which districts and facilities."""
    label = t("signin.signed_in_as")
    if label.endswith("："):
        # A full-width colon takes no space after it, and stays outside the bold: Markdown
        # does not close `**` between a colon and a letter (当前用户：demo-admin).
        st.markdown(f"**{label[:-1]}**：{plain(name)}")
    else:
        st.markdown(f"**{label}** {plain(name)}")
    scope = [*districts, *facilities]
    role_name = t(f"role.{role}")
    role_name = role_name[:1].upper() + role_name[1:]
    st.caption(
        t(
            "signin.role_scope",
            role=role_name,
            scope="、".join(scope) if scope else t("signin.city_wide"),
        )
    )
