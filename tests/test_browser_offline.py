"""Really offline and legible, in a real browser: no page requests any host but the app's
own server, and none cuts a figure or label short or shows a raw value ("None", a code),
and the figures of a row of cards stand on one line.

Starts `streamlit run app.py` on a free port with a copy of the demo on SQLite (as the app
seeds it on its first start), then opens every page in Debian's Chromium, in Chinese and then
in English, and records every request the page makes. A request to any other host fails the
test; it is also aborted, so the test never reaches the internet even on a machine that could.

Needs `apt-get install chromium fonts-noto-cjk` and the `playwright` package (it drives
/usr/bin/chromium; no browser download); skipped when either is missing.
"""

from __future__ import annotations

import base64
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import (
    BROWSER_MARKS,
    FIRST_START_SECONDS,
    PAGE_SECONDS,
    Browser,
    chromium_browser,
    demo_password,
    expect,
    is_own,
    running_app,
    sign_in,
    wait_until_drawn,
)

PAGES = [
    "/overview",
    "/cases",
    "/testing",
    "/hotels",
    "/supplies",
    "/audits",
    "/changelog",
    "/briefing",
]
LANGUAGES = ["zh", "en"]
# A duty officer's laptop and a command hall's TV.
SIZES = {"hall": (1920, 1080), "laptop": (1366, 768)}
# After a resize, the charts and tables draw themselves again at the new width in this time.
RELAYOUT_MS = 1000
# What the reader sees of the main area: text an element cuts short (an ellipsis, or hidden
# overflow), and raw values or codes among the visible words (icons' ligature names aside).
LEGIBILITY = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  // An icon is a ligature of the bundled Material font: its text is a name, never shown.
  const icon = (el) => el.closest('[data-testid="stIconMaterial"]')
    || getComputedStyle(el).fontFamily.includes('Material');
  const clipped = [];
  for (const el of main.querySelectorAll('*')) {
    if (el.offsetParent === null || icon(el)) continue;
    const text = (el.innerText || '').trim();
    if (!text) continue;
    const style = getComputedStyle(el);
    const hides = (value) => ['hidden', 'clip'].includes(value);
    const clips = style.textOverflow === 'ellipsis' || hides(style.overflowX)
      || hides(style.overflow);
    if (clips && el.scrollWidth > el.clientWidth + 1) clipped.push(text.slice(0, 60));
  }
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  let seen = '';
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent.offsetParent === null || icon(parent)) continue;
    seen += ' ' + walker.currentNode.textContent;
  }
  const raw = seen.match(/\\b(None|NaN|nan|null|undefined)\\b|\\b[a-z]+_[a-z_]+\\b/g) || [];
  // Headline figures of one row of cards stand on one line, whichever labels wrap.
  const rows = new Map();
  for (const value of main.querySelectorAll('[data-testid="stMetricValue"]')) {
    const row = value.closest('[data-testid="stHorizontalBlock"]');
    if (!rows.has(row)) rows.set(row, []);
    rows.get(row).push([value.innerText.trim(), Math.round(value.getBoundingClientRect().top)]);
  }
  const misaligned = [...rows.values()].filter(
    (row) => new Set(row.map(([, top]) => top)).size > 1
  ).map((row) => row.map(([text, top]) => `${text} at ${top}`).join(', '));
  return {clipped, raw, misaligned};
}"""
pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def server(app_folder: Path) -> Iterator[str]:
    with running_app(app_folder) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def signed_in_state(server: str, browser: Browser, app_folder: Path) -> dict:
    """Open the app once (the demo is seeded then) and sign in as the demo's leader; the
    visits reuse that browser state (its cookie)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/overview?lang=en")
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=FIRST_START_SECONDS * 1000)
    sign_in(page, server, "demo-leader", demo_password(app_folder, "demo-leader"))
    state = context.storage_state()
    context.close()
    return state


@pytest.mark.parametrize("path", PAGES)
def test_a_page_requests_nothing_from_outside_hosts_and_reads_whole(
    server: str, signed_in_state: dict, browser: Browser, path: str
) -> None:
    # Opened in a Chinese browser without ?lang= (the page takes the browser's language),
    # then switched to English in the sidebar: the same page draws itself again, as when a
    # reader switches (a map is not drawn from scratch twice: its first draw costs Chromium's
    # software WebGL ~10 s of CPU). In each language it is seen on the hall's TV, then on the
    # laptop's screen (the window made smaller: the page lays itself out again, as it does
    # when a window is resized).
    base = server
    requested: list[str] = []
    blocked: list[str] = []
    (hall_width, hall_height), *_ = SIZES.values()
    context = browser.new_context(
        viewport={"width": hall_width, "height": hall_height},
        storage_state=signed_in_state,
        locale="zh-CN",
    )

    def guard(route) -> None:  # noqa: ANN001 - playwright Route
        url = route.request.url
        if is_own(url, base):
            route.continue_()
        else:  # recorded, and never let out
            blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    address = f"{base}{path}"
    seen: dict[tuple[str, str], dict] = {}
    try:
        page.goto(address)
        wait_until_drawn(page, path, PAGE_SECONDS * 1000)
        for lang in LANGUAGES:
            if lang == "en":
                title = page.locator("[data-testid='stMain'] h1").first
                chinese = title.inner_text()
                page.set_viewport_size({"width": hall_width, "height": hall_height})
                page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
                page.wait_for_url(f"{address}?lang=en", timeout=PAGE_SECONDS * 1000)
                expect(title).not_to_have_text(chinese, timeout=PAGE_SECONDS * 1000)
                wait_until_drawn(page, path, PAGE_SECONDS * 1000)
            for size, (width, height) in SIZES.items():
                page.set_viewport_size({"width": width, "height": height})
                page.wait_for_function(
                    "() => document.querySelector('[data-testid=\"stMain\"]').clientWidth"
                    f" <= {width}"
                )
                page.wait_for_timeout(RELAYOUT_MS)
                seen[lang, size] = page.evaluate(LEGIBILITY)
    finally:
        context.close()
    for (lang, size), found in seen.items():
        width, height = SIZES[size]
        where = f"{address} in {lang} at {width}x{height}"
        assert found["clipped"] == [], f"{where} cuts short: {found['clipped']}"
        assert found["raw"] == [], f"{where} shows raw values: {found['raw']}"
        assert found["misaligned"] == [], (
            f"{where}: figures of a row of cards not on one line: {found['misaligned']}"
        )
    assert len(seen) == len(LANGUAGES) * len(SIZES)

    outside = sorted({url for url in [*requested, *blocked] if not is_own(url, base)})
    assert not outside, (
        f"{address} requested {len(outside)} address(es) outside its own server "
        f"{base}:\n  " + "\n  ".join(outside)
    )
    assert any(url.startswith(base) for url in requested), f"{address}: no request recorded"


def test_the_server_compresses_what_it_sends_to_the_browser(server: str) -> None:
    # A browser's WebSocket handshake offers permessage-deflate; the app's server takes it
    # (.streamlit/config.toml), so a page's messages travel compressed.
    host, port = server.removeprefix("http://").split(":")
    handshake = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
        "Sec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: streamlit\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(handshake.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(4096)
    status, *headers = answer.split(b"\r\n\r\n")[0].decode().split("\r\n")
    assert status.startswith("HTTP/1.1 101"), status
    extensions = [
        h.split(":", 1)[1].strip()
        for h in headers
        if h.lower().startswith("sec-websocket-extensions:")
    ]
    assert extensions and extensions[0].startswith("permessage-deflate"), headers
