"""Coloured pills in st.dataframe: a status cell as a one-value multiselect column whose
options carry the colours. The colour is in the column's configuration, so a table costs
nothing more to draw or send than its values (a pandas Styler styles cell by cell, costs
more than the rest of a page at city scale, and is sent again whenever its cells change)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

RED, AMBER, GREEN, BLUE, GREY = "#b91c1c", "#d97706", "#15803d", "#2563eb", "#6b7280"


def pills(labels: pd.Series) -> pd.Series:
    """Each label as a one-item list, the shape a multiselect (pill) column shows; a missing
    label (None) as an empty cell."""
    return labels.map(lambda label: [label] if isinstance(label, str) else [])


def pill_column(label: str, colours: Mapping[str, str], **options: object) -> object:
    """A read-only column of pills, each option (a shown label) in its colour."""
    return st.column_config.MultiselectColumn(
        label, options=list(colours), color=list(colours.values()), **options
    )
