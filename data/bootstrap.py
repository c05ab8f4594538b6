"""Getting a database ready on start: schema, reference data, and the demo on first start."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data.db import gather_statistics, schema_lock, upgrade_locked, verify_database
from data.queries.common import has_any_data


def prepare_database(engine: Engine, *, seed_demo_if_empty: bool, scale: str = "demo") -> bool:
    """Upgrade the schema, load the reference data and, if asked, seed the demo scenario
    into an empty database; returns whether the demo was seeded now.

    All of it happens under the schema lock: any number of app servers and commands starting
    together on one database take turns, so the schema, the reference data and the demo are
    made exactly once and the others wait. A damaged or unreachable database raises
    (DatabaseDamaged, DatabaseUnavailable) before anything is written.
    """
    verify_database(engine)
    seeded = False
    with schema_lock(engine) as connection:
        upgrade_locked(engine, connection)
        if seed_demo_if_empty:
            with Session(engine) as session:
                empty = not has_any_data(session=session)
            if empty:
                from data.demo import seed_demo

                seed_demo(engine, scale=scale)
                seeded = True
    # A database loaded without planner statistics (restored, imported, seeded by an earlier
    # version, on a server that does not autovacuum) gets them before pages read it.
    gather_statistics(engine, only_missing=True)
    return seeded
