"""How often each source of figures is expected to report, and when a reporter is stale.

A reporter is stale when its latest report, as of the moment shown, is older than its
expected interval (one that never reported is stale too). The intervals, in one place:

- testing sites, quarantine hotels, stock locations: each facility's own
  `report_interval_minutes` (set per facility; the demo scenario gives testing sites 120
  minutes (60 at city scale), hotels 240 and stock locations a daily count, 1440);
- infection-control audits: every active auditable facility is audited at least every
  `AUDIT_INTERVAL_DAYS` (14) days, counted in whole local days as the audits page does;
- cases: each district with a local case in hospital updates its contact tracing at least
  daily (`CASE_REPORT_INTERVAL_MINUTES`, 1440), from the notice's daily reporting.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from data.measures.audits import AUDIT_INTERVAL_DAYS

# The sources, in the order the Overview lists them; each is shown on its own page.
SOURCES: tuple[str, ...] = ("testing_sites", "hotels", "stock", "audits", "cases")
SOURCE_PAGES: dict[str, str] = {
    "testing_sites": "testing",
    "hotels": "hotels",
    "stock": "supplies",
    "audits": "audits",
    "cases": "cases",
}
CASE_REPORT_INTERVAL_MINUTES = 24 * 60
AUDIT_INTERVAL_MINUTES = AUDIT_INTERVAL_DAYS * 24 * 60


def is_stale(last_reported_at: datetime | None, now: datetime, interval_minutes: float) -> bool:
    """Whether a reporter has not reported within `interval_minutes` before `now`."""
    if last_reported_at is None:
        return True
    return now - last_reported_at > timedelta(minutes=interval_minutes)
