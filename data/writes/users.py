"""Accounts and sign-ins: users (admin only), sessions, wall-screen tokens, failed sign-ins.

Users and screen tokens are written like any other record: authorised, validated, logged
(without their hashes: see changelog.NEVER_LOGGED). Signing in and out are logged too, as
an insert and an update of `authsession` by the user who signed in, with their name and
never their token. Counting failed sign-ins and noting when a session was last seen is
bookkeeping, not data: no change-log row, and the change counter (on which the pages'
caches are keyed) does not move.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlmodel import Session

from data import models
from data.codes import USER_ROLES
from data.reference.districts import DISTRICT_TABLE
from data.security import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    TOUCH_EVERY,
    WINDOW,
    hash_password,
    throttle_wait,
)
from data.timeutil import as_utc, utc_now
from data.writes.actor import Actor
from data.writes.batch import Entity, create_one
from data.writes.changelog import ALTERS_NO_FIGURES, as_json, log_change, log_record
from data.writes.errors import InvalidRecord, PermissionDenied, Problem
from data.writes.permissions import authorize_role
from data.writes.rules import (
    Bad,
    Context,
    Spec,
    check_row,
    flag,
    moment,
    one_of,
    optional,
    required,
    text,
)
from data.writes.state import _locked_row
from data.writes.unit import unit_of_work

# DatasetInfo key of the demo scenario's accounts (written by the demo seed).
DEMO_ACCOUNTS_KEY = "demo_accounts"
USERNAME = re.compile(r"[a-z0-9._-]{3,40}")
_DISTRICTS = frozenset(code for code, *_ in DISTRICT_TABLE)
# Failed sign-ins older than this (and no longer waiting) are deleted.
FORGET_FAILURES_AFTER = timedelta(days=1)
# Sessions that ended this long ago are deleted (the change log keeps the sign-in).
FORGET_SESSIONS_AFTER = timedelta(days=30)


def normalize_username(username: object) -> str:
    """User names are case-insensitive: stored, and looked up, in lower case."""
    return username.strip().lower() if isinstance(username, str) else ""


# --- Checks --------------------------------------------------------------------------------


def _username(value: Any, _: Context) -> str:
    if not isinstance(value, str):
        raise Bad("not_text", value=value)
    name = normalize_username(value)
    if not USERNAME.fullmatch(name):
        raise Bad("bad_username", value=value.strip())
    return name


def _codes(value: Any, context: Context, *, each: Any, max_length: int) -> str:
    """A list of codes (or one comma-separated string), stored sorted and comma-separated."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple | set | frozenset):
        raise Bad("not_text", value=value)
    clean: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            raise Bad("not_text", value=item)
        if item.strip():
            clean.add(each(item.strip(), context))
    joined = ",".join(sorted(clean))
    if len(joined) > max_length:
        raise Bad("too_long", length=len(joined), maximum=max_length)
    return joined


def _district(code: str, _: Context) -> str:
    if code not in _DISTRICTS:
        raise Bad("unknown_district", value=code)
    return code


def _district_codes(value: Any, context: Context) -> str:
    return _codes(value, context, each=_district, max_length=200)


def _facility_codes(value: Any, context: Context) -> str:
    return _codes(value, context, each=text(20), max_length=400)


def split_codes(joined: str | None) -> list[str]:
    """The codes of a comma-separated column."""
    return [code for code in (joined or "").split(",") if code]


def _scope_fits_role(row: dict[str, Any]) -> Problem | None:
    scoped = row["district_codes"] or row["facility_codes"]
    if row["role"] == "duty_officer" and not scoped:
        return Problem("scope_required", "district_codes")
    if row["role"] != "duty_officer" and scoped:
        field = "district_codes" if row["district_codes"] else "facility_codes"
        return Problem("scope_not_for_role", field, params={"role": row["role"]})
    return None


def _city_wide(_: Session, rows: list[dict]) -> list[tuple[None, None]]:
    return [(None, None) for _ in rows]


def _facilities_exist(session: Session, rows: list[dict], numbers: list[int]) -> list[Problem]:
    wanted = {code for row in rows for code in split_codes(row["facility_codes"])}
    if not wanted:
        return []
    found = set(
        session.execute(
            select(models.Facility.code).where(models.Facility.code.in_(sorted(wanted)))
        ).scalars()
    )
    return [
        Problem("unknown_facility", "facility_codes", number, {"value": code})
        for row, number in zip(rows, numbers, strict=True)
        for code in split_codes(row["facility_codes"])
        if code not in found
    ]


USER = Entity(
    name="user",
    model=models.User,
    spec=Spec(
        fields={
            "username": required(_username),
            "display_name": required(text(60)),
            "role": required(one_of(USER_ROLES)),
            "district_codes": optional(_district_codes, ""),
            "facility_codes": optional(_facility_codes, ""),
            "password_hash": required(text(200)),
            "is_active": optional(flag, True),
            "created_at": required(moment),
        },
        rules=(_scope_fits_role,),
    ),
    scope=_city_wide,
    unique=("username",),
    check=_facilities_exist,
    figures=False,
)


def password_problem(password: object) -> Problem | None:
    """Why a new password is refused, or None (the command line checks it before asking the
    database; the write side checks it again)."""
    if not isinstance(password, str):
        return Problem("not_text", "password", params={"value": "?"})
    if len(password) < MIN_PASSWORD_LENGTH:
        return Problem("password_too_short", "password", params={"minimum": MIN_PASSWORD_LENGTH})
    if len(password) > MAX_PASSWORD_LENGTH:
        return Problem("password_too_long", "password", params={"maximum": MAX_PASSWORD_LENGTH})
    return None


# --- Users ---------------------------------------------------------------------------------


def create_user(
    session: Session,
    *,
    actor: Actor,
    username: str,
    role: str,
    password: str,
    display_name: str | None = None,
    district_codes: Iterable[str] | str = (),
    facility_codes: Iterable[str] | str = (),
) -> models.User:
    """Add an account (admin only). A duty officer needs districts or facilities."""
    authorize_role(actor, "create", "user")
    values = {
        "username": username,
        "display_name": display_name if display_name not in (None, "") else username,
        "role": role,
        "district_codes": _as_list(district_codes),
        "facility_codes": _as_list(facility_codes),
        "created_at": utc_now(),
    }
    problem = password_problem(password)
    if problem is not None:
        # Say everything that is wrong at once, before the (slow) hash.
        _, others = check_row(USER.spec, {**values, "password_hash": "-"}, Context.current())
        raise InvalidRecord(problem, *others)
    return create_one(
        session,
        actor=actor,
        entity=USER,
        values={**values, "password_hash": hash_password(password)},
    )


def _as_list(codes: Iterable[str] | str) -> Any:
    return codes if isinstance(codes, str) else list(codes)


def _locked_user(session: Session, username: str) -> models.User:
    user = session.execute(
        select(models.User)
        .where(models.User.username == normalize_username(username))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if user is None:
        raise InvalidRecord(Problem("unknown_user", "username", params={"key": username}))
    return user


def _revoke_sessions(session: Session, user_id: int, now: datetime) -> int:
    return session.execute(
        update(models.AuthSession)
        .where(models.AuthSession.user_id == user_id, models.AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


def _change_user(
    session: Session, *, actor: Actor, username: str, event: str, **changes: Any
) -> models.User:
    """Apply `changes` to a user, end their sessions unless enabling, and log it."""
    authorize_role(actor, "edit", "user")
    with unit_of_work(session):
        user = _locked_user(session, username)
        if event == "disabled" and actor.user_id is not None and actor.user_id == user.id:
            raise InvalidRecord(Problem("cannot_disable_self", "username"))
        if event != "password_reset" and all(
            getattr(user, name) == value for name, value in changes.items()
        ):
            return user  # already so: nothing to write
        before = as_json(user)
        for name, value in changes.items():
            setattr(user, name, value)
        user.version += 1
        session.flush()
        ended = 0 if event == "enabled" else _revoke_sessions(session, user.id, utc_now())
        if event == "password_reset":  # the user was locked out: let them try again now
            clear_sign_in_failures(session, keys=[("account", user.username)])
        after = {**json.loads(as_json(user)), "event": event, "sessions_ended": ended}
        log_change(
            session,
            actor=actor,
            table_name="user",
            record_key=str(user.id),
            action="update",
            before=before,
            after=as_json(after),
            effective_at=ALTERS_NO_FIGURES,
        )
    session.refresh(user)
    return user


def disable_user(session: Session, *, actor: Actor, username: str) -> models.User:
    """Disable an account: it can no longer sign in, and its sessions end at once."""
    return _change_user(session, actor=actor, username=username, event="disabled", is_active=False)


def enable_user(session: Session, *, actor: Actor, username: str) -> models.User:
    """Let a disabled account sign in again."""
    return _change_user(session, actor=actor, username=username, event="enabled", is_active=True)


def reset_password(session: Session, *, actor: Actor, username: str, password: str) -> models.User:
    """Give an account a new password; its sessions end (sign in again with the new one)."""
    authorize_role(actor, "edit", "user")
    problem = password_problem(password)
    if problem is not None:
        raise InvalidRecord(problem)
    return _change_user(
        session,
        actor=actor,
        username=username,
        event="password_reset",
        password_hash=hash_password(password),
    )


def remove_demo_accounts(session: Session, *, actor: Actor) -> int:
    """Delete the demo scenario's accounts and their sessions (when the demo is cleared).

    Accounts added by an admin stay. The change log keeps the demo users' names (its
    `actor` column); only its link to their deleted rows is cleared.
    """
    authorize_role(actor, "maintain", "dataset")
    with unit_of_work(session):
        info = session.get(models.DatasetInfo, DEMO_ACCOUNTS_KEY)
        listed = json.loads(info.value).get("accounts", []) if info is not None else []
        names = [account["username"] for account in listed]
        ids = list(
            session.execute(select(models.User.id).where(models.User.username.in_(names))).scalars()
        )
        if not ids:
            return 0
        session.execute(delete(models.AuthSession).where(models.AuthSession.user_id.in_(ids)))
        session.execute(
            update(models.ChangeLog)
            .where(models.ChangeLog.user_id.in_(ids))
            .values(user_id=None)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            delete(models.SignInFailure).where(
                models.SignInFailure.kind == "account", models.SignInFailure.key.in_(names)
            )
        )
        return session.execute(delete(models.User).where(models.User.id.in_(ids))).rowcount


# --- Sessions --------------------------------------------------------------------------------


def _actor_of(user: models.User) -> Actor:
    return Actor(name=user.username, role=user.role, user_id=user.id)


def open_session(
    session: Session,
    *,
    user_id: int,
    token_hash: str,
    lifetime: timedelta,
    now: datetime | None = None,
) -> models.AuthSession:
    """Record a sign-in (the token's hash only) and log it as the user's own insert."""
    if lifetime <= timedelta(0):
        raise ValueError(f"a session lasts a positive time, not {lifetime}")
    now = as_utc(now) if now is not None else utc_now()
    with unit_of_work(session):
        user = None
        if user_id is not None:
            user = session.get(models.User, user_id, populate_existing=True)
        if user is None or not user.is_active:
            name = user.username if user is not None else str(user_id)
            raise PermissionDenied(Problem("user_disabled", params={"user": name}))
        session.execute(
            delete(models.AuthSession).where(
                models.AuthSession.expires_at < now - FORGET_SESSIONS_AFTER
            )
        )
        record = models.AuthSession(
            token_hash=token_hash,
            user_id=user.id,
            created_at=now,
            expires_at=now + lifetime,
            last_seen_at=now,
        )
        session.add(record)
        session.flush()
        log_change(
            session,
            actor=_actor_of(user),
            table_name="authsession",
            record_key=str(record.id),
            action="insert",
            before=None,
            after=as_json(
                {"event": "signed_in", "user": user.username, "expires_at": record.expires_at}
            ),
            effective_at=ALTERS_NO_FIGURES,
        )
    return record


def close_session(session: Session, *, token_hash: str, now: datetime | None = None) -> bool:
    """Revoke a session (signing out); False when it was unknown or already ended."""
    now = as_utc(now) if now is not None else utc_now()
    with unit_of_work(session):
        found = session.execute(
            select(models.AuthSession, models.User)
            .join(models.User, models.User.id == models.AuthSession.user_id)
            .where(models.AuthSession.token_hash == token_hash)
            .with_for_update(of=models.AuthSession)
            .execution_options(populate_existing=True)
        ).first()
        if found is None or found[0].revoked_at is not None:
            return False
        record, user = found
        record.revoked_at = now
        session.flush()
        log_change(
            session,
            actor=_actor_of(user),
            table_name="authsession",
            record_key=str(record.id),
            action="update",
            before=None,
            after=as_json({"event": "signed_out", "user": user.username}),
            effective_at=ALTERS_NO_FIGURES,
        )
    return True


def touch_session(session: Session, *, session_id: int, now: datetime) -> None:
    """Note that a session was used (bookkeeping: at most every TOUCH_EVERY, not logged)."""
    with unit_of_work(session):
        session.execute(
            update(models.AuthSession)
            .where(
                models.AuthSession.id == session_id,
                models.AuthSession.last_seen_at < now - TOUCH_EVERY,
            )
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )


# --- Wall-screen tokens --------------------------------------------------------------------


def _screen_name(name: object) -> str:
    try:
        return text(40)(name, Context.current())
    except Bad as bad:
        raise InvalidRecord(Problem(bad.code, "name", params=bad.params)) from None


def _locked_screen(session: Session, name: str) -> models.ScreenToken | None:
    return session.execute(
        select(models.ScreenToken)
        .where(models.ScreenToken.name == name)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def create_screen_token(
    session: Session, *, actor: Actor, name: str, token_hash: str
) -> models.ScreenToken:
    """Issue a wall screen's token (admin only); a revoked name may be issued again."""
    authorize_role(actor, "create", "screen_token")
    name = _screen_name(name)
    now = utc_now()
    with unit_of_work(session):
        record = _locked_screen(session, name)
        if record is not None and record.revoked_at is None:
            raise InvalidRecord(Problem("duplicate", "name", params={"value": name}))
        before = None if record is None else as_json(record)
        if record is None:
            record = models.ScreenToken(name=name, token_hash="", created_at=now, created_by="")
            session.add(record)
        record.token_hash, record.created_at, record.created_by = token_hash, now, actor.name
        record.revoked_at = record.last_seen_at = None
        session.flush()
        action = "insert" if before is None else "update"
        log_record(session, actor, record, action, before=before, effective_at=ALTERS_NO_FIGURES)
    return record


def revoke_screen_token(session: Session, *, actor: Actor, name: str) -> models.ScreenToken:
    """End a wall screen's token at once (admin only)."""
    authorize_role(actor, "edit", "screen_token")
    name = _screen_name(name)
    with unit_of_work(session):
        record = _locked_screen(session, name)
        if record is None:
            raise InvalidRecord(Problem("unknown_screen_token", "name", params={"key": name}))
        if record.revoked_at is None:
            before = as_json(record)
            record.revoked_at = utc_now()
            session.flush()
            log_record(
                session, actor, record, "update", before=before, effective_at=ALTERS_NO_FIGURES
            )
    return record


def touch_screen_token(session: Session, *, token_id: int, now: datetime) -> None:
    """Note that a screen used its token (bookkeeping, like touch_session)."""
    with unit_of_work(session):
        session.execute(
            update(models.ScreenToken)
            .where(
                models.ScreenToken.id == token_id,
                or_(
                    models.ScreenToken.last_seen_at.is_(None),
                    models.ScreenToken.last_seen_at < now - TOUCH_EVERY,
                ),
            )
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )


# --- Failed sign-ins -------------------------------------------------------------------------


def record_sign_in_failure(
    session: Session, *, keys: Sequence[tuple[str, str]], now: datetime
) -> timedelta:
    """Count a failed sign-in against each (kind, key); returns the longest wait it starts.

    Rows are created if absent and locked (an upsert), so that app servers sharing the
    database count every failure; keys are taken in the order given (accounts first).
    """
    now = as_utc(now)
    longest = timedelta(0)
    with unit_of_work(session):
        failure = models.SignInFailure
        session.execute(
            delete(failure).where(
                failure.last_failed_at < now - FORGET_FAILURES_AFTER,
                or_(failure.blocked_until.is_(None), failure.blocked_until < now),
            )
        )
        for kind, key in keys:
            row = _locked_row(
                session, failure, {"kind": kind, "key": key, "failures": 0, "last_failed_at": now}
            )
            quiet_since = as_utc(row.last_failed_at)
            if row.blocked_until is not None:
                quiet_since = max(quiet_since, as_utc(row.blocked_until))
            failures = row.failures if now - quiet_since <= WINDOW else 0
            wait = throttle_wait(failures + 1)
            row.failures, row.last_failed_at = failures + 1, now
            row.blocked_until = now + wait if wait else None
            longest = max(longest, wait)
        session.flush()
    return longest


def clear_sign_in_failures(session: Session, *, keys: Sequence[tuple[str, str]]) -> None:
    """Forget the failures of these (kind, key)s, after a successful sign-in."""
    with unit_of_work(session):
        for kind, key in keys:
            session.execute(
                delete(models.SignInFailure).where(
                    models.SignInFailure.kind == kind, models.SignInFailure.key == key
                )
            )
