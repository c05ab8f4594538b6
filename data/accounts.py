"""Signing in: checking a password with a throttle, server-side sessions, wall-screen tokens,
and reading the accounts. No Streamlit here: the UI (and the command line) call these.

Writes (users, sessions, tokens, counting failures) go through data.writes.users. Tokens
are random and handed to the browser once; the database keeps only their SHA-256, so a copy
of the database opens no session.

Throttle (per account, i.e. the user name as typed, and per client, e.g. the address): the
first 5 failed sign-ins in a row cost nothing; the 5th and each later one make the account
and the client wait 30 s, 60 s, 120 s, ... at most 15 minutes. While waiting, every sign-in
of that account or from that client is refused as "throttled" (even with the right
password). Failures are one run while each follows the previous one, or the end of its
wait, within 15 minutes. A successful sign-in forgets the account's and the client's run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from data import models
from data.security import (
    MIN_PASSWORD_LENGTH,
    TOUCH_EVERY,
    dummy_hash,
    hash_password,
    new_token,
    seconds_until,
    token_hash,
    verify_password,
)
from data.timeutil import as_utc, utc_now
from data.writes import users as user_writes
from data.writes.actor import Actor
from data.writes.errors import InvalidRecord, PermissionDenied, Problem, WriteError
from data.writes.users import DEMO_ACCOUNTS_KEY, normalize_username, split_codes

__all__ = [
    "DEMO_ACCOUNTS_KEY",
    "MIN_PASSWORD_LENGTH",
    "SignIn",
    "actor_for",
    "authenticate",
    "demo_accounts",
    "end_session",
    "hash_password",
    "issue_screen_token",
    "list_screen_tokens",
    "list_users",
    "resolve",
    "resolve_screen_token",
    "resolve_session",
    "revoke_screen_token",
    "start_session",
    "verify_password",
]

# Longer than any token we issue: anything longer is not one, and is not hashed.
_MAX_TOKEN_LENGTH = 200
_KEY_LENGTH = 100  # SignInFailure.key


@dataclass(frozen=True)
class SignIn:
    """What a sign-in came to: the actor, or why not (an i18n key `signin.<problem>`) and how
    many seconds to wait before trying again."""

    actor: Actor | None
    problem: str | None
    wait_seconds: int


def _keys(username: str, client: str) -> list[tuple[str, str]]:
    # Accounts first: record_sign_in_failure locks rows in this order on every server.
    return [("account", username[:_KEY_LENGTH]), ("client", (client or "unknown")[:_KEY_LENGTH])]


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    client: str,
    now: datetime | None = None,
) -> SignIn:
    """Check a user name and password, throttled per account and per client (see above).

    An unknown user and a wrong password get the same answer ("bad_credentials") in about
    the same time (a dummy hash is verified); "disabled" is said only to someone who knows
    the password.
    """
    now = as_utc(now) if now is not None else utc_now()
    name = normalize_username(username)
    if not name or not isinstance(password, str) or not password:
        return SignIn(None, "bad_credentials", 0)  # nothing was tried: nothing is counted
    keys = _keys(name, client)
    failures = models.SignInFailure
    counted = session.execute(
        select(failures.kind, failures.key, failures.blocked_until).where(
            ((failures.kind == keys[0][0]) & (failures.key == keys[0][1]))
            | ((failures.kind == keys[1][0]) & (failures.key == keys[1][1]))
        )
    ).all()
    blocked = [as_utc(row.blocked_until) for row in counted if row.blocked_until is not None]
    wait = max((seconds_until(moment, now) for moment in blocked), default=0)
    if wait > 0:
        return SignIn(None, "throttled", wait)
    user = session.execute(
        select(models.User).where(models.User.username == name)
    ).scalar_one_or_none()
    stored = user.password_hash if user is not None else None
    matches = verify_password(stored or dummy_hash(), password) and stored is not None
    if not matches:
        started = user_writes.record_sign_in_failure(session, keys=keys, now=now)
        seconds = int(started.total_seconds())
        return SignIn(None, "throttled" if seconds else "bad_credentials", seconds)
    if not user.is_active:
        return SignIn(None, "disabled", 0)
    actor = actor_for(session, user)
    if counted:
        user_writes.clear_sign_in_failures(session, keys=keys)
    return SignIn(actor, None, 0)


def actor_for(session: Session, user: models.User) -> Actor:
    """The write side's actor for a user: role, and scope (districts; facilities by id)."""
    codes = split_codes(user.facility_codes)
    facility_ids: frozenset[int] = frozenset()
    if codes:
        facility_ids = frozenset(
            session.execute(
                select(models.Facility.id).where(models.Facility.code.in_(codes))
            ).scalars()
        )
    return Actor(
        name=user.username,
        role=user.role,
        user_id=user.id,
        district_codes=frozenset(split_codes(user.district_codes)),
        facility_ids=facility_ids,
    )


def actor_named(session: Session, username: str) -> Actor:
    """The actor of an active account, by user name (the command line's `--user`)."""
    user = session.execute(
        select(models.User).where(models.User.username == normalize_username(username))
    ).scalar_one_or_none()
    if user is None:
        raise InvalidRecord(Problem("unknown_user", "username", params={"key": username}))
    if not user.is_active:
        raise PermissionDenied(Problem("user_disabled", params={"user": user.username}))
    return actor_for(session, user)


# --- Sessions ------------------------------------------------------------------------------


def start_session(
    session: Session, *, user_id: int, lifetime: timedelta, now: datetime | None = None
) -> str:
    """Start a session for a user who has just signed in; returns its token (the only copy).

    Refused (data.writes.PermissionDenied, "user_disabled") for a disabled user.
    """
    token = new_token()
    user_writes.open_session(
        session, user_id=user_id, token_hash=token_hash(token), lifetime=lifetime, now=now
    )
    return token


def _hash_of(token: object) -> str | None:
    if not isinstance(token, str) or not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    return token_hash(token)


def resolve_session(session: Session, token: str, now: datetime | None = None) -> Actor | None:
    """The signed-in user of a session token; None when unknown, expired, ended or the user
    is disabled. Notes the use at most every few minutes (data.security.TOUCH_EVERY)."""
    hashed = _hash_of(token)
    if hashed is None:
        return None
    now = as_utc(now) if now is not None else utc_now()
    found = session.execute(
        select(models.AuthSession, models.User)
        .join(models.User, models.User.id == models.AuthSession.user_id)
        .where(models.AuthSession.token_hash == hashed)
    ).first()
    if found is None:
        return None
    record, user = found
    if record.revoked_at is not None or as_utc(record.expires_at) <= now or not user.is_active:
        return None
    actor = actor_for(session, user)
    if now - as_utc(record.last_seen_at) >= TOUCH_EVERY:
        _touch(lambda: user_writes.touch_session(session, session_id=record.id, now=now))
    return actor


def _touch(write: Callable[[], None]) -> None:
    """Bookkeeping that must never stop a page: a busy database skips it this time."""
    with suppress(WriteError):
        write()


def end_session(session: Session, token: str) -> None:
    """Sign out: the session ends on the server (a copy of its cookie opens nothing)."""
    hashed = _hash_of(token)
    if hashed is not None:
        user_writes.close_session(session, token_hash=hashed)


# --- Wall-screen tokens --------------------------------------------------------------------


def issue_screen_token(session: Session, *, actor: Actor, name: str) -> str:
    """A new read-only token for the wall screen `name` (admin only); shown this once."""
    token = new_token()
    user_writes.create_screen_token(session, actor=actor, name=name, token_hash=token_hash(token))
    return token


def revoke_screen_token(session: Session, *, actor: Actor, name: str) -> None:
    """End a wall screen's token (admin only)."""
    user_writes.revoke_screen_token(session, actor=actor, name=name)


def resolve_screen_token(session: Session, token: str, now: datetime | None = None) -> Actor | None:
    """The read-only actor `screen:<name>` of a live screen token, or None."""
    hashed = _hash_of(token)
    if hashed is None:
        return None
    record = session.execute(
        select(models.ScreenToken).where(models.ScreenToken.token_hash == hashed)
    ).scalar_one_or_none()
    if record is None or record.revoked_at is not None:
        return None
    now = as_utc(now) if now is not None else utc_now()
    actor = Actor(name=f"screen:{record.name}", role="screen")
    last_seen = record.last_seen_at
    if last_seen is None or now - as_utc(last_seen) >= TOUCH_EVERY:
        _touch(lambda: user_writes.touch_screen_token(session, token_id=record.id, now=now))
    return actor


def resolve(session: Session, token: str, now: datetime | None = None) -> Actor | None:
    """Whoever a browser's token stands for: a user's session, or a wall screen's token."""
    return resolve_session(session, token, now) or resolve_screen_token(session, token, now)


def list_screen_tokens(session: Session) -> list[dict]:
    """Every screen token by name: name, created_at, created_by, revoked_at, last_seen_at,
    active (never the token)."""
    records = session.execute(
        select(models.ScreenToken).order_by(models.ScreenToken.name)
    ).scalars()
    return [
        {
            "name": record.name,
            "created_at": as_utc(record.created_at),
            "created_by": record.created_by,
            "revoked_at": _utc_or_none(record.revoked_at),
            "last_seen_at": _utc_or_none(record.last_seen_at),
            "active": record.revoked_at is None,
        }
        for record in records
    ]


# --- Accounts ------------------------------------------------------------------------------


def list_users(session: Session) -> list[dict]:
    """Every account by user name: username, display_name, role, districts and facilities
    (lists of codes), is_active, created_at, last_seen_at (of its latest session, or None)."""
    last_seen = (
        select(models.AuthSession.user_id, func.max(models.AuthSession.last_seen_at).label("seen"))
        .group_by(models.AuthSession.user_id)
        .subquery()
    )
    rows = session.execute(
        select(models.User, last_seen.c.seen)
        .outerjoin(last_seen, last_seen.c.user_id == models.User.id)
        .order_by(models.User.username)
    ).all()
    return [
        {
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "districts": split_codes(user.district_codes),
            "facilities": split_codes(user.facility_codes),
            "is_active": user.is_active,
            "created_at": as_utc(user.created_at),
            "last_seen_at": _utc_or_none(seen),
        }
        for user, seen in rows
    ]


def demo_accounts(session: Session) -> list[dict] | None:
    """The demo scenario's accounts (username, role, password, scope: text or None for the
    whole city) that can still sign in; None when the data is not the demo."""
    info = session.get(models.DatasetInfo, DEMO_ACCOUNTS_KEY)
    if info is None:
        return None
    listed = json.loads(info.value).get("accounts", [])
    active = set(
        session.execute(
            select(models.User.username).where(
                models.User.username.in_([account["username"] for account in listed]),
                models.User.is_active.is_(True),
            )
        ).scalars()
    )
    return [account for account in listed if account["username"] in active]


def _utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)
