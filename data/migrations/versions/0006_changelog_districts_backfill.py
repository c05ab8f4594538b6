"""change log: entries written before 0005 get the districts their records tell

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Entries logged before 0005 have no districts, so the change log's district filter never
found them. A record's district is its own (cases, zones, rounds, facilities) or its
facility's (reports, audits, stock lines): for one record, from its values logged before and
after; for a batch (a key `first..last`), from the records of its id range. Entries whose
records tell no district (accounts, settings) stay without one. Data only: downgrade leaves
the filled districts (0005's downgrade drops the column).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FACILITY_FIELDS = ("site_id", "hotel_id", "location_id", "facility_id")
_PAGE = 5_000


def _joined(codes: set[str]) -> str | None:
    return ",".join(sorted(code for code in codes if code))[:80] or None


def upgrade() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    names = set(sa.inspect(bind).get_table_names())
    if "changelog" not in names or "facility" not in names:
        return
    log = sa.Table("changelog", meta, autoload_with=bind)
    facility = sa.Table("facility", meta, autoload_with=bind)
    district_of = dict(bind.execute(sa.select(facility.c.id, facility.c.district_code)).all())
    tables: dict[str, sa.Table | None] = {}

    def table(name: str) -> sa.Table | None:
        if name not in tables:
            tables[name] = sa.Table(name, meta, autoload_with=bind) if name in names else None
        return tables[name]

    def of_values(values: dict) -> set[str]:
        if values.get("district_code"):
            return {str(values["district_code"])}
        for name in _FACILITY_FIELDS:
            if values.get(name) is not None and values[name] in district_of:
                return {district_of[values[name]]}
        return set()

    def of_range(name: str, first: int, last: int) -> set[str]:
        records = table(name)
        if records is None or "id" not in records.c:
            return set()
        in_range = records.c.id.between(first, last)
        if "district_code" in records.c:
            query = sa.select(records.c.district_code).where(in_range).distinct()
            return {code for (code,) in bind.execute(query) if code}
        for field in _FACILITY_FIELDS:
            if field in records.c:
                query = sa.select(records.c[field]).where(in_range).distinct()
                return {district_of[id_] for (id_,) in bind.execute(query) if id_ in district_of}
        return set()

    last_id = 0
    while True:
        page = bind.execute(
            sa.select(
                log.c.id, log.c.table_name, log.c.record_key, log.c.before_json, log.c.after_json
            )
            .where(log.c.districts.is_(None), log.c.id > last_id)
            .order_by(log.c.id)
            .limit(_PAGE)
        ).all()
        if not page:
            break
        last_id = page[-1].id
        updates = []
        for entry in page:
            codes: set[str] = set()
            try:
                before = json.loads(entry.before_json) if entry.before_json else {}
                after = json.loads(entry.after_json) if entry.after_json else {}
            except ValueError:
                continue
            first, _, last = entry.record_key.partition("..")
            if last and first.isdigit() and last.isdigit():
                codes = of_range(entry.table_name, int(first), int(last))
            elif isinstance(before, dict) and isinstance(after, dict):
                codes = of_values(before) | of_values(after)
            joined = _joined(codes)
            if joined:
                updates.append({"entry": entry.id, "codes": joined})
        if updates:
            bind.execute(
                log.update()
                .where(log.c.id == sa.bindparam("entry"))
                .values(districts=sa.bindparam("codes")),
                updates,
            )


def downgrade() -> None:
    pass  # data only: the districts filled in stay
