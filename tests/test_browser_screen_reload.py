"""A wall screen that has rotated for SCREEN_RELOAD_MINUTES loads its page afresh at its next
change of view (a browser that shows a rotating screen for days grows in memory), signs in
again with its token's cookie and goes on with its playlist; before that age it does not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import running_app, seeded_browser, sign_in_screen, wait_for_cookie
from tests.test_browser_screen import (
    _acknowledge_critical_alerts,
    _issue_screen_token,
    _title,
)

pytest.importorskip("playwright")
from playwright.sync_api import Browser, expect  # noqa: E402

# 24 s: the page's first change of view (8 s after it is drawn) comes before it, a later one
# after it.
RELOAD_MINUTES = "0.4"


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screen-reload")


@pytest.fixture(scope="module")
def server(app_folder: Path) -> Iterator[str]:
    with running_app(app_folder, env={"SCREEN_RELOAD_MINUTES": RELOAD_MINUTES}) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    with seeded_browser(server) as chromium:
        yield chromium


def test_a_wall_screen_loads_afresh_at_a_change_of_view_after_its_reload_age(
    server: str, browser: Browser, app_folder: Path
) -> None:
    token = _issue_screen_token(app_folder, "hall-reload")
    _acknowledge_critical_alerts(app_folder)  # the rotation runs: no alert holds it
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    # Views without a map (a map's first draw costs Chromium's software WebGL ~10 s of CPU).
    page.goto(f"{server}/?screen=1&playlist=overview:8,supplies:8&lang=en")
    sign_in_screen(page, token)
    try:
        expect(_title(page)).to_have_text("Overview", timeout=60_000)
        wait_for_cookie(page)
        page.evaluate("() => { window.__sameDocument = true; }")
        # When the first page was loaded (a page loaded afresh has a clock of its own).
        origin = page.evaluate("() => performance.timeOrigin")
        # The first change of view comes before the reload age: the same page goes on.
        expect(_title(page)).to_have_text("Supply levels", timeout=60_000)
        if page.evaluate("() => Date.now()") - origin < 22_000:  # 2 s within the age (24 s)
            assert page.evaluate("() => window.__sameDocument === true"), "loaded too soon"
        # A later one comes after it: the page is loaded afresh (the mark is gone), signed in
        # by its cookie, and goes on with the playlist.
        page.wait_for_function("() => window.__sameDocument === undefined", timeout=60_000)
        bar = page.locator(".st-key-screen-bar")
        expect(bar).to_contain_text("Screen", timeout=30_000)
        shown = _title(page).inner_text(timeout=30_000).strip()
        following = "Supply levels" if shown == "Overview" else "Overview"
        expect(_title(page)).to_have_text(following, timeout=60_000)
    finally:
        context.close()
