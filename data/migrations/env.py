"""Alembic environment: runs on the connection handed over by data.db.upgrade_schema."""

from alembic import context
from sqlmodel import SQLModel

from data import models  # noqa: F401 - registers the tables on SQLModel.metadata

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from data.db import make_engine

        with make_engine().connect() as fresh:
            _run(fresh)
            fresh.commit()
        return
    _run(connection)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
