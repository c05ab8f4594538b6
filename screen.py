"""Screen mode for the command hall's wall screens: `?screen=1`.

No sidebar, header, toolbar or navigation; a dark theme and type readable from 5 m on a
1920x1080 screen (injected as CSS for screen-mode runs only: Streamlit's theme is the
server's); and a rotating playlist of views, each for its own number of seconds
(`?playlist=overview:60,cases:45,testing:45`), with the view's name and "next: X in N s"
in a bar on top. Nothing needs a mouse. A critical alert (data.alerts) interrupts the
rotation and stays on every screen until a signed-in person acknowledges it or it ends; the
interrupt lists the alerts by kind, as the Overview does.
app.py calls these instead of drawing the sidebar when `is_screen_mode()`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from string import Template

import streamlit as st

from acknowledge import acknowledge_all_control, acknowledge_control, acknowledgements
from components.alerts import alert_text, group_heading, severity_label
from components.banner import simulated_notice
from components.format import fmt_int, plain
from data.alerts import Alert, compute_alerts
from data.measures.alerts import alert_ref, group_alerts
from data.settings import get_settings
from i18n import current_language, set_language, t
from shell import read, scenario

# The address keys screen mode keeps from view to view (the language too).
SCREEN_KEYS = ("screen", "playlist", "lang")
# Each view for this many seconds when the address names none (documented in the README).
DEFAULT_PLAYLIST = "overview:60,cases:45,testing:45,hotels:45,supplies:45,audits:45"
# A view named without its seconds (`?playlist=overview,cases`) stays this long.
DEFAULT_SECONDS = 45
MIN_SECONDS, MAX_SECONDS = 5, 3600
# The rotation bar counts down in steps of this many seconds (a fragment, no data read).
TICK_SECONDS = 1.0
# A wall screen whose bar has not been redrawn for this long while its server answers
# loads its view again (_PAGER's watchdog): Streamlit's timers for it were lost.
STALL_SECONDS = 30
_STATE = "_screen_rotation"


@dataclass(frozen=True)
class Entry:
    """One view of the playlist and how long it stays on screen."""

    view: str
    seconds: int


@dataclass(frozen=True)
class PlaylistProblem:
    """What is wrong with one part of a playlist: a catalogue key and its values."""

    part: str
    code: str
    params: Mapping[str, object]


def parse_playlist(
    text: str | None, views: Sequence[str]
) -> tuple[tuple[Entry, ...], list[PlaylistProblem]]:
    """The playlist written in the address (`overview:60,cases:45`), and what is wrong with
    it; a playlist with any problem falls back to DEFAULT_PLAYLIST as a whole (so a screen
    never shows half of what was meant without saying so). None means the default."""
    if text is None:
        text = DEFAULT_PLAYLIST
    entries: list[Entry] = []
    problems: list[PlaylistProblem] = []
    parts = [part.strip() for part in text.split(",")]
    for part in parts:
        if not part:
            continue
        view, colon, seconds_text = (piece.strip() for piece in part.partition(":"))
        if not view or (colon and not seconds_text) or ":" in seconds_text:
            problems.append(PlaylistProblem(part, "screen.bad_form", {}))
            continue
        if view not in views:
            problems.append(
                PlaylistProblem(part, "screen.bad_view", {"view": view, "views": ", ".join(views)})
            )
            continue
        seconds = DEFAULT_SECONDS
        if colon:
            if not seconds_text.isdigit() or not MIN_SECONDS <= int(seconds_text) <= MAX_SECONDS:
                problems.append(
                    PlaylistProblem(
                        part, "screen.bad_seconds", {"low": MIN_SECONDS, "high": MAX_SECONDS}
                    )
                )
                continue
            seconds = int(seconds_text)
        entries.append(Entry(view, seconds))
    if not entries and not problems:
        problems.append(PlaylistProblem(text, "screen.empty", {}))
    if problems:
        default, _ = parse_playlist(DEFAULT_PLAYLIST, views)
        return default, problems
    return tuple(entries), []


def describe_playlist_problem(problem: PlaylistProblem) -> str:
    """A playlist problem in the current language, naming the bad part."""
    return t(
        "screen.bad_playlist",
        part=problem.part,
        reason=t(problem.code, **problem.params),
        default=DEFAULT_PLAYLIST,
    )


def is_screen_mode() -> bool:
    """Whether the address asks for screen mode (`?screen=1`)."""
    return st.query_params.get("screen") in {"1", "true", "yes", "on"}


def screen_address() -> dict[str, list[str]]:
    """The address parameters a view change keeps: screen mode, the playlist, the language."""
    return {key: st.query_params.get_all(key) for key in SCREEN_KEYS if key in st.query_params}


def seconds_now() -> float:
    """A clock for the rotation (monotonic: a wall-clock change does not skip a view)."""
    return time.monotonic()


# Dark, large, and without Streamlit's chrome; on screen-mode runs only. Tables and charts
# are drawn light by the server's theme: they are inverted (hues kept) to sit in the dark.
_STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarNav"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stMainMenu"], [data-testid="stStatusWidget"], #MainMenu, footer {
  display: none !important;
}
[data-testid="stApp"], [data-testid="stMain"], [data-testid="stAppViewContainer"] {
  background: #0b1220 !important; color: #e8edf5 !important;
}
[data-testid="stAppViewContainer"] [data-testid="stMainBlockContainer"] {
  padding: 1rem 2.5rem 1rem 2.5rem !important; max-width: 100% !important;
}
[data-testid="stAppViewContainer"] [data-testid="stMarkdownContainer"] p,
[data-testid="stAppViewContainer"] [data-testid="stMarkdownContainer"] li {
  font-size: 1.5rem; color: #e8edf5;
}
[data-testid="stAppViewContainer"] [data-testid="stCaptionContainer"],
[data-testid="stAppViewContainer"] [data-testid="stCaptionContainer"] p {
  color: #b8c4d6 !important; font-size: 1.25rem !important;
}
[data-testid="stAppViewContainer"] h1 { font-size: 3.25rem !important; color: #fff !important; }
[data-testid="stAppViewContainer"] h2, [data-testid="stAppViewContainer"] h3 {
  font-size: 2.25rem !important; color: #fff !important;
}
[data-testid="stAppViewContainer"] [data-testid="stMetricLabel"],
[data-testid="stAppViewContainer"] [data-testid="stMetricLabel"] p {
  font-size: 1.75rem !important; color: #c9d4e5 !important;
}
/* A figure stays on one line: its type shrinks with its card (24 % of the card's width,
   at most 4.5rem: "237,833" fits a card of five in a row at 1366 px) instead of breaking
   inside the number; "16,713 / 16,860" may still break at its spaces. */
[data-testid="stAppViewContainer"] [data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stAppViewContainer"] [data-testid="stMetric"] [data-testid="stMetricValue"],
[data-testid="stAppViewContainer"] [data-testid="stMetric"] [data-testid="stMetricValue"] * {
  font-size: min(4.5rem, 24cqi) !important; color: #fff !important; font-weight: 700 !important;
  line-height: 1.1 !important; overflow-wrap: normal !important; word-break: keep-all !important;
}
[data-testid="stAppViewContainer"] [data-testid="stMetricDelta"] {
  background: #22314d !important; color: #e8edf5 !important; font-size: 1.4rem !important;
}
[data-testid="stAppViewContainer"] [data-testid="stMetricDelta"] * { color: #e8edf5 !important; }
/* Status and severity badges (▲ Critical, ● Warning) read from 5 m: Streamlit sets their size
   in the badge's own style attribute, which only an !important rule overrides. */
[data-testid="stAppViewContainer"] .stMarkdownBadge {
  font-size: 1.6rem !important; font-weight: 700 !important; line-height: 1.3 !important;
  padding: 0.1em 0.45em !important; white-space: nowrap;
}
[data-testid="stAppViewContainer"] [data-testid="stVerticalBlockBorderWrapper"],
[data-testid="stAppViewContainer"] [class*="st-key-kpi-"] {
  background: #131d31 !important; border-color: #2c3b57 !important;
}
/* A card's status edge stays in the hall's colours (the rule above would grey it). */
[data-testid="stAppViewContainer"] [class*="st-key-kpi-critical-"] {
  border-left: 10px solid #e74c3c !important;
}
[data-testid="stAppViewContainer"] [class*="st-key-kpi-warning-"] {
  border-left: 10px solid #f39c12 !important;
}
[data-testid="stAppViewContainer"] [data-testid="stAlertContainer"] {
  background: #1c2a45 !important; color: #e8edf5 !important;
}
[data-testid="stAppViewContainer"] [data-testid="stAlertContainer"] p,
[data-testid="stAppViewContainer"] [data-testid="stAlertContainer"] svg {
  color: #e8edf5 !important; font-size: 1.4rem !important;
}
[data-testid="stAppViewContainer"]
  [data-testid="stAlertContainer"]:has([data-testid="stAlertContentWarning"]) {
  border-left: 8px solid #d68910 !important;
}
[data-testid="stAppViewContainer"]
  [data-testid="stAlertContainer"]:has([data-testid="stAlertContentError"]) {
  border-left: 8px solid #c0392b !important;
}
[data-testid="stAppViewContainer"] [data-testid="stDataFrame"],
[data-testid="stAppViewContainer"] [data-testid="stVegaLiteChart"],
[data-testid="stAppViewContainer"] [data-testid="stArrowVegaLiteChart"] {
  filter: invert(0.92) hue-rotate(180deg);
}
[data-testid="stAppViewContainer"] [data-baseweb="select"] > div {
  background: #131d31 !important; color: #e8edf5 !important; border-color: #2c3b57 !important;
}
/* The interrupt: a group of alerts of one kind in a red frame, its title and count over its
   worst alerts in 32 px, the rest counted under them; five groups of one line, or three of
   two, fit a 1920x1080 screen (measured in Chromium, the demo's notice included). */
[data-testid="stAppViewContainer"] .st-key-screen-alert h1 {
  color: #ff6b5b !important; padding: 0.25rem 0 0.5rem 0 !important;
}
[data-testid="stAppViewContainer"] [class*="st-key-screen-alert-"] {
  border: 4px solid #c0392b !important; background: #2a1418 !important;
  padding: 0.6rem 1.25rem !important; gap: 0.4rem !important;
}
[data-testid="stAppViewContainer"] [class*="st-key-screen-alert-"] [data-testid="stMarkdown"] p {
  font-size: 2rem !important; line-height: 1.25; color: #fff !important; font-weight: 600;
}
[data-testid="stAppViewContainer"] [class*="st-key-screen-alert-"]
  [data-testid="stMarkdown"]:has(.stMarkdownBadge) p {
  color: #ffd7d1 !important; font-weight: 700;
}
[data-testid="stAppViewContainer"] .st-key-screen-alert [data-testid="stCaptionContainer"] p {
  font-size: 1.5rem !important;
}
[data-testid="stAppViewContainer"] button[kind="secondary"] {
  background: #22314d !important; color: #fff !important; border-color: #6b7fa6 !important;
}
[data-testid="stAppViewContainer"] button[kind="secondary"] p,
[data-testid="stAppViewContainer"] button[kind="secondary"] span {
  color: #fff !important; font-size: 1.4rem !important;
}
/* The bar stays on top while a tall view pages through itself (page_through). */
[data-testid="stAppViewContainer"] .st-key-screen-bar {
  background: #16233b; border-bottom: 3px solid #b03a2e; padding: 0.5rem 2.5rem;
  position: fixed; top: 0; left: 0; right: 0; z-index: 999990; min-height: 3.6rem;
  align-items: center;
}
[data-testid="stAppViewContainer"] [data-testid="stMainBlockContainer"] {
  padding-top: 3.4rem !important;
}
/* Nothing on a wall screen is clicked or typed into: no filters, switches, buttons, links,
   downloads or update panels (a view draws its default choice; the expanders' titles stay,
   they say what is inside). A critical alert's Acknowledge buttons stay, for a signed-in
   person's screen (a wall screen's token has none). */
[data-testid="stAppViewContainer"]
  [data-testid="stElementContainer"]:not(.st-key-screen-alert *):has(
  > [data-testid="stSelectbox"], > [data-testid="stMultiSelect"],
  > [data-testid="stCheckbox"], > [data-testid="stToggle"], > [data-testid="stSlider"],
  > [data-testid="stDateInput"], > [data-testid="stTextInput"], > [data-testid="stRadio"],
  > [data-testid="stButtonGroup"], > [data-testid="stButton"],
  > [data-testid="stDownloadButton"], > [data-testid="stPageLink"],
  > [data-testid="stPopover"], > [data-testid="stForm"]),
[data-testid="stAppViewContainer"] [data-testid="stExpander"] summary svg,
[data-testid="stAppViewContainer"]
  [data-testid="stExpander"] summary [data-testid="stIconMaterial"] {
  display: none !important;
}
/* A change keeps its meaning in the dark: green when good, red when bad (components.kpi). */
[data-testid="stAppViewContainer"] [class*="-tone-good"] [data-testid="stMetricDelta"] {
  background: #0f3d24 !important;
}
[data-testid="stAppViewContainer"] [class*="-tone-good"] [data-testid="stMetricDelta"] * {
  color: #6fe39a !important;
}
[data-testid="stAppViewContainer"] [class*="-tone-bad"] [data-testid="stMetricDelta"] {
  background: #4a1717 !important;
}
[data-testid="stAppViewContainer"] [class*="-tone-bad"] [data-testid="stMetricDelta"] * {
  color: #ff8a80 !important;
}
[data-testid="stAppViewContainer"] .st-key-screen-bar p { font-size: 1.6rem !important; margin: 0; }
.st-key-screen-bar [data-testid="stElementContainer"]:has(.screen-beat) {
  display: none !important;
}
</style>
"""


def screen_style() -> None:
    """Screen mode's look for this run: dark, large type, no chrome."""
    st.html(_STYLE)


def _rotation(playlist_text: str | None) -> dict:
    """This session's place in the playlist (reset when the playlist changes)."""
    state = st.session_state.get(_STATE)
    if state is None or state.get("playlist") != playlist_text:
        state = {"playlist": playlist_text, "index": None, "since": seconds_now()}
        st.session_state[_STATE] = state
    return state


def rotate(
    views: Mapping[str, st.Page],
    current: str | None,
    *,
    problem_notice: Callable[[str], None] | None = None,
) -> Entry | None:
    """Keep the screen on its playlist: show the bar with this view's name and the next
    one's, and switch to the next view when this one's time is up (a fragment ticking every
    TICK_SECONDS; the address keeps the screen's parameters). `current` is the address of
    the view this run shows, None at the root (the playlist starts from its first view).
    Returns the entry on screen."""
    playlist_text = st.query_params.get("playlist")
    playlist, problems = parse_playlist(playlist_text, tuple(views))
    for problem in problems:
        (problem_notice or _warn)(describe_playlist_problem(problem))
    state = _rotation(playlist_text)
    index = state["index"]
    if index is None or playlist[index % len(playlist)].view != current:
        # A new screen, a reload, or a view opened by its address: go on from this view if
        # the playlist has it, else start the playlist.
        found = [i for i, entry in enumerate(playlist) if entry.view == current]
        state["index"] = found[0] if found else 0
        state["since"] = seconds_now()
        if not found:
            st.switch_page(views[playlist[0].view], query_params=screen_address())
    _bar(views, playlist, current_language())
    return playlist[state["index"]]


def _warn(message: str) -> None:
    st.warning(message, icon=":material/playlist_remove:")


def hold() -> None:
    """Keep the current view from moving on (an alert is on screen): its time starts again
    when the screen goes back to rotating."""
    state = st.session_state.get(_STATE)
    if state is not None:
        state["since"] = seconds_now()


@st.fragment(run_every=TICK_SECONDS)
def _bar(views: Mapping[str, st.Page], playlist: tuple[Entry, ...], lang: str) -> None:
    set_language(lang)  # a fragment's own reruns skip the page's choose_language
    state = st.session_state[_STATE]
    index = state["index"] % len(playlist)
    entry = playlist[index]
    upcoming = playlist[(index + 1) % len(playlist)]
    left = entry.seconds - (seconds_now() - state["since"])
    if left <= 0 and len(playlist) > 1:
        state["index"] = (index + 1) % len(playlist)
        state["since"] = seconds_now()
        st.switch_page(views[upcoming.view], query_params=screen_address())
    if left <= 0:  # a playlist of one view: it stays, its time starts again
        state["since"], left = seconds_now(), entry.seconds
    state["beat"] = state.get("beat", 0) + 1
    with st.container(key="screen-bar", horizontal=True, horizontal_alignment="distribute"):
        # What the browser's watchdog (_PAGER) sees move on each tick; hidden by _STYLE.
        st.html(f'<span class="screen-beat" hidden>{state["beat"]}</span>')
        if len(playlist) == 1:  # nothing comes next: the view's name alone
            st.markdown(f"**▶ {views[entry.view].title}**")
            return
        st.markdown(
            f"**▶ {views[entry.view].title}** · "
            + t("screen.position", n=index + 1, total=len(playlist))
        )
        st.markdown(t("screen.next", view=views[upcoming.view].title, seconds=max(1, round(left))))


# Pages through a view taller than the screen within its time on screen: the screenful
# from the top, then each next one starting at the first block that was cut off (a card, a
# chart, a table: never half of one unless it is taller than the screen), each shown for
# an equal share of the view's seconds, under the pinned bar. The browser keeps the time
# (one script per view shown, keyed by the rotation's start), so a rerun does not restart it.
# It is also the screen's watchdog: the bar's beat moves on each tick of the server; when it
# has stood still for STALL_SECONDS (Streamlit lost the screen's timers: seen once in CI, the
# view stayed for good) and the server answers its health check, the browser loads the view
# again, and the token's cookie signs the screen in and the playlist goes on from there. An
# alert on screen has no bar: the rotation is meant to wait then.
# And a browser showing a rotating screen grows with each change of view: Chromium's heap
# went from 96 to 193 MB and its DOM from 3,000 to 15,600 nodes in 3 minutes of views of 6 s
# (garbage collected before each reading), about 3 MB a change; the default playlist changes
# view 1,800 times a day. So at the first change of view after SCREEN_RELOAD_MINUTES the
# browser loads the page afresh.
_PAGER = """
<script>
(() => {
  const key = "$key", seconds = $seconds, elapsed = $elapsed, stall = $stall;
  const reload = $reload;
  const doc = window.document;
  const pager = window.__screenPager || (window.__screenPager = {});
  const scroller = () => {
    for (const id of ["stMain", "stAppViewContainer"]) {
      const element = doc.querySelector(`[data-testid="${id}"]`);
      if (element && element.scrollHeight > element.clientHeight + 2
          && /(auto|scroll)/.test(getComputedStyle(element).overflowY)) return element;
    }
    return doc.scrollingElement;
  };
  const stops = (element) => {
    const bar = doc.querySelector(".st-key-screen-bar");
    const under = bar ? bar.getBoundingClientRect().bottom : 0;
    const height = element === doc.scrollingElement ? window.innerHeight : element.clientHeight;
    const last = Math.max(0, element.scrollHeight - height);
    const origin = element === doc.scrollingElement ? 0 : element.getBoundingClientRect().top;
    const blocks = [...doc.querySelectorAll(
      '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > *')]
      .map((block) => {
        const box = block.getBoundingClientRect();
        const top = box.top - origin + element.scrollTop;
        return [top, top + box.height];
      })
      .filter(([top, bottom]) => bottom > top);
    const found = [0];
    let at = 0;
    while (at < last && found.length < 40) {
      const cut = blocks.find(([, bottom]) => bottom > at + height + 1);
      let next = cut ? cut[0] - under - 8 : last;
      if (next <= at + 20) next = at + height - under - 16;  // a block taller than the screen
      at = Math.min(last, next);
      if (last - at < height * 0.15) at = last;  // not a page for a sliver
      found.push(at);
    }
    return found;
  };
  const step = () => {
    const element = scroller();
    const all = stops(element);
    const share = seconds / all.length;
    // A playlist of one view starts it again from the top when its time is up.
    const into = ((performance.now() - pager.start) / 1000) % seconds;
    const index = Math.min(all.length - 1, Math.floor(into / share));
    if (index !== pager.index || all.length !== pager.count) {
      pager.index = index; pager.count = all.length;
      element.scrollTo({ top: all[index], behavior: "smooth" });
    }
  };
  const loadAgain = () => {  // only while the server answers: never onto an error page
    // One try at a time; a health check that hangs is given up after 5 s and a reload that
    // has not happened 15 s after it was asked for is asked for again.
    if (pager.reloading && performance.now() - pager.reloading < 15000) return;
    pager.reloading = performance.now();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 5000);
    fetch(new URL("_stcore/health", doc.baseURI), { cache: "no-store", signal: abort.signal })
      .then((answer) => { if (answer.ok) window.location.reload(); else pager.reloading = 0; })
      .catch(() => { pager.reloading = 0; });
  };
  const watch = () => {
    const beat = doc.querySelector(".screen-beat"), now = performance.now();
    if (!beat || beat.textContent !== pager.beat) {
      pager.beat = beat ? beat.textContent : null; pager.beatAt = now; return;
    }
    if (now - pager.beatAt >= stall * 1000) loadAgain();
  };
  if (pager.key !== key) {
    // A view follows another in this page after `reload` seconds: load afresh instead.
    if (pager.key !== undefined && reload > 0 && performance.now() > reload * 1000) loadAgain();
    clearInterval(pager.timer);
    Object.assign(pager, {
      key, start: performance.now() - elapsed * 1000, index: -1, beatAt: performance.now(),
    });
    pager.timer = setInterval(() => { step(); watch(); }, 500);
  }
})();
</script>
"""


def page_through(entry: Entry) -> None:
    """Let the browser page through this view if it is taller than the screen (_PAGER)."""
    state = st.session_state[_STATE]
    values = {
        "key": f"{entry.view}:{state['index']}:{state['since']:.3f}",
        "seconds": entry.seconds,
        "elapsed": round(max(0.0, seconds_now() - state["since"]), 1),
        "stall": STALL_SECONDS,
        "reload": round(get_settings().screen_reload_minutes * 60, 1),
    }
    st.html(Template(_PAGER).safe_substitute(values), unsafe_allow_javascript=True)


def unacknowledged_critical_alerts(at: datetime) -> tuple[list[Alert], dict[str, dict]]:
    """The critical alerts at moment `at` that nobody has acknowledged (most severe first, as
    data.alerts orders them), and the acknowledgements in force."""
    acknowledged = acknowledgements()
    alerts = read(compute_alerts, at=at)
    pending = [a for a in alerts if a.severity == "critical" and a.key not in acknowledged]
    return pending, acknowledged


# The interrupt lists the pending alerts by kind (data.measures.alerts.group_alerts, as the
# Overview does), each kind with its title and count, its worst alerts in large type and the
# rest counted: at most SHOWN_LINES alert lines in all and MOST_EACH of a kind, and at least
# one of each. 2 of each of up to 3 kinds, 1 of each of 4 or 5 kinds: what a 1920x1080
# screen holds at 40 px without scrolling (a wall screen has no mouse to scroll with).
SHOWN_LINES = 6
MOST_EACH = 2


def shown_each(kinds: int) -> int:
    """How many alerts of each kind the interrupt shows when `kinds` kinds are pending."""
    return max(1, min(MOST_EACH, SHOWN_LINES // max(kinds, 1)))


def alert_interrupt(
    alerts: Sequence[Alert], acknowledged: dict[str, dict], views: Mapping[str, st.Page]
) -> None:
    """The screen a critical alert puts up instead of the rotation: the alerts grouped by
    kind as on the Overview (so a full hotel never hides behind 800 short supply lines),
    each group with its severity in words, its title and count, its worst alerts in large
    type (shown_each), how many more and the view that shows them; how the rotation comes
    back; and for a signed-in person (not a wall screen's token) the Acknowledge buttons.
    Nothing to click for a screen: no expanders, no links."""
    hold()
    st.session_state["_screen_alert_drawn"] = True
    with st.container(key="screen-alert"):
        st.title(f"{severity_label('critical')} · {t('screen.interrupt.title')}")
        current = scenario()
        if current is not None and current.simulated:
            simulated_notice()
        acknowledge_all_control([alert_ref(alert) for alert in alerts], acknowledged)
        groups = group_alerts(alerts)
        each = shown_each(len(groups))
        for group in groups:
            with st.container(key=f"screen-alert-{group.kind}", border=True):
                st.markdown(group_heading(group))
                for alert in group.alerts[:each]:
                    st.markdown(plain(alert_text(alert)))
                    acknowledge_control(alert, acknowledged)
                footer = []
                if len(group.alerts) > each:
                    footer.append(t("alerts.group.more", count=fmt_int(len(group.alerts) - each)))
                view = views.get(group.page) if group.page is not None else None
                if view is not None:
                    footer.append(t("screen.interrupt.where", view=view.title))
                if footer:
                    st.caption(" · ".join(footer))
        st.caption(t("screen.interrupt.how"))


# While an alert is up, the screen looks again this often whether it has ended by the
# clock alone (a write, such as an acknowledgement, redraws it within REFRESH_SECONDS).
RECHECK_SECONDS = 60.0


@st.fragment(run_every=RECHECK_SECONDS)
def recheck_alerts() -> None:
    """While an alert interrupts the rotation: run the screen again every RECHECK_SECONDS."""
    if st.session_state.pop("_screen_alert_drawn", False):
        return  # drawn by the screen's own run: nothing to look at again yet
    st.rerun(scope="app")
