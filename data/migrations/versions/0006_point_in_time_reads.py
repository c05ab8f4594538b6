"""point-in-time reads: indexes that find the reports of a moment's hour and day

Revision ID: 0006
Revises: 0004 (re-chained after 0005 when merged)
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_site_report_round_time", "testingsitereport", ["round_id", "reported_at"]
    )
    op.create_index("ix_hotel_report_time", "hotelreport", ["reported_at"])
    op.create_index("ix_stock_report_time", "stockreport", ["reported_at"])


def downgrade() -> None:
    op.drop_index("ix_stock_report_time", table_name="stockreport")
    op.drop_index("ix_hotel_report_time", table_name="hotelreport")
    op.drop_index("ix_site_report_round_time", table_name="testingsitereport")
