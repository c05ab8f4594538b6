"""Two app servers, one PostgreSQL database (as behind a load balancer): they start together
on a fresh database (one of them loads the demo, once), one sign-in works on both (a shared
SECRET_KEY; the sessions live in the database), and a hotel update saved through one server
shows on the other server's page at its next refresh (a reload here: live refresh is #14).

Needs TEST_DATABASE_URL (a PostgreSQL server; the test makes and drops a database of its
own), Debian's Chromium and playwright; skipped otherwise.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.browser import (
    BROWSER_MARKS,
    FIRST_START_SECONDS,
    Page,
    chromium_browser,
    demo_password,
    running_app,
    sign_in,
)
from tests.conftest import fresh_postgres_database

pytestmark = BROWSER_MARKS
VIEWPORT = {"width": 1366, "height": 768}
PANEL = "Update a hotel's status"


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """(database URL, base URL of server 1, of server 2)."""
    folder = tmp_path_factory.mktemp("two-servers")
    secret = secrets.token_urlsafe(32)
    with fresh_postgres_database() as url, ExitStack() as stack:
        env = {"SECRET_KEY": secret}
        first = stack.enter_context(running_app(folder, database_url=url, env=env))
        second = stack.enter_context(running_app(folder, database_url=url, env=env))
        print(f"\nlogs of the two servers: {folder}")
        yield url, first, second


def _drawn(page: Page) -> None:
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
    )
    page.wait_for_timeout(500)


def _stored_occupied(page: Page) -> int:
    """Rooms occupied of the panel's (first) hotel, as the form starts from the stored value."""
    page.get_by_text(PANEL).click()
    panel = page.locator("[data-testid='stExpander']").filter(has_text=PANEL)
    return int(panel.get_by_label("Rooms occupied", exact=True).input_value())


def test_a_write_through_one_server_shows_on_the_other(
    two_servers: tuple[str, str, str], tmp_path: Path
) -> None:
    url, first, second = two_servers
    with chromium_browser() as chromium:
        # Both servers' first pages at once: one loads the demo, the other waits for it.
        context = chromium.new_context(viewport=VIEWPORT)
        warm = [context.new_page(), context.new_page()]
        for page, base in zip(warm, (first, second), strict=True):
            page.goto(f"{base}/overview?lang=en", wait_until="commit")
        for page in warm:
            page.wait_for_selector("[data-testid='stMain'] h1", timeout=FIRST_START_SECONDS * 1000)
            assert page.locator("[data-testid='stException']").count() == 0
            assert page.locator("[data-testid='stAlertContentError']").count() == 0
            page.close()

        password = demo_password(tmp_path, "demo-officer", database_url=url)
        writer = context.new_page()
        sign_in(writer, first, "demo-officer", password, path="/hotels")
        _drawn(writer)
        # The same browser is signed in on the other server too: shared secret, shared sessions.
        reader = context.new_page()
        reader.goto(f"{second}/hotels?lang=en")
        reader.wait_for_selector("[data-testid='stSidebar'] >> text=Signed in:", timeout=60_000)
        _drawn(reader)
        before = _stored_occupied(reader)

        writer.get_by_text(PANEL).click()
        panel = writer.locator("[data-testid='stExpander']").filter(has_text=PANEL)
        occupied = panel.get_by_label("Rooms occupied", exact=True)
        assert int(occupied.input_value()) == before  # the same hotel, the same figure
        total = int(panel.get_by_label("Rooms in total", exact=True).input_value())
        cleaning = int(panel.get_by_label("Rooms being cleaned", exact=True).input_value())
        target = before + 1 if before + 1 <= total - cleaning else before - 1
        occupied.fill(str(target))
        panel.get_by_role("button", name="Submit status").click()
        _drawn(writer)

        reader.reload()  # the other server's next refresh
        reader.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
        _drawn(reader)
        assert _stored_occupied(reader) == target
        reader.screenshot(path=tmp_path / "second-server-after-write.png")
        context.close()
