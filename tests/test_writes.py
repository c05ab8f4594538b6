"""The write side on SQLite and PostgreSQL: who may write what, every rule with its message in
both languages, batches all or nothing, concurrent writers, a busy database."""

from __future__ import annotations

import ast
import re
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data import models, writes
from data.codes import DEMO_SCALES
from data.demo.timeline import SCALES
from data.writes import (
    SYSTEM,
    Actor,
    DatabaseBusy,
    InvalidRecord,
    MissingVersion,
    PermissionDenied,
    StaleEdit,
)
from data.writes import unit as unit_module
from data.writes.permissions import ACTIONS, ENTITIES, authorize
from data.writes.state import rebuild_derived_state
from i18n import CATALOGUE, describe_error
from tests.factories import (
    at,
    in_language,
    make_audit,
    make_checklist,
    make_component_checklist,
    make_facility,
    make_hotel,
    make_hotel_report,
    make_round,
    make_site_report,
    make_stock_report,
    make_supply_item,
)

ROOT = Path(__file__).resolve().parent.parent
LIWAN, YUEXIU = "440103", "440104"

# What each role may do (written out here, apart from the table in the code it checks).
ALLOWED: dict[str, dict[str, set[str]]] = {
    "leadership": {"alert_acknowledgement": {"create"}, "briefing": {"create"}},
    "screen": {},
    "duty_officer": {
        "alert_acknowledgement": {"create"},
        "site_report": {"create"},
        "hotel_report": {"create"},
        "stock_report": {"create"},
        "stock_line": {"edit"},
        "facility": {"edit"},
        "zone": {"create", "edit"},
        "case": {"create", "edit"},
    },
    "auditor": {
        "alert_acknowledgement": {"create"},
        "audit": {"create", "edit"},
        "corrective_action": {"close"},
    },
    "admin": {entity: set(ACTIONS) for entity in ENTITIES},
}


def _count(session: Session, table: type) -> int:
    return session.execute(select(func.count()).select_from(table)).scalar_one()


def _states(session: Session) -> dict[str, list[tuple]]:
    rows = {}
    for table in (
        models.TestingSiteState,
        models.TestingHourly,
        models.HotelState,
        models.HotelDaily,
        models.StockState,
        models.StockDaily,
        models.FacilityAuditState,
    ):
        result = session.execute(
            select(*table.__table__.columns).order_by(*table.__table__.primary_key)
        )
        rows[table.__tablename__] = [tuple(row) for row in result]
    return rows


# --- The permission table ----------------------------------------------------------------


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("entity", ENTITIES)
@pytest.mark.parametrize("action", ACTIONS)
def test_the_permission_table_for_every_role_action_and_entity(
    role: str, entity: str, action: str
) -> None:
    actor = Actor(name="x", role=role, district_codes=frozenset({LIWAN}))
    expected = action in ALLOWED[role].get(entity, set())
    if expected:
        authorize(actor, action, entity, district_code=LIWAN)
    else:
        with pytest.raises(PermissionDenied) as refused:
            authorize(actor, action, entity, district_code=LIWAN)
        assert refused.value.code == "not_permitted"
    # In scope above; out of scope here (acknowledging an alert is city-wide for everyone).
    if expected and role == "duty_officer" and entity != "alert_acknowledgement":
        with pytest.raises(PermissionDenied) as refused:
            authorize(actor, action, entity, district_code=YUEXIU)
        assert refused.value.code == "out_of_scope"


def test_a_duty_officer_writes_only_inside_their_districts(session: Session) -> None:
    liwan_site = make_facility(session, kind="testing_site", district_code=LIWAN)
    yuexiu_site = make_facility(session, kind="testing_site", district_code=YUEXIU)
    officer = Actor(name="li", role="duty_officer", district_codes=frozenset({LIWAN}))
    report = {"reported_at": at("2021-05-26 03:00"), "sampled": 10}
    writes.record_site_report(session, actor=officer, values={**report, "site_id": liwan_site.id})
    with pytest.raises(PermissionDenied) as refused:
        writes.record_site_report(
            session, actor=officer, values={**report, "site_id": yuexiu_site.id}
        )
    assert in_language("en", describe_error, refused.value) == (
        "li may change data only within their own scope (Yuexiu is outside it)"
    )
    assert in_language("zh", describe_error, refused.value) == (
        "li 只能修改本人负责范围内的数据（越秀区不在其中）"
    )
    assert _count(session, models.TestingSiteReport) == 1
    assert session.get(models.TestingSiteState, yuexiu_site.id) is None


def test_a_duty_officer_of_one_hotel_writes_for_that_hotel_only(session: Session) -> None:
    mine, other = make_hotel(session, rooms=10), make_hotel(session, rooms=10)
    officer = Actor(name="wang", role="duty_officer", facility_ids=frozenset({mine.id}))
    report = {"reported_at": at("2021-05-30 02:00"), "rooms_total": 10, "rooms_occupied": 4}
    writes.record_hotel_report(session, actor=officer, values={**report, "hotel_id": mine.id})
    with pytest.raises(PermissionDenied):
        writes.record_hotel_report(session, actor=officer, values={**report, "hotel_id": other.id})
    assert _count(session, models.HotelReport) == 1


def test_an_auditor_closes_actions_but_may_not_change_a_case(session: Session) -> None:
    hospital = make_facility(session, kind="general_hospital", district_code=LIWAN)
    version, items = make_checklist(session)
    finding = {
        "item_id": items["a"].id,
        "finding_zh": "未分区",
        "finding_en": "No zoning",
        "action_zh": "分区",
        "action_en": "Zone the ward",
        "owner": "院感科",
        "due_date": date(2021, 6, 5),
    }
    make_audit(
        session,
        facility=hospital,
        version=version,
        results=[(items["a"], "fail"), (items["b"], "pass")],
        audited_at=at("2021-06-01 02:00"),
        findings=[finding],
    )
    action = session.exec(select(models.AuditFinding)).one()
    auditor = Actor(name="zhao", role="auditor")
    closed = writes.close_action(
        session,
        actor=auditor,
        finding_id=action.id,
        expected_version=1,
        closed_date=date(2021, 6, 3),
    )
    assert (closed.closed_date, closed.version) == (date(2021, 6, 3), 2)
    case = writes.create_case(
        session,
        actor=SYSTEM,
        values={
            "case_no": "C1",
            "kind": "confirmed",
            "report_date": date(2021, 5, 21),
            "district_code": LIWAN,
            "community_zh": "白鹤洞街",
            "community_en": "Baihedong",
            "lon": 113.24,
            "lat": 23.08,
        },
    )
    with pytest.raises(PermissionDenied) as refused:
        writes.edit_case(
            session,
            actor=auditor,
            case_id=case.id,
            expected_version=1,
            changes={"severity": "severe"},
        )
    assert (
        in_language("en", describe_error, refused.value) == "As auditor, you may not change cases"
    )
    assert in_language("zh", describe_error, refused.value) == "督查员无权修改病例"
    session.expire_all()
    assert session.get(models.Case, case.id).severity == "mild"


@pytest.mark.parametrize("role", ["leadership", "screen"])
def test_read_only_roles_write_nothing(session: Session, role: str) -> None:
    site = make_facility(session, kind="testing_site", district_code=LIWAN)
    reader = Actor(name="boss", role=role, district_codes=frozenset({LIWAN}))
    with pytest.raises(PermissionDenied):
        writes.record_site_report(
            session,
            actor=reader,
            values={"site_id": site.id, "reported_at": at("2021-05-26 03:00")},
        )
    with pytest.raises(PermissionDenied):
        writes.edit_facility(
            session,
            actor=reader,
            facility_id=site.id,
            expected_version=1,
            changes={"status": "closed"},
        )
    assert _count(session, models.TestingSiteReport) == 0


# --- Validation rules, with their field and message in both languages ---------------------


@pytest.mark.parametrize(
    ("values", "field", "message_zh", "message_en"),
    [
        ({"sampled": -1}, "sampled", "采样数不能为负数（-1）", "Sampled cannot be negative (-1)"),
        (
            {"sampled": 10**20},
            "sampled",
            "采样数过大（100000000000000000000，最多 2147483647）",
            "Sampled is too large (100000000000000000000; at most 2147483647)",
        ),
        (
            {"sampled": 2**31},
            "sampled",
            "采样数过大（2147483648，最多 2147483647）",
            "Sampled is too large (2147483648; at most 2147483647)",
        ),
        (
            {"sampled": 2.5},
            "sampled",
            "采样数应为整数（收到 2.5）",
            "Sampled must be a whole number (got 2.5)",
        ),
        (
            {"queue_wait_minutes": "long"},
            "queue_wait_minutes",
            "排队时间（分钟）应为数字（收到 long）",
            "Queue wait (minutes) must be a number (got long)",
        ),
        (
            {"reported_at": at("2099-01-01 00:00")},
            "reported_at",
            "上报时间 2099-01-01 08:00 晚于当前时间",
            "Report time 2099-01-01 08:00 is in the future",
        ),
        (
            {"reported_at": at("2019-01-01 00:00")},
            "reported_at",
            "上报时间 2019-01-01 08:00 早于疫情开始（2019-12-01 08:00）",
            "Report time 2019-01-01 08:00 is before the outbreak could begin (2019-12-01 08:00)",
        ),
        (
            {"resulted": 3, "positive": 4},
            "positive",
            "阳性数（4）超过出结果数（3）",
            "Positives (4) exceeds the results out (3)",
        ),
        (
            {"resulted": 3, "pools_positive": 4},
            "pools_positive",
            "阳性混管数（4）超过出结果数（3）：阳性混管不会多于已出结果的样本",
            "Positive pools (4) exceeds the results out (3): there cannot be more positive pools "
            "than samples with results",
        ),
    ],
)
def test_site_report_rules_name_the_field_in_both_languages(
    session: Session, values: dict, field: str, message_zh: str, message_en: str
) -> None:
    site = make_facility(session, kind="testing_site")
    report = {"site_id": site.id, "reported_at": at("2021-05-26 03:00"), "sampled": 10, **values}
    with pytest.raises(InvalidRecord) as refused:
        writes.record_site_report(session, actor=SYSTEM, values=report)
    assert refused.value.field == field
    # A time in the future is compared with the clock: the message ends with "now ...".
    assert in_language("zh", describe_error, refused.value).startswith(message_zh)
    assert in_language("en", describe_error, refused.value).startswith(message_en)
    assert _count(session, models.TestingSiteReport) == 0
    assert session.get(models.ChangeCounter, 1).value == 1  # the site's own creation only


def test_a_site_never_has_more_results_than_samples_over_its_reports(session: Session) -> None:
    site = make_facility(session, kind="testing_site")
    testing_round = make_round(session)
    report = {"site_id": site.id, "round_id": testing_round.id}
    make_site_report(session, **report, reported_at=at("2021-05-26 03:00"), sampled=10, resulted=4)
    # Results of earlier samples may come in a later report ...
    make_site_report(session, **report, reported_at=at("2021-05-26 04:00"), sampled=0, resulted=6)
    # ... but never more than were sampled.
    with pytest.raises(InvalidRecord) as refused:
        make_site_report(
            session, **report, reported_at=at("2021-05-26 05:00"), sampled=0, resulted=1
        )
    assert in_language("en", describe_error, refused.value) == (
        f"Results out at site {site.id} in round {testing_round.id} (11 in all) exceed its "
        "samples (10)"
    )
    assert _count(session, models.TestingSiteReport) == 2
    hourly = session.exec(select(func.sum(models.TestingHourly.resulted))).one()
    assert hourly == 10


@pytest.mark.parametrize(
    ("values", "field", "message_en"),
    [
        ({"lon": float("nan")}, "lon", "Longitude is not a finite number (nan)"),
        (
            {"lon": 120.0},
            "lon",
            "Longitude 120 is outside the city (between 112.909 and 114.11)",
        ),
        ({"kind": "spaceport"}, "kind", "Kind must be one of designated_hospital"),
        ({"code": ""}, "code", "Code cannot be blank"),
        ({"code": "X" * 21}, "code", "Code is too long (21 characters; at most 20)"),
        ({"report_interval_minutes": 0}, "report_interval_minutes", "Reporting interval"),
    ],
)
def test_facility_rules(session: Session, values: dict, field: str, message_en: str) -> None:
    with pytest.raises(InvalidRecord) as refused:
        make_facility(session, **values)
    assert refused.value.field == field
    assert in_language("en", describe_error, refused.value).startswith(message_en)
    assert _count(session, models.Facility) == 0


def test_a_duplicate_code_is_named(session: Session) -> None:
    make_facility(session, code="S-1")
    with pytest.raises(InvalidRecord) as refused:
        make_facility(session, code="S-1")
    assert in_language("zh", describe_error, refused.value) == "编码 S-1 已存在"
    assert in_language("en", describe_error, refused.value) == "Code S-1 already exists"


def test_every_problem_code_of_the_write_side_has_a_message() -> None:
    codes = set()
    for path in (ROOT / "data" / "writes").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'(?:Problem|Bad)\(\s*"([a-z_]+)"', source))
        codes |= set(re.findall(r'not_above\([^)]*"([a-z_]+)"\)', source))
    assert len(codes) > 30
    assert sorted(code for code in codes if f"error.{code}" not in CATALOGUE) == []


# --- Batches: all or nothing ---------------------------------------------------------------


def test_a_batch_with_bad_rows_names_each_and_writes_nothing(session: Session) -> None:
    site = make_facility(session, kind="testing_site")
    rows = [
        {"site_id": site.id, "reported_at": at(f"2021-05-26 0{hour}:00"), "sampled": sampled}
        for hour, sampled in enumerate([5, -1, 7, 8, "x"], start=1)
    ]
    counter = session.get(models.ChangeCounter, 1).value
    with pytest.raises(InvalidRecord) as refused:
        writes.record_site_reports(session, actor=SYSTEM, rows=rows)
    assert [(p.row, p.field, p.code) for p in refused.value.problems] == [
        (2, "sampled", "negative"),
        (5, "sampled", "not_number"),
    ]
    assert in_language("zh", describe_error, refused.value) == (
        "第 2 行：采样数不能为负数（-1）\n第 5 行：采样数应为数字（收到 x）"
    )
    assert _count(session, models.TestingSiteReport) == 0
    assert _count(session, models.TestingSiteState) == 0
    assert session.get(models.ChangeCounter, 1, populate_existing=True).value == counter


def test_a_valid_batch_is_written_in_one_transaction_with_one_log_row(session: Session) -> None:
    site = make_facility(session, kind="testing_site")
    rows = [
        {"site_id": site.id, "reported_at": at(f"2021-05-26 0{hour}:00"), "sampled": 10 * hour}
        for hour in range(1, 6)
    ]
    ids = writes.record_site_reports(session, actor=SYSTEM, rows=rows)
    assert len(ids) == 5
    assert session.get(models.TestingSiteState, site.id).sampled_day == 150
    log = session.exec(select(models.ChangeLog).order_by(models.ChangeLog.id)).all()
    assert [(entry.table_name, entry.record_key) for entry in log] == [
        ("facility", str(site.id)),
        ("testingsitereport", f"{min(ids)}..{max(ids)}"),
    ]


def test_an_edit_without_the_version_read_is_a_programming_error(session: Session) -> None:
    site = make_facility(session)
    with pytest.raises(MissingVersion):
        writes.edit_facility(
            session, actor=SYSTEM, facility_id=site.id, expected_version=None, changes={}
        )


# --- Edits keep derived state in step --------------------------------------------------------


def test_correcting_an_audit_moves_its_score_level_and_the_facility_state(session: Session) -> None:
    hospital = make_facility(session, kind="general_hospital")
    version, items = make_component_checklist(
        session,
        label="edit-v1",
        items={"a": ("ipc_programme", 3.0), "b": ("guidelines", 1.0), "c": ("covid", 1.0)},
    )
    audit = make_audit(
        session,
        facility=hospital,
        version=version,
        results=[(items["a"], "pass"), (items["b"], "pass"), (items["c"], "fail")],
        audited_at=at("2021-06-01 02:00"),
    )
    assert (audit.score, audit.level, audit.covid_score) == (800.0, "advanced", 0.0)
    edited = writes.edit_audit(
        session,
        actor=Actor(name="zhao", role="auditor"),
        audit_id=audit.id,
        expected_version=1,
        results={
            items["a"].id: ("fail", "no zoning"),
            items["b"].id: ("pass", None),
            items["c"].id: ("pass", None),
        },
    )
    # Two core components assessed, at 0 and 100: 100 of 200, i.e. 400 of 800.
    assert (edited.score, edited.level, edited.version) == (400.0, "basic", 2)
    assert edited.covid_score == 100.0
    state = session.get(models.FacilityAuditState, hospital.id, populate_existing=True)
    assert (state.score, state.level, state.covid_score) == (400.0, "basic", 100.0)
    with pytest.raises(StaleEdit):
        writes.edit_audit(session, actor=SYSTEM, audit_id=audit.id, expected_version=1, results={})


def test_a_reorder_level_edit_refuses_a_stale_version(session: Session) -> None:
    item = make_supply_item(session)
    warehouse = make_facility(session, kind="warehouse")
    make_stock_report(
        session,
        item_id=item.id,
        location_id=warehouse.id,
        reported_at=at("2021-06-01 02:00"),
        on_hand=50,
    )
    line = writes.edit_reorder_level(
        session,
        actor=SYSTEM,
        item_id=item.id,
        location_id=warehouse.id,
        expected_version=1,
        reorder_level=40,
    )
    assert (line.reorder_level, line.version) == (40, 2)
    with pytest.raises(StaleEdit):
        writes.edit_reorder_level(
            session,
            actor=SYSTEM,
            item_id=item.id,
            location_id=warehouse.id,
            expected_version=1,
            reorder_level=10,
        )
    rebuild_derived_state(session)  # a rebuild keeps the level and its version
    session.commit()
    line = session.get(models.StockState, (item.id, warehouse.id), populate_existing=True)
    assert (line.reorder_level, line.version) == (40, 2)


# --- Concurrent writers ------------------------------------------------------------------------


def _at_once(count: int, work) -> list[BaseException]:  # noqa: ANN001
    """Run work(i) in `count` threads released together; returns what they raised."""
    barrier = threading.Barrier(count)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            work(index)
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_concurrent_reports_for_the_same_keys_are_all_accepted(engine: Engine) -> None:
    with Session(engine) as setup:
        site = make_facility(setup, kind="testing_site", district_code=LIWAN)
        testing_round = make_round(setup, district_code=LIWAN, target_population=100_000)
        hotel = make_hotel(setup, rooms=500)
        site_id, round_id, hotel_id = site.id, testing_round.id, hotel.id
        logged_before = _count(setup, models.ChangeLog)
    writers = 24

    def report(index: int) -> None:
        minute = f"2021-05-26 03:{index:02d}"
        with Session(engine) as session:
            make_site_report(
                session,
                site_id=site_id,
                round_id=round_id,
                reported_at=at(minute),
                sampled=10,
                resulted=5,
            )
            make_hotel_report(
                session,
                hotel_id=hotel_id,
                reported_at=at(minute),
                rooms_total=500,
                rooms_occupied=index,
                intake=1,
            )

    assert _at_once(writers, report) == []
    with Session(engine) as check:
        assert _count(check, models.TestingSiteReport) == writers
        assert _count(check, models.ChangeLog) == logged_before + 2 * writers
        hourly = check.exec(select(models.TestingHourly)).one()
        assert (hourly.sampled, hourly.resulted) == (10 * writers, 5 * writers)
        assert check.get(models.HotelState, hotel_id).intake_day == writers
        incremental = _states(check)
        rebuild_derived_state(check)
        check.commit()
        check.expire_all()
        assert _states(check) == incremental


def test_a_large_batch_out_of_order_folds_to_the_same_state_as_a_rebuild(
    session: Session,
) -> None:
    """A batch above FOLD_AT_MOST is folded key by key (not rebuilt): reports late and early,
    across local days, with and without a round, onto sites that already have state."""
    import random
    from datetime import timedelta

    from data.writes.batch import FOLD_AT_MOST
    from data.writes.testing import record_site_reports

    sites = [make_facility(session, kind="testing_site", district_code=LIWAN) for _ in range(7)]
    other = make_facility(session, kind="testing_site", district_code=YUEXIU)
    liwan = make_round(session, district_code=LIWAN, target_population=10_000_000)
    yuexiu = make_round(session, district_code=YUEXIU, target_population=10_000_000)
    # Some state first, from single reports: a site last reported on 05-27 (local).
    for index, site in enumerate(sites[:3]):
        make_site_report(
            session,
            site_id=site.id,
            round_id=liwan.id,
            reported_at=at("2021-05-27 05:00") + timedelta(minutes=index),
            sampled=50,
            resulted=10,
        )
    random.seed(12)
    start = at("2021-05-25 10:00")
    rows, used = [], set()
    while len(rows) < FOLD_AT_MOST + 500:
        site = random.choice([*sites, other])
        moment = start + timedelta(minutes=random.randrange(0, 4 * 24 * 60))
        if (site.id, moment) in used:
            continue
        used.add((site.id, moment))
        with_round = random.random() < 0.7
        sampled = random.randrange(0, 40)
        rows.append(
            {
                "site_id": site.id,
                "round_id": (yuexiu.id if site is other else liwan.id) if with_round else None,
                "reported_at": moment,
                "is_open": random.random() < 0.8,
                "sampled": sampled,
                "resulted": random.randrange(0, sampled + 1),
                "queue_wait_minutes": random.randrange(0, 90),
            }
        )
    random.shuffle(rows)  # out of order: later and earlier than what is stored
    record_site_reports(session, actor=SYSTEM, rows=rows)
    # A second large batch onto the state the first left.
    more = [
        {**row, "reported_at": row["reported_at"] + timedelta(seconds=17), "round_id": None}
        for row in rows[: FOLD_AT_MOST + 10]
    ]
    record_site_reports(session, actor=SYSTEM, rows=more)
    session.commit()
    folded = _states(session)
    assert len(folded["testingsitestate"]) == 8
    rebuild_derived_state(session)
    session.commit()
    session.expire_all()
    assert _states(session) == folded


def test_a_write_waiting_too_long_for_a_lock_says_busy(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(engine) as setup:
        site_id = make_facility(setup, kind="testing_site").id
    monkeypatch.setattr(unit_module, "LOCK_TIMEOUT_MS", 300)
    with engine.connect() as holder:
        if engine.dialect.name == "sqlite":
            holder.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            holder.execute(text("SELECT value FROM changecounter WHERE id = 1 FOR UPDATE"))
        with Session(engine) as session:
            if engine.dialect.name == "sqlite":
                session.connection().exec_driver_sql("PRAGMA busy_timeout = 300")
            with pytest.raises(DatabaseBusy) as refused:
                make_site_report(
                    session, site_id=site_id, reported_at=at("2021-05-26 03:00"), sampled=1
                )
        holder.rollback()
    assert in_language("en", describe_error, refused.value) == (
        "The database is busy (another write is in progress); try again in a moment"
    )
    with Session(engine) as check:
        assert _count(check, models.TestingSiteReport) == 0


# --- The shape of the code -----------------------------------------------------------------


def _python_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in (ROOT / folder).rglob("*.py")]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


# A commit, an ORM add, or an SQL INSERT / UPDATE / DELETE statement.
WRITING = r"\.commit\(|session\.add(_all)?\(|(?<![.\w])(insert|update|delete)\("


def test_every_commit_of_user_data_goes_through_the_write_side() -> None:
    # Schema migrations and reference data (districts, checklists) are not user data; a
    # backup or a restore copies the whole database as it is; figures kept for past moments
    # are worked out from the data, and kept as a cache (data.kept).
    allowed = {ROOT / "data" / "db.py", ROOT / "data" / "backup.py", ROOT / "data" / "kept.py"}
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files("data", "pages", "components")
        + [ROOT / "app.py", ROOT / "shell.py"]
        if "writes" not in path.parts
        and "migrations" not in path.parts
        and path not in allowed
        and re.search(WRITING, path.read_text("utf-8"))
        and "reference" not in path.parts
    ]
    assert offenders == []


def test_the_data_layer_imports_no_streamlit_and_components_no_database() -> None:
    streamlit = [
        str(p.relative_to(ROOT))
        for p in _python_files("data")
        if any(name.split(".")[0] == "streamlit" for name in _imports(p))
    ]
    assert streamlit == []
    database = ("sqlalchemy", "sqlmodel", "psycopg", "data.db", "data.models", "data.queries")
    database += ("data.writes", "data.bootstrap", "shell")
    reaching = [
        str(p.relative_to(ROOT))
        for p in _python_files("components")
        if any(name == d or name.startswith(f"{d}.") for name in _imports(p) for d in database)
    ]
    assert reaching == []


def test_the_demo_scales_are_the_code_list() -> None:
    assert tuple(SCALES) == DEMO_SCALES


# --- The other entities' rules, each with its field and both languages --------------------


@pytest.mark.parametrize(
    ("make", "values", "field", "message_zh", "message_en"),
    [
        (
            "case",
            {"close_contacts_identified": 3, "close_contacts_controlled": 5},
            "close_contacts_controlled",
            "已管控密接（5）超过已排查人数（3）",
            "Close contacts under control (5) exceeds those identified (3)",
        ),
        (
            "case",
            {"report_date": "2021-13-01"},
            "report_date",
            "报告日期不是日期（2021-13-01），应为 YYYY-MM-DD",
            "Report date is not a date (2021-13-01); use YYYY-MM-DD",
        ),
        (
            "case",
            {"hospital_id": 999_999},
            "hospital_id",
            "收治医院 999999 不是医院",
            "Hospital 999999 is not a hospital",
        ),
        (
            "zone",
            {"radius_m": None},
            "radius_m",
            "管控区域需有边界或半径",
            "A control zone needs a boundary or a radius",
        ),
        (
            "zone",
            {"lifted_at": at("2021-05-30 00:00")},
            "lifted_at",
            "解除时间 2021-05-30 08:00 早于划定时间 2021-05-31 08:00",
            "Lifted at 2021-05-30 08:00 is before the zone was imposed (2021-05-31 08:00)",
        ),
        (
            "zone",
            {"radius_m": -5.0},
            "radius_m",
            "半径（米）应大于 0（收到 -5）",
            "Radius (m) must be above 0 (got -5)",
        ),
        (
            "round",
            {"deadline_at": at("2021-05-25 00:00")},
            "deadline_at",
            "截止时间 2021-05-25 08:00 不晚于开始时间 2021-05-26 08:00",
            "Deadline 2021-05-25 08:00 is not after the start (2021-05-26 08:00)",
        ),
        (
            "round",
            {"round_no": 0},
            "round_no",
            "轮次至少为 1（收到 0）",
            "Round number must be at least 1 (got 0)",
        ),
        (
            "stock",
            {"location_id": 999_999},
            "location_id",
            "设施中没有编号为 999999 的记录",
            "There is no record 999999 among facilities",
        ),
        ("stock", {"on_hand": None}, "on_hand", "缺少库存", "On hand is missing"),
        (
            "hotel_at_site",
            {},
            "hotel_id",
            "隔离酒店应为隔离酒店（该设施为核酸采样点）",
            "Hotel must be a quarantine hotel (this is a testing site)",
        ),
        (
            "site_report",
            {"weather": "rain"},
            "weather",
            "不认识的字段：weather",
            "Unknown field: weather",
        ),
    ],
)
def test_each_rule_names_its_field_in_both_languages(
    session: Session, make: str, values: dict, field: str, message_zh: str, message_en: str
) -> None:
    from tests.factories import make_case, make_zone

    with pytest.raises(InvalidRecord) as refused:
        if make == "case":
            make_case(session, **{"report_date": date(2021, 5, 21), **values})
        elif make == "zone":
            make_zone(session, level="sealed", imposed_at=at("2021-05-31 00:00"), **values)
        elif make == "round":
            make_round(session, **values)
        elif make == "stock":
            item = make_supply_item(session)
            row = {"item_id": item.id, "location_id": 999_999, "on_hand": 1, **values}
            writes.record_stock_report(
                session, actor=SYSTEM, values={**row, "reported_at": at("2021-06-01 02:00")}
            )
        elif make == "hotel_at_site":
            site = make_facility(session, kind="testing_site")
            make_hotel_report(
                session,
                hotel_id=site.id,
                reported_at=at("2021-06-01 02:00"),
                rooms_total=10,
                rooms_occupied=1,
            )
        else:
            site = make_facility(session, kind="testing_site")
            make_site_report(session, site_id=site.id, reported_at=at("2021-06-01 02:00"), **values)
    assert refused.value.field == field
    assert in_language("zh", describe_error, refused.value) == message_zh
    assert in_language("en", describe_error, refused.value) == message_en


def test_bulk_inserts_give_left_out_columns_their_defaults(session: Session) -> None:
    """The write side's bulk insert (on SQLite straight through the driver) stores what
    SQLAlchemy would: left-out columns take their defaults, times and flags read back."""
    from data.writes.bulk import insert_returning_ids

    site = make_facility(session, kind="testing_site")
    rows = [{"site_id": site.id, "reported_at": at(f"2021-05-27 0{n}:00")} for n in range(3)]
    ids = insert_returning_ids(session, models.TestingSiteReport, rows)
    session.commit()
    stored = [session.get(models.TestingSiteReport, new_id) for new_id in ids]
    assert [(r.reported_at, r.is_open, r.sampled, r.round_id) for r in stored] == [
        (at(f"2021-05-27 0{n}:00"), True, 0, None) for n in range(3)
    ]


def test_bulk_inserts_store_rows_that_leave_out_different_columns(session: Session) -> None:
    """On SQLite (straight through the driver, a column at a time) rows of one insert need
    not name the same columns: one a row leaves out is stored as SQLAlchemy would store it
    (its default, or NULL), the others' values as given."""
    from data.writes.bulk import insert_returning_ids

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLAlchemy's executemany on PostgreSQL takes rows of the same columns")

    site = make_facility(session, kind="testing_site")
    rounds = make_round(session, district_code=site.district_code)
    rows = [
        {"site_id": site.id, "round_id": rounds.id, "reported_at": at("2021-05-27 01:00")},
        {"site_id": site.id, "reported_at": at("2021-05-27 02:00"), "is_open": False},
    ]
    ids = insert_returning_ids(session, models.TestingSiteReport, rows)
    session.commit()
    stored = [session.get(models.TestingSiteReport, new_id) for new_id in ids]
    assert [(r.reported_at, r.round_id, r.is_open, r.sampled) for r in stored] == [
        (at("2021-05-27 01:00"), rounds.id, True, 0),
        (at("2021-05-27 02:00"), None, False, 0),
    ]


def test_a_batch_collects_garbage_rarely_and_sets_the_collector_back_after() -> None:
    """While batches run (two sessions of the app at once), the collector's first threshold
    is raised; the last batch to end, refused or not, sets it back."""
    import gc

    from data.writes.bulk import BATCH_GC_THRESHOLD, fewer_collections

    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (BATCH_GC_THRESHOLD, *before[1:])
        with pytest.raises(RuntimeError), fewer_collections():
            raise RuntimeError("a refused batch")
        assert gc.get_threshold() == (BATCH_GC_THRESHOLD, *before[1:])  # the first runs on
    assert gc.get_threshold() == before


def test_a_batch_on_sqlite_has_a_larger_page_cache_and_sets_it_back(session: Session) -> None:
    from data.writes.bulk import SQLITE_BATCH_CACHE_KIB, larger_page_cache

    def cache_size() -> int:
        return session.connection().exec_driver_sql("PRAGMA cache_size").scalar()

    if session.get_bind().dialect.name != "sqlite":
        with larger_page_cache(session):  # nothing to set on PostgreSQL
            assert session.execute(text("SELECT 1")).scalar() == 1
        return
    before = cache_size()
    with larger_page_cache(session):
        assert cache_size() == -SQLITE_BATCH_CACHE_KIB
    assert cache_size() == before == -2000


class _Tied:
    """A key whose hash every other _Tied shares (equal only by name)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __hash__(self) -> int:
        return 7

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Tied) and other.name == self.name


def test_keys_met_before_are_found_by_the_row_that_gave_them_first() -> None:
    from data.writes.compact import SeenKeys

    seen = SeenKeys()
    assert seen.first_rows([("a", 1), ("b", 1), ("a", 1)], [2, 3, 4]) == [None, None, 2]
    assert seen.first_rows([("b", 1), ("c", 1), ("c", 1), ("a", 1)], [5, 6, 7, 8]) == [
        3,
        None,
        6,
        2,
    ]
    for chunk in range(5):  # sorted runs, merged as they grow
        start = 100 + 10 * chunk
        keys = [("n", start + i) for i in range(10)]
        assert seen.first_rows(keys, list(range(start, start + 10))) == [None] * 10
    assert seen.first_rows([("n", 100), ("n", 149), ("d", 1)], [200, 201, 202]) == [100, 149, None]
    assert len(seen) == 54
    # Within a chunk keys are compared exactly; against earlier chunks by their hash, so a
    # different key with an earlier key's hash is refused as repeated, never let through.
    tied = SeenKeys()
    assert tied.first_rows([_Tied("x"), _Tied("y"), _Tied("x")], [2, 3, 4]) == [None, None, 2]
    assert tied.first_rows([_Tied("z")], [5]) == [2]
