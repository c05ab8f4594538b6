"""Really offline, in a real browser: no page requests any host but the app's own server.

Starts `streamlit run app.py` on a free port with a fresh SQLite database (the demo seeds
itself on first start), then opens every page in both languages in Debian's Chromium and
records every request the page makes. A request to any other host fails the test; it is
also aborted, so the test never reaches the internet even on a machine that could.

Needs `apt-get install chromium fonts-noto-cjk` and the `playwright` package (it drives
/usr/bin/chromium; no browser download); skipped when either is missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# Playwright already passes --disable-component-update, --disable-sync, --no-first-run and
# --disable-features=<its list>; a second --disable-features replaces the first, so this one
# repeats Playwright 1.65's list and adds Chromium's autofill queries (content-autofill).
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-features="
    + ",".join(PLAYWRIGHT_DISABLED_FEATURES + ["AutofillServerCommunication"]),
]
PAGES = ["/overview", "/cases", "/testing", "/hotels", "/supplies", "/audits"]
MAP_PAGES = {"/cases", "/testing", "/hotels"}
LANGUAGES = ["zh", "en"]
LOCAL_SCHEMES = {"data", "blob", "about"}
FIRST_START_SECONDS = 180  # the first page seeds the demo scenario
PAGE_SECONDS = 60

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not installed (apt-get install chromium fonts-noto-cjk)",
    ),
    pytest.mark.skipif(
        sync_playwright is None, reason="playwright is not installed (requirements-dev.txt)"
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer {base}/_stcore/health in 60 s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of `streamlit run app.py` on a fresh SQLite database with the demo."""
    folder = tmp_path_factory.mktemp("browser")
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MAP_STYLE_URL", "REPLAY_AT", "DEMO_SCALE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'browser.db'}",
        DEMO_DATA="1",
        PYTHONUNBUFFERED="1",
    )
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.headless=true",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    log = folder / "streamlit.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class DeadEndProxy:
    """A proxy that answers nothing and records where each request was going: what Chromium
    itself (not a page) sends to an outside host ends here. Loopback addresses bypass a
    proxy, so the app's own server is reached directly."""

    def __init__(self) -> None:
        self.hosts: Counter[str] = Counter()
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen()
        self.address = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:  # closed
                return
            with connection:
                connection.settimeout(2)
                try:
                    # "CONNECT host:443 HTTP/1.1" or "POST http://host/path HTTP/1.1"
                    target = connection.recv(4096).split(b"\r\n", 1)[0].split(b" ")[1]
                    target = target.decode("latin-1")
                    host = urlsplit(target if "//" in target else f"//{target}").hostname
                except (OSError, IndexError):
                    host = "(unreadable request)"
                self.hosts[host or target] += 1

    def close(self) -> None:
        self._socket.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    proxy = DeadEndProxy()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, f"--proxy-server={proxy.address}"]
        )
        yield chromium
        chromium.close()
    proxy.close()
    if proxy.hosts:
        # Chromium's own traffic (it happens on about:blank too), not the pages': those are
        # checked request by request. It never left the machine; say what it was.
        warnings.warn(
            "Chromium itself (not a page) tried to reach, and was stopped at the test's "
            "dead-end proxy: " + ", ".join(f"{host} ({n}x)" for host, n in proxy.hosts.items()),
            stacklevel=1,
        )


def _is_own(url: str, base: str) -> bool:
    """Whether `url` is served by the app's own server (or needs no server at all)."""
    parts, own = urlsplit(url), urlsplit(base)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return False
    return parts.hostname in {"127.0.0.1", "localhost"} and parts.port == own.port


def _wait_until_drawn(page: Page, path: str, timeout_ms: float) -> None:
    """Wait until the script has run and, on a map page, every deck has its canvas."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout_ms)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms
    )
    if path in MAP_PAGES:
        decks = page.locator("[data-testid='stDeckGlJsonChart']")
        decks.first.wait_for(state="attached", timeout=timeout_ms)
        for index in range(decks.count()):
            decks.nth(index).locator("canvas").first.wait_for(state="attached", timeout=timeout_ms)
    page.wait_for_load_state("networkidle", timeout=timeout_ms)
    page.wait_for_timeout(1500)  # a basemap style or font would be asked for by now


@pytest.fixture(scope="module")
def first_start(server: str, browser: Browser) -> str:
    """Open the app once so the demo is seeded before the timed visits."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/overview?lang=en")
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=FIRST_START_SECONDS * 1000)
    context.close()
    return server


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_a_page_requests_nothing_from_outside_hosts(
    first_start: str, browser: Browser, path: str, lang: str
) -> None:
    base = first_start
    requested: list[str] = []
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 768})

    def guard(route) -> None:  # noqa: ANN001 - playwright Route
        url = route.request.url
        if _is_own(url, base):
            route.continue_()
        else:  # recorded, and never let out
            blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    address = f"{base}{path}" + ("?lang=en" if lang == "en" else "")
    try:
        page.goto(address)
        _wait_until_drawn(page, path, PAGE_SECONDS * 1000)
    finally:
        context.close()

    outside = sorted({url for url in [*requested, *blocked] if not _is_own(url, base)})
    assert not outside, (
        f"{address} requested {len(outside)} address(es) outside its own server "
        f"{base}:\n  " + "\n  ".join(outside)
    )
    assert any(url.startswith(base) for url in requested), f"{address}: no request recorded"
