"""The generic write: a batch of new records, or an edit of one, through every check.

`create_batch` authorises and validates every row (field rules, row rules, the database's
references) before it writes any, streaming in chunks so that memory stays bounded; a single
form save is a batch of one. `upsert_batch` does the same for a file of records named by
their natural keys: a row whose key is new is inserted, one equal to the stored record is
left alone, one that differs replaces the stored values (each with its change-log row, and
the derived state of what it touched recomputed). `edit_record` changes only an entity's
editable fields, refuses a stale version, and keeps derived state in step. All run in one
unit of work and write the change log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session, SQLModel

from data.timeutil import as_utc
from data.writes.actor import Actor
from data.writes.bulk import CHUNK, fewer_collections, insert_returning_ids, larger_page_cache
from data.writes.changelog import (
    ALTERS_NO_FIGURES,
    as_json,
    log_batch,
    log_inserted,
    log_record,
    log_updates,
)
from data.writes.compact import SeenKeys, WrittenRows
from data.writes.errors import (
    InvalidRecord,
    MissingVersion,
    PermissionDenied,
    Problem,
    StaleEdit,
    WriteError,
)
from data.writes.permissions import allowed, authorize, authorize_role
from data.writes.revisions import keep_replaced
from data.writes.rules import Context, Spec, check_row, check_rows
from data.writes.unit import unit_of_work

# A batch larger than this rebuilds its derived tables from history once, instead of
# folding each row into them.
FOLD_AT_MOST = 2_000
# Validation goes on after this many problems only to count them, not to list them.
MAX_PROBLEMS = 1_000

# session.info key of the facilities' facts looked up during one batch.
FACTS = "batch_facility_facts"


@contextmanager
def batch_facts(session: Session) -> Iterator[None]:
    """Remember facilities' kinds and districts while one batch is checked and written (a
    batch never changes facilities)."""
    outer = FACTS in session.info
    if not outer:
        session.info[FACTS] = {}
    try:
        yield
    finally:
        if not outer:
            session.info.pop(FACTS, None)


Scope = tuple[str | None, int | None]
# Told how many rows of the batch have been checked (and, when valid so far, written).
Progress = Callable[[int], None]


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
    # A large batch's fold, key by key: a new collector with add(rows) as rows are inserted
    # and finish(session) at the end (instead of a rebuild from history).
    bulk_fold: Callable[[], Any] | None = None
    # After the whole batch is in: checks that need it all (cumulative totals).
    after_batch: Callable[[Session, WrittenRows], list[Problem]] | None = None
    after_edit: Callable[[Session, SQLModel], None] | None = None
    computed: frozenset[str] = field(default_factory=frozenset)
    # The fields that name a record in a file (site + report time, a case number): an
    # upsert matches rows to stored records by them.
    natural_key: tuple[str, ...] = ()
    # The fields an upsert may change in a stored record (None: every field but the key).
    replaceable: frozenset[str] | None = None
    # After an upsert replaced stored records: recompute the derived state they touched,
    # given the records' old and new values.
    refresh: Callable[[Session, list[dict]], None] | None = None
    # The field that dates a record for reads at a moment (a report's time: what is known
    # at a moment is what was reported up to it), so that the change log says the earliest
    # moment a batch can alter (models.ChangeLog.effective_at); None: any moment.
    effective: str | None = None
    # False for records that no figure reads (accounts): their changes alter no moment.
    figures: bool = True

    @property
    def versioned(self) -> bool:
        return "version" in self.model.__table__.columns


class _Earliest:
    """The earliest of the rows' field `name` (a batch's earliest report time); None when the
    entity has no such field (the batch may alter any moment)."""

    def __init__(self, name: str | None, *, figures: bool = True) -> None:
        self._get = itemgetter(name) if name and figures else None
        self.moment: datetime | None = None if figures else ALTERS_NO_FIGURES

    def add(self, rows: Iterable[Mapping[str, Any]]) -> None:
        if self._get is None:
            return
        earliest = min(map(self._get, rows), default=None)  # checked rows: aware times
        if earliest is not None and (self.moment is None or as_utc(earliest) < self.moment):
            self.moment = as_utc(earliest)


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
    districts: set[str] | None = None,
) -> tuple[list[Problem], list[Problem]]:
    """(problems of references, problems of permission) of clean rows; adds the rows'
    districts to `districts`."""
    invalid: list[Problem] = []
    denied: list[Problem] = []
    verdicts: dict[Scope, Problem | None] = {}  # the same site on many rows: asked once
    for number, scope in zip(numbers, entity.scope(session, rows), strict=True):
        if isinstance(scope, Problem):
            invalid.append(scope.at_row(number))
            continue
        if scope in verdicts:
            verdict = verdicts[scope]
        else:
            if districts is not None and scope[0]:
                districts.add(scope[0])
            try:
                authorize(actor, action, entity.name, district_code=scope[0], facility_id=scope[1])
                verdict = None
            except PermissionDenied as error:
                verdict = error.problem
            verdicts[scope] = verdict
        if verdict is not None:
            denied.append(verdict.at_row(number))
    return invalid, denied


def _duplicates(
    session: Session,
    entity: Entity,
    unique: list[str],
    rows: list[dict],
    numbers: list[int],
    seen: dict[str, SeenKeys],
) -> list[Problem]:
    problems: list[Problem] = []
    for name in unique:
        column = entity.model.__table__.c[name]
        values = [row[name] for row in rows]
        stored = set()
        for start in range(0, len(values), 1_000):
            part = values[start : start + 1_000]
            stored.update(session.execute(select(column).where(column.in_(part))).scalars())
        firsts = seen[name].first_rows(values, numbers)
        for number, value, first in zip(numbers, values, firsts, strict=True):
            if value in stored or first is not None:
                problems.append(Problem("duplicate", name, number, {"value": value}))
    return problems


def _refuse(invalid: list[Problem], denied: list[Problem]) -> None:
    if denied:
        raise PermissionDenied(*denied[:MAX_PROBLEMS])
    if invalid:
        raise InvalidRecord(*invalid[:MAX_PROBLEMS])


@dataclass
class BatchOutcome:
    """What a batch wrote: new ids (as runs), ids of replaced records (each with its row
    number), and how many rows were equal to the stored ones."""

    written: WrittenRows = field(default_factory=WrittenRows)
    unchanged: int = 0

    @property
    def inserted(self) -> int:
        return self.written.inserted

    @property
    def ids(self) -> list[int]:
        """The new ids, in the order of the rows (a list built on demand)."""
        return list(self.written.inserted_ids())

    @property
    def updated(self) -> list[int]:
        return list(self.written.updated)

    @property
    def rows(self) -> int:
        return self.written.inserted + len(self.written.updated) + self.unchanged


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
    return _write_batch(
        session, actor=actor, entity=entity, rows=rows, summary=summary, context=context
    ).ids


def upsert_batch(
    session: Session,
    *,
    actor: Actor,
    entity: Entity,
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    summary: dict[str, Any] | None = None,
    context: Context | None = None,
    progress: Progress | None = None,
) -> BatchOutcome:
    """Check every row (given with its own row number), then write all or nothing.

    Rows are matched to stored records by the entity's natural key: new keys are inserted,
    rows equal to the stored record change nothing, rows that differ replace its values
    (only the `replaceable` fields may differ). One change-log row stands for the batch;
    each replaced record has its own, pointing at it, with its values before and after.
    Nothing at all is logged when nothing changed.
    """
    if not entity.natural_key:
        raise ValueError(f"{entity.name} has no natural key to match stored records by")
    return _write_batch(
        session,
        actor=actor,
        entity=entity,
        rows=rows,
        summary=summary,
        context=context,
        upsert=True,
        progress=progress,
    )


def _write_batch(
    session: Session,
    *,
    actor: Actor,
    entity: Entity,
    rows: Iterable,
    summary: dict[str, Any] | None,
    context: Context | None,
    upsert: bool = False,
    progress: Progress | None = None,
) -> BatchOutcome:
    authorize_role(actor, "create", entity.name)
    context = context or Context.current()
    unique = [name for name in entity.unique if not (upsert and (name,) == entity.natural_key)]
    outcome = BatchOutcome()
    with (
        unit_of_work(session),
        batch_facts(session),
        fewer_collections(),
        larger_page_cache(session),
    ):
        kept: list[dict] = []
        replaced_old: list[dict] = []
        replaced_new: list[dict] = []
        invalid: list[Problem] = []
        denied: list[Problem] = []
        seen: dict[str, SeenKeys] = {name: SeenKeys() for name in unique}
        keys_seen = SeenKeys()
        districts: set[str] = set()
        first_row = 1
        done = 0
        folder = entity.bulk_fold() if entity.bulk_fold is not None else None
        dated = _Earliest(entity.effective, figures=entity.figures)
        for chunk in _chunks(rows, CHUNK):
            if upsert:
                given = [number for number, _ in chunk]
                chunk = [row for _, row in chunk]
            else:
                given = None
            clean, numbers, found = check_rows(
                entity.spec, chunk, context, first_row=first_row, numbers=given
            )
            first_row += len(chunk)
            done += len(chunk)
            invalid.extend(found)
            stored: dict = {}
            if clean:
                references, permissions = _scope_problems(
                    session, actor, entity, "create", clean, numbers, districts
                )
                invalid.extend(references)
                denied.extend(permissions)
                if unique:
                    invalid.extend(_duplicates(session, entity, unique, clean, numbers, seen))
                if upsert:
                    invalid.extend(_repeated_keys(entity, clean, numbers, keys_seen))
                    stored = _stored_by_key(session, entity, clean, outcome.written.runs)
                    invalid.extend(_not_replaceable(entity, clean, numbers, stored))
                if entity.check is not None and not references:
                    invalid.extend(entity.check(session, clean, numbers))
            if invalid or denied:
                if progress is not None:
                    progress(done)
                if len(invalid) + len(denied) >= MAX_PROBLEMS:
                    break
                continue  # keep checking the rest; nothing more is written
            new_rows, new_numbers = clean, numbers
            if upsert:
                new_rows, new_numbers = [], []
                changes: list[tuple[dict, dict, int]] = []
                key_of = _key_of(entity.natural_key)
                for row, number in zip(clean, numbers, strict=True):
                    old = stored.get(key_of(row)) if stored else None
                    if old is None:
                        new_rows.append(row)
                        new_numbers.append(number)
                    elif any(old[name] != row[name] for name in entity.spec.names):
                        changes.append((old, row, number))
                    else:
                        outcome.unchanged += 1
                if changes and entity.editable and not allowed(actor, "edit", entity.name):
                    params = {"user": actor.name, "role": actor.role, "action": "edit"}
                    params["entity"] = entity.name
                    denied.extend(Problem("not_permitted", None, n, params) for *_, n in changes)
                    continue
                if changes:
                    dated.add(old for old, _, _ in changes)
                    dated.add(row for _, row, _ in changes)
                    _replace(session, entity, changes)
                    outcome.written.add_updated(
                        [old["id"] for old, _, _ in changes], [number for *_, number in changes]
                    )
                    replaced_old.extend(old for old, _, _ in changes)
                    replaced_new.extend({**row, "id": old["id"]} for old, row, _ in changes)
            if entity.versioned:
                new_rows = [{**row, "version": 1} for row in new_rows]
            dated.add(new_rows)
            new_ids = insert_returning_ids(session, entity.model, new_rows)
            outcome.written.add_inserted(new_ids, new_numbers)
            if outcome.inserted <= FOLD_AT_MOST:
                kept.extend(
                    {**row, "id": new_id} for row, new_id in zip(new_rows, new_ids, strict=True)
                )
            if folder is not None:
                folder.add(new_rows)
            if progress is not None:
                progress(done)
        _refuse(invalid, denied)
        if entity.after_batch is not None and outcome.written.bounds is not None:
            _refuse(entity.after_batch(session, outcome.written), [])
        rebuilt = False
        if outcome.inserted <= FOLD_AT_MOST:
            if entity.fold is not None and kept:
                entity.fold(session, kept)
        elif folder is not None:
            folder.finish(session)
        elif entity.rebuild is not None:
            entity.rebuild(session)
            rebuilt = True
        if replaced_old and entity.refresh is not None and not rebuilt:
            entity.refresh(session, replaced_old + replaced_new)
        if upsert:
            _log_upsert(
                session,
                actor,
                entity,
                outcome,
                (replaced_old, replaced_new),
                summary,
                districts,
                dated.moment,
            )
        else:
            log_inserted(
                session,
                actor=actor,
                model=entity.model,
                ids=outcome.ids if outcome.inserted == 1 else [],
                runs=outcome.written.runs,
                summary=summary,
                districts=districts,
                effective_at=dated.moment,
            )
    return outcome


def _key(entity: Entity, row: Mapping[str, Any]) -> tuple:
    return _key_of(entity.natural_key)(row)


@lru_cache(maxsize=64)
def _key_of(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple]:
    """A function of a row giving its natural key (a tuple), at C speed."""
    if len(names) == 1:
        (name,) = names
        return lambda row: (row[name],)
    return itemgetter(*names)


def _repeated_keys(
    entity: Entity, rows: list[dict], numbers: list[int], seen: SeenKeys
) -> list[Problem]:
    """A natural key given twice in one batch: which row gave it first."""
    first = entity.natural_key[0]
    keys = list(map(_key_of(entity.natural_key), rows))
    return [
        Problem("repeated_key", first, number, {"value": row[first], "first": earlier})
        for row, number, earlier in zip(rows, numbers, seen.first_rows(keys, numbers), strict=True)
        if earlier is not None
    ]


# Rows this batch inserted are left out of the stored records looked up by key when they
# make at most this many runs of ids (one on SQLite).
_OWN_RUNS = 16


def _stored_by_key(
    session: Session, entity: Entity, rows: list[dict], own: Sequence[Sequence[int]] = ()
) -> dict[tuple, dict]:
    """The stored records that share a natural key with `rows`: key -> values (with id).

    `own`: the runs of ids this batch inserted, which are not read back (a file sorted by
    time would read its previous chunk's last reports again): none of them can share a key
    with `rows`, which would have been refused as repeated within the file."""
    table = entity.model.__table__
    names = ["id", *sorted(entity.spec.names)]
    if entity.versioned:
        names.append("version")
    columns = [table.c[name] for name in names]
    first, *others = entity.natural_key
    key_of = _key_of(entity.natural_key)
    wanted = set(map(key_of, rows))
    conditions = []
    for name in others:
        values = [row[name] for row in rows]
        conditions.append(table.c[name].between(min(values), max(values)))
    if 0 < len(own) <= _OWN_RUNS:
        conditions.extend(~table.c.id.between(first_id, last_id) for first_id, last_id in own)
    firsts = sorted({key[0] for key in wanted})
    found: dict[tuple, dict] = {}
    connection = session.connection()  # Core: no ORM work per statement (ten per chunk)
    # One statement, compiled once, for every part (its list is a parameter, not literals).
    query = select(*columns).where(
        table.c[first].in_(bindparam("firsts", expanding=True)), *conditions
    )
    for start in range(0, len(firsts), 1_000):
        part = firsts[start : start + 1_000]
        for record in connection.execute(query, {"firsts": part}):
            values = dict(zip(names, record))  # noqa: B905 - one value per column
            key = key_of(values)
            if key in wanted:
                found[key] = values
    return found


def _not_replaceable(
    entity: Entity, rows: list[dict], numbers: list[int], stored: dict[tuple, dict]
) -> list[Problem]:
    """Rows that would change a field an upsert may not change (a case's district)."""
    if entity.replaceable is None:
        return []
    problems = []
    for row, number in zip(rows, numbers, strict=True):
        old = stored.get(_key(entity, row))
        if old is None:
            continue
        for name in sorted(entity.spec.names - entity.replaceable - set(entity.natural_key)):
            if old[name] != row[name]:
                params = {"value": row[name], "stored": old[name]}
                problems.append(Problem("not_replaceable", name, number, params))
    return problems


def _replace(session: Session, entity: Entity, changes: list[tuple[dict, dict, int]]) -> None:
    """Write the new values of stored records (raising their versions), keeping the settings
    they replace."""
    keep_replaced(session, entity.model, ((old, row) for old, row, _ in changes))
    table = entity.model.__table__
    names = sorted(entity.spec.names - set(entity.natural_key))
    values: dict[str, Any] = {name: bindparam(f"new_{name}") for name in names}
    if entity.versioned:
        values["version"] = table.c.version + 1
    statement = update(table).where(table.c.id == bindparam("old_id")).values(**values)
    parameters = [
        {"old_id": old["id"], **{f"new_{name}": row[name] for name in names}}
        for old, row, _ in changes
    ]
    for start in range(0, len(parameters), CHUNK):
        session.execute(
            statement.execution_options(synchronize_session=False),
            parameters[start : start + CHUNK],
        )


def _log_upsert(
    session: Session,
    actor: Actor,
    entity: Entity,
    outcome: BatchOutcome,
    replaced: tuple[list[dict], list[dict]],
    summary: dict[str, Any] | None,
    districts: set[str],
    effective_at: datetime | None,
) -> None:
    olds, news = replaced
    if not outcome.inserted and not outcome.written.updated:
        return  # the same file twice: nothing changed, nothing to log
    detail = {
        **(summary or {}),
        "inserted": outcome.inserted,
        "updated": len(outcome.written.updated),
        "unchanged": outcome.unchanged,
    }
    table_name = entity.model.__tablename__
    entry = log_batch(
        session,
        actor=actor,
        table_name=table_name,
        runs=outcome.written.runs,
        summary=detail,
        districts=districts,
        effective_at=effective_at,
    )
    if olds:
        pairs = []
        for old, new in zip(olds, news, strict=True):
            after = {**old, **new}
            if entity.versioned:
                after["version"] = old["version"] + 1
            pairs.append((old, after))
        log_updates(session, actor=actor, table_name=table_name, pairs=pairs, batch=entry)


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
        keys = {column.key: getattr(record, column.key) for column in model.__mapper__.primary_key}
        keep_replaced(session, model, [({**stored, **keys}, {n: clean[n] for n in changes})])
        for name in changes:
            setattr(record, name, clean[name])
        record.version = expected_version + 1
        session.flush()
        if entity.after_edit is not None:
            entity.after_edit(session, record)
        effective = None if entity.figures else ALTERS_NO_FIGURES
        log_record(session, actor, record, "update", before=before, effective_at=effective)
    session.refresh(record)
    return record


def _authorize_record(
    session: Session, actor: Actor, entity: Entity, action: str, stored: dict
) -> None:
    (scope,) = entity.scope(session, [stored])
    if isinstance(scope, Problem):
        raise InvalidRecord(scope)
    authorize(actor, action, entity.name, district_code=scope[0], facility_id=scope[1])
