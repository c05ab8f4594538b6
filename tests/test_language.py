"""The language a page opens in: the browser's, unless the address or the switch says
otherwise; and the choice stays through page changes and reloads (AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from shell import browser_language, pick_language
from tests.conftest import open_app, page_path


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("zh-CN", "zh"),
        ("zh-TW", "zh"),
        ("zh", "zh"),
        ("ZH-hk", "zh"),
        ("en-US", "en"),
        ("en", "en"),
        ("de-DE", "en"),
        ("fr", "en"),
        (None, "zh"),
        ("", "zh"),
    ],
)
def test_the_browsers_language_picks_chinese_for_zh_and_english_otherwise(
    locale: str | None, expected: str
) -> None:
    assert browser_language(locale) == expected


@pytest.mark.parametrize(
    ("switch", "address", "locale", "expected"),
    [
        (None, None, "en-US", "en"),
        (None, "zh", "en-US", "zh"),
        (None, "en", "zh-CN", "en"),
        ("zh", "en", "en-US", "zh"),
        ("en", None, "zh-CN", "en"),
        (None, "klingon", "de-DE", "en"),
        (None, "klingon", None, "zh"),
    ],
)
def test_the_switch_wins_then_the_address_then_the_browser(
    switch: str | None, address: str | None, locale: str | None, expected: str
) -> None:
    assert pick_language(switch, address, locale) == expected


@pytest.mark.parametrize(
    ("locale", "title", "lang_in_address"),
    [("en-US", "Overview", None), ("zh-CN", "总览", None), ("de-DE", "Overview", None)],
)
def test_a_page_opens_in_the_browsers_language_with_a_clean_address(
    app_database: str, locale: str, title: str, lang_in_address: str | None
) -> None:
    app = open_app("app.py")
    app.context["locale"] = locale
    app.run()
    assert not app.exception
    assert app.title[0].value == title
    assert app.query_params.get("lang") == lang_in_address


def test_the_address_overrides_the_browser_and_stays_in_it(app_database: str) -> None:
    app = open_app("app.py")
    app.context["locale"] = "en-US"
    app.query_params["lang"] = "zh"
    app.run()
    assert app.title[0].value == "总览"
    assert app.query_params["lang"] == "zh"
    # A page change keeps the choice (the switch holds it for the session).
    app.switch_page("pages/testing.py").run()
    assert not app.exception
    assert app.title[0].value == "核酸检测进度"


def test_the_sidebar_switch_overrides_the_browser_and_goes_into_the_address(
    app_database: str,
) -> None:
    app = open_app("app.py")
    app.context["locale"] = "zh-CN"
    app.run()
    assert app.title[0].value == "总览"
    app.sidebar.button_group(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Overview"
    assert app.query_params["lang"] == "en"


@pytest.mark.parametrize(("locale", "title"), [("en-GB", "Sign in"), ("zh-CN", "登录")])
def test_the_sign_in_page_opens_in_the_browsers_language(
    app_database: str, locale: str, title: str
) -> None:
    app = AppTest.from_file(page_path("app.py"), default_timeout=30)
    app.context["locale"] = locale
    app.run()
    assert not app.exception
    assert [element.value for element in app.title] == [title]
