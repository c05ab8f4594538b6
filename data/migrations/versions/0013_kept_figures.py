"""figures of past moments kept in the database for every server

The Overview's days that are over and a briefing's draft at its cut-off are worked out once
and kept (data.kept), so that a server's first open and every other server read them
instead of working them out again, while no change since is dated at or before their
moment.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_MOMENT = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "keptfigures",
        sa.Column("key", _TEXT(length=40), nullable=False),
        sa.Column("name", _TEXT(length=120), nullable=False),
        sa.Column("moment", _MOMENT(), nullable=False),
        sa.Column("basis", sa.BigInteger(), nullable=False),
        sa.Column("checked", sa.BigInteger(), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("made_at", _MOMENT(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("keptfigures")
