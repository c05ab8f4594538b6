"""Mass testing: rounds with their targets and deadlines, and the sites' reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from data import models
from data.codes import ROUND_SCOPES, TESTING_SITE
from data.writes import state
from data.writes.actor import Actor
from data.writes.batch import Entity, create_batch, create_one, edit_record
from data.writes.compact import WrittenRows
from data.writes.errors import Problem
from data.writes.folding import SiteReportFold
from data.writes.lookups import by_district, by_facility, facility_facts
from data.writes.rules import (
    Spec,
    count,
    district,
    event_time,
    flag,
    maybe,
    moment,
    not_above,
    one_of,
    optional,
    positive_count,
    reference,
    required,
)


def _deadline_after_start(row: dict[str, Any]) -> Problem | None:
    if row["deadline_at"] <= row["start_at"]:
        return Problem(
            "deadline_before_start",
            "deadline_at",
            params={"value": row["deadline_at"], "limit": row["start_at"]},
        )
    return None


ROUND = Entity(
    name="round",
    model=models.TestingRound,
    spec=Spec(
        fields={
            "district_code": required(district),
            "round_no": required(positive_count),
            "scope": optional(one_of(ROUND_SCOPES), "whole"),
            "target_population": required(positive_count),
            "start_at": required(moment),
            "deadline_at": required(moment),
        },
        rules=(_deadline_after_start,),
    ),
    scope=by_district,
    editable=frozenset({"scope", "target_population", "start_at", "deadline_at"}),
)


def create_rounds(
    session: Session, *, actor: Actor, rows: Iterable[Mapping[str, Any]]
) -> list[int]:
    """Announce testing rounds (a batch, all or nothing); returns their ids."""
    return create_batch(session, actor=actor, entity=ROUND, rows=rows)


def create_round(
    session: Session, *, actor: Actor, values: Mapping[str, Any]
) -> models.TestingRound:
    """Announce one testing round."""
    return create_one(session, actor=actor, entity=ROUND, values=values)


def edit_round(
    session: Session,
    *,
    actor: Actor,
    round_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> models.TestingRound:
    """Change a round's target population, start, deadline or scope."""
    return edit_record(
        session,
        actor=actor,
        entity=ROUND,
        key=round_id,
        expected_version=expected_version,
        changes=changes,
    )


def _round_districts(session: Session, ids: set[int]) -> dict[int, str]:
    r = models.TestingRound
    wanted = sorted(ids)
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 1_000):
        query = select(r.id, r.district_code).where(r.id.in_(wanted[start : start + 1_000]))
        found.update(session.execute(query).all())
    return found


def _check_rounds(session: Session, rows: list[dict], numbers: list[int]) -> list[Problem]:
    """A report's round is a round of its site's district."""
    rounds = _round_districts(session, {r["round_id"] for r in rows if r["round_id"] is not None})
    sites = facility_facts(session, {r["site_id"] for r in rows if r["round_id"] is not None})
    problems = []
    for row, number in zip(rows, numbers, strict=True):
        round_id = row["round_id"]
        if round_id is None:
            continue
        site_district = sites[row["site_id"]][1]
        if rounds.get(round_id) is None:
            problems.append(
                Problem("not_found", "round_id", number, {"entity": "round", "key": round_id})
            )
        elif rounds[round_id] != site_district:
            problems.append(
                Problem(
                    "round_not_in_district",
                    "round_id",
                    number,
                    {"key": round_id, "district": site_district},
                )
            )
    return problems


def _results_within_samples(session: Session, written: WrittenRows) -> list[Problem]:
    """Over all its reports, a site's results out for a round never exceed its samples."""
    r = models.TestingSiteReport
    low, high = written.bounds
    touched = select(r.site_id).where(r.id.between(low, high)).distinct().scalar_subquery()
    query = (
        select(r.site_id, r.round_id, func.sum(r.sampled), func.sum(r.resulted), func.max(r.id))
        .where(r.site_id.in_(touched))
        .group_by(r.site_id, r.round_id)
        .having(func.sum(r.resulted) > func.sum(r.sampled))
    )
    problems = []
    for site_id, round_id, sampled, resulted, last_id in session.execute(query):
        number = written.number_of(last_id)
        problems.append(
            Problem(
                "results_exceed_samples",
                "resulted",
                number,
                {
                    "value": int(resulted),
                    "limit": int(sampled),
                    "site": site_id,
                    "round": round_id or "-",
                },
            )
        )
    return problems


def _fold_site_reports(session: Session, rows: list[dict]) -> None:
    districts = facility_facts(session, {row["site_id"] for row in rows})
    for row in rows:
        state.apply_site_report(session, SimpleNamespace(**row), districts[row["site_id"]][1])


SITE_REPORT = Entity(
    name="site_report",
    model=models.TestingSiteReport,
    spec=Spec(
        fields={
            "site_id": required(reference),
            "round_id": optional(maybe(reference)),
            "reported_at": required(event_time),
            "is_open": optional(flag, True),
            "sampled": optional(count, 0),
            "resulted": optional(count, 0),
            "positive": optional(count, 0),
            "pools_positive": optional(count, 0),
            "queue_wait_minutes": optional(count, 0),
        },
        rules=(
            not_above("positive", "resulted", "positive_exceeds_results"),
            # A positive pool is a tube of results out: there cannot be more of them.
            not_above("pools_positive", "resulted", "pools_exceed_results"),
        ),
    ),
    scope=by_facility("site_id", (TESTING_SITE,)),
    check=_check_rounds,
    after_batch=_results_within_samples,
    fold=_fold_site_reports,
    rebuild=state.rebuild_testing,
    bulk_fold=SiteReportFold,
    natural_key=("site_id", "reported_at"),
    refresh=state.refresh_testing,
    effective="reported_at",
)


def record_site_reports(
    session: Session, *, actor: Actor, rows: Iterable[Mapping[str, Any]]
) -> list[int]:
    """Add testing-site reports (a batch, all or nothing) and fold them into current state."""
    return create_batch(session, actor=actor, entity=SITE_REPORT, rows=rows)


def record_site_report(
    session: Session, *, actor: Actor, values: Mapping[str, Any]
) -> models.TestingSiteReport:
    """Add one testing-site report."""
    return create_one(session, actor=actor, entity=SITE_REPORT, values=values)
