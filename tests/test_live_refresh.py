"""Live pages: a refresh tick with nothing written runs one statement, the change-counter
read, and re-queries nothing; a write moves the counter and the next refresh shows it
(AppTest on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data.queries.common import get_change_counter
from shell import counter_moved, get_engine
from tests.conftest import open_app
from tests.factories import at, make_hotel, make_hotel_report


@contextmanager
def statements_on(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _hotel_with_free_rooms(engine: Engine, occupied: int, hotel_id: int | None = None) -> int:
    with Session(engine) as session:
        if hotel_id is None:
            hotel_id = make_hotel(session, rooms=40).id
        make_hotel_report(
            session,
            hotel_id=hotel_id,
            reported_at=at("2021-06-10 06:30" if occupied == 30 else "2021-06-10 07:30"),
            rooms_total=40,
            rooms_occupied=occupied,
        )
    return hotel_id


def _rooms_free(app) -> str:  # noqa: ANN001 - an AppTest
    return {metric.label: metric.value for metric in app.metric}["Quarantine rooms free"]


def test_a_refresh_with_nothing_changed_reads_only_the_change_counter(
    app_database: str, engine: Engine
) -> None:
    _hotel_with_free_rooms(engine, occupied=30)
    app = open_app("app.py")
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert _rooms_free(app) == "10"
    drawn = app.session_state["_counter"]
    with statements_on(get_engine()) as statements:
        assert counter_moved(drawn) is False
    assert len(statements) == 1
    assert statements[0].startswith("SELECT changecounter.value FROM changecounter")


def test_a_write_moves_the_counter_and_the_next_refresh_shows_it(
    app_database: str, engine: Engine
) -> None:
    hotel_id = _hotel_with_free_rooms(engine, occupied=30)
    app = open_app("app.py")
    app.query_params["lang"] = "en"
    app.run()
    assert _rooms_free(app) == "10"
    drawn = app.session_state["_counter"]
    _hotel_with_free_rooms(engine, occupied=35, hotel_id=hotel_id)
    with Session(engine) as session:
        assert get_change_counter(session=session) > drawn
    with statements_on(get_engine()) as statements:
        assert counter_moved(drawn) is True
    assert len(statements) == 1
    # The tick reruns the page: its cached reads key on the new counter.
    app.run()
    assert not app.exception
    assert _rooms_free(app) == "5"
    assert app.session_state["_counter"] > drawn
