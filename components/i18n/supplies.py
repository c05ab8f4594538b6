"""Strings of the supplies page."""

STRINGS: dict[str, tuple[str, str]] = {}
