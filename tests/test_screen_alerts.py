"""A critical alert on the wall screens: it interrupts the rotation and stays until a
signed-in person acknowledges it or it ends; warnings do not interrupt (AppTest, with
alerts from data.alerts for data built to raise them)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from data import accounts, models, writes
from data.timeutil import format_local
from data.writes import Actor
from data.writes.acknowledgements import acknowledge_alert
from signin import TOKEN
from tests.conftest import open_app, page_path
from tests.factories import at, make_hotel, make_hotel_report

PLAYLIST = "overview:60,testing:45"
HOW = {
    "en": "The screens go back to their rotation once a signed-in user acknowledges the alert "
    "(on the Overview, or here), or when it ends.",
    "zh": "登录用户在总览页或本屏点击“确认已知悉”后，或预警解除后，大屏恢复轮播。",
}
pytestmark = pytest.mark.replay_at("2021-06-10 20:00")


def _hotel(engine: Engine, occupied: int, hotel_id: int | None = None) -> models.Facility:
    """A hotel of 40 rooms in Liwan, `occupied` of them occupied (reported 14:30 local)."""
    with Session(engine) as session:
        hotel = (
            session.get(models.Facility, hotel_id) if hotel_id else make_hotel(session, rooms=40)
        )
        make_hotel_report(
            session,
            hotel_id=hotel.id,
            reported_at=at("2021-06-10 06:30" if hotel_id is None else "2021-06-10 07:30"),
            rooms_total=40,
            rooms_occupied=occupied,
        )
        session.refresh(hotel)
        session.expunge(hotel)
        return hotel


def _wall_screen(engine: Engine, lang: str = "en") -> AppTest:
    with Session(engine) as session:
        token = accounts.issue_screen_token(session, actor=writes.SYSTEM, name="hall-1")
    app = AppTest.from_file(page_path("app.py"), default_timeout=30)
    app.session_state[TOKEN] = token
    app.query_params.update(screen="1", lang=lang, playlist=PLAYLIST)
    return app


def _interrupted(app: AppTest) -> bool:
    return [title.value for title in app.title] == [
        "▲ Critical · Critical alert: the rotation is paused"
    ]


def _escaped(text: str) -> str:
    """Text as the page hands it to Markdown (shown as typed)."""
    from components.format import plain

    return plain(text)


@pytest.mark.parametrize(
    ("lang", "header", "sentence", "see"),
    [
        (
            "en",
            "▲ Critical · Critical alert: the rotation is paused",
            "{name} is 100.0% occupied: 0 of 40 rooms free",
            "See: Quarantine hotels",
        ),
        (
            "zh",
            "▲ 严重 · 严重预警：轮播已暂停",
            "{name}入住率 100.0%，可用房间 0 / 40 间",
            "详见：隔离酒店",
        ),
    ],
)
def test_a_full_hotel_interrupts_the_rotation_on_a_wall_screen(
    app_database: str, engine: Engine, lang: str, header: str, sentence: str, see: str
) -> None:
    hotel = _hotel(engine, occupied=40)
    app = _wall_screen(engine, lang).run()
    assert not app.exception
    # No view and no rotation bar: the alert alone.
    assert [title.value for title in app.title] == [header]
    name = hotel.name_en if lang == "en" else hotel.name_zh
    assert [element.value for element in app.markdown] == [_escaped(sentence.format(name=name))]
    captions = [caption.value for caption in app.caption]
    assert captions[:2] == [see, HOW[lang]]
    assert not app.button  # a wall screen's token acknowledges nothing
    assert len(app.sidebar.children) == 0


def test_a_warning_does_not_interrupt(app_database: str, engine: Engine) -> None:
    _hotel(engine, occupied=39)  # 97.5 %: a warning (a room is still free)
    app = _wall_screen(engine).run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Overview"]


def test_a_signed_in_user_acknowledges_and_the_rotation_goes_on(
    app_database: str, engine: Engine
) -> None:
    hotel = _hotel(engine, occupied=40)
    app = open_app("app.py", role="leadership")
    app.query_params.update(screen="1", lang="en", playlist=PLAYLIST)
    app.run()
    assert _interrupted(app)
    button = app.button(key=f"ack-hotel_full:{hotel.id}")
    assert button.label == "Acknowledge"
    button.click().run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Overview"]
    with Session(engine) as session:
        (ack,) = session.exec(select(models.AlertAcknowledgement)).all()
        entry = session.exec(
            select(models.ChangeLog).where(models.ChangeLog.table_name == "alertacknowledgement")
        ).one()
    assert (ack.alert_key, ack.kind, ack.actor) == (
        f"hotel_full:{hotel.id}",
        "hotel_full",
        "test-leadership-city",
    )
    assert (entry.actor, entry.districts) == ("test-leadership-city", "440103")


def test_an_acknowledgement_elsewhere_ends_the_interrupt_on_the_wall_screen(
    app_database: str, engine: Engine
) -> None:
    hotel = _hotel(engine, occupied=40)
    app = _wall_screen(engine).run()
    assert _interrupted(app)
    with Session(engine) as session:  # on the Overview of another browser
        acknowledge_alert(
            session,
            actor=Actor(name="zhang", role="leadership"),
            alert_key=f"hotel_full:{hotel.id}",
            kind="hotel_full",
        )
    app.run()  # the live refresh's rerun after the write
    assert not app.exception
    assert [title.value for title in app.title] == ["Overview"]


def test_an_alert_that_ends_gives_the_screen_back_to_its_rotation(
    app_database: str, engine: Engine
) -> None:
    hotel = _hotel(engine, occupied=40)
    app = _wall_screen(engine).run()
    assert _interrupted(app)
    _hotel(engine, occupied=30, hotel_id=hotel.id)  # rooms freed: the alert ends
    app.run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Overview"]


def test_many_critical_alerts_show_the_first_three_and_are_acknowledged_at_once(
    app_database: str, engine: Engine
) -> None:
    for _ in range(5):
        _hotel(engine, occupied=40)
    app = open_app("app.py", role="leadership")
    app.query_params.update(screen="1", lang="en", playlist=PLAYLIST)
    app.run()
    assert _interrupted(app)
    shown = [element.value for element in app.markdown]
    assert len(shown) == 4
    assert shown[3] == "2 more critical alerts: see the Overview."
    assert [button.label for button in app.button] == ["Acknowledge"] * 3 + ["Acknowledge all 5"]
    app.button(key="ack-all").click().run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Overview"]
    with Session(engine) as session:
        assert len(session.exec(select(models.AlertAcknowledgement)).all()) == 5


@pytest.mark.parametrize(("lang", "label"), [("en", "Acknowledge"), ("zh", "确认已知悉")])
def test_the_overview_acknowledges_a_critical_alert_and_then_says_who(
    app_database: str, engine: Engine, lang: str, label: str
) -> None:
    hotel = _hotel(engine, occupied=40)
    app = open_app("app.py", role="leadership")
    app.query_params.update(lang=lang)
    app.run()
    assert not app.exception
    button = app.button(key=f"ack-hotel_full:{hotel.id}")
    assert button.label == label
    button.click().run()
    assert not app.exception
    with Session(engine) as session:
        (ack,) = session.exec(select(models.AlertAcknowledgement)).all()
    assert (ack.alert_key, ack.actor) == (f"hotel_full:{hotel.id}", "test-leadership-city")
    # The button gives way to who acknowledged it, and the wall screens rotate again.
    assert f"ack-hotel_full:{hotel.id}" not in [button.key for button in app.button]
    done = [c.value for c in app.caption if c.value.startswith("✓")]
    # The name and the moment are each kept on one line (a narrow column on a laptop).
    name = '<span style="white-space: nowrap">test-leadership-city</span>'
    shown = format_local(ack.acknowledged_at)
    moment = f'<span style="white-space: nowrap">{shown}</span>'
    assert done == [
        f"✓ Acknowledged by {name} at {moment}" if lang == "en" else f"✓ {name} 已于 {moment} 确认"
    ]
    assert _wall_screen(engine).run().title[0].value == "Overview"


def test_a_wall_screen_signed_in_by_token_sees_no_acknowledge_button_on_the_overview(
    app_database: str, engine: Engine
) -> None:
    _hotel(engine, occupied=40)
    app = _wall_screen(engine)
    app.query_params.pop("screen")
    app.query_params.pop("playlist")
    app.run()
    assert not app.exception
    assert app.title[0].value == "Overview"
    assert app.markdown  # the alert is listed, without a button to acknowledge it
    assert not [button for button in app.button if button.key.startswith("ack-")]
