"""Update forms: fields drawn with the server's message under each one it refused.

A form keeps what the user typed (its widgets are keyed `<form>.<field>`), and shows the
problems of its last submission, which the page stores with `remember_problems` after the
write side refused it. Components draw; pages write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import streamlit as st

from components.format import plain
from components.widgets import select_all_shown
from i18n import t


@dataclass(frozen=True)
class FormField:
    """One input: its name (the write side's field), label, kind and starting value."""

    name: str
    label: str
    # count | number (decimals; `extra` may give step and format) | choice | choices (several)
    # | text (`extra` may make it a password) | date |
    # moment | flag | table (a DataFrame edited in place, full width; `extra` gives its
    # column_config and num_rows) | hidden (kept as the form opened it, e.g. the version an
    # edit started from)
    kind: str = "count"
    default: Any = None
    options: Sequence[Any] = ()
    format_func: Callable[[Any], str] = str
    help: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def _key(form: str, name: str) -> str:
    return f"{form}.{name}"


def problems_of(form: str) -> dict[str | None, list[str]]:
    """The messages of the form's last refused submission, by field (None: the whole form)."""
    return st.session_state.get(_key(form, "_problems"), {})


def remember_problems(form: str, problems: Mapping[str | None, list[str]]) -> None:
    """Keep a refused submission's messages for the next run of the page."""
    st.session_state[_key(form, "_problems")] = dict(problems)


def forget_problems(form: str) -> None:
    st.session_state.pop(_key(form, "_problems"), None)


def reset(form: str) -> None:
    """Start the form again from its defaults in the next run (after a save)."""
    st.session_state[_key(form, "_reset")] = True
    forget_problems(form)


def _clear_if_reset(form: str, fields: Sequence[FormField]) -> None:
    # Widgets' values can only be dropped before the widgets are drawn in a run.
    if st.session_state.pop(_key(form, "_reset"), False):
        for item in fields:
            st.session_state.pop(_key(form, item.name), None)
            st.session_state.pop(_key(form, f"{item.name}.time"), None)


def _widget(form: str, item: FormField) -> Any:
    key = _key(form, item.name)
    if item.kind == "hidden":
        return st.session_state.setdefault(key, item.default)
    if item.kind == "count":
        return st.number_input(
            item.label, min_value=0, step=1, value=int(item.default or 0), key=key, help=item.help
        )
    if item.kind == "table":
        return st.data_editor(
            item.default,
            column_config=item.extra.get("columns"),
            num_rows=item.extra.get("num_rows", "fixed"),
            disabled=item.extra.get("disabled", False),
            hide_index=True,
            width="stretch",
            key=key,
        )
    if item.kind == "number":
        return st.number_input(
            item.label,
            value=float(item.default or 0),
            step=item.extra.get("step", 1.0),
            format=item.extra.get("format", "%.2f"),
            key=key,
            help=item.help,
        )
    if item.kind == "choices":
        return st.multiselect(
            item.label,
            list(item.options),
            default=[value for value in item.default or () if value in item.options],
            format_func=item.format_func,
            key=key,
            help=item.help,
            select_all=select_all_shown(),  # Streamlit's words: English only
        )
    if item.kind == "choice":
        options = list(item.options)
        index = options.index(item.default) if item.default in options else 0
        return st.selectbox(
            item.label, options, index=index, format_func=item.format_func, key=key, help=item.help
        )
    if item.kind == "flag":
        return st.toggle(item.label, value=bool(item.default), key=key, help=item.help)
    if item.kind == "date":
        return st.date_input(item.label, value=item.default, key=key, help=item.help)
    if item.kind == "moment":
        default = item.default or datetime.now().replace(second=0, microsecond=0)
        left, right = st.columns(2)
        day = left.date_input(item.label, value=default.date(), key=key, help=item.help)
        clock = right.time_input(
            t("form.time"), value=default.time(), key=_key(form, f"{item.name}.time"), step=300
        )
        return datetime.combine(day or date.today(), clock or time())
    return st.text_input(
        item.label,
        value=item.default or "",
        key=key,
        help=item.help,
        type=item.extra.get("type", "default"),
        autocomplete=item.extra.get("autocomplete"),
    )


def render_form(
    form: str, fields: Sequence[FormField], *, submit_label: str, columns: int = 2
) -> dict[str, Any] | None:
    """Draw the form; returns the values when it was submitted in this run, else None."""
    _clear_if_reset(form, fields)
    problems = problems_of(form)
    with st.form(form, border=True):
        _messages(problems.get(None, []))
        slots = st.columns(columns)
        values = {item.name: _widget(form, item) for item in fields if item.kind == "hidden"}
        shown = [item for item in fields if item.kind not in ("hidden", "table")]
        for index, item in enumerate(shown):
            with slots[index % columns]:
                values[item.name] = _widget(form, item)
                _messages(problems.get(item.name, []))
        for item in fields:  # tables below, full width
            if item.kind == "table":
                st.markdown(f"**{plain(item.label)}**", help=item.help)
                values[item.name] = _widget(form, item)
                _messages(problems.get(item.name, []))
        submitted = st.form_submit_button(submit_label, key=_key(form, "submit"), type="primary")
    return values if submitted else None


# A field with more refusals than this (a table's rows) lists the first ones and a count.
MESSAGES_SHOWN = 8


def _messages(messages: Sequence[str]) -> None:
    """A field's refusals, one box each; a long list is cut short with a count of the rest."""
    for message in messages[:MESSAGES_SHOWN]:
        st.error(plain(message), icon=":material/error:")
    if len(messages) > MESSAGES_SHOWN:
        st.error(t("error.more", count=len(messages) - MESSAGES_SHOWN), icon=":material/error:")
