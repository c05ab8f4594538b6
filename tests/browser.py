"""What the browser tests share: `streamlit run app.py` on a copy of the demo, Debian's
Chromium behind a dead-end proxy, waiting for a page to be drawn, and signing in.

Needs `apt-get install chromium fonts-noto-cjk` and the `playwright` package (it drives
/usr/bin/chromium; no browser download); tests using it are skipped when either is missing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
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
    from playwright.sync_api import Browser, Page, expect, sync_playwright
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = Browser = Page = expect = None
    PlaywrightError = PlaywrightTimeoutError = Exception

BROWSER_MARKS = [
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


def _run_folder(folder: Path) -> Path:
    """The folder this test run's processes share (pytest's base folder of the run): a
    module's folder is in it, or under a worker's folder in it under pytest-xdist."""
    return folder.parent.parent if os.environ.get("PYTEST_XDIST_WORKER") else folder.parent


def copy_of_the_demo(folder: Path) -> Path:
    """`folder/browser.db`: a copy of the demo scenario as the app seeds it on its first
    start. The first module of a test run to ask seeds it once (under a lock the run's
    processes share); the others copy it rather than seed it again (5-15 s each)."""
    from data.bootstrap import prepare_database
    from data.db import make_engine

    demo = _run_folder(folder) / "browser-demo.db"
    with (demo.parent / "browser-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not demo.exists():
            seeding = demo.with_suffix(".seeding")
            engine = make_engine(f"sqlite:///{seeding}")
            try:
                prepare_database(engine, seed_demo_if_empty=True)
                with engine.connect() as connection:
                    connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                engine.dispose()
            seeding.rename(demo)
    copy = folder / "browser.db"
    shutil.copyfile(demo, copy)
    return copy


@contextmanager
def running_app(
    folder: Path,
    *,
    database_url: str | None = None,
    env: dict[str, str] | None = None,
    seeded: bool = True,
) -> Iterator[str]:
    """The base URL of `streamlit run app.py` on `folder/browser.db` holding the demo (an
    empty file that the app seeds on its first start, if not `seeded`), or on
    `database_url`, with more environment variables `env`; its log is then
    `folder/streamlit-<port>.log`)."""
    if database_url is None and seeded:
        copy_of_the_demo(folder)
    port = _free_port()
    extra = env or {}
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MAP_STYLE_URL", "REPLAY_AT", "DEMO_SCALE"}
    }
    env.update(
        DATABASE_URL=database_url or f"sqlite:///{folder / 'browser.db'}",
        DEMO_DATA="1",
        PYTHONUNBUFFERED="1",
        **extra,
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
    log = folder / ("streamlit.log" if database_url is None else f"streamlit-{port}.log")
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


@contextmanager
def chromium_browser() -> Iterator[Browser]:
    """Debian's Chromium; what it sends to outside hosts on its own ends at a dead end."""
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


def is_own(url: str, base: str) -> bool:
    """Whether `url` is served by the app's own server (or needs no server at all)."""
    parts, own = urlsplit(url), urlsplit(base)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return False
    return parts.hostname in {"127.0.0.1", "localhost"} and parts.port == own.port


def wait_until_drawn(page: Page, path: str, timeout_ms: float) -> None:
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


def demo_password(folder: Path, username: str, *, database_url: str | None = None) -> str:
    """A demo account's password, as the sign-in page shows it (from the app's database)."""
    from sqlmodel import Session

    from data import accounts
    from data.db import make_engine

    engine = make_engine(database_url or f"sqlite:///{folder / 'browser.db'}")
    try:
        with Session(engine) as session:
            listed = {account["username"]: account for account in accounts.demo_accounts(session)}
    finally:
        engine.dispose()
    return listed[username]["password"]


def sign_in(
    page: Page, base: str, username: str, password: str, *, path: str = "/overview"
) -> None:
    """Sign in through the form, as a person would, and wait for the page behind it."""
    page.goto(f"{base}{path}?lang=en")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-testid='stSidebar'] >> text=Signed in:", timeout=60_000)
    wait_for_cookie(page)


def wait_for_cookie(page: Page, timeout_s: float = 30) -> None:
    """Wait for the sign-in cookie, which a request the page makes right after signing in
    sets (a navigation before it would find the browser signed out)."""
    from data.cookies import COOKIE_NAME

    deadline = time.monotonic() + timeout_s
    while not any(c["name"] == COOKIE_NAME for c in page.context.cookies()):
        if time.monotonic() > deadline:
            pytest.fail(f"no sign-in cookie {timeout_s:.0f} s after signing in")
        page.wait_for_timeout(200)


@contextmanager
def seeded_browser(server: str) -> Iterator[Browser]:
    """Chromium, after one page of `server` has been drawn (its first start seeds the demo)."""
    with chromium_browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{server}/overview?lang=en")
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=FIRST_START_SECONDS * 1000)
        page.close()
        yield chromium


def sign_in_screen(page: Page, token: str) -> None:
    """Sign a wall screen in with its token on the sign-in page it shows, and wait until
    that page is gone.

    On CI's loaded machine a submit once never reached the server (the token was never
    used, nothing was shown): then the token goes in again, as a person at the screen
    would do, and the run says so."""
    for attempt in range(2):
        expander = page.get_by_text("Wall screen: sign in with its token")
        field = page.get_by_label("Screen token")
        if not field.is_visible():
            expander.click()
        field.fill(token)
        field.press("Tab")  # the field is committed before the button is pressed
        page.get_by_role("button", name="Sign in the screen").click()
        try:
            expect(field).to_be_hidden(timeout=20_000)
            return
        except AssertionError:
            if attempt:
                raise
            warnings.warn(
                "the screen's sign-in was still shown 20 s after its submit: again", stacklevel=2
            )
