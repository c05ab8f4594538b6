"""audit corrections and traced infection links, as of any moment

Two more revision tables, as 0008 made for the other settings edited in place: an audit's
time, auditor and scores before a correction, and a checklist item's result before one.
Case revisions also keep who infected the case (links are often traced days later).

Existing databases: each case revision takes the case's link as stored (no earlier link was
kept); audit revisions come from the change log's corrections (each update's audit before,
at its time) since the operational data was last cleared. Item results before a correction
were not logged, so none are kept for corrections made before this migration.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_MOMENT = sqlmodel.sql.sqltypes.UTCDateTime


def _moment(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def upgrade() -> None:
    with op.batch_alter_table("caserevision") as batch_op:
        batch_op.add_column(sa.Column("infector_case_id", sa.Integer(), nullable=True))
    op.execute(
        'UPDATE caserevision SET infector_case_id = '
        '(SELECT infector_case_id FROM "case" WHERE "case".id = caserevision.record_id)'
    )
    audits = op.create_table(
        "auditrevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), sa.ForeignKey("audit.id"), nullable=False),
        sa.Column("replaced_at", _MOMENT(), nullable=False),
        sa.Column("audited_at", _MOMENT(), nullable=False),
        sa.Column("auditor", _TEXT(length=60), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("level", _TEXT(length=14), nullable=False),
        sa.Column("covid_score", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_auditrevision_replaced_at", "auditrevision", ["replaced_at"])
    op.create_index("ix_auditrevision_record_time", "auditrevision", ["record_id", "replaced_at"])
    op.create_table(
        "audititemresultrevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), sa.ForeignKey("audit.id"), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("checklistitem.id"), nullable=False),
        sa.Column("replaced_at", _MOMENT(), nullable=False),
        sa.Column("result", _TEXT(length=8), nullable=False),
        sa.Column("note", _TEXT(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_audititemresultrevision_replaced_at", "audititemresultrevision", ["replaced_at"]
    )
    op.create_index(
        "ix_audititemresultrevision_item_time",
        "audititemresultrevision",
        ["audit_id", "item_id", "replaced_at"],
    )
    _audits_from_change_log(audits)


def _audits_from_change_log(table: sa.Table) -> None:
    """Each logged correction of a stored audit: its values before, at its time."""
    bind = op.get_bind()
    cleared = bind.execute(
        sa.text("SELECT max(id) FROM changelog WHERE table_name = '*' AND action = 'delete'")
    ).scalar_one_or_none()
    existing = {row[0] for row in bind.execute(sa.text("SELECT id FROM audit"))}
    fields = ("audited_at", "auditor", "score", "level", "covid_score")
    rows = []
    for changed_at, before_json, after_json in bind.execute(
        sa.text(
            "SELECT changed_at, before_json, after_json FROM changelog "
            "WHERE table_name = 'audit' AND action = 'update' AND id > :cleared "
            "AND before_json IS NOT NULL AND after_json IS NOT NULL ORDER BY id"
        ),
        {"cleared": cleared or 0},
    ):
        before, after = json.loads(before_json), json.loads(after_json)
        if any(name not in before for name in fields[:4]) or before.get("id") not in existing:
            continue
        if not any(name in after and after[name] != before.get(name) for name in fields):
            continue
        rows.append(
            {
                "record_id": before["id"],
                "replaced_at": _moment(changed_at),
                "audited_at": _moment(before["audited_at"]),
                "auditor": before["auditor"],
                "score": before["score"],
                "level": before["level"],
                "covid_score": before.get("covid_score"),
            }
        )
    for start in range(0, len(rows), 5_000):
        bind.execute(sa.insert(table), rows[start : start + 5_000])


def downgrade() -> None:
    op.drop_index("ix_audititemresultrevision_item_time", table_name="audititemresultrevision")
    op.drop_index("ix_audititemresultrevision_replaced_at", table_name="audititemresultrevision")
    op.drop_table("audititemresultrevision")
    op.drop_index("ix_auditrevision_record_time", table_name="auditrevision")
    op.drop_index("ix_auditrevision_replaced_at", table_name="auditrevision")
    op.drop_table("auditrevision")
    with op.batch_alter_table("caserevision") as batch_op:
        batch_op.drop_column("infector_case_id")
