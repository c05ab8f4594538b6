"""change log: the earliest moment each change can alter, and an index by counter

Figures of a past moment (a briefing's cut-off) are kept across later writes that are all
dated after it: a live report cannot change what was known before it was made. The change
log says, per change, the earliest moment it can alter (`effective_at`: a report's own
time, the earliest of a batch's; empty when it may alter any moment), and is read by
counter, from the change a kept figure was worked out at.

Existing rows get no moment: for them, as for any change of unknown reach, figures are
worked out again.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain nullable ADD COLUMN: no copy of the change log on SQLite.
    op.add_column(
        "changelog",
        sa.Column("effective_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    )
    op.create_index("ix_changelog_counter", "changelog", ["counter"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_changelog_counter", table_name="changelog")
    with op.batch_alter_table("changelog") as batch:
        batch.drop_column("effective_at")
