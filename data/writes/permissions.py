"""Who may do what: one table of role x entity -> actions, and the check every write makes.

Reading is open to every signed-in role; this table is about writes. A duty officer's
entries hold only inside the districts and facilities of their scope ("own"); the other
roles' entries hold city-wide ("city").
"""

from __future__ import annotations

from data.codes import ROLES
from data.writes.actor import Actor
from data.writes.errors import PermissionDenied, Problem

# Actions: create a record, edit one, close a corrective action, or run a bulk maintenance.
ACTIONS: tuple[str, ...] = ("create", "edit", "close", "maintain")
ENTITIES: tuple[str, ...] = (
    "site_report",
    "hotel_report",
    "stock_report",
    "stock_line",
    "facility",
    "case",
    "zone",
    "round",
    "supply_item",
    "audit",
    "corrective_action",
    "dataset",
    "user",  # accounts: create, edit (disable, enable, reset the password)
    "screen_token",  # wall screens' read-only tokens: create (issue), edit (revoke)
    "alert_acknowledgement",  # "I have seen this critical alert" (screen mode goes on)
    "briefing",  # daily briefings: create (issue, which freezes it)
)
CITY, OWN = "city", "own"
_REPORTS = ("site_report", "hotel_report", "stock_report")

# role -> entity -> (actions, scope). What is not listed is refused.
# Every signed-in person may acknowledge an alert, anywhere in the city; a wall screen not.
_ACKNOWLEDGE = {"alert_acknowledgement": (frozenset({"create"}), CITY)}
PERMISSIONS: dict[str, dict[str, tuple[frozenset[str], str]]] = {
    "leadership": {**_ACKNOWLEDGE, "briefing": (frozenset({"create"}), CITY)},
    "screen": {},
    "duty_officer": {
        **_ACKNOWLEDGE,
        **{entity: (frozenset({"create"}), OWN) for entity in _REPORTS},
        "stock_line": (frozenset({"edit"}), OWN),  # reorder levels
        "facility": (frozenset({"edit"}), OWN),  # a facility's status (open, standby, closed)
        "zone": (frozenset({"create", "edit"}), OWN),
        "case": (frozenset({"create", "edit"}), OWN),
    },
    "auditor": {
        **_ACKNOWLEDGE,
        "audit": (frozenset({"create", "edit"}), CITY),
        "corrective_action": (frozenset({"close"}), CITY),
    },
    "admin": {entity: (frozenset(ACTIONS), CITY) for entity in ENTITIES},
}
assert set(PERMISSIONS) == set(ROLES), "every role has a row in the permission table"


# Who reads the change log (every change, with its values before and after).
CHANGE_LOG_READERS: tuple[str, ...] = ("admin", "leadership")


def may_read_change_log(actor: Actor) -> bool:
    """Whether the role may read the change log."""
    return actor.role in CHANGE_LOG_READERS


def allowed(actor: Actor, action: str, entity: str) -> bool:
    """Whether the role may take `action` on `entity` at all (scope aside): for the UI."""
    actions, _ = PERMISSIONS.get(actor.role, {}).get(entity, (frozenset(), CITY))
    return action in actions


def authorize_role(actor: Actor, action: str, entity: str) -> None:
    """Refuse at once when the role may never take `action` on `entity`, whatever the scope."""
    if action not in ACTIONS or entity not in ENTITIES:
        raise ValueError(f"unknown action or entity: {action} {entity}")  # a programming error
    if not allowed(actor, action, entity):
        params = {"user": actor.name, "role": actor.role, "action": action, "entity": entity}
        raise PermissionDenied(Problem("not_permitted", params=params))


def authorize(
    actor: Actor,
    action: str,
    entity: str,
    *,
    district_code: str | None = None,
    facility_id: int | None = None,
) -> None:
    """Refuse the write unless the table allows it, inside the actor's scope."""
    if action not in ACTIONS or entity not in ENTITIES:
        raise ValueError(f"unknown action or entity: {action} {entity}")  # a programming error
    actions, scope = PERMISSIONS.get(actor.role, {}).get(entity, (frozenset(), CITY))
    params = {"user": actor.name, "role": actor.role, "action": action, "entity": entity}
    if action not in actions:
        raise PermissionDenied(Problem("not_permitted", params=params))
    if scope == OWN and not actor.covers(district_code, facility_id):
        raise PermissionDenied(
            Problem("out_of_scope", params={**params, "district": district_code or "-"})
        )
