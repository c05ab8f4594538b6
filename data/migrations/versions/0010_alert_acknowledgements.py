"""alert acknowledgements

A signed-in user's acknowledgement of a critical alert (by the alert's stable key), so
that wall screens in screen mode stop interrupting their rotation for it. A new table only.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alertacknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("acknowledged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.CheckConstraint("expires_at > acknowledged_at", name="ck_alertack_lasts"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_alertack_key_expires", "alertacknowledgement", ["alert_key", "expires_at"]
    )
    op.create_index(
        "ix_alertacknowledgement_user_id", "alertacknowledgement", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_alertacknowledgement_user_id", table_name="alertacknowledgement")
    op.drop_index("ix_alertack_key_expires", table_name="alertacknowledgement")
    op.drop_table("alertacknowledgement")
