"""late reports keep the day's snapshot; discharge dates follow the rules

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("hoteldaily", "stockdaily"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("last_reported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
            )
    with op.batch_alter_table("case") as batch:
        batch.create_check_constraint(
            "ck_case_discharged_after_report",
            "discharged_date IS NULL OR discharged_date >= report_date",
        )
        batch.create_check_constraint(
            "ck_case_discharged_has_date",
            "status <> 'discharged' OR discharged_date IS NOT NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.drop_constraint("ck_case_discharged_has_date", type_="check")
        batch.drop_constraint("ck_case_discharged_after_report", type_="check")
    for table in ("stockdaily", "hoteldaily"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("last_reported_at")
