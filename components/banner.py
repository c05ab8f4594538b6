"""Notices shown at the top of a page."""

from __future__ import annotations

import streamlit as st

from i18n import t


def simulated_notice() -> None:
    """Say that the figures on screen are the simulated demo scenario."""
    st.info(t("banner.simulated"), icon=":material/science:")


def empty_database_notice() -> None:
    """Say that the database holds no data yet, and how to load some."""
    st.info(t("empty.database"), icon=":material/database:")


def picked_moment_notice(moment: str) -> None:
    """Say that every figure is replayed as of a moment picked in the sidebar."""
    st.warning(t("banner.picked", time=moment), icon=":material/history:")
