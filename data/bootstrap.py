"""Getting a database ready on start: schema, reference data, and the demo on first start."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data.db import schema_lock, upgrade_schema
from data.queries.common import has_any_data


def prepare_database(engine: Engine, *, seed_demo_if_empty: bool, scale: str = "demo") -> bool:
    """Upgrade the schema; seed the demo scenario into an empty database if asked.

    Returns whether the demo was seeded now. Several app servers starting together on one
    PostgreSQL database take turns (advisory lock), so only the first one seeds.
    """
    upgrade_schema(engine)
    if not seed_demo_if_empty:
        return False
    with schema_lock(engine):
        with Session(engine) as session:
            if has_any_data(session=session):
                return False
        from data.demo import seed_demo

        seed_demo(engine, scale=scale)
    return True
