"""Strings of the audits page."""

STRINGS: dict[str, tuple[str, str]] = {}
