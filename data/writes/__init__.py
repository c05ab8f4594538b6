"""The write side: the one path by which anything is written (forms, imports, CLI, demo seed).

Every write is authorised against the permission table (`permissions`), validated apart
from writing (`rules`, whole batches before any row is written), checked for a stale version
where it edits, written in one unit of work (`unit`) with current-state and rollup tables
kept in step (`state`), and recorded in the change log with the change counter raised
(`changelog`). Refusals carry message keys with parameters (`errors`); the i18n catalogue
says them in the user's language. One module per domain holds its specs and writes.
"""

from data.writes.actor import SYSTEM, Actor
from data.writes.audits import close_action, edit_action, edit_audit, record_audit, record_audits
from data.writes.briefings import issue_briefing
from data.writes.cases import (
    create_case,
    create_cases,
    create_zone,
    create_zones,
    edit_case,
    edit_zone,
    link_infectors,
    record_contact_reports,
)
from data.writes.dataset import clear_operational_data, rebuild_state, set_dataset_info
from data.writes.errors import (
    DatabaseBusy,
    InvalidRecord,
    MissingVersion,
    PermissionDenied,
    Problem,
    StaleEdit,
    WriteError,
)
from data.writes.facilities import create_facilities, create_facility, edit_facility
from data.writes.hotels import record_hotel_report, record_hotel_reports
from data.writes.permissions import PERMISSIONS, allowed, authorize
from data.writes.supplies import (
    create_supply_item,
    create_supply_items,
    edit_reorder_level,
    record_stock_report,
    record_stock_reports,
    set_reorder_levels,
)
from data.writes.testing import (
    create_round,
    create_rounds,
    edit_round,
    record_site_report,
    record_site_reports,
)
from data.writes.users import create_user, disable_user, enable_user, reset_password

__all__ = [
    "PERMISSIONS",
    "SYSTEM",
    "Actor",
    "DatabaseBusy",
    "InvalidRecord",
    "MissingVersion",
    "PermissionDenied",
    "Problem",
    "StaleEdit",
    "WriteError",
    "allowed",
    "authorize",
    "clear_operational_data",
    "close_action",
    "create_case",
    "create_cases",
    "create_facilities",
    "create_facility",
    "create_round",
    "create_rounds",
    "create_supply_item",
    "create_supply_items",
    "create_user",
    "create_zone",
    "create_zones",
    "disable_user",
    "edit_action",
    "edit_audit",
    "edit_case",
    "edit_facility",
    "edit_reorder_level",
    "edit_round",
    "edit_zone",
    "enable_user",
    "issue_briefing",
    "link_infectors",
    "record_contact_reports",
    "rebuild_state",
    "record_audit",
    "record_audits",
    "record_hotel_report",
    "record_hotel_reports",
    "record_site_report",
    "record_site_reports",
    "record_stock_report",
    "record_stock_reports",
    "reset_password",
    "set_dataset_info",
    "set_reorder_levels",
]
