"""Checks of what writes touch and reads read, against their topics (data.queries.reach).

The app keeps a read's figures while no change of its topics comes in, so two things must
hold, and every test of the suite checks the first:
- a write logged under a table of one topic writes only tables of that topic (a testing-site
  report that also wrote a hotel's table would leave the hotels' figures stale);
- a read reads only tables of the topics it declares (tests/test_reach.py).
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from data.queries.reach import EVERYTHING, TOPIC_OF_TABLE, topic_of_change

_WRITTEN = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# A FROM's or JOIN's tables, several when comma-separated (`FROM a, b AS c`).
_NAME = r'"?\w+"?(?:\s+(?:AS\s+)?"?\w+"?)?'
_READ = re.compile(rf"\b(?:FROM|JOIN)\s+({_NAME}(?:\s*,\s*{_NAME})*)", re.IGNORECASE)
# Tables every write touches, whatever it writes (the change log and its counter), and the
# figures kept for past moments (they carry the counter they were worked out at).
_BOOKKEEPING = {"changelog", "changecounter", "keptfigures"}
_STATE = "_reach_check"

# Problems found by the listener, for the test that was running (tests/conftest.py).
problems: list[str] = []
# The read running on each thread (set by `reading`), and the tables each read read.
_current = threading.local()
read_tables: dict[str, set[str]] = defaultdict(set)


def written_table(statement: str) -> str | None:
    found = _WRITTEN.match(statement)
    return found.group(1).lower() if found else None


def read_tables_of(statement: str) -> set[str]:
    return {
        part.strip().split()[0].strip('"').lower()
        for listed in _READ.findall(statement)
        for part in listed.split(",")
    }


def _transaction(connection: Any) -> dict[str, Any]:
    return connection.info.setdefault(_STATE, {"written": set(), "logged": set()})


def _before(connection, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001, ARG001
    table = written_table(statement)
    if table is not None:
        state = _transaction(connection)
        state["written"].add(table)
        if table == "changelog" and context is not None and context.compiled is not None:
            for row in context.compiled_parameters or ():
                if "table_name" in row:
                    state["logged"].add(topic_of_change(row["table_name"], row.get("effective_at")))
        return
    # A read's result depends on what the reads it calls read too: every read on the stack.
    for name in getattr(_current, "names", ()):
        read_tables[name] |= read_tables_of(statement)


def _commit(connection) -> None:  # noqa: ANN001
    state = connection.info.pop(_STATE, None)
    if not state or not state["logged"] or EVERYTHING in state["logged"]:
        return
    for table in sorted(state["written"] - _BOOKKEEPING):
        topic = TOPIC_OF_TABLE.get(table)
        if topic is not None and topic not in state["logged"]:
            problems.append(
                f"a change logged under {sorted(map(str, state['logged']))} wrote {table} ({topic})"
            )


def _rollback(connection) -> None:  # noqa: ANN001
    connection.info.pop(_STATE, None)


def install() -> None:
    """Listen to every engine's statements (once per test process)."""
    if not event.contains(Engine, "before_cursor_execute", _before):
        event.listen(Engine, "before_cursor_execute", _before)
        event.listen(Engine, "commit", _commit)
        event.listen(Engine, "rollback", _rollback)


class reading:  # noqa: N801 - used as a context manager, like a function
    """Attribute the statements run on this thread to the read `name` (and to the reads that
    called it)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self.previous = getattr(_current, "names", ())
        _current.names = (*self.previous, self.name)

    def __exit__(self, *exc: object) -> None:
        _current.names = self.previous
