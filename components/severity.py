"""A severity as a symbol, a word and a colour, the same for an alert (critical, warning) and
for a headline figure's status (critical, warning, ok): ▲ 严重 / ▲ Critical, ● 注意 /
● Warning, ✓ 正常 / ✓ Normal. Colour is never the only carrier: grey-scale printouts and
colour-blind readers read the symbol and the word."""

from __future__ import annotations

from i18n import t

# Severity -> (badge colour, symbol); the word comes from the catalogue (`severity.<code>`).
SEVERITY_MARKS = {
    "critical": ("red", "▲"),
    "warning": ("orange", "●"),
    "ok": ("green", "✓"),
}


def severity_label(severity: str) -> str:
    """A severity as a symbol and a word: ▲ 严重 / ▲ Critical."""
    return f"{SEVERITY_MARKS[severity][1]} {t(f'severity.{severity}')}"


def severity_badge(severity: str) -> str:
    """A severity as a coloured Markdown badge that also carries its symbol and word."""
    return f":{SEVERITY_MARKS[severity][0]}-badge[{severity_label(severity)}]"
