"""Strings of the cases page."""

STRINGS: dict[str, tuple[str, str]] = {}
