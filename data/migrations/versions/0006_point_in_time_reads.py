"""point-in-time reads and WHO's IPCAF score

- indexes that find a round's reports in an hour and the reports of a moment's day;
- audits keep the IPCAF score (8 core components x 100; level "not_scored", score stored
  as 0, when no core item applied) and the COVID-response items' own score beside it;
  existing audits are scored again from their item results.

Revision ID: 0006
Revises: 0004 (re-chained after 0005 when merged)
Create Date: 2026-12-04
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from data.measures.audits import audit_level, covid_score, ipcaf_score

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
    # Plain ADD COLUMNs (no table copy on SQLite, which findings' keys would refuse).
    for table in ("audit", "facilityauditstate"):
        op.add_column(table, sa.Column("covid_score", sa.Float(), nullable=True))
    _score_existing_audits()


def _score_existing_audits() -> None:
    """Score every audit again from its item results, and its facility's latest-audit row."""
    bind = op.get_bind()
    results: dict[int, list[tuple[str, float, str]]] = defaultdict(list)
    for audit_id, component, weight, result in bind.execute(
        sa.text(
            "SELECT r.audit_id, i.component, i.weight, r.result FROM audititemresult r "
            "JOIN checklistitem i ON i.id = r.item_id"
        )
    ):
        results[audit_id].append((component, float(weight), result))
    rows = []
    for audit_id, scored in results.items():
        score = ipcaf_score(scored)
        rows.append(
            {
                "id": audit_id,
                "score": 0.0 if score is None else score,
                "level": audit_level(score),
                "covid": covid_score(scored),
            }
        )
    if rows:
        bind.execute(
            sa.text(
                "UPDATE audit SET score = :score, level = :level, covid_score = :covid "
                "WHERE id = :id"
            ),
            rows,
        )
    bind.execute(
        sa.text(
            "UPDATE facilityauditstate SET "
            "score = (SELECT a.score FROM audit a WHERE a.id = facilityauditstate.audit_id), "
            "level = (SELECT a.level FROM audit a WHERE a.id = facilityauditstate.audit_id), "
            "covid_score = (SELECT a.covid_score FROM audit a "
            "WHERE a.id = facilityauditstate.audit_id)"
        )
    )


def downgrade() -> None:
    # The scores stay as scored (an audit not scored keeps 0 and its level).
    for table in ("facilityauditstate", "audit"):
        # A plain DROP COLUMN (SQLite 3.35+): a table copy would drop the audit table that
        # findings refer to.
        op.drop_column(table, "covid_score")
    op.drop_index("ix_stock_report_time", table_name="stockreport")
    op.drop_index("ix_hotel_report_time", table_name="hotelreport")
    op.drop_index("ix_site_report_round_time", table_name="testingsitereport")
