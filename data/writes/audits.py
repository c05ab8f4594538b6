"""Infection-control audits with their item results and findings; closing corrective actions.

The score and level are computed from the item results, never typed, and every change of an
audit keeps the facility's latest-audit state in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import Session

from data import models
from data.codes import AUDIT_RESULTS, AUDITABLE_KINDS
from data.measures.audits import audit_level, covid_score, ipcaf_score
from data.writes import state
from data.writes.actor import Actor
from data.writes.batch import FOLD_AT_MOST, Entity, edit_record, single_record
from data.writes.bulk import insert_returning_ids, insert_rows
from data.writes.changelog import as_json, log_inserted, log_record
from data.writes.errors import InvalidRecord, MissingVersion, PermissionDenied, Problem, StaleEdit
from data.writes.lookups import by_facility
from data.writes.permissions import authorize, authorize_role
from data.writes.revisions import keep_replaced
from data.writes.rules import (
    Context,
    Spec,
    check_row,
    day,
    event_day,
    event_time,
    maybe,
    one_of,
    optional,
    reference,
    required,
    text,
)
from data.writes.unit import unit_of_work

AUDIT_SPEC = Spec(
    fields={
        "facility_id": required(reference),
        "checklist_version_id": required(reference),
        "audited_at": required(event_time),
        "auditor": required(text(60)),
    }
)
RESULT_SPEC = Spec(
    fields={
        "item_id": required(reference),
        "result": required(one_of(AUDIT_RESULTS)),
        "note": optional(maybe(text(300))),
    }
)
FINDING_SPEC = Spec(
    fields={
        "item_id": optional(maybe(reference)),
        "finding_zh": required(text(300)),
        "finding_en": required(text(400)),
        "action_zh": required(text(300)),
        "action_en": required(text(400)),
        "owner": required(text(60)),
        "due_date": required(day),
        "closed_date": optional(maybe(event_day)),
    }
)
_facility_scope = by_facility("facility_id", AUDITABLE_KINDS)


def _checklist_items(
    session: Session, version_ids: set[int]
) -> dict[int, dict[int, tuple[str, float]]]:
    """version id -> {item id: (component, weight)}."""
    items: dict[int, dict[int, tuple[str, float]]] = {version: {} for version in version_ids}
    c = models.ChecklistItem
    for item_id, version_id, component, weight in session.execute(
        select(c.id, c.version_id, c.component, c.weight).where(
            c.version_id.in_(sorted(version_ids))
        )
    ):
        items[version_id][item_id] = (component, weight)
    return items


def _within(part: str, position: int, problems: list[Problem]) -> list[Problem]:
    """Problems of one item result or finding, naming which (1-based, in the order given)."""
    return [
        replace(problem, params={**problem.params, "part": part, "position": position})
        for problem in problems
    ]


def _check_audit(
    number: int,
    audit: Mapping[str, Any],
    items: dict[int, dict[int, tuple[str, float]]],
    context: Context,
) -> tuple[dict, list[dict], list[dict], list[Problem]]:
    """One audit's clean values, results and findings, and its problems (at row `number`)."""
    values, problems = check_row(AUDIT_SPEC, audit.get("values", {}), context)
    version_items = items.get(values.get("checklist_version_id"), {})
    if not problems and not version_items:
        problems.append(
            Problem(
                "not_found",
                "checklist_version_id",
                params={"entity": "checklist", "key": values["checklist_version_id"]},
            )
        )
    results = []
    for position, (item_id, (result, note)) in enumerate(
        dict(audit.get("results", {})).items(), start=1
    ):
        clean, found = check_row(
            RESULT_SPEC, {"item_id": item_id, "result": result, "note": note}, context
        )
        if not found and version_items and item_id not in version_items:
            found.append(Problem("item_not_in_checklist", "item_id", params={"key": item_id}))
        problems.extend(_within("result", position, found))
        results.append(clean)
    if not results and not problems:
        problems.append(Problem("required", "results"))
    findings = []
    for position, finding in enumerate(audit.get("findings", ()), start=1):
        clean, found = check_row(FINDING_SPEC, finding, context)
        problems.extend(_within("finding", position, found))
        findings.append(clean)
    if not problems:
        scored = [(*version_items[r["item_id"]], r["result"]) for r in results]
        score = ipcaf_score(scored)
        values = {
            **values,
            # Not scored is stored as 0 with its level; reads show no score.
            "score": 0.0 if score is None else score,
            "level": audit_level(score),
            "covid_score": covid_score(scored),
        }
    return values, results, findings, [problem.at_row(number) for problem in problems]


def record_audits(
    session: Session, *, actor: Actor, audits: Iterable[Mapping[str, Any]]
) -> list[int]:
    """Add audits, each `{"values", "results": {item id: (result, note)}, "findings"}`.

    All of them or none: every audit is checked (facility auditable and in scope, items of
    its checklist version, findings complete) before any is written.
    """
    authorize_role(actor, "create", "audit")
    audits = list(audits)
    context = Context.current()
    with unit_of_work(session):
        version_ids = {a.get("values", {}).get("checklist_version_id") for a in audits}
        items = _checklist_items(session, {v for v in version_ids if type(v) is int})
        checked = [_check_audit(n, a, items, context) for n, a in enumerate(audits, start=1)]
        problems = [p for *_, found in checked for p in found]
        valid = [(n, c) for n, c in enumerate(checked, start=1) if not c[3]]
        scopes = _facility_scope(session, [values for _, (values, *_rest) in valid])
        denied = []
        for (number, _), scope in zip(valid, scopes, strict=True):
            if isinstance(scope, Problem):
                problems.append(scope.at_row(number))
                continue
            try:
                authorize(actor, "create", "audit", district_code=scope[0], facility_id=scope[1])
            except PermissionDenied as error:
                denied.append(error.problem.at_row(number))
        if denied:
            raise PermissionDenied(*denied[:1_000])
        if problems:
            raise InvalidRecord(*problems[:1_000])
        rows = [{**values, "version": 1} for values, *_ in checked]
        ids = insert_returning_ids(session, models.Audit, rows)
        results = [
            {**result, "audit_id": audit_id}
            for audit_id, (_, audit_results, _, _) in zip(ids, checked, strict=True)
            for result in audit_results
        ]
        findings = [
            {**finding, "audit_id": audit_id, "facility_id": values["facility_id"], "version": 1}
            for audit_id, (values, _, audit_findings, _) in zip(ids, checked, strict=True)
            for finding in audit_findings
        ]
        insert_rows(session, models.AuditItemResult, results)
        insert_rows(session, models.AuditFinding, findings)
        if len(ids) <= FOLD_AT_MOST:
            for audit_id in ids:
                state.apply_audit(session, session.get(models.Audit, audit_id))
        else:
            state.rebuild_audits(session)
        log_inserted(
            session,
            actor=actor,
            model=models.Audit,
            ids=ids,
            summary={"item_results": len(results), "findings": len(findings)},
            # The districts of the facilities audited: the change log filters by them.
            districts={scope[0] for scope in scopes if not isinstance(scope, Problem)},
        )
    return ids


def record_audit(
    session: Session,
    *,
    actor: Actor,
    values: Mapping[str, Any],
    results: Mapping[int, tuple[str, str | None]],
    findings: Iterable[Mapping[str, Any]] = (),
) -> models.Audit:
    """Add one audit with its item results and findings; the score is computed, not typed."""
    with single_record():
        (audit_id,) = record_audits(
            session,
            actor=actor,
            audits=[{"values": values, "results": results, "findings": list(findings)}],
        )
    return session.get(models.Audit, audit_id)


def edit_audit(
    session: Session,
    *,
    actor: Actor,
    audit_id: int,
    expected_version: int,
    changes: Mapping[str, Any] = {},  # noqa: B006 - read only
    results: Mapping[int, tuple[str, str | None]] | None = None,
) -> models.Audit:
    """Correct an audit's time, auditor or item results; score, level and the facility's
    latest-audit state follow."""
    if type(expected_version) is not int:
        raise MissingVersion(f"edit of audit {audit_id} without the version the editor read")
    not_editable = [
        Problem("not_editable", name) for name in changes if name not in ("audited_at", "auditor")
    ]
    if not_editable:
        raise InvalidRecord(*not_editable)
    authorize_role(actor, "edit", "audit")
    a = models.Audit
    with unit_of_work(session):
        raised = session.execute(
            update(a)
            .where(a.id == audit_id, a.version == expected_version)
            .values(version=expected_version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        audit = session.get(a, audit_id, populate_existing=True)
        params = {"entity": "audit", "key": audit_id}
        if audit is None:
            raise InvalidRecord(Problem("not_found", params=params))
        if raised != 1:
            raise StaleEdit(
                Problem(
                    "stale",
                    params={**params, "current": audit.version, "expected": expected_version},
                )
            )
        (scope,) = _facility_scope(session, [{"facility_id": audit.facility_id}])
        district_code = None if isinstance(scope, Problem) else scope[0]
        authorize(
            actor, "edit", "audit", district_code=district_code, facility_id=audit.facility_id
        )
        before = as_json(audit)
        stored = session.execute(
            select(
                models.AuditItemResult.item_id,
                models.AuditItemResult.result,
                models.AuditItemResult.note,
            ).where(models.AuditItemResult.audit_id == audit_id)
        ).all()
        new_results = dict(results) if results is not None else {i: (r, n) for i, r, n in stored}
        items = _checklist_items(session, {audit.checklist_version_id})
        values = {name: getattr(audit, name) for name in AUDIT_SPEC.names}
        clean, _, _, problems = _check_audit(
            1, {"values": {**values, **changes}, "results": new_results}, items, Context.current()
        )
        if problems:
            raise InvalidRecord(*(problem.at_row(None) for problem in problems))
        corrected = ("audited_at", "auditor", "score", "level", "covid_score")
        stored_audit = {"id": audit_id, **{name: getattr(audit, name) for name in corrected}}
        keep_replaced(session, models.Audit, [(stored_audit, clean)])
        for name in corrected:
            setattr(audit, name, clean[name])
        audit.version = expected_version + 1
        if results is not None:
            keep_replaced(
                session,
                models.AuditItemResult,
                (
                    (
                        {"audit_id": audit_id, "item_id": item_id, "result": result, "note": note},
                        {"result": new_results[item_id][0], "note": new_results[item_id][1]},
                    )
                    for item_id, result, note in stored
                    if item_id in new_results
                ),
            )
            session.execute(
                delete(models.AuditItemResult).where(models.AuditItemResult.audit_id == audit_id)
            )
            insert_rows(
                session,
                models.AuditItemResult,
                (
                    {"audit_id": audit_id, "item_id": item_id, "result": result, "note": note}
                    for item_id, (result, note) in new_results.items()
                ),
            )
        session.flush()
        state.refresh_audit_state(session, audit.facility_id)
        log_record(session, actor, audit, "update", before=before)
    session.refresh(audit)
    return audit


CORRECTIVE_ACTION = Entity(
    name="corrective_action",
    model=models.AuditFinding,
    spec=Spec(
        fields={
            **FINDING_SPEC.fields,
            "facility_id": required(reference),
            "audit_id": required(reference),
        }
    ),
    scope=by_facility("facility_id"),
    editable=frozenset({"closed_date", "owner", "due_date", "action_zh", "action_en"}),
)


def close_action(
    session: Session,
    *,
    actor: Actor,
    finding_id: int,
    expected_version: int,
    closed_date: date | None,
) -> models.AuditFinding:
    """Close a corrective action on a day (or reopen it with None)."""
    return edit_record(
        session,
        actor=actor,
        entity=CORRECTIVE_ACTION,
        key=finding_id,
        expected_version=expected_version,
        changes={"closed_date": closed_date},
        action="close",
    )


def edit_action(
    session: Session,
    *,
    actor: Actor,
    finding_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> models.AuditFinding:
    """Change a corrective action's owner, due date or wording."""
    return edit_record(
        session,
        actor=actor,
        entity=CORRECTIVE_ACTION,
        key=finding_id,
        expected_version=expected_version,
        changes=changes,
    )
