"""What the write side looks up about referenced records, a batch at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlmodel import Session

from data import models
from data.writes.batch import FACTS, Scope
from data.writes.errors import Problem

_IN_CHUNK = 1_000


def facility_facts(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """id -> (kind, district code) of the facilities among `ids` that exist.

    Within a batch (see `batch_facts`) what was looked up once is remembered."""
    known: dict | None = session.info.get(FACTS)
    wanted = set(ids)
    facts: dict[int, tuple[str, str]] = {}
    if known is not None:
        facts = {id_: known[id_] for id_ in wanted if id_ in known}
        wanted -= facts.keys()
    ordered = sorted(wanted)
    f = models.Facility
    for start in range(0, len(ordered), _IN_CHUNK):
        part = ordered[start : start + _IN_CHUNK]
        query = select(f.id, f.kind, f.district_code).where(f.id.in_(part))
        found = {id_: (kind, district) for id_, kind, district in session.execute(query)}
        facts.update(found)
        if known is not None:
            known.update(found)
    return facts


def existing_ids(session: Session, model: type, ids: Iterable[int]) -> set[int]:
    """Those of `ids` that are ids of `model` records."""
    wanted = sorted(set(ids))
    found: set[int] = set()
    for start in range(0, len(wanted), _IN_CHUNK):
        part = wanted[start : start + _IN_CHUNK]
        found.update(session.execute(select(model.id).where(model.id.in_(part))).scalars())
    return found


def by_facility(
    field: str, kinds: tuple[str, ...] | None = None
) -> Callable[[Session, list[dict]], list[Scope | Problem]]:
    """A scope function: each row's facility (of one of `kinds`) and its district."""

    def scope(session: Session, rows: list[dict]) -> list[Scope | Problem]:
        facts = facility_facts(session, (row[field] for row in rows))
        scopes: list[Scope | Problem] = []
        for row in rows:
            fact = facts.get(row[field])
            if fact is None:
                scopes.append(
                    Problem("not_found", field, params={"entity": "facility", "key": row[field]})
                )
            elif kinds is not None and fact[0] not in kinds:
                scopes.append(
                    Problem(
                        "wrong_kind", field, params={"kind": fact[0], "expected": ", ".join(kinds)}
                    )
                )
            else:
                scopes.append((fact[1], row[field]))
        return scopes

    return scope


def by_district(session: Session, rows: list[dict]) -> list[Scope | Problem]:
    """A scope function: each row's own district."""
    return [(row["district_code"], None) for row in rows]
