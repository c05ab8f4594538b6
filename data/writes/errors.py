"""What a refused write says: problems as message keys with parameters, never sentences.

The data layer says *what* is wrong (`code="exceeds_total", field="rooms_occupied",
params={"total": 120}`); the i18n catalogue (`error.<code>`) says it in the user's language,
on a page and on the command line alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a write: a message key, the field and batch row, and parameters."""

    code: str
    field: str | None = None
    # 1-based position in the batch (an importer maps it to the spreadsheet's row number).
    row: int | None = None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def at_row(self, row: int) -> Problem:
        """The same problem, placed at a batch row."""
        return replace(self, row=row)

    def __str__(self) -> str:
        where = ", ".join(
            part for part in (f"row {self.row}" if self.row else "", self.field or "") if part
        )
        details = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return (
            f"{self.code}" + (f" [{where}]" if where else "") + (f" ({details})" if details else "")
        )


class WriteError(Exception):
    """A write that was refused; nothing of it was written. `problems` says why."""

    def __init__(self, *problems: Problem) -> None:
        if not problems:
            raise ValueError("a refused write names at least one problem")
        self.problems: tuple[Problem, ...] = problems
        super().__init__("; ".join(str(problem) for problem in problems[:20]))

    @property
    def problem(self) -> Problem:
        """The first problem (a single form save has one)."""
        return self.problems[0]

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def field(self) -> str | None:
        return self.problem.field


class InvalidRecord(WriteError):
    """The values do not make a valid record (or batch of records)."""


class PermissionDenied(WriteError):
    """The actor's role or scope does not allow this write."""


class StaleEdit(WriteError):
    """Someone else saved the record since the editor read it."""


class DatabaseBusy(WriteError):
    """Another writer holds the lock longer than we wait: try again in a moment."""


class MissingVersion(TypeError):
    """An update was called without the version the editor read: a programming error."""
