"""Figures of past moments kept in the database, for every server (table `keptfigures`).

The Overview's days that are over and a briefing's draft at its cut-off are worked out from
history at a past moment: seconds at city scale. What was known at a moment changes only
through a change dated at or before it (data.queries.common.changed_through), so such
figures, once worked out, are kept here with the change counter they were worked out at and
read back by any server (its first open after a start included) while no change since can
alter them. The key holds the data layer's code too: figures worked out by another version
of it are not read.

Only plain values are kept (numbers, text, dates and moments, lists and dicts of them) that
come back exactly as they went in; anything else is worked out every time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import numbers
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from data import models
from data.queries.common import changed_through
from data.timeutil import as_utc, utc_now

DATA_DIR = Path(__file__).resolve().parent
# How long kept figures stay without being worked out again.
KEPT_FOR = timedelta(days=30)


@functools.cache
def code_version() -> str:
    """A hash of the data layer's source (every .py under data/): another version of the
    code works its figures out anew."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(DATA_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(DATA_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def kept_key(name: str, arguments: tuple) -> str:
    """The key of a read's figures: its name, its arguments and the data layer's code."""
    text = f"{code_version()}|{name}|{arguments!r}"
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def _encoded(value: object) -> object:
    if isinstance(value, datetime):
        return {"$datetime": as_utc(value).isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"not kept: {type(value).__name__}")


def _decoded(found: dict) -> object:
    if len(found) == 1:
        if "$datetime" in found:
            return datetime.fromisoformat(found["$datetime"])
        if "$date" in found:
            return date.fromisoformat(found["$date"])
    return found


def encode(value: object) -> str | None:
    """The value as JSON, or None when it would not come back as it is (a tuple, a frame)."""
    try:
        text = json.dumps(value, default=_encoded, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return text if _same(decode(text), value) else None


def decode(text: str) -> Any:
    return json.loads(text, object_hook=_decoded)


def _same(back: object, value: object) -> bool:
    """Whether `back` (decoded) is `value`: containers of the same kind, NaN as NaN."""
    if isinstance(value, dict):
        return (
            isinstance(back, dict)
            and back.keys() == value.keys()
            and all(_same(back[k], v) for k, v in value.items())
        )
    if isinstance(value, list):
        return (
            isinstance(back, list)
            and len(back) == len(value)
            and all(_same(b, v) for b, v in zip(back, value, strict=True))
        )
    if isinstance(value, float | int) and not isinstance(value, bool):
        if not isinstance(back, float | int) or isinstance(back, bool):
            return False
        return back == value or (math.isnan(back) and math.isnan(value))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return _same(back, float(value))  # a NumPy number: equal as a float
    return type(back) is type(value) and back == value


def find_kept(session: Session, *, key: str, moment: datetime, counter: int) -> Any:
    """The figures kept under `key`, or None when none are or a change since can alter them
    (then they are forgotten). Found good, they are marked checked up to `counter`."""
    kept = models.KeptFigures
    row = session.execute(
        select(kept.checked, kept.value_json).where(kept.key == key)
    ).one_or_none()
    if row is None:
        return None
    # Statements, not the ORM: another server may have forgotten or checked the row since.
    if changed_through(session=session, since=row.checked, at=moment):
        session.execute(delete(kept).where(kept.key == key))
        _commit(session)
        return None
    value = decode(row.value_json)
    if counter > row.checked:
        session.execute(
            update(kept).where(kept.key == key, kept.checked < counter).values(checked=counter)
        )
        _commit(session)
    return value


def keep(
    session: Session, *, key: str, name: str, moment: datetime, counter: int, value: object
) -> bool:
    """Keep figures worked out at change `counter`; False when they are not plain values.
    Another server keeping the same figures at the same time writes the same row."""
    text = encode(value)
    if text is None:
        return False
    row = {
        "key": key,
        "name": name[:120],
        "moment": as_utc(moment),
        "basis": counter,
        "checked": counter,
        "value_json": text,
        "made_at": utc_now(),
    }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = models.KeptFigures.__table__
    statement = dialect.insert(table).values(**row)
    statement = statement.on_conflict_do_update(
        index_elements=["key"], set_={name: statement.excluded[name] for name in row}
    )
    session.execute(statement)
    # Figures nobody has kept again for a while are let go (a briefing's are ~0.3 MB).
    stale = models.KeptFigures.made_at < utc_now() - KEPT_FOR
    session.execute(delete(models.KeptFigures).where(stale))
    return _commit(session)


def _commit(session: Session) -> bool:
    """Commit a kept row; a database that refuses (busy, read-only) only costs the figures
    being worked out again next time."""
    try:
        session.commit()
    except DBAPIError:
        session.rollback()
        return False
    return True
