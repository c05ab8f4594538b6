"""Screen mode for wall screens: no chrome, a playlist that rotates, bad playlists named
(AppTest; the playlist parser without Streamlit)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

import screen
from data import accounts, writes
from screen import DEFAULT_PLAYLIST, Entry, parse_playlist
from signin import TOKEN
from tests.conftest import open_app, page_path

VIEWS = ("overview", "cases", "testing", "hotels", "supplies", "audits")
DEFAULT = tuple(
    Entry(view, seconds)
    for view, seconds in [
        ("overview", 60),
        ("cases", 45),
        ("testing", 45),
        ("hotels", 45),
        ("supplies", 45),
        ("audits", 45),
    ]
)


def test_the_default_playlist_shows_every_view() -> None:
    assert DEFAULT_PLAYLIST == "overview:60,cases:45,testing:45,hotels:45,supplies:45,audits:45"
    assert parse_playlist(None, VIEWS) == (DEFAULT, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("overview:60,cases:45,testing:45", (("overview", 60), ("cases", 45), ("testing", 45))),
        ("testing:5", (("testing", 5),)),
        (" hotels : 3600 , overview ", (("hotels", 3600), ("overview", 45))),
        ("overview:10,overview:20,", (("overview", 10), ("overview", 20))),
    ],
)
def test_a_playlist_in_the_address(text: str, expected: tuple) -> None:
    assert parse_playlist(text, VIEWS) == (tuple(Entry(*pair) for pair in expected), [])


@pytest.mark.parametrize(
    ("text", "part", "code"),
    [
        ("overview:60,hotel:30", "hotel:30", "screen.bad_view"),
        ("overview:4", "overview:4", "screen.bad_seconds"),
        ("overview:3601", "overview:3601", "screen.bad_seconds"),
        ("overview:1.5", "overview:1.5", "screen.bad_seconds"),
        ("cases:-10", "cases:-10", "screen.bad_seconds"),
        ("cases:", "cases:", "screen.bad_form"),
        (":30", ":30", "screen.bad_form"),
        ("cases:30:40", "cases:30:40", "screen.bad_form"),
        (",", ",", "screen.empty"),
        ("", "", "screen.empty"),
    ],
)
def test_a_bad_playlist_names_its_bad_part_and_falls_back(text: str, part: str, code: str) -> None:
    playlist, problems = parse_playlist(text, VIEWS)
    assert playlist == DEFAULT
    assert [(problem.part, problem.code) for problem in problems] == [(part, code)]


class FakeClock:
    """The rotation's clock, moved by the test (no waiting)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(screen, "seconds_now", fake)
    return fake


def _screen(playlist: str | None, lang: str = "en", role: str = "leadership") -> AppTest:
    app = open_app("app.py", role=role)
    app.query_params["screen"] = "1"
    app.query_params["lang"] = lang
    if playlist is not None:
        app.query_params["playlist"] = playlist
    return app


def _bar(app: AppTest) -> list[str]:
    """The rotation bar: this view's name and place, and the next view's."""
    bar = ("**▶", "Next:", "下一屏")
    return [element.value for element in app.markdown if element.value.startswith(bar)]


def test_screen_mode_hides_the_sidebar_and_shows_the_first_view(
    app_database: str, clock: FakeClock
) -> None:
    app = _screen("testing:30,overview:20").run()
    assert not app.exception
    assert len(app.sidebar.children) == 0
    assert [title.value for title in app.title] == ["Testing progress"]
    assert _bar(app) == ["**▶ Testing progress** · Screen 1 of 2", "Next: Overview in 30 s"]
    assert not app.warning


def test_screen_mode_rotates_through_the_playlist_keeping_its_address(
    app_database: str, clock: FakeClock
) -> None:
    app = _screen("testing:30,overview:20").run()
    clock.now += 12
    app.run()
    assert [title.value for title in app.title] == ["Testing progress"]
    assert _bar(app)[1] == "Next: Overview in 18 s"
    clock.now += 18
    app.run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Overview"]
    assert _bar(app) == ["**▶ Overview** · Screen 2 of 2", "Next: Testing progress in 20 s"]
    assert app.query_params == {"screen": "1", "playlist": "testing:30,overview:20", "lang": "en"}
    clock.now += 20
    app.run()
    assert [title.value for title in app.title] == ["Testing progress"]
    assert len(app.sidebar.children) == 0


def test_a_playlist_of_one_view_names_no_next_view(app_database: str, clock: FakeClock) -> None:
    app = _screen("testing:30").run()
    assert _bar(app) == ["**▶ Testing progress**"]
    clock.now += 31
    app.run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Testing progress"]
    assert _bar(app) == ["**▶ Testing progress**"]


def test_screen_mode_in_chinese(app_database: str, clock: FakeClock) -> None:
    app = _screen("overview:60,cases:45", lang="zh").run()
    assert not app.exception
    assert [title.value for title in app.title] == ["总览"]
    assert _bar(app) == ["**▶ 总览** · 第 1/2 屏", "下一屏：病例地图，60 秒后"]


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            'The playlist\'s "hotel:30" is wrong: there is no view called hotel (views: '
            "overview, cases, testing, hotels, supplies, audits). Showing the default "
            f"playlist instead: {DEFAULT_PLAYLIST}",
        ),
        (
            "zh",
            "播放列表（playlist）中的“hotel:30”有误：没有名为 hotel 的页面（可用：overview, "
            f"cases, testing, hotels, supplies, audits）。现按默认列表轮播：{DEFAULT_PLAYLIST}",
        ),
    ],
)
def test_a_bad_playlist_says_what_is_wrong_in_the_users_language_and_falls_back(
    app_database: str, clock: FakeClock, lang: str, message: str
) -> None:
    app = _screen("testing:30,hotel:30", lang=lang).run()
    assert not app.exception
    assert [warning.value for warning in app.warning] == [message]
    # The default playlist starts with the Overview, for 60 s.
    assert app.title[0].value == ("Overview" if lang == "en" else "总览")
    assert _bar(app)[0].endswith("Screen 1 of 6" if lang == "en" else "第 1/6 屏")


def test_a_bad_duration_is_named(app_database: str, clock: FakeClock) -> None:
    app = _screen("overview:2").run()
    assert [warning.value for warning in app.warning] == [
        'The playlist\'s "overview:2" is wrong: a duration is a whole number of seconds from '
        f"5 to 3600. Showing the default playlist instead: {DEFAULT_PLAYLIST}"
    ]


def test_a_wall_screen_token_opens_screen_mode(
    app_database: str, engine: Engine, clock: FakeClock
) -> None:
    with Session(engine) as session:
        token = accounts.issue_screen_token(session, actor=writes.SYSTEM, name="hall-1")
    app = AppTest.from_file(page_path("app.py"), default_timeout=30)
    app.session_state[TOKEN] = token
    app.query_params.update(screen="1", lang="en", playlist="cases:45,testing:45")
    app.run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Case map"]
    assert len(app.sidebar.children) == 0


def test_screen_mode_without_sign_in_asks_for_a_screen_token(app_database: str) -> None:
    app = AppTest.from_file(page_path("app.py"), default_timeout=30)
    app.query_params.update(screen="1", lang="en")
    app.run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Sign in"]
    assert app.text_input(key="screen_token") is not None


def _cookie_requests(app: AppTest) -> int:
    """How many of the run's elements have the browser ask `/auth/session` for its cookie."""
    return sum("/auth/session" in element.proto.body for element in app.get("html"))


def test_a_wall_screen_signed_in_by_its_token_at_the_root_asks_for_its_cookie(
    app_database: str, engine: Engine, clock: FakeClock
) -> None:
    # At the root the playlist switches to its first view at once: the run that asked for
    # the cookie was cut short, and the hall's screen was signed out by its next reload.
    with Session(engine) as session:
        token = accounts.issue_screen_token(session, actor=writes.SYSTEM, name="hall-2")
    app = AppTest.from_file(page_path("app.py"), default_timeout=30)
    app.query_params.update(screen="1", lang="en", playlist="overview:20,cases:20")
    app.run()
    app.text_input(key="screen_token").input(token)
    app.button(key="screen_submit").click().run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Overview"]
    # The finished run asks (the run cut short may have asked too: the same cookie again).
    assert _cookie_requests(app) >= 1
    # Once a run has finished with it, the request is not made again.
    app.run()
    assert _cookie_requests(app) == 0
