"""The domain's code lists, in one place: models, checks, queries and components import them.

A code is what the database stores; its words in each language live in the i18n catalogue.
"""

from __future__ import annotations

# --- Facilities ------------------------------------------------------------------------------
DESIGNATED_HOSPITAL = "designated_hospital"
GENERAL_HOSPITAL = "general_hospital"
FEVER_CLINIC = "fever_clinic"
QUARANTINE_HOTEL = "quarantine_hotel"
TESTING_SITE = "testing_site"
WAREHOUSE = "warehouse"
FACILITY_KINDS: tuple[str, ...] = (
    DESIGNATED_HOSPITAL,
    GENERAL_HOSPITAL,
    FEVER_CLINIC,
    QUARANTINE_HOTEL,
    TESTING_SITE,
    WAREHOUSE,
)
# The facilities inspectors audit: hospitals, fever clinics and quarantine hotels.
AUDITABLE_KINDS: tuple[str, ...] = (
    DESIGNATED_HOSPITAL,
    GENERAL_HOSPITAL,
    FEVER_CLINIC,
    QUARANTINE_HOTEL,
)
# The facilities the case map draws, in the order of its legend.
MAP_FACILITY_KINDS: tuple[str, ...] = (DESIGNATED_HOSPITAL, QUARANTINE_HOTEL, TESTING_SITE)
FACILITY_STATUSES: tuple[str, ...] = ("active", "standby", "closed")
HOTEL_COHORTS: tuple[str, ...] = ("inbound", "close_contact", "secondary_contact")

# --- Cases and control zones -----------------------------------------------------------------
CASE_KINDS: tuple[str, ...] = ("confirmed", "asymptomatic")
CASE_SOURCES: tuple[str, ...] = ("local", "imported")
CASE_SEVERITIES: tuple[str, ...] = ("none", "mild", "moderate", "severe", "critical")
CASE_STATUSES: tuple[str, ...] = ("admitted", "discharged", "died")
# Strictest first: sealed (封闭区), controlled (封控区), prevention (防范区).
ZONE_LEVELS: tuple[str, ...] = ("sealed", "controlled", "prevention")

# --- Testing, audits, supplies ---------------------------------------------------------------
ROUND_SCOPES: tuple[str, ...] = ("whole", "partial")
AUDIT_RESULTS: tuple[str, ...] = ("pass", "partial", "fail", "na")
SUPPLY_CATEGORIES: tuple[str, ...] = ("ppe", "test_kit", "reagent", "disinfectant", "living")

# --- People and the change log ---------------------------------------------------------------
# Roles a user account can have; `screen` (wall displays) is a read-only token, not a person.
USER_ROLES: tuple[str, ...] = ("leadership", "duty_officer", "auditor", "admin")
ROLES: tuple[str, ...] = (*USER_ROLES, "screen")
CHANGE_ACTIONS: tuple[str, ...] = ("insert", "update", "delete")
# Failed sign-ins are counted per account (the user name as typed) and per client (address).
SIGN_IN_KEY_KINDS: tuple[str, ...] = ("account", "client")

# --- The demo scenario -----------------------------------------------------------------------
DEMO_SCALES: tuple[str, ...] = ("demo", "city", "province")


def sql_list(values: tuple[str, ...]) -> str:
    """The values as an SQL list for a CHECK constraint: 'a', 'b'."""
    return ", ".join(f"'{value}'" for value in values)
