"""change log: rows a batch (an import) replaced point at the batch's row; districts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-12
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain nullable ADD COLUMN: no copy of the change log on SQLite.
    op.add_column("changelog", sa.Column("batch_id", sa.Integer(), nullable=True))
    op.add_column(
        "changelog",
        sa.Column("districts", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    )
    op.create_index("ix_changelog_batch_id", "changelog", ["batch_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_changelog_batch_id", table_name="changelog")
    with op.batch_alter_table("changelog") as batch:
        batch.drop_column("districts")
        batch.drop_column("batch_id")
