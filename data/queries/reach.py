"""What a write can alter, and what a read depends on, by topic: a testing-site report leaves
the audits, the hotels and the supplies as they were, so their figures need not be worked out
again when one comes in (and at a city's scale one comes in every second).

A change is logged under the table of the record it writes (`ChangeLog.table_name`); its
topic is the group that table belongs to below, and the write may touch only that group's
tables (tests check every write of the suite). A read declares the topics of every table it
reads (`@reaches(...)`; tests check the tables it reads); the app caches it until a change of
one of its topics, or of unknown reach, comes in. A read that declares nothing is read again
after every change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import case, func, select
from sqlmodel import Session

from data import models
from data.timeutil import as_utc

T = TypeVar("T")

# Each topic's tables: a write logged under one of them writes only tables of its topic.
TOPICS: dict[str, frozenset[str]] = {
    "testing": frozenset(
        {
            "testingsitereport",
            "testingsitestate",
            "testinghourly",
            "testinground",
            "testingroundrevision",
        }
    ),
    "hotels": frozenset({"hotelreport", "hotelstate", "hoteldaily"}),
    "supplies": frozenset(
        {"stockreport", "stockstate", "stockdaily", "stockstaterevision", "supplyitem"}
    ),
    "audits": frozenset(
        {
            "audit",
            "auditrevision",
            "auditfinding",
            "auditfindingrevision",
            "audititemresult",
            "audititemresultrevision",
            "facilityauditstate",
            "checklistversion",
            "checklistitem",
        }
    ),
    "cases": frozenset({"case", "caserevision", "casecontactreport"}),
    "zones": frozenset({"controlzone", "controlzonerevision"}),
    # Names, kinds and districts of facilities, and the districts themselves: most pages
    # show them.
    "places": frozenset({"facility", "facilityrevision", "district"}),
}
TOPIC_OF_TABLE = {table: topic for topic, tables in TOPICS.items() for table in tables}
# A change of any other table, or logged as "*" (the data set replaced), may alter anything.
EVERYTHING = "*"
# A run of more changes than this since the last look is taken as a change of everything
# (reading each of them back would cost more than working the figures out again).
MOST_CHANGES_READ = 10_000


def reaches(*topics: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Declare the topics of every table a read reads (`TOPICS`)."""
    unknown = set(topics) - set(TOPICS)
    if unknown:
        raise ValueError(f"unknown topics: {sorted(unknown)}")

    def declare(query: Callable[..., T]) -> Callable[..., T]:
        query.reach = frozenset(topics)  # type: ignore[attr-defined]
        return query

    return declare


def reach_of(query: Callable[..., object]) -> frozenset[str] | None:
    """The topics a read declared, or None (it depends on everything)."""
    return getattr(query, "reach", None)


def topic_of_change(table_name: str, effective_at: datetime | None) -> str | None:
    """The topic a change-log row alters: None when it alters no figures (accounts,
    sign-ins, acknowledgements, issued briefings), EVERYTHING when it is not known."""
    if effective_at is not None and as_utc(effective_at) == models.ALTERS_NO_FIGURES:
        return None
    return TOPIC_OF_TABLE.get(table_name, EVERYTHING)


@dataclass(frozen=True)
class Changes:
    """The changes after counter `since` up to `upto`: per topic the latest counter that
    altered it (EVERYTHING: a change of unknown reach, or a counter with no change-log row)."""

    since: int
    upto: int
    latest: dict[str, int]


def changes_between(*, session: Session, since: int, upto: int) -> Changes:
    """What the changes after counter `since`, up to `upto`, altered, by topic."""
    log = models.ChangeLog
    if upto <= since:
        return Changes(since, upto, {})
    if upto - since > MOST_CHANGES_READ:
        return Changes(since, upto, {EVERYTHING: upto})
    # One row per counter and table, with how many of its rows may alter figures (NULL: any
    # moment; a batch's replaced records share its row's counter, table and moment, and are
    # left out).
    alters = func.sum(case((log.effective_at == models.ALTERS_NO_FIGURES, 0), else_=1))
    rows = session.execute(
        select(log.counter, log.table_name, alters)
        .where(log.counter > since, log.counter <= upto, log.batch_id.is_(None))
        .group_by(log.counter, log.table_name)
    ).all()
    latest: dict[str, int] = {}
    logged = set()
    for counter, table_name, altering in rows:
        logged.add(int(counter))
        topic = TOPIC_OF_TABLE.get(table_name, EVERYTHING) if altering else None
        if topic is not None:
            latest[topic] = max(latest.get(topic, 0), int(counter))
    # The counter moved without a change-log row (a restore, a script): anything may differ.
    unlogged = [counter for counter in range(since + 1, upto + 1) if counter not in logged]
    if unlogged:
        latest[EVERYTHING] = max(latest.get(EVERYTHING, 0), max(unlogged))
    return Changes(since, upto, latest)
