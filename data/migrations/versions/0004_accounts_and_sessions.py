"""sign-in: sessions, wall-screen tokens, failed sign-ins, a duty officer's facilities

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a constant default: no copy of "user" (the change log and the
    # sessions point at it) on SQLite.
    op.add_column(
        "user",
        sa.Column(
            "facility_codes",
            sqlmodel.sql.sqltypes.AutoString(length=400),
            server_default=sa.text("''"),
            nullable=False,
        ),
    )
    op.create_table(
        "authsession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_authsession_expires_at", "authsession", ["expires_at"], unique=False)
    op.create_index("ix_authsession_user_id", "authsession", ["user_id"], unique=False)
    op.create_table(
        "screentoken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "signinfailure",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("blocked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('account', 'client')", name="ck_signinfailure_kind"),
        sa.CheckConstraint("failures >= 0", name="ck_signinfailure_failures"),
        sa.PrimaryKeyConstraint("kind", "key"),
    )
    op.create_index(
        "ix_signinfailure_last_failed_at", "signinfailure", ["last_failed_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_signinfailure_last_failed_at", table_name="signinfailure")
    op.drop_table("signinfailure")
    op.drop_table("screentoken")
    op.drop_index("ix_authsession_user_id", table_name="authsession")
    op.drop_index("ix_authsession_expires_at", table_name="authsession")
    op.drop_table("authsession")
    # SQLite 3.35+ drops a column in place (no table copy).
    op.drop_column("user", "facility_codes")
