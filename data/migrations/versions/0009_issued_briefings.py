"""issued daily briefings: each one's figures and text in both languages, frozen as issued

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "issuedbriefing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cutoff_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("report_day", sa.Date(), nullable=False),
        sa.Column("figures_json", sa.Text(), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("issued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("issued_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cutoff_at"),
    )
    op.create_index("ix_issuedbriefing_issued_at", "issuedbriefing", ["issued_at"], unique=False)
    op.create_index("ix_issuedbriefing_user_id", "issuedbriefing", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_issuedbriefing_user_id", table_name="issuedbriefing")
    op.drop_index("ix_issuedbriefing_issued_at", table_name="issuedbriefing")
    op.drop_table("issuedbriefing")
