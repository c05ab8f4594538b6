"""Screen mode on a wall screen, in Debian's Chromium: signed in with its token, at 1920x1080,
with no sidebar or header, it shows the demo's critical alerts until they are acknowledged
elsewhere, then rotates to the next view of a short playlist by itself and keeps the
screen's address (playlist and language) from view to view.

Screenshots of what the test saw go to a folder it prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import (
    BROWSER_MARKS,
    Browser,
    Page,
    PlaywrightTimeoutError,
    expect,
    running_app,
    seeded_browser,
    sign_in_screen,
    wait_for_cookie,
)

pytestmark = BROWSER_MARKS
HALL_TV = {"width": 1920, "height": 1080}
# Views without a map: a map's first draw costs Chromium's software WebGL ~10 s of CPU.
PLAYLIST = "overview:5,supplies:5"
INTERRUPT = "▲ Critical · Critical alert: the rotation is paused"


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screen")


@pytest.fixture(scope="module")
def server(app_folder: Path) -> Iterator[str]:
    # Live screens look for writes every 2 s here (15 s by default).
    with running_app(app_folder, env={"REFRESH_SECONDS": "2"}) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    with seeded_browser(server) as chromium:
        yield chromium


def _issue_screen_token(folder: Path, name: str) -> str:
    """A wall screen's token on the app's database, as an admin issues it."""
    from sqlmodel import Session

    from data import accounts
    from data.db import make_engine
    from data.writes import SYSTEM

    engine = make_engine(f"sqlite:///{folder / 'browser.db'}")
    try:
        with Session(engine) as session:
            return accounts.issue_screen_token(session, actor=SYSTEM, name=name)
    finally:
        engine.dispose()


def _screen_address(server: str, view: str) -> Callable[[str], bool]:
    """Whether an address is the view's, with the screen's playlist and language kept."""

    def matches(url: str) -> bool:
        parts = urlsplit(url)
        asked = {"screen": ["1"], "playlist": [PLAYLIST], "lang": ["en"]}
        return f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{server}/{view}" and (
            parse_qs(parts.query) == asked
        )

    return matches


def _acknowledge_critical_alerts(folder: Path) -> int:
    """A leader acknowledges every critical alert of the app's database (now, and any that
    the next two hours bring), as on the Overview of another browser; how many there were."""
    from datetime import timedelta

    from sqlmodel import Session

    from data.alerts import compute_alerts
    from data.db import make_engine
    from data.timeutil import utc_now
    from data.writes import Actor
    from data.writes.acknowledgements import acknowledge_alerts

    engine = make_engine(f"sqlite:///{folder / 'browser.db'}")
    try:
        with Session(engine) as session:
            found = {
                alert.key: alert
                for moment in (utc_now(), utc_now() + timedelta(hours=2))
                for alert in compute_alerts(session, at=moment)
                if alert.severity == "critical"
            }
            acknowledge_alerts(
                session,
                actor=Actor(name="duty-leader", role="leadership"),
                alerts=[(a.key, a.kind, a.district_code) for a in found.values()],
            )
            return len(found)
    finally:
        engine.dispose()


def _critical_now(folder: Path) -> bool:
    from sqlmodel import Session

    from data.alerts import compute_alerts
    from data.db import make_engine
    from data.timeutil import utc_now

    engine = make_engine(f"sqlite:///{folder / 'browser.db'}")
    try:
        with Session(engine) as session:
            return any(a.severity == "critical" for a in compute_alerts(session, at=utc_now()))
    finally:
        engine.dispose()


def _title(page: Page):  # noqa: ANN202 - a Locator
    return page.locator("[data-testid='stMain'] h1").first


def test_screen_mode_rotates_to_the_next_view_by_itself(
    server: str, browser: Browser, app_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    shots = tmp_path_factory.mktemp("screen-shots")
    print(f"\nscreenshots of the screen-mode browser test: {shots}")
    token = _issue_screen_token(app_folder, "hall-rotation")
    context = browser.new_context(viewport=HALL_TV)
    page = context.new_page()
    page.goto(f"{server}/?screen=1&playlist={PLAYLIST}&lang=en")
    sign_in_screen(page, token)
    try:
        if _critical_now(app_folder):
            # The demo's critical alerts stop the rotation until someone acknowledges them.
            expect(_title(page)).to_have_text(INTERRUPT, timeout=60_000)
            wait_for_cookie(page)
            page.screenshot(path=shots / "screen-alert-en-1920.png")
            assert _acknowledge_critical_alerts(app_folder) > 0
        expect(_title(page)).to_have_text("Overview", timeout=60_000)
        wait_for_cookie(page)
        bar = page.locator(".st-key-screen-bar")
        expect(bar).to_contain_text("Overview · Screen 1 of 2", timeout=30_000)
        expect(bar).to_contain_text("Next: Supply levels in", timeout=30_000)
        # No chrome: neither sidebar nor header nor toolbar is shown.
        for chrome in ("stSidebar", "stHeader", "stToolbar", "stSidebarCollapsedControl"):
            for element in page.locator(f"[data-testid='{chrome}']").all():
                expect(element).to_be_hidden()
        # Read from across a hall: headline numbers at least 64 px, on a dark ground.
        # Measured in one step with the title: on a loaded machine the 5 s view had moved on
        # between finding a figure and measuring it (CI read "nan px" off a removed element).
        size = page.wait_for_function(OVERVIEW_FIGURE_SIZE, timeout=90_000).json_value()
        assert size >= 64, f"headline numbers are {size} px"
        ground = page.locator("[data-testid='stApp']").evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        assert ground == "rgb(11, 18, 32)"
        page.screenshot(path=shots / "screen-overview-en-1920.png")
        # Nobody touches anything: the screen moves on to the next view by itself.
        expect(_title(page)).to_have_text("Supply levels", timeout=90_000)
        expect(bar).to_contain_text("Supply levels · Screen 2 of 2", timeout=30_000)
        page.wait_for_url(_screen_address(server, "supplies"))
        page.screenshot(path=shots / "screen-supplies-en-1920.png")
        # ... and back to the first, round and round.
        expect(_title(page)).to_have_text("Overview", timeout=90_000)
        page.wait_for_url(_screen_address(server, "overview"))
        # A screen whose timers stop (Streamlit lost them once in CI, and the view stayed
        # for good) loads its view again once its bar has stood still for STALL_SECONDS,
        # and goes on with the playlist.
        # A switch of view already asked for may still come first and start timers anew (on
        # a loaded machine it did, and the screen went on rotating): then they are stopped
        # again, until the screen loads its view afresh (the mark is gone).
        for attempt in range(3):
            page.evaluate(STOP_TIMERS)
            try:
                page.wait_for_function("() => window.__timersStopped === undefined", timeout=60_000)
                break
            except PlaywrightTimeoutError:
                if attempt == 2:
                    raise
        expect(_title(page)).to_have_text("Supply levels", timeout=90_000)
        page.wait_for_url(_screen_address(server, "supplies"))
    except Exception:
        print("bar:", page.locator(".st-key-screen-bar").all_inner_texts(), "at", page.url)
        print("pager:", page.evaluate(PAGER_STATE))
        print("server log:", (app_folder / "streamlit.log").read_text()[-3000:])
        raise
    finally:
        page.screenshot(path=shots / "screen-last-en-1920.png")
        context.close()


# The type size of the Overview's first headline figure, once the Overview shows one (null
# until then, so that wait_for_function waits).
OVERVIEW_FIGURE_SIZE = """() => {
  const title = document.querySelector("[data-testid='stMain'] h1");
  const figure = document.querySelector("[data-testid='stMetricValue']");
  if (!title || title.textContent.trim() !== "Overview" || !figure) return null;
  const size = parseFloat(getComputedStyle(figure).fontSize);
  return Number.isNaN(size) ? null : size;
}"""


# What the screen's pager knows (for a failure's report): its beat, how long it has stood
# still, whether a reload is under way, and whether the beat is on the page.
PAGER_STATE = """() => {
  const pager = window.__screenPager || {};
  const beat = document.querySelector(".screen-beat");
  return {beat: pager.beat, still_s: (performance.now() - pager.beatAt) / 1000,
          reloading: pager.reloading, timer: pager.timer, on_page: beat ? beat.textContent : null,
          stopped: window.__timersStopped};
}"""


# Stops every timer of the page but the screen's own pager (screen._PAGER), as when
# Streamlit loses a screen's fragment timers: the bar stops, nothing runs again by itself.
STOP_TIMERS = """() => {
  const keep = window.__screenPager.timer;
  const last = setTimeout(() => {}, 0);
  for (let id = 1; id <= last; id++) if (id !== keep) clearInterval(id);
  window.__timersStopped = true;
}"""


# What a wall screen shows of its figures: each badge's type size, and each headline
# figure's text, the lines it takes and whether it overflows its card.
FIGURES = """() => {
  const lines = (element) => {
    const tops = new Set();
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
    }
    return tops.size;
  };
  return {
    badges: [...document.querySelectorAll('[data-testid="stMain"] .stMarkdownBadge')].map(
      (badge) => [badge.innerText, parseFloat(getComputedStyle(badge).fontSize)]),
    figures: [...document.querySelectorAll('[data-testid="stMetricValue"]')].map((value) => ({
      text: value.innerText.trim(),
      lines: lines(value),
      overflows: value.scrollWidth > value.closest('[data-testid="stMetric"]').clientWidth + 1,
    })),
  };
}"""
CONTROLS = (
    "stSlider",
    "stDateInput",
    "stSelectbox",
    "stMultiSelect",
    "stToggle",
    "stCheckbox",
    "stButtonGroup",
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_wall_screen_reads_from_across_the_hall_at_both_sizes(
    server: str,
    browser: Browser,
    app_folder: Path,
    tmp_path_factory: pytest.TempPathFactory,
    lang: str,
) -> None:
    """Status badges in large type, every headline figure on one line (its type shrinks to
    its card on a 1366-pixel screen), nothing to click on the Overview, testing and case-map
    views, and the case map first."""
    shots = tmp_path_factory.mktemp(f"screen-read-{lang}")
    print(f"\nscreenshots of the screen-mode legibility test: {shots}")
    token = _issue_screen_token(app_folder, f"hall-read-{lang}")
    _acknowledge_critical_alerts(app_folder)  # the views, not the interrupt
    context = browser.new_context(viewport=HALL_TV)
    page = context.new_page()
    try:
        # Signed in with its token (on the English form), as a hall's screen is.
        page.goto(f"{server}/overview?screen=1&playlist=overview:3600&lang=en")
        sign_in_screen(page, token)
        wait_for_cookie(page)
        # English at both sizes; Chinese on the narrower screen, where its figures and
        # badges are likeliest to wrap. Each view is loaded once and seen at each size.
        sizes = ((1366, 768), (1920, 1080)) if lang == "en" else ((1366, 768),)
        for view in ("overview", "testing", "cases"):
            page.set_viewport_size({"width": sizes[0][0], "height": sizes[0][1]})
            page.goto(f"{server}/{view}?screen=1&playlist={view}:3600&lang={lang}")
            page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
            page.wait_for_selector(
                "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
            )
            for width, height in sizes:
                page.set_viewport_size({"width": width, "height": height})
                page.evaluate(TO_THE_TOP)  # as the view comes on screen
                page.wait_for_timeout(1000)
                page.screenshot(path=shots / f"{view}-{lang}-{width}.png", timeout=90_000)
                seen = page.evaluate(FIGURES)
                assert seen["figures"], f"no headline figures on {view}"
                for figure in seen["figures"]:
                    where = f"{figure['text']!r} on {view} at {width}"
                    assert not figure["overflows"], f"{where} overflows its card"
                    # A figure never breaks inside itself; "16,713 / 16,860" may at a space.
                    assert figure["lines"] <= figure["text"].count(" / ") + 1, f"{where} wraps"
                if view == "overview":
                    assert seen["badges"], "no status badge on the overview"
                for text, size in seen["badges"]:
                    assert size >= 24, f"the badge {text!r} on {view} is {size} px"
                _assert_nothing_to_click(page, view)
                if view == "cases":
                    deck = page.locator("[data-testid='stDeckGlJsonChart']")
                    expect(deck).to_be_visible(timeout=60_000)
                    # The map comes first, before the cards, high in the first screenful.
                    box = deck.bounding_box()
                    card = page.locator("[data-testid='stMetric']").first.bounding_box()
                    assert box is not None and card is not None
                    assert box["y"] < 0.6 * height, f"the map starts at {box['y']} ({width})"
                    assert box["y"] < card["y"], f"a card above the map ({width})"
                    main = page.locator("[data-testid='stMain']")
                    hint = "Hover for details" if lang == "en" else "悬停查看详情"
                    expect(main.get_by_text(hint)).to_have_count(0)
                    deck.scroll_into_view_if_needed()
                    page.screenshot(path=shots / f"cases-map-{lang}-{width}.png")
    finally:
        context.close()


# Back to the top of the view (where the previous size's checks may have scrolled).
TO_THE_TOP = """() => {
  for (const id of ["stMain", "stAppViewContainer"]) {
    const element = document.querySelector(`[data-testid="${id}"]`);
    if (element) element.scrollTop = 0;
  }
  window.scrollTo(0, 0);
}"""


# What a wall screen must not show: anything to click, choose or type into.
CLICKABLE = (
    *CONTROLS,
    "stButton",
    "stDownloadButton",
    "stPageLink",
    "stTextInput",
    "stRadio",
    "stPopover",
)


def _assert_nothing_to_click(page: Page, view: str) -> None:
    main = page.locator("[data-testid='stMain']")
    for control in CLICKABLE:
        shown = [e for e in main.locator(f"[data-testid='{control}']").all() if e.is_visible()]
        assert not shown, f"{len(shown)} {control} shown on {view}"


# Where the screen stands: how far down the view, the bar's top edge and the page's height.
SCROLL = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const bar = document.querySelector('.st-key-screen-bar');
  return {top: main.scrollTop, last: main.scrollHeight - main.clientHeight,
          bar: bar ? bar.getBoundingClientRect().top : null};
}"""


def test_a_wall_screen_has_nothing_to_click_and_pages_through_a_tall_view(
    server: str, browser: Browser, app_folder: Path
) -> None:
    """On a laptop-sized screen (the smallest a hall uses): no view shows a control, and the
    Overview, several screenfuls tall, pages down through itself within its time on screen,
    under its bar, and starts again from the top."""
    token = _issue_screen_token(app_folder, "hall-pages")
    _acknowledge_critical_alerts(app_folder)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{server}/overview?screen=1&playlist=overview:3600&lang=en")
        sign_in_screen(page, token)
        wait_for_cookie(page)
        # (The Overview, testing and case-map views: the legibility test above.)
        for view in ("hotels", "supplies", "audits"):
            page.goto(f"{server}/{view}?screen=1&playlist={view}:3600&lang=en")
            page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
            page.wait_for_selector(
                "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
            )
            _assert_nothing_to_click(page, view)
        # Twenty seconds on screen: from the top it goes down page by page to the end, and
        # back to the top (watched from a moment it is at the top: a slow first draw eats
        # into its time).
        page.goto(f"{server}/overview?screen=1&playlist=overview:20&lang=en")
        page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
        at_top = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop === 0"
        page.wait_for_function(at_top, timeout=30_000)
        seen = [page.evaluate(SCROLL)]
        while seen[-1]["top"] < seen[-1]["last"] - 2 and len(seen) < 80:
            page.wait_for_timeout(400)
            seen.append(page.evaluate(SCROLL))
        tops = [state["top"] for state in seen]
        assert seen[-1]["last"] > 3 * 768, f"the Overview is {seen[-1]['last']} px tall"
        # (Smooth scrolling may settle a pixel back, on a busy machine: not going back up.)
        back = [(a, b) for a, b in zip(tops, tops[1:], strict=False) if b < a - 4]
        assert not back, f"it went back up before the end: {tops}"
        assert tops[-1] >= seen[-1]["last"] - 2, f"it never reached the end: {tops}"
        assert len(set(tops)) >= 4, f"it did not page through: {tops}"
        assert all(state["bar"] == 0 for state in seen), "the bar left the top of the screen"
        page.wait_for_function(at_top, timeout=30_000)
    finally:
        context.close()
