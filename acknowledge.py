"""The "Acknowledge" control of a critical alert, shared by every place that lists alerts
(the Overview, the wall screens' interrupt): it says who acknowledged it and when, or
offers the button to a signed-in person (a wall screen's token writes nothing).

Like panels.py it saves through shell.save and the write side; components/ stays free of
the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from datetime import datetime, timedelta

import streamlit as st

from components.format import unbroken
from components.forms import problems_of
from data.alerts import Alert
from data.measures.alerts import AlertRef
from data.queries.acknowledgements import get_acknowledgements
from data.timeutil import format_local, utc_now
from data.writes.acknowledgements import acknowledge_alert, acknowledge_alerts
from i18n import t
from shell import may, read, save


def acknowledgement_moment() -> datetime:
    """Now, to the end of the minute (an acknowledgement is about the real now, whatever
    moment the figures show; reads within a minute share the cache)."""
    return utc_now().replace(second=0, microsecond=0) + timedelta(minutes=1)


def acknowledgements() -> dict[str, dict]:
    """The acknowledgements in force, by alert key (read through the cache)."""
    return read(get_acknowledgements, at=acknowledgement_moment())


def acknowledge_control(
    alert: Alert, acknowledged: dict[str, dict], *, width: int | None = None
) -> None:
    """Who acknowledged `alert` and when; else, for a person who may, the button. `width`
    (pixels): what it takes beside the alert's sentence in a row (the Overview's), else its
    own width (a caption the line's, the button its label's)."""
    done = acknowledged.get(alert.key)
    if done is not None:
        # The name and the moment each stay on one line (a laptop's narrow column broke
        # "2026-12-" from "05" and "demo-" from "leader").
        st.caption(
            t(
                "ack.done",
                actor=unbroken(done["actor"]),
                time=unbroken(format_local(done["acknowledged_at"])),
            ),
            unsafe_allow_html=True,
            width=width or "stretch",
        )
        return
    if not may("create", "alert_acknowledgement"):
        return
    form = f"ack-{alert.key}"
    problems = problems_of(form).get(None, [])
    # The message of a refused acknowledgement above its button, in the control's width (no
    # block around the button alone: a block is sent again on every rerun).
    with st.container(width=width or "stretch") if problems else nullcontext():
        for message in problems:
            st.error(message, icon=":material/error:")
        if st.button(
            t("ack.button"),
            key=form,
            icon=":material/done_all:",
            help=t("ack.help"),
            width=width or "content",
        ):
            save(
                form,
                lambda session, actor: acknowledge_alert(
                    session,
                    actor=actor,
                    alert_key=alert.key,
                    kind=alert.kind,
                    district_code=alert.district_code,
                ),
                fields=[],
            )
            st.rerun()


def acknowledge_all_control(alerts: Sequence[AlertRef], acknowledged: dict[str, dict]) -> None:
    """One button that acknowledges every alert listed (by `alert_ref`) and not yet
    acknowledged (a shift's first look at a screen full of them), for a person who may."""
    open_alerts = [ref for ref in alerts if ref[0] not in acknowledged]
    if len(open_alerts) < 2 or not may("create", "alert_acknowledgement"):
        return
    form = "ack-all"
    for message in problems_of(form).get(None, []):
        st.error(message, icon=":material/error:")
    label = t("ack.all", count=len(open_alerts))
    if st.button(label, key=form, icon=":material/done_all:", help=t("ack.help")):
        save(
            form,
            lambda session, actor: acknowledge_alerts(
                session,
                actor=actor,
                alerts=open_alerts,
            ),
            fields=[],
        )
        st.rerun()
