"""Two app servers, one PostgreSQL database (as behind a load balancer): they start together
on a fresh database (one of them loads the demo, once), one sign-in works on both (a shared
SECRET_KEY; the sessions live in the database), and a hotel update saved through one server
shows on the other server's open page by itself, within two live-refresh intervals.

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
    expect,
    running_app,
    sign_in,
)
from tests.conftest import fresh_postgres_database

pytestmark = BROWSER_MARKS
VIEWPORT = {"width": 1366, "height": 768}
PANEL = "Update a hotel's status"
OCCUPIED = "Rooms occupied"


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """(database URL, base URL of server 1, of server 2)."""
    folder = tmp_path_factory.mktemp("two-servers")
    secret = secrets.token_urlsafe(32)
    with fresh_postgres_database() as url, ExitStack() as stack:
        env = {"SECRET_KEY": secret, "REFRESH_SECONDS": "2"}
        first = stack.enter_context(running_app(folder, database_url=url, env=env))
        second = stack.enter_context(running_app(folder, database_url=url, env=env))
        print(f"\nlogs of the two servers: {folder}")
        yield url, first, second


def _drawn(page: Page) -> None:
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
    )
    page.wait_for_timeout(500)


def _active_liwan_hotel(url: str) -> tuple[str, int, int, int]:
    """An active quarantine hotel of Liwan (the demo officer's scope), one whose rooms count
    in the hotels page's city totals: its English name, rooms occupied, total and cleaning."""
    from sqlmodel import Session, select

    from data import models
    from data.db import make_engine

    engine = make_engine(url)
    f, h = models.Facility, models.HotelState
    try:
        with Session(engine) as session:
            return tuple(
                session.exec(
                    select(f.name_en, h.rooms_occupied, h.rooms_total, h.rooms_cleaning)
                    .join(h, h.hotel_id == f.id)
                    .where(f.kind == "quarantine_hotel", f.district_code == "440103")
                    .where(f.status == "active")
                    .order_by(f.code)
                ).first()
            )
    finally:
        engine.dispose()


def _city_occupied(page: Page) -> int:
    """The hotels page's headline: rooms occupied in the whole city."""
    card = page.locator("[data-testid='stMetric']").filter(has_text=OCCUPIED).first
    return int(card.locator("[data-testid='stMetricValue']").inner_text().replace(",", ""))


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
        city_before = _city_occupied(reader)

        writer.get_by_text(PANEL).click()
        panel = writer.locator("[data-testid='stExpander']").filter(has_text=PANEL)
        hotel, before, total, cleaning = _active_liwan_hotel(url)
        panel.get_by_label("Hotel").click()
        writer.keyboard.type(hotel)  # the list is long: narrow it as a person would
        writer.get_by_role("option", name=hotel, exact=True).click()
        # The chosen hotel's form, known by the stored figure it starts from (the fields of the
        # form shown before may linger while the page redraws).
        occupied = panel.locator(f'input[aria-label="Rooms occupied"][value="{before}"]')
        expect(occupied).to_have_count(1, timeout=60_000)
        _drawn(writer)
        target = before + 1 if before + 1 <= total - cleaning else before - 1
        occupied.fill(str(target))
        panel.get_by_role("button", name="Submit status").click()
        _drawn(writer)

        # No reload: the other server's open page redraws by itself (its live refresh reads
        # the shared change counter), and its city total of rooms occupied moves. (In front,
        # as a wall screen is: a browser slows the timers of tabs in the background.)
        reader.bring_to_front()
        reader.wait_for_function(
            """([label, expected]) => {
                const cards = [...document.querySelectorAll('[data-testid="stMetric"]')];
                const card = cards.find(c => c.innerText.startsWith(label));
                const value = card && card.querySelector('[data-testid="stMetricValue"]');
                return value && Number(value.innerText.replace(/,/g, '')) === expected;
            }""",
            arg=[OCCUPIED, city_before + target - before],
            timeout=30_000,
        )
        reader.screenshot(path=tmp_path / "second-server-after-write.png")
        context.close()
