"""One catalogue of every user-visible string, in Chinese and English.

Each view keeps its strings in a module of this package; they are merged here, and a test
checks that no key is defined twice and that every string has both languages.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from i18n import (
    alerts,
    audits,
    briefing,
    cases,
    common,
    database,
    hotels,
    overview,
    panels,
    screen,
    signin,
    supplies,
    testing,
    transfer,
    writes,
)

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_MODULES = (
    common,
    database,
    overview,
    cases,
    testing,
    hotels,
    audits,
    supplies,
    writes,
    signin,
    panels,
    transfer,
    screen,
    alerts,
    briefing,
)


def _merge() -> dict[str, tuple[str, str]]:
    catalogue: dict[str, tuple[str, str]] = {}
    for module in _MODULES:
        for key, texts in module.STRINGS.items():
            if key in catalogue:
                raise ValueError(f"string key {key!r} is defined twice ({module.__name__})")
            catalogue[key] = texts
    return catalogue


CATALOGUE: Mapping[str, tuple[str, str]] = _merge()
# A placeholder written {count:one|many} is the word for its count, not the count: English
# says "1 stale reporter", "2 stale reporters" ("{count} stale {count:reporter|reporters}").
_COUNTED_FIELD = re.compile(r"\{\w+:[^{}|]*\|[^{}]*\}")
_COUNTED_KEYS = frozenset(
    key for key, texts in CATALOGUE.items() if any(_COUNTED_FIELD.search(text) for text in texts)
)


def _is_one(value: object) -> bool:
    """Whether a count, as a number or as shown ("1", "1,234"), is exactly one."""
    if isinstance(value, str):
        return value.strip() == "1"
    return not isinstance(value, bool) and isinstance(value, int | float) and value == 1


class _CountedFormatter(string.Formatter):
    """str.format, where a field's spec "one|many" picks the word for the field's count."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return one if _is_one(value) else many
        return super().format_field(value, format_spec)


_COUNTED = _CountedFormatter()
# Per script run (Streamlit runs each session's script in its own thread and context).
_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def set_language(lang: str) -> str:
    """Use `lang` for the strings of this script run; unknown languages fall back to Chinese."""
    chosen = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    _language.set(chosen)
    return chosen


@contextmanager
def language(lang: str) -> Iterator[str]:
    """Strings in `lang` inside the block (a briefing is written in both languages at once)."""
    previous = _language.get()
    try:
        yield set_language(lang)
    finally:
        _language.set(previous)


def current_language() -> str:
    """The language strings are shown in."""
    return _language.get()


def t(key: str, /, **values: object) -> str:
    """The string `key` in the current language, with `{placeholders}` filled in (and the
    words of `{count:one|many}` chosen by the count)."""
    zh, en = CATALOGUE[key]
    text = en if _language.get() == "en" else zh
    if not values:
        return text
    return _COUNTED.vformat(text, (), values) if key in _COUNTED_KEYS else text.format(**values)


def name(record: Mapping[str, object], field: str = "name") -> str:
    """A record's name in the current language, from its `<field>_zh` / `<field>_en` keys."""
    return str(record[f"{field}_{_language.get()}"])


def both_names(record: Mapping[str, object], field: str = "name") -> str:
    """A place's name in both languages, for readers of either: 荔湾区 Liwan."""
    zh, en = str(record[f"{field}_zh"]), str(record[f"{field}_en"])
    return zh if zh == en else f"{zh} {en}"


# --- Why a write was refused ------------------------------------------------------------

# Parameters whose values are codes, and the catalogue prefix that names them.
_CODE_PARAMS = {"entity": "entity", "role": "role", "action": "action", "kind": "facility"}


def _param_text(name: str, value: object) -> str:
    prefix = _CODE_PARAMS.get(name)
    if prefix is not None and f"{prefix}.{value}" in CATALOGUE:
        return t(f"{prefix}.{value}")
    if name == "expected" and isinstance(value, str):
        return "、".join(_param_text("kind", kind) for kind in value.split(", "))
    if isinstance(value, datetime):
        from data.timeutil import format_local  # the command's zone

        return format_local(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    if name == "columns" and isinstance(value, list):  # columns of a file, by name
        return "、".join(t(f"field.{column}") for column in value)
    if isinstance(value, tuple):  # a record of several keys (item and location)
        return "/".join(str(part) for part in value)
    if name == "district":
        from data.reference.districts import DISTRICT_TABLE

        names = {code: (zh, en) for code, zh, en, _ in DISTRICT_TABLE}
        if value in names:
            return names[value][1 if _language.get() == "en" else 0]
    return str(value)


def describe_problem(problem: Any) -> str:
    """One problem of a refused write (data.writes.Problem) in the current language."""
    field = problem.field or ""
    if field and f"field.{field}" in CATALOGUE:
        field = t(f"field.{field}")
    params = {name: _param_text(name, value) for name, value in problem.params.items()}
    template = CATALOGUE[f"error.{problem.code}"][1]
    for name in ("field", "entity"):  # a sentence opens with a capital, in English
        if template.startswith(f"{{{name}}}"):
            value = field if name == "field" else params[name]
            value = value[:1].upper() + value[1:]
            field, params = (value, params) if name == "field" else (field, {**params, name: value})
    message = t(f"error.{problem.code}", **{**params, "field": field})
    part = problem.params.get("part")
    if part is not None:  # one of a record's parts: an audit's item result or finding
        message = t(f"error.in_{part}", position=problem.params["position"], message=message)
    return message if problem.row is None else t("error.at_row", row=problem.row, message=message)


def describe_error(error: Any, *, limit: int = 20) -> str:
    """Why a write was refused (data.writes.WriteError): its problems, the first `limit`."""
    problems = list(error.problems)
    lines = [describe_problem(problem) for problem in problems[:limit]]
    if len(problems) > limit:
        lines.append(t("error.more", count=len(problems) - limit))
    return "\n".join(lines)


# --- Why the database or the settings cannot be used ----------------------------------------


def describe_database_problem(error: Any) -> str:
    """A data.db.DatabaseProblem in the current language (no traceback, no password)."""
    key = getattr(error, "key", "db.problem")
    params = getattr(error, "params", None) or {"reason": str(error)}
    try:
        return t(key, **params)
    except (KeyError, IndexError):
        return str(error)


def describe_settings_error(error: Any) -> str:
    """A pydantic ValidationError of the settings: each bad setting by its environment
    variable's name and what it must be, in the current language; never the value given."""
    from data.settings import settings_problems

    parts = []
    for setting, message in settings_problems(error):
        why = f"settings.why.{setting}"
        parts.append(
            t("settings.bad", name=setting, message=t(why) if why in CATALOGUE else message)
        )
    return "; ".join(parts)
