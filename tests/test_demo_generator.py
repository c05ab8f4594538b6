"""The simulated demo scenario: deterministic, in the outbreak's shape, never past "as of"."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Date, DateTime, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from data import accounts, models, writes
from data.db import make_engine, upgrade_schema
from data.demo import SCENARIO_KEY, seed_demo
from data.demo.places import in_district
from data.measures.audits import audit_level, covid_score, ipcaf_score
from data.queries import cases
from data.queries.common import has_any_data
from data.reference.checklist import checklist_in_force
from data.timeutil import as_utc, local_day, to_local, to_utc
from data.writes import SYSTEM, clear_operational_data
from data.writes.users import DEMO_ACCOUNTS_KEY

ANCHOR = date(2021, 6, 10)
# A "now" long after the anchor: "as of" is then 20:00 local on the anchor day.
LATER = datetime(2021, 6, 20, 3, 0, tzinfo=UTC)
AS_OF = to_utc(datetime(2021, 6, 10, 20, 0))
LIWAN, YUEXIU, HAIZHU, PANYU = "440103", "440104", "440105", "440113"
# Columns that hold plans or bookkeeping, not events: they may lie after "as of".
NOT_EVENTS = {
    ("testinground", "deadline_at"),
    ("auditfinding", "due_date"),
    ("datasetinfo", "updated_at"),
    ("changelog", "changed_at"),
    ("changecounter", "changed_at"),
    ("user", "created_at"),
}
# Accounts are made with random passwords (salted hashes), so the digest of "the same rows"
# leaves them out: the user and sign-in tables, and the data set's list of demo accounts.
NOT_DETERMINISTIC = {"changelog", "changecounter", "user", "authsession", "screentoken"}
NOT_DETERMINISTIC |= {"signinfailure"}


def _seeded(path: Path, **options: object) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    seed_demo(engine, **options)
    return engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The demo scenario replayed on the original dates."""
    return _seeded(tmp_path_factory.mktemp("demo") / "x.db", anchor_date=ANCHOR, now=LATER)


@pytest.fixture
def session(engine: Engine) -> Session:
    with Session(engine) as session:
        yield session


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def _digest(engine: Engine) -> str:
    """A hash of every row of every table except the change log and counter (wall-clock) and
    the accounts (random passwords)."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in NOT_DETERMINISTIC:
                continue
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                if table.name == "datasetinfo" and row.key == DEMO_ACCOUNTS_KEY:
                    continue
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _figures(engine: Engine) -> dict[str, object]:
    """Headline figures of a scenario: cases per district, sampled per round, hotel rooms."""
    with engine.connect() as connection:
        cases = connection.execute(
            select(models.Case.district_code, func.count())
            .group_by(models.Case.district_code)
            .order_by(models.Case.district_code)
        ).all()
        sampled = connection.execute(
            select(
                models.TestingRound.district_code,
                models.TestingRound.round_no,
                func.sum(models.TestingSiteReport.sampled),
                func.sum(models.TestingSiteReport.positive),
            )
            .join(
                models.TestingSiteReport,
                models.TestingSiteReport.round_id == models.TestingRound.id,
            )
            .group_by(models.TestingRound.district_code, models.TestingRound.round_no)
            .order_by(models.TestingRound.district_code, models.TestingRound.round_no)
        ).all()
        hotels = connection.execute(
            select(
                func.sum(models.HotelState.rooms_occupied), func.sum(models.HotelState.rooms_total)
            )
        ).one()
        stock = connection.execute(select(func.sum(models.StockState.on_hand))).scalar_one()
        scores = connection.execute(select(func.sum(models.Audit.score))).scalar_one()
    return {
        "cases": [tuple(row) for row in cases],
        "sampled": [tuple(row) for row in sampled],
        "hotels": tuple(hotels),
        "stock": stock,
        "scores": scores,
    }


def _local_cases_per_day(session: Session) -> list[int]:
    rows = dict(
        session.execute(
            select(models.Case.report_date, func.count())
            .where(models.Case.source == "local")
            .group_by(models.Case.report_date)
        ).all()
    )
    return [rows.get(ANCHOR - timedelta(days=20 - day), 0) for day in range(21)]


# --- Determinism ---------------------------------------------------------------------------


def test_same_seed_anchor_and_now_give_identical_rows(engine: Engine, tmp_path: Path) -> None:
    again = _seeded(tmp_path / "again.db", anchor_date=ANCHOR, now=LATER)
    assert _counts(again) == _counts(engine)
    assert _figures(again) == _figures(engine)
    assert _digest(again) == _digest(engine)


def test_another_seed_changes_the_figures(engine: Engine, tmp_path: Path) -> None:
    other = _seeded(tmp_path / "other.db", anchor_date=ANCHOR, now=LATER, seed=7)
    mine, theirs = _figures(engine), _figures(other)
    assert theirs["cases"] != mine["cases"]
    assert theirs["sampled"] != mine["sampled"]
    assert theirs["hotels"] != mine["hotels"]


# --- The outbreak's shape --------------------------------------------------------------------


def test_first_local_case_is_in_liwan_baihedong_on_day_0(session: Session) -> None:
    first = session.scalars(
        select(models.Case)
        .where(models.Case.source == "local")
        .order_by(models.Case.report_date, models.Case.id)
    ).first()
    assert (first.case_no, first.report_date, first.district_code) == (
        "GZ-L0001",
        date(2021, 5, 21),
        LIWAN,
    )
    assert first.community_zh == "白鹤洞街"
    assert first.infector_case_id is None


def test_liwan_has_the_most_cases_then_the_outbreak_districts(session: Session) -> None:
    per_district = dict(
        session.execute(
            select(models.Case.district_code, func.count())
            .where(models.Case.source == "local")
            .group_by(models.Case.district_code)
        ).all()
    )
    ranked = sorted(per_district, key=per_district.get, reverse=True)
    assert ranked[0] == LIWAN
    assert per_district[LIWAN] > sum(per_district.values()) / 2
    assert {YUEXIU, HAIZHU, PANYU} <= set(ranked[1:5])
    village = session.execute(
        select(func.count()).where(models.Case.community_zh == "中南街海南村")
    ).scalar_one()
    assert village >= 15


def test_about_150_local_and_10_imported_cases(session: Session) -> None:
    per_source = dict(
        session.execute(select(models.Case.source, func.count()).group_by(models.Case.source)).all()
    )
    assert 130 <= per_source["local"] <= 170
    assert per_source["imported"] == 10


def test_daily_cases_rise_to_a_peak_in_the_middle_then_fall(session: Session) -> None:
    daily = _local_cases_per_day(session)
    assert daily[0] == 1
    peak_day = daily.index(max(daily))
    assert 8 <= peak_day <= 14
    peak_three = max(sum(daily[day : day + 3]) for day in range(19))
    assert sum(daily[-3:]) * 4 <= peak_three
    assert all(count <= 2 for count in daily[-2:])


def test_cases_link_to_earlier_infectors_over_several_generations(session: Session) -> None:
    rows = session.execute(
        select(models.Case.id, models.Case.infector_case_id, models.Case.report_date).where(
            models.Case.source == "local"
        )
    ).all()
    infector_of = {case_id: infector for case_id, infector, _ in rows}
    day_of = {case_id: day for case_id, _, day in rows}
    linked = [case_id for case_id, infector in infector_of.items() if infector is not None]
    assert len(linked) >= 0.8 * (len(rows) - 1)
    assert all(day_of[infector_of[case_id]] < day_of[case_id] for case_id in linked)

    def depth(case_id: int) -> int:
        steps = 0
        while infector_of.get(case_id) is not None:
            case_id, steps = infector_of[case_id], steps + 1
        return steps

    assert max(depth(case_id) for case_id in infector_of) >= 4


def test_the_scenarios_links_and_reorder_levels_hold_at_every_moment_of_it(
    session: Session,
) -> None:
    # Written with the cases and stock lines they belong to, not traced later: replayed at
    # the scenario's middle, the links among the cases reported by then are all there.
    assert session.execute(select(func.count()).select_from(models.CaseRevision)).scalar() == 0
    assert (
        session.execute(select(func.count()).select_from(models.StockStateRevision)).scalar() == 0
    )
    middle = ANCHOR - timedelta(days=7)
    moment = datetime(middle.year, middle.month, middle.day, 4, tzinfo=UTC)
    replayed = cases.list_transmission_chains(session=session, end=middle, at=moment)
    live = cases.list_transmission_chains(session=session, end=middle)
    assert replayed.linked_cases == live.linked_cases > 0


def test_contacts_of_the_newest_cases_are_still_being_placed(session: Session) -> None:
    waiting = dict(
        session.execute(
            select(
                models.Case.report_date,
                func.sum(
                    models.Case.close_contacts_identified - models.Case.close_contacts_controlled
                ),
            ).group_by(models.Case.report_date)
        ).all()
    )
    assert waiting[ANCHOR] > 0 and waiting[ANCHOR - timedelta(days=1)] > 0
    assert all(count == 0 for day, count in waiting.items() if day < ANCHOR - timedelta(days=2))


def test_local_cases_are_at_the_eighth_hospital_and_inside_their_district(
    session: Session,
) -> None:
    hospital = session.scalars(
        select(models.Facility).where(models.Facility.name_zh == "广州市第八人民医院")
    ).one()
    for case in session.scalars(select(models.Case)):
        assert case.hospital_id == hospital.id
        assert in_district(case.district_code, case.lon, case.lat), case.case_no
        assert (case.kind == "asymptomatic") == (case.severity == "none")


def test_facilities_lie_inside_their_district(session: Session) -> None:
    for facility in session.scalars(select(models.Facility)):
        assert in_district(facility.district_code, facility.lon, facility.lat), facility.code


# --- Replay of the original dates ------------------------------------------------------------


def test_replay_starts_on_the_original_dates(session: Session) -> None:
    first_day = session.execute(select(func.min(models.Case.report_date))).scalar_one()
    liwan_first = session.scalars(
        select(models.TestingRound).where(
            models.TestingRound.district_code == LIWAN, models.TestingRound.round_no == 1
        )
    ).one()
    assert first_day == date(2021, 5, 21)
    assert to_local(liwan_first.start_at).date() == date(2021, 5, 26)
    sealed = session.execute(
        select(models.ControlZone.imposed_at).where(models.ControlZone.name_zh == "白鹤洞街封闭区")
    ).scalar_one()
    assert to_local(sealed).date() == date(2021, 5, 31)


def test_two_rounds_run_at_as_of_one_on_track_one_behind(session: Session) -> None:
    running = session.execute(
        select(
            models.TestingRound.district_code,
            models.TestingRound.target_population,
            models.TestingRound.start_at,
            models.TestingRound.deadline_at,
            func.sum(models.TestingSiteReport.sampled),
        )
        .join(models.TestingSiteReport, models.TestingSiteReport.round_id == models.TestingRound.id)
        .where(models.TestingRound.start_at <= AS_OF, models.TestingRound.deadline_at > AS_OF)
        .group_by(models.TestingRound.id)
    ).all()
    progress = {}
    for district, target, start, deadline, sampled in running:
        elapsed = (AS_OF - as_utc(start)) / (as_utc(deadline) - as_utc(start))
        progress[district] = (sampled / target, elapsed)
    assert set(progress) == {LIWAN, PANYU}
    assert progress[LIWAN][0] >= progress[LIWAN][1]
    assert progress[PANYU][0] < 0.8 * progress[PANYU][1]


def test_finished_rounds_reach_their_target_and_one_was_late(session: Session) -> None:
    rounds = session.scalars(
        select(models.TestingRound).where(models.TestingRound.deadline_at < AS_OF)
    )
    late = []
    for testing_round in rounds:
        reports = session.execute(
            select(models.TestingSiteReport.reported_at, models.TestingSiteReport.sampled)
            .where(models.TestingSiteReport.round_id == testing_round.id)
            .order_by(models.TestingSiteReport.reported_at)
        ).all()
        total, done_at = 0, None
        for reported_at, sampled in reports:
            total += sampled
            if done_at is None and total >= testing_round.target_population:
                done_at = as_utc(reported_at)
        assert done_at is not None, testing_round.id
        if done_at > as_utc(testing_round.deadline_at):
            late.append(testing_round.district_code)
    assert late == [HAIZHU]


# --- Hotels, audits, supplies ----------------------------------------------------------------


def test_hotel_occupancy_and_stale_reports_at_as_of(session: Session) -> None:
    rows = session.execute(
        select(
            models.HotelState.rooms_occupied,
            models.HotelState.rooms_total,
            models.HotelState.last_reported_at,
        )
        .join(models.Facility, models.Facility.id == models.HotelState.hotel_id)
        .where(models.Facility.status == "active")
    ).all()
    shares = [occupied / total for occupied, total, _ in rows]
    assert any(share > 0.95 for share in shares)
    assert any(0.85 <= share <= 0.95 for share in shares)
    assert sum(share < 0.85 for share in shares) > len(shares) / 2
    stale = [at for *_, at in rows if AS_OF - as_utc(at) > timedelta(minutes=240)]
    assert len(stale) == 2


def test_audit_scores_follow_the_checklist_in_force(session: Session) -> None:
    versions = select(models.ChecklistVersion.id, models.ChecklistVersion.label)
    labels = {version_id: label for version_id, label in session.execute(versions)}
    audits = session.scalars(select(models.Audit)).all()
    assert len(audits) > 100
    for audit in audits:
        expected = checklist_in_force(local_day(audit.audited_at)).label
        assert labels[audit.checklist_version_id] == expected
        results = session.execute(
            select(
                models.ChecklistItem.component,
                models.ChecklistItem.weight,
                models.AuditItemResult.result,
            )
            .join(models.ChecklistItem, models.ChecklistItem.id == models.AuditItemResult.item_id)
            .where(models.AuditItemResult.audit_id == audit.id)
        ).all()
        score = ipcaf_score(results)
        assert (audit.score, audit.level) == (score or 0.0, audit_level(score))
        assert audit.covid_score == covid_score(results)


def test_corrective_actions_are_closed_overdue_or_not_yet_due(session: Session) -> None:
    findings = session.scalars(select(models.AuditFinding)).all()
    overdue = [f for f in findings if f.closed_date is None and f.due_date < ANCHOR]
    not_due = [f for f in findings if f.closed_date is None and f.due_date >= ANCHOR]
    closed = [f for f in findings if f.closed_date is not None]
    assert overdue and not_due and len(closed) > len(findings) / 2
    assert all(finding.closed_date <= ANCHOR for finding in closed)
    assert all("/" in finding.owner for finding in findings)


def test_stock_lines_run_from_stock_outs_to_healthy(session: Session) -> None:
    lines = session.execute(
        select(models.StockState.on_hand, models.StockState.reorder_level)
    ).all()
    assert any(on_hand == 0 for on_hand, _ in lines)
    assert sum(on_hand > level for on_hand, level in lines) > len(lines) / 2
    assert all(level > 0 for _, level in lines)


# --- As of, the scenario record, refusing to seed twice ----------------------------------------


def _latest_events(engine: Engine) -> list[tuple[str, str, object]]:
    latest = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if (table.name, column.name) in NOT_EVENTS:
                    continue
                if isinstance(column.type, DateTime | Date):
                    value = connection.execute(select(func.max(column))).scalar_one()
                    if value is not None:
                        latest.append((table.name, column.name, value))
    return latest


def test_nothing_is_dated_after_as_of(engine: Engine) -> None:
    for table, column, value in _latest_events(engine):
        if isinstance(value, datetime):
            assert as_utc(value) <= AS_OF, (table, column, value)
        else:
            assert value <= ANCHOR, (table, column, value)


def test_scenario_record_says_simulated(session: Session) -> None:
    info = json.loads(session.get(models.DatasetInfo, SCENARIO_KEY).value)
    assert info == {
        "simulated": True,
        "scale": "demo",
        "seed": 20210521,
        "anchor_date": "2021-06-10",
        "as_of": AS_OF.isoformat(),
    }


def test_today_scenario_stops_at_now_and_refuses_a_second_seed(tmp_path: Path) -> None:
    now = datetime(2021, 6, 10, 3, 30, tzinfo=UTC)  # 11:30 in Guangzhou
    engine = _seeded(tmp_path / "today.db", now=now)
    for table, column, value in _latest_events(engine):
        if isinstance(value, datetime):
            assert as_utc(value) <= now, (table, column, value)
        else:
            assert value <= ANCHOR, (table, column, value)
    with pytest.raises(ValueError, match="already holds operational data"):
        seed_demo(engine, now=now)
    with Session(engine) as session:
        assert has_any_data(session=session)
        deleted = clear_operational_data(session, actor=SYSTEM)
        assert deleted["facility"] > 0
        assert not has_any_data(session=session)
        assert session.execute(select(func.count()).select_from(models.District)).scalar_one() == 11


def test_an_anchor_after_today_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    upgrade_schema(engine)
    with pytest.raises(ValueError, match="after today"):
        seed_demo(engine, anchor_date=date(2021, 6, 11), now=datetime(2021, 6, 10, tzinfo=UTC))


def test_unknown_scale_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(ValueError, match="unknown scale"):
        seed_demo(engine, scale="country")


# --- The demo's accounts -----------------------------------------------------------------------


def test_one_demo_account_per_role_signs_in_with_its_listed_password(session: Session) -> None:
    listed = accounts.demo_accounts(session)
    assert [(a["username"], a["role"], a["scope"]) for a in listed] == [
        ("demo-leader", "leadership", None),
        ("demo-officer", "duty_officer", "荔湾区 Liwan"),
        ("demo-auditor", "auditor", None),
        ("demo-admin", "admin", None),
    ]
    for account in listed:
        assert len(account["password"]) >= accounts.MIN_PASSWORD_LENGTH
        user = session.execute(
            select(models.User).where(models.User.username == account["username"])
        ).scalar_one()
        assert accounts.verify_password(user.password_hash, account["password"])
        assert accounts.actor_for(session, user).role == account["role"]
    officer = session.execute(
        select(models.User).where(models.User.username == "demo-officer")
    ).scalar_one()
    assert accounts.actor_for(session, officer).district_codes == {LIWAN}
    logged = " ".join(
        (entry.before_json or "") + (entry.after_json or "")
        for entry in session.execute(select(models.ChangeLog)).scalars()
    )
    assert [a["password"] for a in listed if a["password"] in logged] == []
    assert "demo-officer" in logged  # the log says which accounts were made


def test_replacing_or_clearing_the_demo_replaces_its_accounts_and_keeps_an_admins(
    tmp_path: Path,
) -> None:
    engine = _seeded(tmp_path / "accounts.db", anchor_date=ANCHOR, now=LATER)
    with Session(engine) as session:
        writes.create_user(
            session, actor=SYSTEM, username="root", role="admin", password="a long password"
        )
        before = {a["username"]: a["password"] for a in accounts.demo_accounts(session)}
        officer = session.execute(select(models.User).where(models.User.username == "demo-officer"))
        token = accounts.start_session(
            session, user_id=officer.scalar_one().id, lifetime=timedelta(hours=1)
        )
    seed_demo(engine, anchor_date=ANCHOR, now=LATER, replace=True)
    with Session(engine) as session:
        after = {a["username"]: a["password"] for a in accounts.demo_accounts(session)}
        assert set(after) == set(before) and after != before
        assert accounts.resolve_session(session, token) is None
        clear_operational_data(session, actor=SYSTEM)
        assert accounts.demo_accounts(session) is None
        assert [user["username"] for user in accounts.list_users(session)] == ["root"]
        assert (
            session.execute(select(func.count()).select_from(models.AuthSession)).scalar_one() == 0
        )


def test_a_province_plans_ten_cities_worth_of_facilities_inside_their_districts() -> None:
    from data.demo.facilities import plan_facilities
    from data.demo.timeline import SCALES, stream

    city = plan_facilities(stream(20210521, "facilities"), SCALES["city"])
    province = plan_facilities(stream(20210521, "facilities"), SCALES["province"])
    for kind in ("hospitals", "clinics", "hotels", "sites"):
        assert len(getattr(province, kind)) == 10 * len(getattr(city, kind)), kind
    assert len(province.sites) == 45_000
    codes = [plan.code for plan in province.all()]
    assert len(set(codes)) == len(codes)
    assert max(code for code in codes if code.startswith("TS-")) == "TS-45000"
