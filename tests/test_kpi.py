"""Headline cards: how a card's change is coloured (screen mode draws it again by that word)
and dates in a card's detail that never break at their hyphens."""

from __future__ import annotations

import pytest

from components.kpi import Kpi, tone, unbroken


@pytest.mark.parametrize(
    ("delta", "color", "arrow", "expected"),
    [
        ("+1 on yesterday", "red", "up", "bad"),
        ("-3 on yesterday", "green", "down", "good"),
        ("Same as yesterday", "gray", "off", "plain"),
        ("+2", "normal", "auto", "good"),
        ("-2", "normal", "auto", "bad"),
        ("+2", "inverse", "auto", "bad"),
        ("-2", "inverse", "auto", "good"),
        ("比前一天少 2", "inverse", "down", "good"),
        ("+2", "off", "auto", "plain"),
        (None, "normal", "auto", "plain"),
    ],
)
def test_a_cards_change_is_good_bad_or_plain(
    delta: str | None, color: str, arrow: str, expected: str
) -> None:
    card = Kpi("k", "label", "1", delta=delta, delta_color=color, delta_arrow=arrow)
    assert tone(card) == expected


def test_a_date_in_a_cards_detail_stays_on_one_line() -> None:
    shown = unbroken("1 confirmed · 0 asymptomatic (2026-12-06), 12-07 08:00, COVID-19, a-b")
    assert shown == (
        "1 confirmed · 0 asymptomatic (2026-\u206012-\u206006), 12-\u206007 08:00, COVID-19, a-b"
    )
    assert shown.replace("\u2060", "") == (
        "1 confirmed · 0 asymptomatic (2026-12-06), 12-07 08:00, COVID-19, a-b"
    )
