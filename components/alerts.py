"""Alerts in words: each alert's sentence, its group's title, and the Overview's list.

No database here: an alert (data.alerts.Alert) carries every value its sentence says, and
this module says it in the reader's language from the catalogue (`alerts.<kind>`). Colour
is never the only carrier of severity: the label is "▲ Critical" or "● Warning"
(components.severity, the same words as a headline figure's status).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from components.format import fmt_int, fmt_percent, plain
from components.severity import severity_badge, severity_label
from data.measures.alerts import AlertBoard, AlertGroup, alert_board
from data.timeutil import format_local
from i18n import CATALOGUE, current_language, name, t

__all__ = [
    "CONTROL_WIDTH",
    "alert_text",
    "group_heading",
    "group_title",
    "page_link",
    "render_alerts",
    "severity_label",
]

# Drawn beside a critical alert by the page that lists it (acknowledging it writes), in
# CONTROL_WIDTH pixels: it sits in the alert's row as it is, with no block around it.
Control = Callable[[object], None]
# Behind a group's "N more", this many more of its alerts; the rest are counted (their page
# lists them all).
EXPANDED_ALERTS = 40


def _moment(value: object) -> str:
    return format_local(value) if isinstance(value, datetime) else "—"


def alert_text(alert) -> str:  # noqa: ANN001 - a data.alerts.Alert (no database import here)
    """The alert's sentence in the current language."""
    values = alert.values
    kind = alert.kind
    if kind == "round_behind":
        key = "alerts.round_behind"
        if values["status"] == "missed":
            key = "alerts.round_behind.missed"
        elif values["never_finishes"]:
            key = "alerts.round_behind.never"
        return t(
            key,
            name=name(values),
            round_no=values["round_no"],
            deadline=_moment(values["deadline_at"]),
            percent=fmt_percent(values["percent"]),
            projected=_moment(values["projected_at"]),
        )
    if kind == "hotel_full":
        return t(
            "alerts.hotel_full",
            name=name(values),
            percent=fmt_percent(values["percent"]),
            available=fmt_int(values["available"]),
            total=fmt_int(values["total"]),
        )
    if kind == "supply_short":
        # Whole days: stock on hand that lasts less than one says so, not "0 days".
        key = "alerts.supply_short"
        if values["on_hand"] == 0:
            key = "alerts.supply_short.out"
        elif values["days"] == 0:
            key = "alerts.supply_short.under_one"
        return t(
            key,
            name=name(values),
            item=name(values, "item"),
            days=values["days"],
            on_hand=fmt_int(values["on_hand"]),
            unit=name(values, "unit"),
        )
    if kind == "queue_long":
        return t("alerts.queue_long", name=name(values), minutes=values["minutes"])
    if kind == "action_overdue":
        return t(
            "alerts.action_overdue",
            name=name(values),
            overdue=fmt_int(values["overdue"]),
            open=fmt_int(values["open"]),
        )
    if kind == "source_stale":
        return t(
            "alerts.source_stale",
            source=t(f"source.{values['source']}"),
            stale=fmt_int(values["stale"]),
            reporters=fmt_int(values["reporters"]),
        )
    raise ValueError(f"unknown alert kind {kind!r}")


def group_title(group: AlertGroup, *, start: bool = True) -> str:
    """What a group's alerts are about ("supply lines at 3 days or less"); capitalised when
    it starts a line (English)."""
    key = f"alerts.group.{group.kind}"
    if f"{key}.{group.severity}" in CATALOGUE:
        key = f"{key}.{group.severity}"
    title = t(key)
    return title[:1].upper() + title[1:] if start else title


def group_heading(group: AlertGroup) -> str:
    """A group's severity, title and count as a line of Markdown, the same wherever a group
    is drawn (the Overview, the wall screens' interrupt): "▲ Critical **Supply lines at 3
    days or less: 829**", the severity a badge in its colour."""
    heading = t("alerts.group.heading", title=group_title(group), count=fmt_int(group.count))
    return f"{severity_badge(group.severity)} **{heading}**"


# The width of the acknowledgement beside a critical alert (its button, or who acknowledged
# it and when), in pixels.
CONTROL_WIDTH = 190


def _one(alert, control: Control | None, *, link: bool) -> None:  # noqa: ANN001 - an Alert
    """One alert: its sentence, `control` for a critical one (who acknowledged it, or the
    button), and a link to its page when its group has none."""
    acknowledged = control is not None and alert.severity == "critical"
    if not acknowledged and not link:
        # The sentence alone: a row around it was one more block sent on every rerun.
        st.markdown(plain(alert_text(alert)))
        return
    # One flex row, the sentence taking what the control and the link leave: a row of
    # columns was four blocks, each sent again on every rerun.
    # No wrapping: a long sentence breaks its lines beside the control (a row that wrapped
    # put a laptop's button under its sentence, on the left).
    with st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False):
        st.markdown(plain(alert_text(alert)), width="stretch")
        if acknowledged:
            control(alert)
        if link:
            page_link(alert.page)


def page_link(page: str) -> None:
    """A link to a view (its address, keeping the language), opening in the same tab."""
    lang = current_language()
    try:
        st.page_link(
            f"pages/{page}.py",
            label=t("alerts.open"),
            icon=":material/arrow_forward:",
            query_params={"lang": lang},
        )
    except StreamlitPageNotFoundError:
        # A page run outside the app's navigation (on its own, as in page tests) has no
        # pages to link to: a plain link to the same address.
        st.markdown(f"[{t('alerts.open')}](/{page}?lang={lang})")


def _group(group: AlertGroup, *, expanded: int, control: Control | None) -> None:
    """A group: its severity, title and count with a link to its page, its worst alerts
    (AlertGroup.worst), and the next `expanded` behind "N more" (drawn only while open)."""
    key = f"overview_alerts_{group.severity}_{group.kind}"
    # No key on the box: a key is sent with the block on every rerun (the expander keeps one).
    with st.container(border=True):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.markdown(group_heading(group), width="stretch")
            if group.page is not None:
                page_link(group.page)
        for alert in group.worst:
            _one(alert, control, link=group.page is None)
        rest = group.left_out
        if rest <= 0:
            return
        # Drawn only while open (tracked on the server, so it stays open through reruns):
        # the alerts behind it were sent again on every rerun with nothing changed.
        more = st.expander(
            t("alerts.group.more", count=fmt_int(rest)), key=f"{key}_more", on_change="rerun"
        )
        if not more.open:
            return
        with more:
            shown = len(group.worst)
            for alert in group.alerts[shown : shown + expanded]:
                _one(alert, control, link=group.page is None)
            if rest > expanded:
                st.caption(
                    t(
                        "alerts.group.rest",
                        count=fmt_int(rest - expanded),
                        page=t(f"{group.page}.title"),
                    )
                )


def render_alerts(
    alerts: list | AlertBoard,
    *,
    expanded: int = EXPANDED_ALERTS,
    control: Control | None = None,
    control_all: Callable[[], None] | None = None,
) -> None:
    """Alerts grouped by severity and kind (data.measures.alerts.alert_board: given the
    alerts, or the board a read made of them), so that no kind hides behind another: a count
    by severity, then each group with its count, a link to its page, its worst alerts and
    the next `expanded` behind "N more". `control` draws
    beside each critical alert (acknowledging it), `control_all` under the count
    (acknowledging them all); the caller brings them, as they write."""
    st.subheader(t("alerts.title"))
    board = alerts if isinstance(alerts, AlertBoard) else alert_board(alerts, expanded=expanded)
    if not board.groups:
        st.success(t("alerts.none"), icon=":material/check_circle:")
        return
    st.caption(t("alerts.count", critical=fmt_int(board.critical), warning=fmt_int(board.warning)))
    if control_all is not None:
        control_all()
    for group in board.groups:
        _group(group, expanded=expanded, control=control)
