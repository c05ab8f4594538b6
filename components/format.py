"""Number and time formatting in the reader's language."""

from __future__ import annotations

import math
import re

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


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


# Free text kept in both languages in one field: "中文 / English".
BOTH_LANGUAGES = " / "


def in_both_languages(text: object) -> tuple[str, str] | None:
    """The Chinese and the English of free text written in both languages in one field, as
    the demo's auditors and action owners are ("市院感督查组 第3组 / City IPC inspection team
    3"): Chinese, " / ", then English with no Chinese in it. None for any other text (a
    figure such as "2 / 3", or two names in one language, stay as they are)."""
    if not isinstance(text, str) or text.count(BOTH_LANGUAGES) != 1:
        return None
    chinese, english = (part.strip() for part in text.split(BOTH_LANGUAGES))
    if _has_chinese(chinese) and not _has_chinese(english) and any(c.isalpha() for c in english):
        return chinese, english
    return None


def person(text: object) -> str:
    """Who did something (an auditor, an account name): in the reader's language when the
    text holds both ("City IPC inspection team 3" for an English reader), else as written,
    unmarked (a name is not translated). Blank is an em dash."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or not str(text).strip():
        return "—"
    both = in_both_languages(text)
    if both is not None:
        return both[0] if current_language() == "zh" else both[1]
    return str(text)


def as_written(text: object) -> str:
    """Free text typed in one language (an owner, a note, a finding entered once), marked as
    the original when the reader reads the other language, so it never passes for a
    translation: "院感科（中文原文）" for an English reader, "Ward 3 (English original)"
    for a Chinese one; text written in both ("院感科 / Infection Control Dept.") in the
    reader's language. Blank stays blank."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    written = str(text)
    if not written.strip():
        return ""
    both = in_both_languages(written)
    if both is not None:
        return both[0] if current_language() == "zh" else both[1]
    chinese = _has_chinese(written)
    if current_language() == "en" and chinese:
        return f"{written} (original in Chinese)"
    if current_language() == "zh" and not chinese and any(char.isalpha() for char in written):
        return f"{written}（英文原文）"
    return written


# Marks that are markup wherever they stand (emphasis, code, links and images open with
# "[", tables, HTML, strikethrough, Streamlit's LaTeX); the others only where they make
# markup, so that a downloaded briefing reads "Rice (10 kg)", not "Rice \\(10 kg\\)".
_ALWAYS = set("\\`*_[]|<>~$")
_MARKDOWN_ONLY_WHERE_MARKUP = re.compile(
    r"^\s*[#+\-=]"  # a heading, a list item or a rule at the start of a line
    r"|^\s*\d+(?=[.)])\S"  # a numbered list item's "1." or "1)"
    r"|:(?=[A-Za-z/])"  # Streamlit's :emoji:, :red[...], :material/icon: and http:// links
    r"|(?<=[A-Za-z0-9])\.(?=[A-Za-z])"  # a bare domain that would be linked (www.x.cn)
    r"|&(?=#?[A-Za-z0-9]+;)",  # an HTML entity (&lt;)
    re.MULTILINE,
)


def plain(text: object) -> str:
    """Text from the database or a user, escaped so that Markdown shows it as typed: a
    hotel named `**x** [link](http://y) ![i](http://z.png)` draws no bold, link or image.
    Only what would make markup is escaped."""
    written = "".join(f"\\{char}" if char in _ALWAYS else char for char in str(text))
    return _MARKDOWN_ONLY_WHERE_MARKUP.sub(_escape_last, written)


def _escape_last(match: re.Match[str]) -> str:
    found = match.group(0)
    return f"{found[:-1]}\\{found[-1]}"


def unbroken(text: object) -> str:
    """Text that a line never breaks inside (a date and its time, a user name with a
    hyphen), as Markdown with inline HTML for a caller that allows it: in a narrow column
    the line breaks before or after it, never in "2026-12-05 15:28" or "demo-leader"."""
    return f'<span style="white-space: nowrap">{plain(text)}</span>'
