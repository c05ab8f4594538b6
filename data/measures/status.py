"""A headline figure's status: alarm, warning or ok, from how many things are in each."""

from __future__ import annotations

STATUSES = ("alarm", "warning", "ok")


def status_of(alarms: int, warnings: int = 0) -> str:
    """Alarm when anything is in alarm, warning when anything is in warning, else ok."""
    if alarms > 0:
        return "alarm"
    if warnings > 0:
        return "warning"
    return "ok"


# An occupancy band (data.measures.hotels.occupancy_band) as a status.
BAND_STATUS = {"red": "alarm", "amber": "warning", "green": "ok"}
