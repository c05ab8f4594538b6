"""One catalogue of every user-visible string, in Chinese and English.

Each view keeps its strings in a module of this package; they are merged here, and a test
checks that no key is defined twice and that every string has both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar

from i18n import audits, cases, common, hotels, overview, supplies, testing

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_MODULES = (common, overview, cases, testing, hotels, audits, supplies)


def _merge() -> dict[str, tuple[str, str]]:
    catalogue: dict[str, tuple[str, str]] = {}
    for module in _MODULES:
        for key, texts in module.STRINGS.items():
            if key in catalogue:
                raise ValueError(f"string key {key!r} is defined twice ({module.__name__})")
            catalogue[key] = texts
    return catalogue


CATALOGUE: Mapping[str, tuple[str, str]] = _merge()
# Per script run (Streamlit runs each session's script in its own thread and context).
_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def set_language(lang: str) -> str:
    """Use `lang` for the strings of this script run; unknown languages fall back to Chinese."""
    chosen = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    _language.set(chosen)
    return chosen


def current_language() -> str:
    """The language strings are shown in."""
    return _language.get()


def t(key: str, **values: object) -> str:
    """The string `key` in the current language, with `{placeholders}` filled in."""
    zh, en = CATALOGUE[key]
    text = en if _language.get() == "en" else zh
    return text.format(**values) if values else text


def name(record: Mapping[str, object], field: str = "name") -> str:
    """A record's name in the current language, from its `<field>_zh` / `<field>_en` keys."""
    return str(record[f"{field}_{_language.get()}"])


def both_names(record: Mapping[str, object], field: str = "name") -> str:
    """A place's name in both languages, for readers of either: 荔湾区 Liwan."""
    zh, en = str(record[f"{field}_zh"]), str(record[f"{field}_en"])
    return zh if zh == en else f"{zh} {en}"
