"""Cells to values and back: what a spreadsheet writes (text, Excel numbers and dates) to what
the write side checks, and stored values to the text a file holds.

Reading never decides that a value is wrong: a cell it cannot read as its column's kind is
handed on as written, and the write side's rules refuse it with the field named (so every
problem is reported in one place, in the user's language). Times in files are the command's
wall-clock time (Asia/Shanghai unless set otherwise), as people type them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from data.timeutil import to_local
from data.transfer.kinds import CODE, COUNT, DAY, FLAG, NUMBER, TEXT, TIME

TRUE = frozenset({"是", "开", "开放", "yes", "y", "true", "1", "open", "√"})
FALSE = frozenset({"否", "关", "关闭", "no", "n", "false", "0", "closed", "×"})
_MOMENT = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$"
)
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_count(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return value
    return value


def read_number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return value
    return value


def read_flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return value


def read_text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return value.strip() if isinstance(value, str) else value


def time_reader(zone: ZoneInfo) -> Callable[[Any], Any]:
    """Local wall-clock times (text or Excel dates) -> aware UTC; same text, same result."""
    seen: dict[str, Any] = {}

    def read(value: Any) -> Any:
        if isinstance(value, datetime):
            local = value if value.tzinfo else value.replace(tzinfo=zone)
            return local.astimezone(UTC)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=zone).astimezone(UTC)
        if not isinstance(value, str):
            return value
        known = seen.get(value)
        if known is not None:
            return known
        match = _MOMENT.match(value.strip())
        result: Any = value
        try:
            if match:
                parts = [int(part) if part else 0 for part in match.groups()[:6]]
                fraction = match.group(7) or ""
                micro = int(fraction.ljust(6, "0")) if fraction else 0
                result = datetime(*parts, micro, tzinfo=zone).astimezone(UTC)
            else:
                parsed = datetime.fromisoformat(value.strip())
                local = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
                result = local.astimezone(UTC)
        except ValueError:
            result = value
        if len(seen) < 100_000:
            seen[value] = result
        return result

    return read


def read_day(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date) or not isinstance(value, str):
        return value
    match = _MOMENT.match(value.strip())
    if match and match.group(4) is None:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return value
    return value


def readers(cells: dict[str, str], zone: ZoneInfo) -> dict[str, Callable[[Any], Any]]:
    """A reader per column name, from the columns' cell kinds."""
    by_kind = {
        TEXT: read_text,
        CODE: read_text,
        COUNT: read_count,
        NUMBER: read_number,
        FLAG: read_flag,
        TIME: time_reader(zone),
        DAY: read_day,
    }
    return {name: by_kind[cell] for name, cell in cells.items()}


# --- Values to cells -------------------------------------------------------------------------


def write_cell(value: Any, cell: str, lang: str) -> Any:
    """A stored value as a file's cell: local times, 是/否 (yes/no), empty for None."""
    if value is None or value == "":
        return ""
    if cell == TIME:
        local = to_local(value)
        text = local.strftime("%Y-%m-%d %H:%M")
        if local.second or local.microsecond:
            text = local.strftime("%Y-%m-%d %H:%M:%S")
            if local.microsecond:
                text += f".{local.microsecond:06d}"
        return text
    if cell == DAY:
        return value.isoformat()
    if cell == FLAG:
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if cell == NUMBER and isinstance(value, float) and value.is_integer():
        return int(value) if abs(value) < 1e15 else value
    return value
