"""point-in-time reads and WHO's IPCAF score

- indexes that find a round's reports in an hour and the reports of a moment's day;
- audits keep the IPCAF score (8 core components x 100; level "not_scored", score stored
  as 0, when no core item applied) and the COVID-response items' own score beside it;
  existing audits are scored again from their item results;
- a history of each case's contact-tracing counts (`casecontactreport`), so that a replayed
  day shows the counts reported by then; each existing case gets one report, of its current
  counts, at the start of its report day.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
import sqlmodel
from alembic import op

from data.measures.audits import audit_level, covid_score, ipcaf_score
from data.timeutil import day_start_utc

revision: str = "0007"
down_revision: str | None = "0006"
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
    _time_daily_counts()
    op.create_table(
        "casecontactreport",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("close_contacts_identified", sa.Integer(), nullable=False),
        sa.Column("close_contacts_controlled", sa.Integer(), nullable=False),
        sa.Column("secondary_contacts_identified", sa.Integer(), nullable=False),
        sa.Column("secondary_contacts_controlled", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "close_contacts_controlled >= 0 AND close_contacts_identified >= "
            "close_contacts_controlled AND secondary_contacts_controlled >= 0 AND "
            "secondary_contacts_identified >= secondary_contacts_controlled",
            name="ck_contact_report_counts",
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_contact_report_case_time", "casecontactreport", ["case_id", "reported_at"]
    )
    op.create_index(
        "ix_casecontactreport_reported_at", "casecontactreport", ["reported_at"]
    )
    _first_contact_reports()


def _time_daily_counts() -> None:
    """Give stock days rolled up before 0002 the time of their last count (the burn rate
    measures elapsed time between counts)."""
    bind = op.get_bind()
    missing = bind.execute(
        sa.text(
            "SELECT item_id, location_id, day FROM stockdaily WHERE last_reported_at IS NULL"
        )
    ).all()
    report = sa.table(
        "stockreport",
        sa.column("item_id", sa.Integer()),
        sa.column("location_id", sa.Integer()),
        sa.column("reported_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    daily = sa.table(
        "stockdaily",
        sa.column("item_id", sa.Integer()),
        sa.column("location_id", sa.Integer()),
        sa.column("day", sa.Date()),
        sa.column("last_reported_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    for item_id, location_id, day in missing:
        if isinstance(day, str):  # SQLite hands back text here
            day = date.fromisoformat(day[:10])
        latest = bind.execute(
            sa.select(sa.func.max(report.c.reported_at)).where(
                report.c.location_id == location_id,
                report.c.item_id == item_id,
                report.c.reported_at >= day_start_utc(day),
                report.c.reported_at < day_start_utc(day + timedelta(days=1)),
            )
        ).scalar_one_or_none()
        if latest is not None:
            bind.execute(
                sa.update(daily)
                .where(
                    daily.c.item_id == item_id,
                    daily.c.location_id == location_id,
                    daily.c.day == day,
                )
                .values(last_reported_at=latest)
            )


def _first_contact_reports() -> None:
    """One contact report per existing case: its current counts, at its report day's start."""
    bind = op.get_bind()
    names = (
        "close_contacts_identified",
        "close_contacts_controlled",
        "secondary_contacts_identified",
        "secondary_contacts_controlled",
    )
    cases = bind.execute(
        sa.text(f'SELECT id, report_date, {", ".join(names)} FROM "case" ORDER BY id')
    ).all()
    table = sa.table(
        "casecontactreport",
        sa.column("case_id", sa.Integer()),
        sa.column("reported_at", sqlmodel.sql.sqltypes.UTCDateTime()),
        *(sa.column(name, sa.Integer()) for name in names),
    )
    rows = []
    for case_id, report_date, *counts in cases:
        if isinstance(report_date, str):  # SQLite hands back text here
            report_date = date.fromisoformat(report_date[:10])
        rows.append(
            {
                "case_id": case_id,
                "reported_at": day_start_utc(report_date),
                **dict(zip(names, counts, strict=True)),
            }
        )
    for start in range(0, len(rows), 5_000):
        bind.execute(sa.insert(table), rows[start : start + 5_000])


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
    op.drop_index("ix_casecontactreport_reported_at", table_name="casecontactreport")
    op.drop_index("ix_contact_report_case_time", table_name="casecontactreport")
    op.drop_table("casecontactreport")
    # The scores stay as scored (an audit not scored keeps 0 and its level).
    for table in ("facilityauditstate", "audit"):
        # A plain DROP COLUMN (SQLite 3.35+): a table copy would drop the audit table that
        # findings refer to.
        op.drop_column(table, "covid_score")
    op.drop_index("ix_stock_report_time", table_name="stockreport")
    op.drop_index("ix_hotel_report_time", table_name="hotelreport")
    op.drop_index("ix_site_report_round_time", table_name="testingsitereport")
