"""Figures are worked out again only when a change of their topic comes in (data.queries.reach):
a testing-site report leaves the audits page's figures cached, an audit does not."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import pytest
import streamlit as st
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel
from streamlit.testing.v1 import AppTest

from data import accounts, models, writes
from data.queries import audits as audits_queries
from data.queries.reach import (
    EVERYTHING,
    TOPICS,
    changes_between,
    reach_of,
    reaches,
    topic_of_change,
)
from data.settings import get_settings
from data.timeutil import as_utc
from data.writes.changelog import bump_change_counter
from tests import reach_check
from tests.browser import copy_of_the_demo
from tests.conftest import counted_reads, open_app
from tests.factories import make_facility
from tests.test_audits_data import build_known_audits

ADMIN = writes.Actor(name="admin", role="admin")


def _at(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text + "+08:00"))


def _counter(session: Session) -> int:
    return session.execute(select(models.ChangeCounter.value)).scalar_one()


def _testing_report(engine: Engine, site_id: int, at: str = "2021-06-10 19:00") -> None:
    """A testing-site report through the write side (logged under the testing topic)."""
    with Session(engine) as session:
        writes.record_site_report(
            session, actor=ADMIN, values={"site_id": site_id, "reported_at": _at(at), "sampled": 5}
        )


def _open(page: str) -> AppTest:
    app = open_app(page)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    return app


def test_a_change_alters_the_topic_of_its_table_none_or_everything() -> None:
    assert topic_of_change("testingsitereport", _at("2021-06-10 09:00")) == "testing"
    assert topic_of_change("stockstate", None) == "supplies"
    assert topic_of_change("facility", None) == "places"
    # Sign-ins, accounts, acknowledgements and issued briefings alter no figures.
    assert topic_of_change("authsession", models.ALTERS_NO_FIGURES) is None
    assert topic_of_change("authsession", models.ALTERS_NO_FIGURES.replace(tzinfo=None)) is None
    # The data set replaced, or a table no topic lists: anything may differ.
    assert topic_of_change("*", None) == EVERYTHING
    assert topic_of_change("datasetinfo", None) == EVERYTHING
    with pytest.raises(ValueError, match="unknown topics"):
        reaches("weather")


def test_changes_are_read_back_by_topic(session: Session) -> None:
    site = make_facility(session, kind="testing_site")
    session.commit()
    start = _counter(session)
    writes.record_site_report(
        session,
        actor=ADMIN,
        values={"site_id": site.id, "reported_at": _at("2021-06-10 09:00"), "sampled": 10},
    )
    report = _counter(session)
    writes.edit_facility(
        session,
        actor=ADMIN,
        facility_id=site.id,
        expected_version=1,
        changes={"status": "closed"},
    )
    edit = _counter(session)
    assert changes_between(session=session, since=start, upto=edit).latest == {
        "testing": report,
        "places": edit,
    }
    # Only what came after `since`.
    assert changes_between(session=session, since=report, upto=edit).latest == {"places": edit}
    # A sign-in alters no figures.
    user = writes.create_user(
        session, actor=ADMIN, username="wang", role="leadership", password="correct horse 1"
    )
    before_sign_in = _counter(session)
    accounts.start_session(session, user_id=user.id, lifetime=timedelta(hours=1))
    signed_in = _counter(session)
    assert signed_in == before_sign_in + 1
    assert changes_between(session=session, since=before_sign_in, upto=signed_in).latest == {}
    # The counter moved with no change logged (a restore, a script): everything.
    bump_change_counter(session)
    session.commit()
    moved = _counter(session)
    assert changes_between(session=session, since=signed_in, upto=moved).latest == {
        EVERYTHING: moved
    }


def test_the_write_check_finds_a_write_outside_the_topic_it_is_logged_under(
    engine: Engine,
) -> None:
    """The check every test runs (tests/reach_check.py) can fail."""
    from data.writes.changelog import log_change

    with Session(engine) as session:
        hotel = make_facility(session, kind="quarantine_hotel")
        session.commit()
        log_change(
            session,
            actor=ADMIN,
            table_name="testingsitereport",
            record_key="1",
            action="insert",
            before=None,
            after="{}",
        )
        session.execute(text("DELETE FROM hotelstate WHERE hotel_id = :id"), {"id": hotel.id})
        session.commit()
    found, reach_check.problems[:] = list(reach_check.problems), []
    assert found == ["a change logged under ['testing'] wrote hotelstate (hotels)"]


def test_a_testing_report_leaves_the_audits_figures_cached_and_an_audit_change_does_not(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    worked: list[str] = []
    status = audits_queries.list_facility_audit_status

    @functools.wraps(status)
    def counted(**arguments):  # noqa: ANN003, ANN202
        worked.append("status")
        return status(**arguments)

    monkeypatch.setattr(audits_queries, "list_facility_audit_status", counted)
    with Session(engine) as session:
        build_known_audits(session)
        site = make_facility(session, kind="testing_site")
        session.commit()
        site_id = site.id
    app = _open("pages/audits.py")
    # Live (today, years after the known audits): every open action is overdue.
    assert {m.label: m.value for m in app.metric}["Overdue corrective actions"] == "3"
    first = len(worked)
    assert first >= 1

    _testing_report(engine, site_id)
    app.run()
    assert not app.exception
    assert len(worked) == first  # kept: a testing report cannot alter it

    with Session(engine) as session:
        finding = (
            session.execute(
                select(models.AuditFinding)
                .where(models.AuditFinding.closed_date.is_(None))
                .order_by(models.AuditFinding.due_date)
            )
            .scalars()
            .first()
        )
        writes.close_action(
            session,
            actor=ADMIN,
            finding_id=finding.id,
            expected_version=finding.version,
            closed_date=date(2021, 6, 10),
        )
    app.run()
    assert not app.exception
    assert len(worked) > first
    assert {m.label: m.value for m in app.metric}["Overdue corrective actions"] == "2"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo scenario (demo scale) in an SQLite file of this module's own: a copy of the
    one the test run seeds once for its browser tests."""
    return f"sqlite:///{copy_of_the_demo(tmp_path_factory.mktemp('reach'))}"


@pytest.fixture
def demo_app(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    monkeypatch.setenv("DEMO_DATA", "0")
    monkeypatch.delenv("REPLAY_AT", raising=False)
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    yield demo_url
    st.cache_resource.clear()
    st.cache_data.clear()
    get_settings.cache_clear()


def _marked(name: str, query: Callable) -> Callable:
    """`query`, with the statements it runs attributed to the read `name`."""

    def marked(**named: object) -> object:
        with reach_check.reading(name):
            return query(**named)

    return marked


def _traced(
    real: Callable,
    arguments: tuple,
    query: Callable,
    shared: object = None,
    statements: int | None = None,
) -> object:
    """shell._run, with the statements of a read that declares its topics attributed to it."""
    if reach_of(query) is None:
        return real(arguments, query, shared=shared, statements=statements)
    marked = _marked(query.__qualname__, query)
    return real(arguments, marked, shared=shared, statements=statements)


def _declared_reads() -> list[Callable]:
    """Every read of the data layer that declares its topics."""
    import importlib
    import pkgutil

    import data.queries

    found = []
    for module_info in pkgutil.iter_modules(data.queries.__path__):
        module = importlib.import_module(f"data.queries.{module_info.name}")
        for value in vars(module).values():
            if (
                callable(value)
                and reach_of(value) is not None
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


PAGES = [
    "pages/overview.py",
    "pages/cases.py",
    "pages/testing.py",
    "pages/hotels.py",
    "pages/supplies.py",
    "pages/audits.py",
]


def test_every_read_that_declares_its_topics_reads_only_their_tables(
    demo_app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shell

    monkeypatch.setattr(shell, "_run", functools.partial(_traced, shell._run))
    # Reads called inside other reads (the Overview's headline counts today's stock lines).
    for query in _declared_reads():
        whole = getattr(query, "__wrapped__", None)
        if whole is not None:
            monkeypatch.setattr(query, "__wrapped__", _marked(query.__qualname__, whole))
    reach_check.read_tables.clear()
    for page in PAGES:
        # Each page works its reads out anew (nothing kept from the page before).
        st.cache_data.clear()
        st.cache_resource.clear()
        app = open_app(page, role="admin", timeout=60)
        app.query_params["lang"] = "en"
        app.run()
        assert not app.exception, page
    tables = set(SQLModel.metadata.tables)
    wrong = {}
    for name, read in reach_check.read_tables.items():
        query = _declared(name)
        allowed = set().union(*(TOPICS[topic] for topic in reach_of(query)))
        outside = (read & tables) - allowed
        if outside:
            wrong[name] = sorted(outside)
    assert wrong == {}
    # The reads of the views' pages were seen (the check is not empty).
    assert {
        "list_stock_lines",
        "list_facility_audit_status",
        "list_findings",
        "list_hotels",
        "list_site_status",
        "list_case_points",
        "list_zones",
    } <= set(reach_check.read_tables)


def _drawn(app: AppTest) -> list[tuple[str, str]]:
    """What a reader takes in of a page: its headings, figures, notices and table headers."""
    return [
        *((element.type, str(element.value)) for element in app.title),
        *((element.type, str(element.value)) for element in app.subheader),
        *((element.type, f"{element.label}: {element.value}") for element in app.metric),
        *((element.type, str(element.value)) for element in app.info),
        *((element.type, str(element.value)) for element in app.warning),
        *((element.type, str(element.value)) for element in app.error),
        *(("table", " | ".join(map(str, element.value.columns))) for element in app.dataframe),
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_view_through_app_py_draws_the_same_when_its_kept_results_are_taken_back(
    demo_app: str, lang: str
) -> None:
    # As a server runs it: app.py routes to the page (the page's classes are not the main
    # module's), the first run works out and keeps what the page derives, the rerun takes
    # it back from the cache.
    app = open_app("app.py", role="admin", timeout=60)
    app.query_params["lang"] = lang
    app.run()
    for page in PAGES:
        app.switch_page(page).run()
        assert not app.exception, (page, [e.message for e in app.exception])
        first = _drawn(app)
        app.run()
        assert not app.exception, (page, [e.message for e in app.exception])
        assert _drawn(app) == first, page
        assert len(first) > 5, (page, first)


# Per view, the reads of many rows that a rerun with nothing changed does not take back from
# the cache: what the page draws of them (counts, the rows shown, tables, maps and charts)
# is kept already (shell.Source).
NOT_TAKEN_BACK = {
    "pages/cases.py": {"count_local_cases_by_district", "list_case_points", "list_zones"},
    "pages/testing.py": {"list_round_outlook", "list_site_status", "list_round_hourly"},
    "pages/hotels.py": {"list_hotels"},
    "pages/supplies.py": {"list_stock_lines", "list_stock_outs"},
    # (The findings of the audit shown in the history tab, a few, are read as they are: the
    # findings tab's list is checked in tests.test_audits_page.)
    "pages/audits.py": {"list_facility_audit_status"},
}


@pytest.mark.parametrize("page", sorted(NOT_TAKEN_BACK))
def test_a_rerun_with_nothing_changed_takes_back_what_a_view_draws_not_its_rows(
    demo_app: str, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:

    app = open_app("app.py", role="admin", timeout=60)
    app.query_params["lang"] = "en"
    app.run()
    app.switch_page(page).run()
    assert not app.exception
    first = _drawn(app)
    reads = counted_reads(monkeypatch)
    app.run()
    assert not app.exception
    assert reads, "the rerun read nothing at all: the check would see nothing"
    assert not NOT_TAKEN_BACK[page] & set(reads), reads
    assert _drawn(app) == first


def test_a_pages_run_asks_who_is_signed_in_and_the_change_counter_once(
    demo_app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # app.py asks both at the start of the run; the page's start takes them from there.
    import shell
    import signin

    app = open_app("app.py", role="admin", timeout=60)
    app.query_params["lang"] = "en"
    app.run()
    app.switch_page("pages/hotels.py").run()
    assert not app.exception
    asked: list[str] = []
    resolve, counter = signin.accounts.resolve, shell.get_change_counter

    def resolving(*arguments, **named):  # noqa: ANN002, ANN003, ANN202
        asked.append("who")
        return resolve(*arguments, **named)

    def counting(**named):  # noqa: ANN003, ANN202
        asked.append("counter")
        return counter(**named)

    monkeypatch.setattr(signin.accounts, "resolve", resolving)
    monkeypatch.setattr(shell, "get_change_counter", counting)
    app.run()
    assert not app.exception
    assert sorted(asked) == ["counter", "who"]
    assert app.title[0].value == "Quarantine hotels"


def _declared(name: str) -> Callable:
    (found,) = [query for query in _declared_reads() if query.__qualname__ == name]
    return found


@pytest.mark.replay_at("2021-06-10 20:00")
def test_the_overview_after_a_testing_report_takes_the_stock_lines_as_they_were(
    app_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Overview reads every topic, so it is read again after any change; the stock lines
    it counts (shareable, declared) are kept until a change of the supplies."""
    from data.queries import supplies as supplies_queries
    from tests.test_supplies_queries import build_known_stock

    worked: list[str] = []
    lines = supplies_queries.list_stock_lines
    whole = lines.__wrapped__

    def counted(**arguments):  # noqa: ANN003, ANN202
        worked.append("lines")
        return whole(**arguments)

    monkeypatch.setattr(lines, "__wrapped__", counted)
    with Session(engine) as session:
        known = build_known_stock(session)
        site = make_facility(session, kind="testing_site")
        session.commit()
        site_id = site.id
    app = _open("pages/overview.py")
    assert {m.label: m.value for m in app.metric}["Supply lines under 7 days"] == "4"
    first = len(worked)
    assert first >= 1

    _testing_report(engine, site_id)
    app.run()
    assert not app.exception
    assert len(worked) == first
    assert {m.label: m.value for m in app.metric}["Supply lines under 7 days"] == "4"

    with Session(engine) as session:
        writes.record_stock_report(
            session,
            actor=ADMIN,
            values={
                "item_id": known.reagent,
                "location_id": known.warehouse,
                "reported_at": _at("2021-06-10 19:30"),
                "on_hand": 5000,
                "consumed": 0,
                "received": 5000,
                "on_order": 0,
            },
        )
    app.run()
    assert not app.exception
    assert len(worked) > first
    # The reagent at the warehouse now lasts: one line fewer under 7 days.
    assert {m.label: m.value for m in app.metric}["Supply lines under 7 days"] == "3"


def test_a_server_looks_up_what_changed_and_starts_afresh_when_the_counter_goes_back(
    app_database: str, engine: Engine
) -> None:
    import shell

    with Session(engine) as session:
        site = make_facility(session, kind="testing_site")
        session.commit()
        site_id = site.id
        start = _counter(session)
    counters = shell._TopicCounters()
    counters.advance(start)
    # What came before the first look counts as a change of everything.
    assert counters.basis(frozenset({"audits"}), start) == start
    _testing_report(engine, site_id, "2021-06-10 09:00")
    with Session(engine) as session:
        reported = _counter(session)
    counters.advance(reported)
    assert counters.basis(frozenset({"audits"}), reported) == start
    assert counters.basis(frozenset({"testing", "places"}), reported) == reported
    # A run that read the counter before that look: its own counter at most.
    counters.advance(start)
    assert counters.basis(frozenset({"audits"}), start) == start
    assert counters.basis(frozenset({"testing"}), start) == start
    assert counters.checked == reported
    # The database's counter went back (restored, made anew): nothing known is kept.
    with Session(engine) as session:
        session.execute(text("UPDATE changecounter SET value = 0"))
        session.commit()
    counters.advance(0)
    assert (counters.checked, counters.latest) == (0, {EVERYTHING: 0})
