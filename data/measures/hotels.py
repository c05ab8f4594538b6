"""Quarantine-hotel arithmetic: available rooms and occupancy."""

from __future__ import annotations


def available_rooms(total: int, occupied: int, cleaning: int) -> int:
    """Rooms ready for a new guest: neither occupied nor being cleaned (never below zero)."""
    return max(0, total - occupied - cleaning)


def occupancy_percent(total: int, occupied: int) -> float | None:
    """Occupied rooms as a percentage of all rooms; None for a hotel with no rooms."""
    if total <= 0:
        return None
    return 100.0 * occupied / total
