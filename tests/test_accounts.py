"""Accounts and sign-in on SQLite and PostgreSQL: password hashes, the throttle, server-side
sessions, wall-screen tokens, who may manage accounts, and no secret in the change log."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from data import accounts, models, writes
from data.security import verify_password
from data.timeutil import as_utc
from data.writes import SYSTEM, Actor, InvalidRecord, PermissionDenied
from i18n import describe_error, t
from tests.factories import in_language, make_facility

PASSWORD = "correct horse battery"
LIWAN, YUEXIU = "440103", "440104"
T = datetime(2021, 6, 10, 12, 0, tzinfo=UTC)
ADMIN = Actor(name="root", role="admin")
OFFICER = Actor(name="li", role="duty_officer", district_codes=frozenset({LIWAN}))


def _user(session: Session, username: str = "li-wei", role: str = "leadership", **values):
    return writes.create_user(
        session, actor=SYSTEM, username=username, role=role, password=PASSWORD, **values
    )


def _sign_in(session: Session, username: str, password: str, *, client="10.0.0.1", now=T):
    return accounts.authenticate(
        session, username=username, password=password, client=client, now=now
    )


def _log_text(session: Session) -> str:
    rows = session.execute(
        select(
            models.ChangeLog.record_key, models.ChangeLog.before_json, models.ChangeLog.after_json
        )
    ).all()
    return "\n".join(str(part) for row in rows for part in row)


# --- Passwords -----------------------------------------------------------------------------


def test_a_password_is_stored_as_a_salted_argon2_hash() -> None:
    stored = accounts.hash_password(PASSWORD)
    assert stored != PASSWORD and stored.startswith("$argon2id$")
    assert stored != accounts.hash_password(PASSWORD)  # salted
    assert accounts.verify_password(stored, PASSWORD)
    assert not accounts.verify_password(stored, PASSWORD + "!")
    assert not accounts.verify_password("not a hash", PASSWORD)


def test_a_short_password_is_refused_with_its_field_in_both_languages(session: Session) -> None:
    with pytest.raises(InvalidRecord) as refused:
        writes.create_user(
            session, actor=SYSTEM, username="li-wei", role="leadership", password="too short"
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("password", "password_too_short")
    ]
    assert accounts.MIN_PASSWORD_LENGTH == 10
    assert in_language("en", describe_error, refused.value) == (
        "Password must be at least 10 characters long"
    )
    assert in_language("zh", describe_error, refused.value) == "密码至少需要 10 个字符"
    assert session.execute(select(func.count()).select_from(models.User)).scalar_one() == 0


def test_every_bad_field_of_a_new_account_is_named(session: Session) -> None:
    make_facility(session, code="H-LW-1", kind="quarantine_hotel", cohort="close_contact")
    _user(session, "taken")
    cases = [
        ({"username": "x"}, "username", "bad_username"),
        ({"username": "li wei"}, "username", "bad_username"),
        ({"username": "Taken"}, "username", "duplicate"),  # user names ignore case
        ({"role": "boss"}, "role", "not_a_choice"),
        ({"role": "duty_officer"}, "district_codes", "scope_required"),
        (
            {"role": "duty_officer", "district_codes": ["999999"]},
            "district_codes",
            "unknown_district",
        ),
        (
            {"role": "duty_officer", "facility_codes": ["NOPE"]},
            "facility_codes",
            "unknown_facility",
        ),
        ({"district_codes": [LIWAN]}, "district_codes", "scope_not_for_role"),
    ]
    for values, field, code in cases:
        row = {"username": "new-user", "role": "leadership", **values}
        with pytest.raises(InvalidRecord) as refused:
            writes.create_user(session, actor=SYSTEM, password=PASSWORD, **row)
        (problem,) = refused.value.problems
        assert problem.field == field, values
        assert problem.code == code, values
    with pytest.raises(InvalidRecord) as refused:
        writes.create_user(
            session,
            actor=SYSTEM,
            username="new-user",
            role="duty_officer",
            password=PASSWORD,
            facility_codes=["NOPE"],
        )
    assert in_language("en", describe_error, refused.value) == (
        "Facilities: no facility has the code NOPE"
    )
    officer = _user(
        session,
        "Wang.Fang",
        "duty_officer",
        district_codes=[YUEXIU, LIWAN, LIWAN],
        facility_codes=["H-LW-1"],
    )
    assert (officer.username, officer.display_name) == ("wang.fang", "Wang.Fang")
    assert (officer.district_codes, officer.facility_codes) == (f"{LIWAN},{YUEXIU}", "H-LW-1")


# --- Signing in ------------------------------------------------------------------------------


def test_a_sign_in_gives_the_users_actor_with_their_scope(session: Session) -> None:
    hotel = make_facility(session, code="H-YX-1", kind="quarantine_hotel", district_code=YUEXIU)
    user = _user(
        session, "li-wei", "duty_officer", district_codes=[LIWAN], facility_codes=["H-YX-1"]
    )
    result = _sign_in(session, "  Li-Wei ", PASSWORD)
    assert result == accounts.SignIn(
        actor=Actor(
            name="li-wei",
            role="duty_officer",
            user_id=user.id,
            district_codes=frozenset({LIWAN}),
            facility_ids=frozenset({hotel.id}),
        ),
        problem=None,
        wait_seconds=0,
    )
    assert result.actor.covers(YUEXIU, hotel.id) and not result.actor.covers(YUEXIU)


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(session: Session) -> None:
    _user(session, "li-wei")
    wrong = _sign_in(session, "li-wei", "wrong password!")
    unknown = _sign_in(session, "nobody", PASSWORD, client="10.0.0.2")
    assert wrong == unknown == accounts.SignIn(None, "bad_credentials", 0)
    assert _sign_in(session, "", "") == accounts.SignIn(None, "bad_credentials", 0)
    assert in_language("en", t, "signin.bad_credentials") == "Wrong user name or password"
    assert in_language("zh", t, "signin.bad_credentials") == "用户名或密码错误"


def test_a_disabled_user_is_told_so_only_with_the_right_password(session: Session) -> None:
    _user(session, "li-wei")
    writes.disable_user(session, actor=ADMIN, username="li-wei")
    assert _sign_in(session, "li-wei", PASSWORD) == accounts.SignIn(None, "disabled", 0)
    assert _sign_in(session, "li-wei", "wrong password!").problem == "bad_credentials"
    writes.enable_user(session, actor=ADMIN, username="li-wei")
    assert _sign_in(session, "li-wei", PASSWORD, client="10.0.0.9").actor is not None


def test_repeated_failures_of_one_account_make_it_wait_longer_each_time(
    session: Session,
) -> None:
    _user(session, "li-wei")
    now, answers = T, []
    for _ in range(11):  # each try comes as soon as the last wait is over
        result = _sign_in(session, "li-wei", "wrong password!", client="10.0.0.1", now=now)
        answers.append((result.problem, result.wait_seconds))
        now += timedelta(seconds=result.wait_seconds)
    assert answers == [("bad_credentials", 0)] * 4 + [
        ("throttled", seconds) for seconds in (30, 60, 120, 240, 480, 900, 900)
    ]
    # While it waits, even the right password (from anywhere) is refused, and not counted.
    waiting = _sign_in(
        session, "li-wei", PASSWORD, client="10.0.0.7", now=now - timedelta(seconds=1)
    )
    assert waiting == accounts.SignIn(None, "throttled", 1)
    # Once the wait is over, the right password opens; and the account starts afresh.
    assert _sign_in(session, "li-wei", PASSWORD, client="10.0.0.7", now=now).actor is not None
    for _ in range(4):
        assert (
            _sign_in(session, "li-wei", "wrong!!!!!!", client="10.0.0.7", now=now).wait_seconds == 0
        )


def test_the_account_is_throttled_whichever_client_fails(session: Session) -> None:
    _user(session, "li-wei")
    for number in range(1, 6):
        result = _sign_in(session, "LI-WEI", "wrong password!", client=f"10.0.1.{number}")
    assert result == accounts.SignIn(None, "throttled", 30)
    later = T + timedelta(seconds=12)
    assert _sign_in(session, "li-wei", PASSWORD, client="10.0.1.9", now=later) == (
        accounts.SignIn(None, "throttled", 18)
    )


def test_a_client_trying_many_accounts_is_throttled(session: Session) -> None:
    _user(session, "li-wei")
    for number in range(1, 6):
        result = _sign_in(session, f"guess-{number}", PASSWORD, client="10.0.2.1")
    assert result == accounts.SignIn(None, "throttled", 30)
    assert _sign_in(session, "li-wei", PASSWORD, client="10.0.2.1") == (
        accounts.SignIn(None, "throttled", 30)
    )
    assert _sign_in(session, "li-wei", PASSWORD, client="10.0.2.2").actor is not None


def test_failures_are_forgotten_after_a_success_or_15_quiet_minutes(session: Session) -> None:
    _user(session, "li-wei")
    for _ in range(4):
        _sign_in(session, "li-wei", "wrong password!")
    assert _sign_in(session, "li-wei", PASSWORD).actor is not None
    for _ in range(4):
        assert _sign_in(session, "li-wei", "wrong password!").wait_seconds == 0
    # Fifteen minutes later and a second, the run of four is over: one failure, no wait.
    quiet = T + timedelta(minutes=15, seconds=1)
    assert _sign_in(session, "li-wei", "wrong password!", now=quiet).wait_seconds == 0
    assert session.get(models.SignInFailure, ("account", "li-wei")).failures == 1


def test_failed_sign_ins_leave_the_change_log_and_the_counter_alone(session: Session) -> None:
    _user(session, "li-wei")
    counter = session.get(models.ChangeCounter, 1).value
    for _ in range(6):
        _sign_in(session, "li-wei", "wrong password!")
    session.expire_all()
    assert session.get(models.ChangeCounter, 1).value == counter


# --- Sessions --------------------------------------------------------------------------------


def test_a_session_lives_until_it_expires_or_is_ended(session: Session) -> None:
    user = _user(session, "li-wei", "duty_officer", district_codes=[LIWAN])
    token = accounts.start_session(session, user_id=user.id, lifetime=timedelta(hours=12), now=T)
    stored = session.exec(select(models.AuthSession)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    actor = accounts.resolve_session(session, token, now=T + timedelta(hours=1))
    assert actor == Actor(
        name="li-wei", role="duty_officer", user_id=user.id, district_codes=frozenset({LIWAN})
    )
    assert accounts.resolve_session(session, token, now=T + timedelta(hours=12)) is None
    assert accounts.resolve_session(session, token + "x", now=T) is None
    for garbage in ("", "x" * 10_000, None):
        assert accounts.resolve_session(session, garbage, now=T) is None
    accounts.end_session(session, token)
    assert accounts.resolve_session(session, token, now=T) is None
    accounts.end_session(session, token)  # twice is harmless
    accounts.end_session(session, "never issued")


def test_a_session_notes_its_use_only_every_few_minutes(session: Session) -> None:
    user = _user(session)
    token = accounts.start_session(session, user_id=user.id, lifetime=timedelta(hours=12), now=T)
    accounts.resolve_session(session, token, now=T + timedelta(minutes=2))
    session.expire_all()
    assert as_utc(session.exec(select(models.AuthSession.last_seen_at)).one()) == T
    accounts.resolve_session(session, token, now=T + timedelta(minutes=6))
    session.expire_all()
    seen = as_utc(session.exec(select(models.AuthSession.last_seen_at)).one())
    assert seen == T + timedelta(minutes=6)


def test_disabling_a_user_or_resetting_their_password_ends_their_sessions(
    session: Session,
) -> None:
    user = _user(session, "li-wei")
    lifetime = timedelta(hours=12)
    first = accounts.start_session(session, user_id=user.id, lifetime=lifetime, now=T)
    second = accounts.start_session(session, user_id=user.id, lifetime=lifetime, now=T)
    writes.disable_user(session, actor=ADMIN, username="li-wei")
    assert accounts.resolve_session(session, first, now=T) is None
    assert accounts.resolve_session(session, second, now=T) is None
    with pytest.raises(PermissionDenied) as refused:
        accounts.start_session(session, user_id=user.id, lifetime=lifetime, now=T)
    assert refused.value.code == "user_disabled"
    writes.enable_user(session, actor=ADMIN, username="li-wei")
    assert accounts.resolve_session(session, first, now=T) is None  # ended for good
    third = accounts.start_session(session, user_id=user.id, lifetime=lifetime, now=T)
    writes.reset_password(session, actor=ADMIN, username="li-wei", password="a new password")
    assert accounts.resolve_session(session, third, now=T) is None
    assert _sign_in(session, "li-wei", PASSWORD).problem == "bad_credentials"
    assert _sign_in(session, "li-wei", "a new password").actor is not None


def test_an_admin_cannot_disable_their_own_account(session: Session) -> None:
    admin = _user(session, "root", "admin")
    actor = accounts.actor_for(session, admin)
    with pytest.raises(InvalidRecord) as refused:
        writes.disable_user(session, actor=actor, username="root")
    assert in_language("en", describe_error, refused.value) == (
        "You cannot disable the account you are signed in with"
    )
    with pytest.raises(InvalidRecord) as refused:
        writes.disable_user(session, actor=actor, username="nobody")
    assert in_language("en", describe_error, refused.value) == "There is no user named nobody"


# --- Wall-screen tokens --------------------------------------------------------------------


def test_a_screen_token_opens_read_only_until_revoked(session: Session) -> None:
    token = accounts.issue_screen_token(session, actor=ADMIN, name="hall-1")
    assert accounts.resolve_screen_token(session, token) == Actor(
        name="screen:hall-1", role="screen"
    )
    assert accounts.resolve_session(session, token) is None  # not a person's session
    with pytest.raises(InvalidRecord) as refused:
        accounts.issue_screen_token(session, actor=ADMIN, name="hall-1")
    assert (refused.value.field, refused.value.code) == ("name", "duplicate")
    (listed,) = accounts.list_screen_tokens(session)
    assert listed["name"] == "hall-1" and listed["active"] and listed["created_by"] == "root"
    assert token not in str(listed)
    accounts.revoke_screen_token(session, actor=ADMIN, name="hall-1")
    assert accounts.resolve_screen_token(session, token) is None
    assert not accounts.list_screen_tokens(session)[0]["active"]
    again = accounts.issue_screen_token(session, actor=ADMIN, name="hall-1")
    assert accounts.resolve_screen_token(session, again) is not None
    assert accounts.resolve_screen_token(session, token) is None
    with pytest.raises(InvalidRecord) as refused:
        accounts.revoke_screen_token(session, actor=ADMIN, name="hall-9")
    assert refused.value.code == "unknown_screen_token"


# --- Who may manage accounts -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["leadership", "duty_officer", "auditor", "screen"])
def test_only_an_admin_manages_accounts_and_screen_tokens(session: Session, role: str) -> None:
    _user(session, "li-wei")
    actor = Actor(name="someone", role=role, district_codes=frozenset({LIWAN}))
    attempts = [
        lambda: writes.create_user(
            session, actor=actor, username="new-user", role="admin", password=PASSWORD
        ),
        lambda: writes.disable_user(session, actor=actor, username="li-wei"),
        lambda: writes.reset_password(
            session, actor=actor, username="li-wei", password="a new password"
        ),
        lambda: accounts.issue_screen_token(session, actor=actor, name="hall-1"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert refused.value.code == "not_permitted"
    assert [user["username"] for user in accounts.list_users(session)] == ["li-wei"]
    assert accounts.list_users(session)[0]["is_active"]


def test_a_duty_officer_is_told_they_may_not_add_accounts(session: Session) -> None:
    with pytest.raises(PermissionDenied) as refused:
        writes.create_user(
            session, actor=OFFICER, username="new-user", role="admin", password=PASSWORD
        )
    assert in_language("en", describe_error, refused.value) == (
        "As duty officer, you may not add user accounts"
    )
    assert in_language("zh", describe_error, refused.value) == "值班员无权新增用户账号"


# --- The change log --------------------------------------------------------------------------


def test_the_change_log_names_sign_ins_but_holds_no_password_hash_or_token(
    session: Session,
) -> None:
    user = _user(session, "li-wei")
    writes.reset_password(session, actor=ADMIN, username="li-wei", password="a new password")
    token = accounts.start_session(session, user_id=user.id, lifetime=timedelta(hours=1))
    accounts.end_session(session, token)
    screen = accounts.issue_screen_token(session, actor=ADMIN, name="hall-1")
    session.expire_all()
    logged = _log_text(session)
    secrets = [
        PASSWORD,
        "a new password",
        session.get(models.User, user.id).password_hash,
        token,
        hashlib.sha256(token.encode()).hexdigest(),
        screen,
        hashlib.sha256(screen.encode()).hexdigest(),
        "$argon2",
    ]
    assert [secret for secret in secrets if secret in logged] == []
    entries = session.exec(
        select(models.ChangeLog).where(models.ChangeLog.table_name == "authsession")
    ).all()
    assert [(e.action, e.actor, e.user_id) for e in entries] == [
        ("insert", "li-wei", user.id),
        ("update", "li-wei", user.id),
    ]
    assert '"signed_in"' in entries[0].after_json and '"signed_out"' in entries[1].after_json
    (reset,) = session.exec(
        select(models.ChangeLog).where(
            models.ChangeLog.table_name == "user", models.ChangeLog.action == "update"
        )
    ).all()
    assert '"event": "password_reset"' in reset.after_json and reset.actor == "root"


def test_list_users_and_no_demo_accounts_outside_the_demo(session: Session) -> None:
    _user(session, "wang", "duty_officer", district_codes=[LIWAN], display_name="王芳")
    _user(session, "admin", "admin")
    listed = accounts.list_users(session)
    assert [(u["username"], u["role"], u["districts"], u["display_name"]) for u in listed] == [
        ("admin", "admin", [], "admin"),
        ("wang", "duty_officer", [LIWAN], "王芳"),
    ]
    assert "password_hash" not in listed[0]
    assert accounts.demo_accounts(session) is None
    assert verify_password(session.exec(select(models.User.password_hash)).first(), PASSWORD)
