"""A headline figure's status: critical, warning or ok, from how many things are in each.

The codes are the alerts' severities (data.measures.alerts.SEVERITIES) and "ok", so that a
figure and an alert in the same state say it in the same word."""

from __future__ import annotations

STATUSES = ("critical", "warning", "ok")


def status_of(critical: int, warnings: int = 0) -> str:
    """Critical when anything is critical, warning when anything is in warning, else ok."""
    if critical > 0:
        return "critical"
    if warnings > 0:
        return "warning"
    return "ok"


# An occupancy band (data.measures.hotels.occupancy_band) as a status.
BAND_STATUS = {"red": "critical", "amber": "warning", "green": "ok"}
