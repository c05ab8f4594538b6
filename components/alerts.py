"""Alerts in words: each alert's sentence and its severity as a symbol and a word.

No database here: an alert (data.alerts.Alert) carries every value its sentence says, and
this module says it in the reader's language from the catalogue (`alerts.<kind>`). Colour
is never the only carrier of severity: the label is "▲ Critical" or "● Warning".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from components.format import fmt_int, fmt_percent
from data.timeutil import format_local
from i18n import current_language, name, t

# Severity -> the colour of its badge (the word and symbol come from the catalogue).
# Drawn beside a critical alert by the page that lists it (acknowledging it writes).
Control = Callable[[object], None]
SEVERITY_COLOURS = {"critical": "red", "warning": "orange"}
# The Overview lists this many alerts; the next EXPANDED_ALERTS sit in an expander and the
# rest are counted (their pages list them all).
SHOWN_ALERTS = 10
EXPANDED_ALERTS = 40


def severity_label(severity: str) -> str:
    """A severity as a symbol and a word: ▲ 严重 / ▲ Critical, ● 注意 / ● Warning."""
    return t(f"alerts.severity.{severity}")


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
        return t(
            "alerts.supply_short.out"
            if values["on_hand"] == 0
            else "alerts.supply_short.one"
            if values["days"] == 1
            else "alerts.supply_short",
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
            "alerts.action_overdue.one" if values["overdue"] == 1 else "alerts.action_overdue",
            name=name(values),
            overdue=fmt_int(values["overdue"]),
            open=fmt_int(values["open"]),
        )
    if kind == "source_stale":
        return t(
            "alerts.source_stale.one" if values["stale"] == 1 else "alerts.source_stale",
            source=t(f"source.{values['source']}"),
            stale=fmt_int(values["stale"]),
            reporters=fmt_int(values["reporters"]),
        )
    raise ValueError(f"unknown alert kind {kind!r}")


def severity_badge(severity: str) -> str:
    """A severity as a coloured Markdown badge that also carries its symbol and word."""
    return f":{SEVERITY_COLOURS[severity]}-badge[{severity_label(severity)}]"


# The width of the acknowledgement beside a critical alert (its button, or who acknowledged
# it and when), in pixels.
CONTROL_WIDTH = 190


def _one(alert, index: int, control: Control | None = None) -> None:  # noqa: ANN001 - an Alert
    """One alert: its severity badge and sentence, `control` for a critical one (who
    acknowledged it, or the button), and a link to its page."""
    # One flex row, the sentence taking what the control and the link leave: a row of
    # columns was four blocks, each sent again on every rerun.
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(f"{severity_badge(alert.severity)} {alert_text(alert)}", width="stretch")
        if control is not None and alert.severity == "critical":
            with st.container(width=CONTROL_WIDTH):
                control(alert)
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


def render_alerts(
    alerts: list,
    *,
    shown: int = SHOWN_ALERTS,
    expanded: int = EXPANDED_ALERTS,
    control: Control | None = None,
    control_all: Callable[[], None] | None = None,
) -> None:
    """Alerts, most severe first (as given): a count by severity, the first `shown` with a
    link to the page that shows each, the next `expanded` in an expander, the rest counted.
    `control` draws beside each critical alert (acknowledging it), `control_all` under the
    count (acknowledging them all); the caller brings them, as they write."""
    st.subheader(t("alerts.title"))
    if not alerts:
        st.success(t("alerts.none"), icon=":material/check_circle:")
        return
    critical = sum(1 for alert in alerts if alert.severity == "critical")
    st.caption(t("alerts.count", critical=critical, warning=len(alerts) - critical))
    if control_all is not None:
        control_all()
    with st.container(border=True, key="overview_alerts"):
        for index, alert in enumerate(alerts[:shown]):
            _one(alert, index, control)
    if len(alerts) > shown:
        # Drawn only while open (tracked on the server, so it stays open through reruns):
        # the 40 alerts behind it, each a row of columns, a sentence, a button and a link,
        # were sent again on every rerun with nothing changed (~45 KB at demo scale).
        more = st.expander(
            t("alerts.more", count=len(alerts) - shown),
            key="overview_alerts_more",
            on_change="rerun",
        )
        if not more.open:
            return
        with more:
            for index, alert in enumerate(alerts[shown : shown + expanded], start=shown):
                _one(alert, index, control)
            if len(alerts) > shown + expanded:
                st.caption(t("alerts.rest", count=len(alerts) - shown - expanded))
