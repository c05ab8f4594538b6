"""Small rules for Streamlit's own widgets, shared by every page."""

from __future__ import annotations

from i18n import current_language


def select_all_shown() -> bool:
    """Whether a multiselect offers Streamlit's "Select all": its words are English only, so
    a Chinese screen leaves them out rather than mix languages."""
    return current_language() == "en"
