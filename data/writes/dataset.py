"""The data set as a whole: its description, clearing it, and rebuilding derived state."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, SQLModel

from data import models
from data.timeutil import utc_now
from data.writes.actor import Actor
from data.writes.changelog import as_json, log_change
from data.writes.permissions import authorize_role
from data.writes.state import rebuild_derived_state
from data.writes.unit import unit_of_work
from data.writes.users import remove_demo_accounts

# Children before parents, so that deleting never breaks a foreign key.
OPERATIONAL_TABLES: tuple[type[SQLModel], ...] = (
    *(revision for revision, _ in models.REVISIONS.values()),
    models.AuditFinding,
    models.AuditItemResult,
    models.FacilityAuditState,
    models.Audit,
    models.StockDaily,
    models.StockState,
    models.StockReport,
    models.SupplyItem,
    models.HotelDaily,
    models.HotelState,
    models.HotelReport,
    models.TestingHourly,
    models.TestingSiteState,
    models.TestingSiteReport,
    models.TestingRound,
    models.CaseContactReport,
    models.Case,
    models.ControlZone,
    models.Facility,
    models.DatasetInfo,
)


def set_dataset_info(
    session: Session,
    *,
    actor: Actor,
    key: str,
    value: dict[str, Any],
    at: datetime | None = None,
    logged: dict[str, Any] | None = None,
) -> None:
    """Record a fact about the data set (e.g. that it is the simulated demo scenario) as of
    `at` (default: now). `logged` is what the change log keeps instead of the value (and
    of the value before), when values hold a secret (the demo accounts' passwords)."""
    authorize_role(actor, "maintain", "dataset")
    with unit_of_work(session):
        text = json.dumps(value, ensure_ascii=False)
        at = at or utc_now()
        stored = session.get(models.DatasetInfo, key)
        before = None if stored is None else stored.value
        if logged is not None:
            before = None  # the old value may hold a secret, too
        if stored is None:
            session.add(models.DatasetInfo(key=key, value=text, updated_at=at))
        else:
            stored.value, stored.updated_at = text, at
        session.flush()
        log_change(
            session,
            actor=actor,
            table_name="datasetinfo",
            record_key=key,
            action="insert" if stored is None else "update",
            before=before,
            after=text if logged is None else json.dumps(logged, ensure_ascii=False),
        )


def clear_operational_data(session: Session, *, actor: Actor) -> dict[str, int]:
    """Delete every operational row and the demo's accounts (keeping districts, checklists,
    the accounts an admin added, the change log)."""
    authorize_role(actor, "maintain", "dataset")
    deleted: dict[str, int] = {}
    with unit_of_work(session):
        # Before the data set's description goes: it lists the demo's accounts.
        deleted["user"] = remove_demo_accounts(session, actor=actor)
        session.execute(update(models.Case).values(infector_case_id=None))
        for model in OPERATIONAL_TABLES:
            deleted[model.__tablename__] = session.execute(delete(model)).rowcount
        log_change(
            session,
            actor=actor,
            table_name="*",
            record_key="clear operational data",
            action="delete",
            before=as_json(deleted),
            after=None,
        )
    return deleted


def rebuild_state(session: Session, *, actor: Actor) -> None:
    """Recompute every current-state and rollup table from history, and log it."""
    authorize_role(actor, "maintain", "dataset")
    with unit_of_work(session):
        rebuild_derived_state(session)
        log_change(
            session,
            actor=actor,
            table_name="*",
            record_key="rebuild-state",
            action="update",
            before=None,
            after=None,
        )
