"""Strings of the testing page."""

STRINGS: dict[str, tuple[str, str]] = {}
