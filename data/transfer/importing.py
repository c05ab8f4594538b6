"""Importing a file: read it, turn codes into ids, and hand every row to the write side.

The write side authorises, validates and writes (`upsert_batch`): the whole file is checked
in one transaction and nothing stays written when any row is refused. Every problem is
named by the spreadsheet's row number and the file's column, in the user's language (the
i18n catalogue renders them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from sqlmodel import Session

from data.db import BULK_ROWS, gather_statistics
from data.timeutil import command_zone
from data.transfer.cells import readers
from data.transfer.kinds import EMPTY, KINDS, Kind, link_infectors_later, resolve
from data.transfer.reading import open_table
from data.writes.actor import Actor
from data.writes.batch import MAX_PROBLEMS, upsert_batch
from data.writes.errors import InvalidRecord, PermissionDenied, Problem, WriteError
from data.writes.rules import Context, check_row
from data.writes.unit import unit_of_work

# Told (rows read so far, rows expected or None) as the file is checked and written.
Progress = Callable[[int, int | None], None]
_UNREAD = object()
# Distinct texts remembered per column (memory stays bounded whatever the file's size).
_MEMO_SIZE = 50_000


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    kind: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    encoding: str | None


def import_file(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    stream: IO[bytes],
    filename: str,
    progress: Progress | None = None,
    context: Context | None = None,
) -> ImportResult:
    """Import a CSV or .xlsx file of `kind` as `actor`: all of it, or (refused) nothing.

    Raises UnreadableFile for a file that is not a readable table of this kind, and the
    write side's WriteError (InvalidRecord, PermissionDenied) naming every bad row.
    """
    spec = KINDS[kind]
    table = open_table(stream, filename, spec)
    read = readers(
        {c.name: c.cell for c in spec.columns if c.name in table.columns}, command_zone()
    )
    extra: list[Problem] = []
    done = 0
    cache: dict = {}
    context = context or Context.current()
    fields = {c.name: c.field for c in spec.columns if c.field is not None}
    # A file repeats its values (site codes, times, counts): each column reads a text once.
    memos: dict[str, dict[str, Any]] = {name: {} for name in read}

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        nonlocal done
        for chunk in table.rows:
            extra.extend(chunk.problems)
            columns = {
                fields.get(name, name): _read_column(read[name], memos[name], cells)
                for name, cells in zip(table.columns, chunk.cells, strict=True)
            }
            resolved, problems, unresolved = resolve(session, spec, chunk.numbers, columns, cache)
            extra.extend(problems)
            for number, row, bad in unresolved:
                _, found = check_row(spec.entity.spec, row, context)
                extra.extend(
                    _in_file_terms(spec, problem.at_row(number), cache)
                    for problem in found
                    if problem.field not in bad
                )
            done += chunk.size
            yield from resolved
            if progress is not None:
                progress(done, table.total)
            if len(extra) >= MAX_PROBLEMS:
                return

    summary = {"kind": kind, "file": filename[-120:]}
    with unit_of_work(session):
        try:
            outcome = upsert_batch(
                session,
                actor=actor,
                entity=spec.entity,
                rows=rows(),
                summary=summary,
                context=context,
            )
        except WriteError as error:
            if not isinstance(error, InvalidRecord | PermissionDenied):
                raise
            problems = [_in_file_terms(spec, p, cache) for p in error.problems]
            raise type(error)(*_ordered(problems + extra)) from None
        if extra:
            raise InvalidRecord(*_ordered(extra))
        link_infectors_later(session, actor, cache)
    if outcome.rows >= BULK_ROWS:
        gather_statistics(session.get_bind())  # the rows are committed: its own transaction
    return ImportResult(
        kind=kind,
        rows=outcome.rows,
        inserted=outcome.inserted,
        updated=len(outcome.updated),
        unchanged=outcome.unchanged,
        encoding=table.encoding,
    )


def _read_column(read: Callable[[Any], Any], memo: dict[str, Any], cells: Sequence[Any]) -> list:
    """A column's cells as values (EMPTY for an empty cell): each distinct text is read
    once, and a column of texts alone (all of a CSV's) is mapped at C speed."""
    values: dict[str, Any] = {}
    texts_only = True
    for cell in set(cells):
        if type(cell) is not str:
            texts_only = False
            continue
        value = memo.get(cell, _UNREAD)
        if value is _UNREAD:
            value = read(cell) if cell.strip() else EMPTY
            if len(memo) < _MEMO_SIZE:
                memo[cell] = value
        values[cell] = value
    if texts_only:
        return list(map(values.__getitem__, cells))
    return [
        values[cell] if type(cell) is str else EMPTY if cell is None else read(cell)
        for cell in cells
    ]


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.row or 0)[:MAX_PROBLEMS]


def _in_file_terms(spec: Kind, problem: Problem, cache: dict) -> Problem:
    """A write-side problem said in the file's terms: its column, codes instead of ids."""
    columns = {field: column for column, (field, _) in spec.references.items()}
    columns.update({c.field: c.name for c in spec.columns if c.field is not None})
    field = columns.get(problem.field, problem.field)
    params = dict(problem.params)
    if field in spec.references and "value" in params:
        params["value"] = _code_of(cache.get(field, {}), params["value"])
    if "site" in params:  # results exceeding samples: the site by its code
        params["site"] = _code_of(cache.get("site_code", {}), params["site"])
    if field == problem.field and params == problem.params:
        return problem
    return Problem(problem.code, field, problem.row, params)


def _code_of(codes: dict, value: Any) -> Any:
    for code, known in codes.items():
        if known == value or (isinstance(known, tuple) and known[0] == value):
            return code
    return value
