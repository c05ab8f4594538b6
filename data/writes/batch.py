"""The generic write: a batch of new records, or an edit of one, through every check.

`create_batch` authorises and validates every row (field rules, row rules, the database's
references) before it writes any, streaming in chunks so that memory stays bounded; a single
form save is a batch of one. `edit_record` changes only an entity's editable fields, refuses
a stale version, and keeps derived state in step. Both run in one unit of work and write the
change log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, SQLModel

from data.writes.actor import Actor
from data.writes.bulk import CHUNK, insert_returning_ids
from data.writes.changelog import as_json, log_inserted, log_record
from data.writes.errors import (
    InvalidRecord,
    MissingVersion,
    PermissionDenied,
    Problem,
    StaleEdit,
    WriteError,
)
from data.writes.permissions import authorize, authorize_role
from data.writes.rules import Context, Spec, check_row, check_rows
from data.writes.unit import unit_of_work

# A batch larger than this rebuilds its derived tables from history once, instead of
# folding each row into them.
FOLD_AT_MOST = 2_000
# Validation goes on after this many problems only to count them, not to list them.
MAX_PROBLEMS = 1_000

Scope = tuple[str | None, int | None]


@dataclass(frozen=True)
class Entity:
    """How one kind of record is checked and written."""

    name: str
    model: type[SQLModel]
    spec: Spec
    # (session, clean rows) -> each row's (district, facility id), or a Problem (e.g. a
    # reference to a facility that does not exist).
    scope: Callable[[Session, list[dict]], list[Scope | Problem]]
    editable: frozenset[str] = frozenset()
    # Natural keys: no two rows, and no row and stored record, share one.
    unique: tuple[str, ...] = ()
    # Checks against the database of rows that passed their own rules: problems.
    check: Callable[[Session, list[dict], list[int]], list[Problem]] | None = None
    # After inserting: fold rows (with ids) into derived tables, or rebuild them.
    fold: Callable[[Session, list[dict]], None] | None = None
    rebuild: Callable[[Session], None] | None = None
    # After the whole batch is in: checks that need it all (cumulative totals).
    after_batch: Callable[[Session, list[int], dict[int, int]], list[Problem]] | None = None
    after_edit: Callable[[Session, SQLModel], None] | None = None
    computed: frozenset[str] = field(default_factory=frozenset)

    @property
    def versioned(self) -> bool:
        return "version" in self.model.__table__.columns


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _scope_problems(
    session: Session,
    actor: Actor,
    entity: Entity,
    action: str,
    rows: list[dict],
    numbers: list[int],
) -> tuple[list[Problem], list[Problem]]:
    """(problems of references, problems of permission) of clean rows."""
    invalid: list[Problem] = []
    denied: list[Problem] = []
    for number, scope in zip(numbers, entity.scope(session, rows), strict=True):
        if isinstance(scope, Problem):
            invalid.append(scope.at_row(number))
            continue
        try:
            authorize(actor, action, entity.name, district_code=scope[0], facility_id=scope[1])
        except PermissionDenied as error:
            denied.append(error.problem.at_row(number))
    return invalid, denied


def _duplicates(
    session: Session, entity: Entity, rows: list[dict], numbers: list[int], seen: dict
) -> list[Problem]:
    problems: list[Problem] = []
    for name in entity.unique:
        column = entity.model.__table__.c[name]
        values = [row[name] for row in rows]
        stored = set()
        for start in range(0, len(values), 1_000):
            part = values[start : start + 1_000]
            stored.update(session.execute(select(column).where(column.in_(part))).scalars())
        for number, value in zip(numbers, values, strict=True):
            key = (name, value)
            if value in stored or key in seen:
                problems.append(Problem("duplicate", name, number, {"value": value}))
            seen[key] = number
    return problems


def _refuse(invalid: list[Problem], denied: list[Problem]) -> None:
    if denied:
        raise PermissionDenied(*denied[:MAX_PROBLEMS])
    if invalid:
        raise InvalidRecord(*invalid[:MAX_PROBLEMS])


def create_batch(
    session: Session,
    *,
    actor: Actor,
    entity: Entity,
    rows: Iterable[Mapping[str, Any]],
    summary: dict[str, Any] | None = None,
    context: Context | None = None,
) -> list[int]:
    """Check every row, then insert them all (or nothing) and log; returns the new ids."""
    authorize_role(actor, "create", entity.name)
    context = context or Context.current()
    with unit_of_work(session):
        ids: list[int] = []
        number_of: dict[int, int] = {}
        kept: list[dict] = []
        invalid: list[Problem] = []
        denied: list[Problem] = []
        seen: dict = {}
        first_row = 1
        for chunk in _chunks(rows, CHUNK):
            clean, numbers, found = check_rows(entity.spec, chunk, context, first_row=first_row)
            first_row += len(chunk)
            invalid.extend(found)
            if clean:
                references, permissions = _scope_problems(
                    session, actor, entity, "create", clean, numbers
                )
                invalid.extend(references)
                denied.extend(permissions)
                if entity.unique:
                    invalid.extend(_duplicates(session, entity, clean, numbers, seen))
                if entity.check is not None and not references:
                    invalid.extend(entity.check(session, clean, numbers))
            if invalid or denied:
                if len(invalid) + len(denied) >= MAX_PROBLEMS:
                    break
                continue  # keep checking the rest; nothing more is written
            if entity.versioned:
                clean = [{**row, "version": 1} for row in clean]
            new_ids = insert_returning_ids(session, entity.model, clean)
            ids.extend(new_ids)
            number_of.update(zip(new_ids, numbers, strict=True))
            if len(ids) <= FOLD_AT_MOST:
                kept.extend(
                    {**row, "id": new_id} for row, new_id in zip(clean, new_ids, strict=True)
                )
        _refuse(invalid, denied)
        if entity.after_batch is not None and ids:
            _refuse(entity.after_batch(session, ids, number_of), [])
        if len(ids) <= FOLD_AT_MOST:
            if entity.fold is not None and kept:
                entity.fold(session, kept)
        elif entity.rebuild is not None:
            entity.rebuild(session)
        log_inserted(session, actor=actor, model=entity.model, ids=ids, summary=summary)
    return ids


def create_one(session: Session, *, actor: Actor, entity: Entity, values: Mapping[str, Any]) -> Any:
    """A single record (a form save): a batch of one; returns the stored record."""
    with single_record():
        (new_id,) = create_batch(session, actor=actor, entity=entity, rows=[values])
    return session.get(entity.model, new_id)


@contextmanager
def single_record() -> Iterator[None]:
    """A refusal of a batch of one names no row: a form has fields, not rows."""
    try:
        yield
    except WriteError as error:
        raise type(error)(*(problem.at_row(None) for problem in error.problems)) from error


def edit_record(
    session: Session,
    *,
    actor: Actor,
    entity: Entity,
    key: Any,
    expected_version: int | None,
    changes: Mapping[str, Any],
    action: str = "edit",
) -> Any:
    """Change a record's editable fields, refusing a stale version; returns the record."""
    if type(expected_version) is not int:
        raise MissingVersion(f"edit of {entity.name} {key} without the version the editor read")
    not_editable = [
        Problem("not_editable", name) for name in changes if name not in entity.editable
    ]
    if not_editable:
        raise InvalidRecord(*not_editable)
    authorize_role(actor, action, entity.name)
    model = entity.model
    with unit_of_work(session):
        # The guarded UPDATE is atomic on both backends: of two editors of one version, one
        # wins, even when both read it at the same moment.
        keys = key if isinstance(key, tuple) else (key,)
        match = [
            column == value
            for column, value in zip(model.__mapper__.primary_key, keys, strict=True)
        ]
        raised = session.execute(
            update(model)
            .where(*match, model.version == expected_version)
            .values(version=expected_version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        # populate_existing: a record this session read earlier is read again.
        record = session.get(model, key, populate_existing=True)
        params = {"entity": entity.name, "key": key}
        if record is None:
            raise InvalidRecord(Problem("not_found", params=params))
        if raised != 1:
            raise StaleEdit(
                Problem(
                    "stale",
                    params={**params, "current": record.version, "expected": expected_version},
                )
            )
        stored = {name: getattr(record, name) for name in entity.spec.names}
        _authorize_record(session, actor, entity, action, stored)
        before = as_json(record)
        clean, problems = check_row(entity.spec, {**stored, **changes}, Context.current())
        if not problems:
            references, denied = _scope_problems(session, actor, entity, action, [clean], [0])
            _refuse([p.at_row(None) for p in references], [p.at_row(None) for p in denied])
            if entity.check is not None:
                problems = [p.at_row(None) for p in entity.check(session, [clean], [0])]
        if problems:
            raise InvalidRecord(*problems)
        for name in changes:
            setattr(record, name, clean[name])
        record.version = expected_version + 1
        session.flush()
        if entity.after_edit is not None:
            entity.after_edit(session, record)
        log_record(session, actor, record, "update", before=before)
    session.refresh(record)
    return record


def _authorize_record(
    session: Session, actor: Actor, entity: Entity, action: str, stored: dict
) -> None:
    (scope,) = entity.scope(session, [stored])
    if isinstance(scope, Problem):
        raise InvalidRecord(scope)
    authorize(actor, action, entity.name, district_code=scope[0], facility_id=scope[1])
