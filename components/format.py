"""Number and time formatting in the reader's language."""

from __future__ import annotations

import math

from i18n import current_language


def fmt_int(value: float | int | None) -> str:
    """A whole number with thousands separators; an em dash when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{round(value):,}"


def fmt_percent(value: float | None, digits: int = 1) -> str:
    """A percentage such as 87.5%; an em dash when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}%"


def fmt_days(value: float | None) -> str:
    """A number of days such as 4.5 天 / 4.5 days; ∞ for no use; em dash when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if math.isinf(value):
        return "∞"
    unit = "days" if current_language() == "en" else "天"
    return f"{value:.1f} {unit}"


_MARKDOWN = "\\`*_{}[]()#+-.!|<>~$:"


def plain(text: object) -> str:
    """Text from the database or a user, escaped so that Markdown shows it as typed: a
    hotel named `**x** [link](http://y) ![i](http://z.png)` draws no bold, link or image."""
    return "".join(f"\\{char}" if char in _MARKDOWN else char for char in str(text))
