"""Keeping the settings an edit replaces, so that any moment can be shown as it was.

Every in-place edit of a record's settings (a form's edit, an import replacing stored
records) calls `keep_replaced` before it writes: the values it is about to replace go to the
model's revision table (`models.REVISIONS`), stamped with the moment they stop being
current. Reads rewind the current values by the revisions after a moment
(data.queries.asof.settings_at). Only settings that change are kept: an edit of a case's
contact counts alone keeps nothing here (they have their own history).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

from data import models
from data.models import revision_keys
from data.timeutil import utc_now

_CHUNK = 5_000


def keep_replaced(
    session: Session,
    model: type[SQLModel],
    pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]],
    *,
    replaced_at: datetime | None = None,
) -> int:
    """Keep the settings of records about to change: (stored values, new values) pairs, each
    with the record's key. Returns how many revisions were kept."""
    if model not in models.REVISIONS:
        return 0
    revision, fields = models.REVISIONS[model]
    keys = revision_keys(model)
    moment = replaced_at or utc_now()
    rows = [
        {
            **{column: old[key] for column, key in keys},
            "replaced_at": moment,
            **{name: old[name] for name in fields},
        }
        for old, new in pairs
        if any(name in new and new[name] != old[name] for name in fields)
    ]
    for start in range(0, len(rows), _CHUNK):
        session.execute(insert(revision), rows[start : start + _CHUNK])
    return len(rows)
