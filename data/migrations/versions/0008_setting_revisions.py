"""settings as of any moment: the values each in-place edit replaced

One revision table per kind of record whose settings are edited in place (cases, control
zones, facilities, testing rounds, stock lines' reorder levels, corrective actions): the
values an edit replaced and when. Existing databases get the revisions their change log
already records (each update's values before, at its time), from the last clearing of the
operational data on.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_MOMENT = sqlmodel.sql.sqltypes.UTCDateTime

# (revision table, edited table, its key columns, settings: (name, type, nullable))
_REVISIONS = (
    (
        "caserevision",
        "case",
        ("record_id",),
        (
            ("severity", _TEXT(length=8), False),
            ("status", _TEXT(length=10), False),
            ("hospital_id", sa.Integer(), True),
            ("discharged_date", sa.Date(), True),
        ),
    ),
    (
        "controlzonerevision",
        "controlzone",
        ("record_id",),
        (
            ("level", _TEXT(length=10), False),
            ("name_zh", _TEXT(length=80), False),
            ("name_en", _TEXT(length=120), False),
            ("population", sa.Integer(), False),
            ("radius_m", sa.Float(), True),
            ("lifted_at", _MOMENT(), True),
        ),
    ),
    (
        "facilityrevision",
        "facility",
        ("record_id",),
        (
            ("status", _TEXT(length=10), False),
            ("name_zh", _TEXT(length=80), False),
            ("name_en", _TEXT(length=120), False),
            ("capacity", sa.Integer(), True),
            ("report_interval_minutes", sa.Integer(), False),
        ),
    ),
    (
        "testingroundrevision",
        "testinground",
        ("record_id",),
        (
            ("scope", _TEXT(length=8), False),
            ("target_population", sa.Integer(), False),
            ("start_at", _MOMENT(), False),
            ("deadline_at", _MOMENT(), False),
        ),
    ),
    (
        "stockstaterevision",
        "stockstate",
        ("item_id", "location_id"),
        (("reorder_level", sa.Integer(), False),),
    ),
    (
        "auditfindingrevision",
        "auditfinding",
        ("record_id",),
        (
            ("action_zh", _TEXT(length=300), False),
            ("action_en", _TEXT(length=400), False),
            ("owner", _TEXT(length=60), False),
            ("due_date", sa.Date(), False),
            ("closed_date", sa.Date(), True),
        ),
    ),
)


def _key_columns(parent: str, keys: tuple[str, ...]) -> list[sa.Column]:
    if keys == ("record_id",):
        return [sa.Column("record_id", sa.Integer(), sa.ForeignKey(f"{parent}.id"), nullable=False)]
    return [
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("supplyitem.id"), nullable=False),
        sa.Column("location_id", sa.Integer(), sa.ForeignKey("facility.id"), nullable=False),
    ]


def upgrade() -> None:
    for name, parent, keys, settings in _REVISIONS:
        table = op.create_table(
            name,
            sa.Column("id", sa.Integer(), nullable=False),
            *_key_columns(parent, keys),
            sa.Column("replaced_at", _MOMENT(), nullable=False),
            *(sa.Column(column, kind, nullable=nullable) for column, kind, nullable in settings),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(f"ix_{name}_replaced_at", name, ["replaced_at"])
        if keys == ("record_id",):
            op.create_index(f"ix_{name}_record_time", name, ["record_id", "replaced_at"])
        else:
            op.create_index(
                "ix_stockstaterevision_line_time", name, ["location_id", "item_id", "replaced_at"]
            )
        _from_change_log(table, parent, keys, settings)


def _value(value: object, kind: sa.types.TypeEngine) -> object:
    """A value as the change log's JSON holds it, as the column takes it."""
    if value is None:
        return None
    if isinstance(kind, _MOMENT):
        moment = datetime.fromisoformat(str(value))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(str(value)[:10])
    return value


def _moment(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _from_change_log(table: sa.Table, parent: str, keys: tuple[str, ...], settings: tuple) -> None:
    """The revisions the change log records: each update's settings before, at its time,
    since the operational data was last cleared (ids before that named other records)."""
    bind = op.get_bind()
    cleared = bind.execute(
        sa.text("SELECT max(id) FROM changelog WHERE table_name = '*' AND action = 'delete'")
    ).scalar_one_or_none()
    query = (
        "SELECT changed_at, record_key, before_json, after_json FROM changelog "
        "WHERE table_name = :parent AND action = 'update' AND id > :cleared "
        "AND before_json IS NOT NULL AND after_json IS NOT NULL ORDER BY id"
    )
    existing_query = (
        f'SELECT id FROM "{parent}"'
        if keys == ("record_id",)
        else "SELECT item_id, location_id FROM stockstate"
    )
    existing = {
        tuple(row) if keys != ("record_id",) else row[0]
        for row in bind.execute(sa.text(existing_query))
    }
    rows = []
    for changed_at, record_key, before_json, after_json in bind.execute(
        sa.text(query), {"parent": parent, "cleared": cleared or 0}
    ):
        moment = _moment(changed_at)
        before, after = json.loads(before_json), json.loads(after_json)
        if not any(name in after and after[name] != before.get(name) for name, *_ in settings):
            continue
        if any(name not in before for name, *_ in settings):
            continue
        if keys == ("record_id",):
            record = int(before.get("id", record_key))
            key_values = {"record_id": record}
        else:
            record = (int(before["item_id"]), int(before["location_id"]))
            key_values = {"item_id": record[0], "location_id": record[1]}
        if record not in existing:
            continue
        rows.append(
            {
                **key_values,
                "replaced_at": moment,
                **{name: _value(before[name], kind) for name, kind, _ in settings},
            }
        )
    for start in range(0, len(rows), 5_000):
        bind.execute(sa.insert(table), rows[start : start + 5_000])


def downgrade() -> None:
    for name, _, keys, _ in reversed(_REVISIONS):
        op.drop_index(f"ix_{name}_replaced_at", table_name=name)
        index = (
            f"ix_{name}_record_time"
            if keys == ("record_id",)
            else ("ix_stockstaterevision_line_time")
        )
        op.drop_index(index, table_name=name)
        op.drop_table(name)
