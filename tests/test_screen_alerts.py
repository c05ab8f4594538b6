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
from screen import shown_each
from signin import TOKEN
from tests.conftest import open_app, page_path
from tests.factories import (
    at,
    make_facility,
    make_hotel,
    make_hotel_report,
    make_stock_report,
    make_supply_item,
)

PLAYLIST = "overview:60,testing:45"
HOW = {
    "en": "The screens go back to their rotation once a signed-in user acknowledges the alert "
    "(on the Overview, or here), or when it ends.",
    "zh": "登录用户在总览页或本屏点击“确认已知悉”后，或预警解除后，大屏恢复轮播。",
}
pytestmark = pytest.mark.replay_at("2021-06-10 20:00")


def _hotel(
    engine: Engine, occupied: int, hotel_id: int | None = None, **names: str
) -> models.Facility:
    """A hotel of 40 rooms in Liwan, `occupied` of them occupied (reported 14:30 local)."""
    with Session(engine) as session:
        hotel = (
            session.get(models.Facility, hotel_id)
            if hotel_id
            else make_hotel(session, rooms=40, **names)
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


def _short_supply_lines(engine: Engine, count: int) -> None:
    """`count` stock lines of N95 respirators at 3 days or less, one a warehouse (Depot 1 to
    Depot N): Depot 1 out of stock, Depot 2 lasting 1 day, the others 3 days (counted this
    morning, 10 used since yesterday's count)."""
    with Session(engine) as session:
        item = make_supply_item(session)
        for number in range(1, count + 1):
            depot = make_facility(
                session, kind="warehouse", name_en=f"Depot {number}", name_zh=f"{number}号仓"
            )
            on_hand = {1: 0, 2: 10}.get(number, 30)
            for when, stock, used in (
                ("2021-06-09 01:00", on_hand + 10, 0),
                ("2021-06-10 01:00", on_hand, 10),
            ):
                make_stock_report(
                    session,
                    item_id=item.id,
                    location_id=depot.id,
                    reported_at=at(when),
                    on_hand=stock,
                    consumed=used,
                )


@pytest.mark.parametrize(
    ("lang", "header", "heading", "sentence", "see"),
    [
        (
            "en",
            "▲ Critical · Critical alert: the rotation is paused",
            ":red-badge[▲ Critical] **Quarantine hotels with no room free: 1**",
            "{name} is 100.0% occupied: 0 of 40 rooms free",
            "See: Quarantine hotels",
        ),
        (
            "zh",
            "▲ 严重 · 严重预警：轮播已暂停",
            ":red-badge[▲ 严重] **已无空房的隔离酒店：1 条**",
            "{name}入住率 100.0%，可用房间 0 / 40 间",
            "详见：隔离酒店",
        ),
    ],
)
def test_a_full_hotel_interrupts_the_rotation_on_a_wall_screen(
    app_database: str,
    engine: Engine,
    lang: str,
    header: str,
    heading: str,
    sentence: str,
    see: str,
) -> None:
    hotel = _hotel(engine, occupied=40)
    app = _wall_screen(engine, lang).run()
    assert not app.exception
    # No view and no rotation bar: the alert alone, under its kind's title and count.
    assert [title.value for title in app.title] == [header]
    name = hotel.name_en if lang == "en" else hotel.name_zh
    assert [element.value for element in app.markdown] == [
        heading,
        _escaped(sentence.format(name=name)),
    ]
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


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                ":red-badge[▲ Critical] **Quarantine hotels with no room free: 1**",
                "Riverside Hotel is 100.0% occupied: 0 of 40 rooms free",
                ":red-badge[▲ Critical] **Supply lines at 3 days or less: 12**",
                "N95 respirators at Depot 1 is out of stock (0 pieces on hand)",
                "N95 respirators at Depot 2 lasts 1 day (10 pieces on hand)",
            ],
        ),
        (
            "zh",
            [
                ":red-badge[▲ 严重] **已无空房的隔离酒店：1 条**",
                "江畔酒店入住率 100.0%，可用房间 0 / 40 间",
                ":red-badge[▲ 严重] **可用 3 天及以下的物资：12 条**",
                "1号仓的N95口罩已断货（库存 0 个）",
                "2号仓的N95口罩仅够 1 天（库存 10 个）",
            ],
        ),
    ],
)
def test_a_full_hotel_is_not_hidden_behind_many_short_supply_lines(
    app_database: str, engine: Engine, lang: str, expected: list[str]
) -> None:
    _short_supply_lines(engine, 12)
    _hotel(engine, occupied=40, name_en="Riverside Hotel", name_zh="江畔酒店")
    app = _wall_screen(engine, lang).run()
    assert not app.exception
    assert _interrupted(app) if lang == "en" else app.title[0].value.startswith("▲ 严重 · ")
    # Each kind with its title and count, in the Overview's order and words, its worst two
    # in large type and the rest counted, with the view that lists them all.
    # (A sentence is handed to Markdown escaped; a heading is Markdown: a badge, bold.)
    assert [element.value for element in app.markdown] == [
        text if text.startswith(":red-badge[") else _escaped(text) for text in expected
    ]
    assert [caption.value for caption in app.caption] == {
        "en": [
            "See: Quarantine hotels",
            "10 more · See: Supply levels",
            HOW["en"],
            "● Live: checks for new data every 15 s and redraws when there is any",
        ],
        "zh": [
            "详见：隔离酒店",
            "另有 10 条 · 详见：物资保障",
            HOW["zh"],
            "● 实时：每 15 秒检查一次新数据，有更新即刷新本页",
        ],
    }[lang]
    assert not app.button  # a wall screen's token acknowledges nothing
    assert not app.expander  # nothing to open on a screen without a mouse


def test_two_alerts_of_each_kind_for_up_to_three_kinds_and_one_for_more() -> None:
    assert [shown_each(kinds) for kinds in range(1, 7)] == [2, 2, 2, 1, 1, 1]


def test_many_critical_alerts_of_one_kind_show_the_worst_two_and_are_acknowledged_at_once(
    app_database: str, engine: Engine
) -> None:
    hotels = [_hotel(engine, occupied=40) for _ in range(5)]
    app = open_app("app.py", role="leadership")
    app.query_params.update(screen="1", lang="en", playlist=PLAYLIST)
    app.run()
    assert _interrupted(app)
    assert [element.value for element in app.markdown] == [
        ":red-badge[▲ Critical] **Quarantine hotels with no room free: 5**",
        *(f"{hotel.name_en} is 100.0% occupied: 0 of 40 rooms free" for hotel in hotels[:2]),
    ]
    assert [caption.value for caption in app.caption][:2] == [
        "3 more · See: Quarantine hotels",
        HOW["en"],
    ]
    # One button for all on top (a shift's first look), one beside each alert shown.
    assert [button.label for button in app.button] == ["Acknowledge all 5"] + ["Acknowledge"] * 2
    assert [button.key for button in app.button][1:] == [
        f"ack-hotel_full:{hotel.id}" for hotel in hotels[:2]
    ]
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
