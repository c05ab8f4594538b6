"""The shape every view's update panel shares: pick a record of your scope, fill the form,
save through the write side; a refusal is shown next to its field, a success at once.

Pages say what to pick from, which fields, and which write; this module does the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from components.forms import FormField, problems_of, remember_problems, render_form, reset
from data.writes import Actor
from i18n import t
from shell import in_scope, may, save


@dataclass(frozen=True)
class Panel:
    """One update panel: what it writes, what it picks from, its fields, and the write."""

    key: str
    title: str
    action: str
    entity: str
    # Records to pick from: columns `key` (the record's id), `label`, `district_code` and
    # `facility_id` (None when the record is not a facility's); or a function that gives
    # them, called only while the panel is open.
    choices: pd.DataFrame | Callable[[], pd.DataFrame]
    choice_label: str
    fields: Callable[[Any], Sequence[FormField]]
    write: Callable[[Session, Actor, Any, dict[str, Any]], object]
    submit_label: str
    none_in_scope: str
    # Write-side fields shown in a table of the form -> (that field, the name messages use).
    aliases: Mapping[str, tuple[str, str]] | None = None


def facility_choices(rows: pd.DataFrame, *, id_column: str, lang: str) -> pd.DataFrame:
    """Facilities to pick (hotels, testing sites): each a record of its own and a facility of
    its own, labelled by its name in the reader's language."""
    return pd.DataFrame(
        {
            "key": rows[id_column],
            "label": rows[f"name_{lang}"],
            "district_code": rows["district_code"],
            "facility_id": rows[id_column],
        }
    )


def render_panel(panel: Panel) -> None:
    """The panel in an expander, shown only to roles that may take its action at all."""
    if not may(panel.action, panel.entity):
        return
    # Keyed and tracked on the server: the panel stays open through the reruns that choosing a
    # record or saving causes (an untracked expander is drawn anew, closed, when anything
    # above it changes).
    box = st.expander(
        panel.title, icon=":material/edit_note:", key=f"{panel.key}_open", on_change="rerun"
    )
    # Its list and form are drawn only while it is open (opening it reruns the page): a
    # city's thousands of stock lines or testing sites would otherwise go to the browser in
    # the closed panel's list on every page load, and every rerun would build its form.
    if not box.open:
        return
    listed = panel.choices
    choices = listed if isinstance(listed, pd.DataFrame) else listed()
    mine = choices[
        [
            in_scope(
                panel.action,
                panel.entity,
                district_code=row.district_code,
                facility_id=None if pd.isna(row.facility_id) else int(row.facility_id),
            )
            for row in choices.itertuples()
        ]
    ]
    with box:
        if mine.empty:
            st.info(panel.none_in_scope, icon=":material/info:")
            return
        labels = dict(zip(mine["key"], mine["label"], strict=True))
        chosen = st.selectbox(
            panel.choice_label,
            list(labels),
            format_func=lambda key: labels[key],
            key=f"{panel.key}_choice",
        )
        form = _form_key(panel.key, chosen)
        fields = panel.fields(chosen)
        values = render_form(form, fields, submit_label=panel.submit_label)
        if values is None:
            return
        outcome = save(
            form,
            lambda session, actor: panel.write(session, actor, chosen, values),
            fields=[field.name for field in fields],
            record_label=labels[chosen],
            aliases=panel.aliases,
        )
        if outcome in ("saved", "stale"):
            # A new form (new widget keys: the browser keeps a widget's value under its key)
            # starts from the stored values: after a save nothing is sent twice, and after
            # someone else saved first the newer values show, with the refusal.
            refused = problems_of(form)
            reset(form)
            generation = f"{panel.key}_{chosen}~"
            st.session_state[generation] = st.session_state.get(generation, 0) + 1
            if outcome == "stale":
                remember_problems(_form_key(panel.key, chosen), refused)
        st.rerun()


def _form_key(panel_key: str, chosen: Any) -> str:
    """The form's key for a record: a new one after each save of it."""
    generation = st.session_state.get(f"{panel_key}_{chosen}~", 0)
    return f"{panel_key}_{chosen}" + (f"~{generation}" if generation else "")


def count_fields(names: Sequence[str], latest: dict[str, Any]) -> list[FormField]:
    """Whole-number fields named as the write side names them, starting from `latest`."""
    return [FormField(name, label(name), "count", latest.get(name, 0)) for name in names]


def label(name: str) -> str:
    """A field's name as a form label (a capital first letter in English)."""
    text = t(f"field.{name}")
    return text[:1].upper() + text[1:]
