"""Sign-in, roles in the UI and the hotels' update panel, as a user sees them (AppTest)."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from data import accounts, models, writes
from signin import TOKEN
from tests.conftest import open_app, open_panels, page_path
from tests.factories import at, make_hotel, make_hotel_report

PASSWORD = "correct horse battery"
LIWAN, YUEXIU = "440103", "440104"


def _user(engine: Engine, username: str, role: str, **scope: tuple[str, ...]) -> None:
    with Session(engine) as session:
        writes.create_user(
            session,
            actor=writes.SYSTEM,
            username=username,
            role=role,
            password=PASSWORD,
            **scope,
        )


def _signed_out(script: str = "app.py") -> AppTest:
    app = AppTest.from_file(page_path(script), default_timeout=30)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    return app


def _sign_in(app: AppTest, username: str, password: str) -> AppTest:
    app.text_input(key="login_username").input(username)
    app.text_input(key="login_password").input(password)
    app.button(key="login_submit").click().run()
    assert not app.exception
    return app


def test_without_sign_in_only_the_sign_in_form_is_shown(app_database: str, engine: Engine) -> None:
    with Session(engine) as session:
        hotel = make_hotel(session, rooms=10)
        make_hotel_report(
            session,
            hotel_id=hotel.id,
            reported_at=at("2021-06-10 02:00"),
            rooms_total=10,
            rooms_occupied=3,
        )
    for script in ("app.py", "pages/hotels.py"):
        app = _signed_out(script)
        assert [title.value for title in app.title] == ["Sign in"]
        assert app.metric == [] and app.dataframe == []
        assert app.text_input(key="login_username").label == "User name"


def test_a_user_signs_in_through_the_form_and_sees_who_they_are(
    app_database: str, engine: Engine
) -> None:
    _user(engine, "lihua", "duty_officer", district_codes=(LIWAN,))
    app = _sign_in(_signed_out(), "lihua", PASSWORD)
    assert app.title[0].value == "Overview"
    sidebar = [markdown.value for markdown in app.sidebar.markdown]
    assert "**Signed in:** lihua" in sidebar
    assert "Duty officer · Liwan" in [caption.value for caption in app.sidebar.caption]
    # In Chinese the full-width colon needs no space after it, and stands outside the bold
    # (inside it, Markdown left the asterisks on screen: **当前用户：**lihua).
    app.button_group(key="lang").set_value("zh").run()
    assert "**当前用户**：lihua" in [markdown.value for markdown in app.sidebar.markdown]


@pytest.mark.parametrize(
    ("username", "password"), [("lihua", "wrong password!"), ("nobody", PASSWORD)]
)
def test_a_wrong_password_and_an_unknown_user_get_the_same_message(
    app_database: str, engine: Engine, username: str, password: str
) -> None:
    _user(engine, "lihua", "leadership")
    app = _sign_in(_signed_out(), username, password)
    assert [title.value for title in app.title] == ["Sign in"]
    assert [error.value for error in app.error] == ["Wrong user name or password"]


def test_signing_out_ends_the_session_on_the_server(app_database: str, engine: Engine) -> None:
    app = open_app("app.py")
    app.query_params["lang"] = "en"
    app.run()
    token = app.session_state[TOKEN]
    app.button(key="sign_out").click().run()
    assert [title.value for title in app.title] == ["Sign in"]
    with Session(engine) as session:
        assert accounts.resolve_session(session, token) is None


def _screen_sign_in(app: AppTest, token: str) -> AppTest:
    app.text_input(key="screen_token").input(token)
    app.button(key="screen_submit").click().run()
    assert not app.exception
    return app


def test_a_wall_screen_signs_in_with_its_token_until_it_is_revoked(
    app_database: str, engine: Engine
) -> None:
    with Session(engine) as session:
        make_hotel(session, rooms=10)
        token = accounts.issue_screen_token(session, actor=writes.SYSTEM, name="hall-1")
    app = _screen_sign_in(_signed_out(), token)
    assert app.title[0].value == "Overview"
    assert "**Signed in:** screen\\:hall-1" in [m.value for m in app.sidebar.markdown]
    assert "Wall screen · Whole city" in [caption.value for caption in app.sidebar.caption]
    app.switch_page("pages/hotels.py").run()
    assert app.title[0].value == "Quarantine hotels"
    assert "Update a hotel's status" not in [expander.label for expander in app.expander]
    with Session(engine) as session:
        accounts.revoke_screen_token(session, actor=writes.SYSTEM, name="hall-1")
    app.run()  # the next run (a refresh, a reload) finds the token revoked
    assert [title.value for title in app.title] == ["Sign in"]


@pytest.mark.parametrize("token", ["not-a-token", ""])
def test_an_unknown_screen_token_is_refused(app_database: str, engine: Engine, token: str) -> None:
    app = _screen_sign_in(_signed_out(), token)
    assert [title.value for title in app.title] == ["Sign in"]
    assert [error.value for error in app.error] == [
        "This wall-screen token is unknown or has been revoked"
    ]


# --- The hotels' update panel --------------------------------------------------------------


def _two_hotels(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        liwan = make_hotel(session, rooms=100, district_code=LIWAN, name_en="Liwan Inn")
        yuexiu = make_hotel(session, rooms=50, district_code=YUEXIU, name_en="Yuexiu Inn")
        for hotel, rooms in ((liwan, 100), (yuexiu, 50)):
            make_hotel_report(
                session,
                hotel_id=hotel.id,
                reported_at=at("2021-06-10 02:00"),
                rooms_total=rooms,
                rooms_occupied=10,
                occupied_close_contact=10,
            )
        return liwan.id, yuexiu.id


def _hotels_page(role: str, **scope: tuple[str, ...]) -> AppTest:
    """The hotels page as a user of `role` sees it, its update panel open where shown."""
    app = open_app("pages/hotels.py", role=role, **scope)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    open_panels(app)
    assert not app.exception
    return app


def test_leadership_finds_no_update_panel(app_database: str, engine: Engine) -> None:
    _two_hotels(engine)
    app = _hotels_page("leadership")
    assert "Update a hotel's status" not in [expander.label for expander in app.expander]


def test_a_duty_officer_updates_a_hotel_of_their_district_and_sees_the_new_figure(
    app_database: str, engine: Engine
) -> None:
    liwan, _ = _two_hotels(engine)
    app = _hotels_page("duty_officer", district_codes=(LIWAN,))
    choice = app.selectbox(key="hotel_report_choice")
    assert choice.options == ["Liwan Inn"]  # Yuexiu's hotel is outside the scope
    form = f"hotel_report_{liwan}"
    assert app.number_input(key=f"{form}.rooms_occupied").value == 10  # the latest report
    app.number_input(key=f"{form}.rooms_occupied").set_value(40)
    app.number_input(key=f"{form}.occupied_close_contact").set_value(40)
    app.button(key=f"{form}.submit").click().run()
    assert not app.exception
    assert not app.error
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Rooms occupied"] == "50"  # 40 in Liwan + 10 in Yuexiu
    with Session(engine) as session:
        state = session.get(models.HotelState, liwan)
        assert (state.rooms_occupied, state.occupied_close_contact) == (40, 40)
        log = session.exec(select(models.ChangeLog).order_by(models.ChangeLog.id.desc())).first()
        assert (log.table_name, log.actor) == ("hotelreport", "test-duty-officer-440103")


def test_an_impossible_status_is_refused_next_to_its_field_and_nothing_is_written(
    app_database: str, engine: Engine
) -> None:
    liwan, _ = _two_hotels(engine)
    app = _hotels_page("duty_officer", district_codes=(LIWAN,))
    form = f"hotel_report_{liwan}"
    app.number_input(key=f"{form}.rooms_occupied").set_value(95)
    app.number_input(key=f"{form}.rooms_cleaning").set_value(10)
    app.button(key=f"{form}.submit").click().run()
    assert not app.exception
    # What the user reads (the Markdown source escapes the parentheses).
    assert [error.value.replace("\\", "") for error in app.error] == [
        "Occupied (95) plus cleaning (10) rooms exceed the 100 rooms in total"
    ]
    assert app.number_input(key=f"{form}.rooms_occupied").value == 95  # what was typed stays
    with Session(engine) as session:
        reports = session.exec(select(func.count()).select_from(models.HotelReport)).one()
        assert reports == 2


def test_a_hotel_name_from_the_database_is_shown_as_text_not_markdown(
    app_database: str, engine: Engine
) -> None:
    name = "**bold** [link](http://x) ![i](http://host/t.png)"
    with Session(engine) as session:
        hotel = make_hotel(session, rooms=100, name_en=name)
        make_hotel_report(
            session,
            hotel_id=hotel.id,
            reported_at=at("2021-06-10 02:00"),
            rooms_total=100,
            rooms_occupied=97,
            occupied_close_contact=97,
        )
    app = _hotels_page("leadership")
    (alert,) = [error.value for error in app.error if "95" in error.value]
    assert r"\*\*bold\*\* \[link\](http\://x) !\[i\](http\://host/t\.png)" in alert
    assert "**bold**" not in alert and "[link]" not in alert


def test_a_hotel_that_never_reported_starts_from_its_registered_rooms(
    app_database: str, engine: Engine
) -> None:
    with Session(engine) as session:
        hotel_id = make_hotel(session, rooms=350, district_code=LIWAN).id
    app = _hotels_page("duty_officer", district_codes=(LIWAN,))
    form = f"hotel_report_{hotel_id}"
    assert app.number_input(key=f"{form}.rooms_total").value == 350
    assert app.number_input(key=f"{form}.rooms_occupied").value == 0
