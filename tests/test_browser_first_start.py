"""The first start, in Debian's Chromium: while the app prepares an empty database (the
schema and the demo's seeding take a while), the sidebar lists nothing, never Streamlit's
guess at pages from the scripts under pages/ by file name ("app", "overview" ...), and the
sign-in page follows.

Screenshots of what the test saw go to a folder it prints.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser import (
    BROWSER_MARKS,
    FIRST_START_SECONDS,
    chromium_browser,
    running_app,
)

pytestmark = BROWSER_MARKS
PREPARING = "Preparing the database"


def test_while_the_database_is_prepared_the_sidebar_lists_no_script_names(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    lang = "en"
    shots = tmp_path_factory.mktemp("first-start")
    print(f"\nscreenshots of the first-start browser test: {shots}")
    with running_app(tmp_path, seeded=False) as base, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{base}/cases?lang={lang}")
        listed: list[str] = []
        seen_preparing = False
        deadline = time.monotonic() + FIRST_START_SECONDS
        while time.monotonic() < deadline:
            main = page.locator("[data-testid='stMain']")
            text = main.inner_text() if main.count() else ""
            nav = page.locator("[data-testid='stSidebarNav']")
            if nav.count():
                listed.append(nav.first.inner_text())
            if PREPARING in text:
                if not seen_preparing:
                    page.screenshot(path=shots / f"preparing-{lang}-1366.png")
                seen_preparing = True
            elif page.get_by_role("button", name="Sign in").count():
                break
            page.wait_for_timeout(200)
        page.screenshot(path=shots / f"signin-{lang}-1366.png")
        assert seen_preparing, "the first start never said it was preparing the database"
        assert page.get_by_role("button", name="Sign in").count() == 1
        # Signed out, there is no navigation at all, before, during and after preparing.
        assert listed == []
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
