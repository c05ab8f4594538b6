"""Strings of the hotels page."""

STRINGS: dict[str, tuple[str, str]] = {}
