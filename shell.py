"""What every page shares: the engine, cached reads keyed on the change counter, the clock.

This is the only place where Streamlit meets the database: pages call `read(...)` with a
query function from `data.queries`, and hand the result to `components`.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import pickle
import pkgutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta
from functools import cache, partial
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.banner import empty_database_notice, picked_moment_notice, simulated_notice
from components.charts import READ_FRAMES, remember_read
from components.forms import forget_problems, remember_problems
from data.bootstrap import prepare_database
from data.db import DatabaseProblem, DatabaseUnavailable, describe_url, make_engine, within
from data.kept import find_kept, keep, kept_key
from data.queries.common import (
    KEPT_RESULTS,
    SHARED_RESULTS,
    Clock,
    Scenario,
    SharedResults,
    changed_through,
    clock_for,
    get_change_counter,
    get_scenario,
    has_any_data,
    statement_budget,
)
from data.queries.reach import EVERYTHING, Changes, changes_between, reach_of
from data.settings import get_settings
from data.timeutil import as_utc, format_local, to_local, to_utc, utc_now
from data.writes import Actor, StaleEdit, WriteError, allowed, authorize
from i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    current_language,
    describe_database_problem,
    describe_problem,
    describe_settings_error,
    set_language,
    t,
)

T = TypeVar("T")
# The signed-in user of this run (an Actor), set by start_page for the page's update panels.
ACTOR = "_actor"
# The form saved in the last run, so that the next run says so.
SAVED = "_saved_form"
# Why this run found the database unusable (app.py's sidebar tried first), so that the page
# says so without waiting for the database a second time.
DB_PROBLEM = "_db_problem"
# Who app.py found signed in at the start of this run, having read the change counter: the
# page's start takes both from there instead of asking the database a second time.
SIGNED_IN_THIS_RUN = "_signed_in_this_run"
# The sidebar's one "as of" control: replay an earlier moment (on), its day and time.
AS_OF_ON, AS_OF_DAY, AS_OF_TIME = "as_of_on", "as_of_day", "as_of_time"
# The times the control offers (any minute may be typed).
AS_OF_STEP = timedelta(minutes=5)


@st.cache_resource(show_spinner="正在准备数据库… / Preparing the database…")
def get_engine() -> Engine:
    """The process-wide engine; on first start the schema is made and the demo seeded.

    Preparing runs on an engine of its own without a statement timeout (a migration or the
    demo may take longer than a page's statement); pages get one with DB_STATEMENT_TIMEOUT.
    A start that fails is not cached: the next page run tries again.
    """
    settings = get_settings()
    preparing = make_engine(settings.database_url)
    try:
        prepare_database(
            preparing, seed_demo_if_empty=settings.demo_data, scale=settings.demo_scale
        )
    finally:
        preparing.dispose()
    return make_engine(settings.database_url, statement_timeout=settings.db_statement_timeout)


def _unavailable(engine: Engine, error: DBAPIError) -> DatabaseUnavailable:
    return DatabaseUnavailable(describe_url(engine), error)


def refresh_counter() -> int:
    """Read the database's change counter for this script run (cached reads key on it).

    Raises DatabaseUnavailable when the database does not answer within DB_CONNECT_TIMEOUT
    (plus a second), however it hangs; DatabaseDamaged or UnknownRevision from the first
    start."""
    engine = get_engine()

    def counter_now() -> int:
        with Session(engine) as session:
            return get_change_counter(session=session)

    try:
        counter = within(
            get_settings().db_connect_timeout + 1, counter_now, url=describe_url(engine)
        )
    except DBAPIError as error:
        raise _unavailable(engine, error) from error
    st.session_state["_counter"] = counter
    _topic_counters().advance(counter)
    # A new run: its reads share what they work out alike until `end_of_run`, and the
    # frames it reads are known by their reads (components.charts.remember_read).
    st.session_state[SHARED_KEY] = (counter, SharedResults())
    st.session_state[READ_FRAMES] = {}
    return counter


# Where a run keeps what its reads share, with the counter it was made for.
SHARED_KEY = "_shared"


def cache_key(*parts: Any) -> str | tuple:
    """What a cached result is looked up by: a digest of the pickled parts (a read's name,
    the change counter it is cached under, its arguments), so that Streamlit hashes one
    string instead of walking the parts value by value in Python (43 lookups took a quarter
    of the case map's rerun). Equal digests mean equal parts; equal parts pickled apart
    (rare) only cost a second copy. Parts that do not pickle are handed to Streamlit as
    they are."""
    try:
        payload = pickle.dumps(parts, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return parts
    return hashlib.blake2b(payload, digest_size=20).hexdigest()


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_read(
    key: str | tuple,
    _arguments: tuple,
    _query: Callable[..., T],
    _shared: SharedResults | None = None,
    _statements: int | None = None,
) -> T:
    return _run(_arguments, _query, shared=_shared, statements=_statements)


def _shared_results(counter: int) -> SharedResults | None:
    """What this script run's reads share (an intermediate result that several of them work
    out alike is worked out once), while the database is as the run found it; None outside
    a whole run (a fragment's rerun reads on its own)."""
    held = st.session_state.get(SHARED_KEY)
    return held[1] if held is not None and held[0] == counter else None


def end_of_run() -> None:
    """Let go of what the run's reads shared (a session keeps nothing of it between runs)."""
    st.session_state.pop(SHARED_KEY, None)
    st.session_state.pop(READ_FRAMES, None)
    st.session_state.pop(SIGNED_IN_THIS_RUN, None)


def _run(
    arguments: tuple,
    query: Callable[..., T],
    shared: SharedResults | None = None,
    statements: int | None = None,
) -> T:
    """A read in a session of its own, bounded by the database timeouts: one statement's, or
    as many as the read declares (data.queries.common.statements)."""
    engine = get_engine()
    settings = get_settings()
    # Looked up here, on the run's thread (the read runs on another).
    kept = _kept_in_run() if shared is not None else None

    def run() -> T:
        with Session(engine) as session:
            if shared is not None:
                session.info[SHARED_RESULTS] = shared
                session.info[KEPT_RESULTS] = kept
            return query(session=session, **dict(arguments))

    count = statement_budget(query) if statements is None else statements
    seconds = settings.db_statement_timeout * count + settings.db_connect_timeout
    return within(seconds, run, url=describe_url(engine))


def read(query: Callable[..., T], /, **arguments: Any) -> T:
    """Run a data-layer read, cached until anything in the database changes.

    When the database stops answering in the middle of a page, the page says so (and tries
    again by itself) instead of showing an exception."""
    name = f"{query.__module__}.{query.__qualname__}"
    key = tuple(sorted(arguments.items()))
    counter = st.session_state["_counter"]
    shared = _shared_results(counter)
    basis = reach_basis(query, counter)
    result = _guarded(
        lambda: _cached_read(cache_key(name, basis, key), key, _query=query, _shared=shared)
    )
    if isinstance(result, pd.DataFrame):
        remember_read(result, (name, basis, key))
    return result


class _TopicCounters:
    """Per topic (data.queries.reach), the latest change counter that altered it, as far as
    this server has looked (`checked`); what came before the server's first look counts as
    a change of everything."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.checked: int | None = None
        self.latest: dict[str, int] = {}

    def advance(self, counter: int) -> None:
        """Look at the changes up to `counter`: one query of the change log, made outside the
        lock (reads of other sessions do not wait for it). A look that fails is left for the
        next run: until then reads are cached under their run's counter, as reads of
        everything are."""
        with self._lock:
            if self.checked is None:
                self.checked = counter
                self.latest = {EVERYTHING: counter}
                return
            if counter == self.checked:
                return
            since = self.checked
        try:
            if counter < since:
                # A run that read the counter before another run's look, or a database whose
                # counter went back (restored, made anew): only the latter starts afresh.
                now = _run((), get_change_counter)
                with self._lock:
                    if self.checked is not None and now < self.checked:
                        self.checked = now
                        self.latest = {EVERYTHING: now}
                return
            changes: Changes = _run((("since", since), ("upto", counter)), changes_between)
        except (DatabaseProblem, DBAPIError):
            return
        with self._lock:
            if self.checked is None or self.checked < since:
                return  # started afresh meanwhile
            for topic, moved in changes.latest.items():
                self.latest[topic] = max(self.latest.get(topic, 0), moved)
            self.checked = max(self.checked, counter)

    def basis(self, topics: frozenset[str], counter: int) -> int:
        """The counter a read of `topics` is cached under at `counter`: the latest change
        of its topics or of everything. A run behind the server's look (an older counter)
        caches under its own counter, as a read of everything does."""
        with self._lock:
            if self.checked is None or self.checked < counter:
                return counter
            latest = self.latest
            basis = max(latest.get(topic, 0) for topic in (*topics, EVERYTHING))
        return basis if basis <= counter else counter


@st.cache_resource(show_spinner=False)
def _kept_results() -> SharedResults:
    """Results of the data layer's shareable reads that declare their topics
    (data.queries.common.shareable), kept in this server's memory under the latest change of
    their topics: a read of everything (the Overview's headline and alerts), worked out again
    after a testing-site report, takes today's stock lines, audit status and room outlook as
    they were. The 8 latest are kept (a province's stock lines are ~25 MB); one database:
    dropped with the engine."""
    return SharedResults(size=8)


def _kept_in_run() -> Callable[[tuple, frozenset[str], Callable[[], Any]], Any] | None:
    """For a page's run: a read's result kept under the latest change of its topics as this
    run sees it (None outside a run, whose counter is unknown)."""
    counter = st.session_state.get("_counter")
    if counter is None:
        return None
    counters, kept = _topic_counters(), _kept_results()

    def get(key: tuple, topics: frozenset[str], work: Callable[[], Any]) -> Any:
        return kept.get((key, counters.basis(topics, counter)), work)

    return get


@st.cache_resource(show_spinner=False)
def _topic_counters() -> _TopicCounters:
    """The server's counters per topic (one database: dropped with the engine)."""
    return _TopicCounters()


def reach_basis(query: Callable[..., Any], counter: int) -> int:
    """The change counter a read is cached under: the latest change of the topics it
    declared (data.queries.reach), or `counter` when it declared none."""
    topics = reach_of(query)
    if topics is None:
        return counter
    return _topic_counters().basis(topics, counter)


def read_when_asked(query: Callable[..., T], /, **arguments: Any) -> Callable[[], T]:
    """A data-layer read done when the returned function is called, as the database is then:
    for what is made outside the page's run (a download's file, made when clicked, on
    another thread), so that the run does not hold it."""
    return partial(_run, tuple(sorted(arguments.items())), query)


def derive(work: Callable[..., T], source: Any, /, *, of: tuple, **arguments: Any) -> T:
    """`work(source, **arguments)`, worked out once per change counter and language:
    `source` is what a `read` returned for `of` (the query and its arguments), so the same
    `of` and counter mean the same source and the same result (a rerun with nothing changed
    skips the pandas work on a frame it has already worked out).

    `source` may also be a function that reads it, called only when the result is not
    cached yet: a rerun then does not take the read back from the data cache either (a
    province's 15,490 open actions are 8.7 MB to unpickle, 13 ms of every rerun)."""
    return _derive_at(st.session_state["_counter"], work, source, of, arguments)


def _derive_at(
    basis: int, work: Callable[..., T], source: Any, of: tuple, arguments: dict[str, Any]
) -> T:
    name = f"{work.__module__}.{work.__qualname__}"
    key = (of, current_language(), tuple(sorted(arguments.items())))
    return _derived(cache_key(name, basis, key), key[2], _work=work, _source=source)


class Source:
    """A read that a page uses through what it works out of it: `source.derive(work, ...)`
    is `derive(work, <the read>, ...)`, and the read itself is taken back from the cache only
    when a result is not worked out yet (a province's stock lines are ~24 MB to take back on
    every rerun; the counts, the page of rows shown and the picker's list are kilobytes)."""

    def __init__(self, query: Callable[..., Any], /, **arguments: Any) -> None:
        self._query = query
        self._arguments = arguments
        self._of = (f"{query.__module__}.{query.__qualname__}", tuple(sorted(arguments.items())))
        self._whole: list[Any] = []

    def __call__(self) -> Any:
        """The read's whole result, taken back once in the run (for whichever results are
        not worked out yet)."""
        if not self._whole:
            self._whole.append(read(self._query, **self._arguments))
        return self._whole[0]

    def derive(self, work: Callable[..., T], /, **arguments: Any) -> T:
        """`derive(work, <the read>, ...)`, kept as long as the read is (its topics)."""
        basis = reach_basis(self._query, st.session_state["_counter"])
        return _derive_at(basis, work, self, self._of, arguments)

    def when_asked(self) -> Callable[[], Any]:
        """The read done when called, outside the run (`read_when_asked`)."""
        return read_when_asked(self._query, **self._arguments)

    def cache_key(self) -> tuple:
        """What stands for the read's result in a chart's or map's fingerprint
        (components.charts): the read, its arguments and the latest change of its topics. A
        chart built already is drawn without taking the read back from the cache."""
        return (*self._of, reach_basis(self._query, st.session_state["_counter"]))


# What pages derive is small (counts, a page of rows, labels), and each view derives several
# things per language and filters: room for every view in both languages for many sessions.
@st.cache_data(max_entries=512, show_spinner=False)
def _derived(key: str | tuple, _arguments: tuple, _work: Callable[..., T], _source: Any) -> T:
    source = _source() if callable(_source) else _source
    return _work(source, **dict(_arguments))


def read_as_of(query: Callable[..., T], /, *, moment: datetime, **arguments: Any) -> T:
    """Run a read of what was known at a past `moment`, cached until a write that can alter
    it: one dated at or before the moment (a late report, a correction) or of unknown reach
    (a case, a setting). Writes dated after it (the reports coming in live) leave it cached:
    the briefing's figures at its cut-off are not worked out again at every report."""
    name = f"{query.__module__}.{query.__qualname__}"
    key = tuple(sorted(arguments.items()))
    counter = st.session_state["_counter"]
    moment = as_utc(moment)
    basis = _as_of_basis((name, key, moment), counter)
    # What it works out alike is shared within the read (another moment than the run's
    # other reads: it would only push theirs out).
    shared = SharedResults()
    kept = partial(_kept_read, query, name, key, moment, counter)
    result = _guarded(
        lambda: _cached_read(
            cache_key(name, basis, key, moment),
            key,
            _query=kept,
            _shared=shared,
            _statements=statement_budget(query),
        )
    )
    if isinstance(result, pd.DataFrame):
        remember_read(result, (name, basis, key))
    return result


def _kept_read(
    query: Callable[..., T],
    name: str,
    key: tuple,
    moment: datetime,
    counter: int,
    *,
    session: Session,
    **arguments: Any,
) -> T:
    """`query`'s figures as kept in the database for any server (data.kept), or worked out
    and kept there."""
    stored = kept_key(name, key)
    found = find_kept(session, key=stored, moment=moment, counter=counter)
    if found is not None:
        return found
    value = query(session=session, **arguments)
    keep(session, key=stored, name=name, moment=moment, counter=counter, value=value)
    return value


class _AsOfBases:
    """Per read of a past moment, for the last few: (the change counter its result is cached
    under, the counter up to which the writes since are known to be dated after it)."""

    KEPT = 64

    def __init__(self) -> None:
        self._held: OrderedDict[tuple, tuple[int, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[int, int] | None:
        with self._lock:
            return self._held.get(key)

    def put(self, key: tuple, basis: int, checked: int) -> None:
        with self._lock:
            self._held[key] = (basis, checked)
            self._held.move_to_end(key)
            while len(self._held) > self.KEPT:
                self._held.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _as_of_bases() -> _AsOfBases:
    """The server's bases of reads of past moments (one database: dropped with the engine)."""
    return _AsOfBases()


def _as_of_basis(key: tuple, counter: int) -> int:
    """The change counter a read of a past moment is cached under: the one it was worked
    out at, while every write since is dated after the moment; else `counter` (worked out
    again). A session behind the one that cached it (an older counter) reads its own."""
    bases = _as_of_bases()
    held = bases.get(key)
    basis = checked = counter
    if held is not None:
        basis, checked = held
        if basis > counter:
            return counter
        if checked >= counter:
            return basis
        arguments = (("at", key[2]), ("since", checked))
        if _guarded(lambda: _run(arguments, changed_through)):
            basis = counter
        checked = counter
    bases.put(key, basis, checked)
    return basis


def _guarded(call: Callable[[], T]) -> T:
    """A read, or (the database having stopped answering) the page's notice and a stop."""
    try:
        return call()
    except DatabaseUnavailable as error:
        database_problem(error)
    except DBAPIError as error:
        if not error.connection_invalidated and not _is_connection_error(error):
            raise
        database_problem(_unavailable(get_engine(), error))
    st.stop()


def _is_connection_error(error: DBAPIError) -> bool:
    return type(error.orig).__name__ in {"OperationalError", "InterfaceError"}


def database_problem(error: DatabaseProblem) -> None:
    """Say why the database cannot be used; when it may come back (unavailable, hung),
    say so and run the page again every DB_RETRY_SECONDS until it answers."""
    if isinstance(error, DatabaseUnavailable):
        st.warning(
            t("db.retrying", seconds=f"{_retry_seconds():g}", reason=error.params["reason"]),
            icon=":material/sync_problem:",
        )
        st.session_state[_RETRY_DRAWN] = True
        _retry_fragment(_retry_seconds())()
    else:
        st.error(t("db.stopped", reason=describe_database_problem(error)), icon=":material/error:")


_RETRY_DRAWN = "_db_retry_drawn"


def _retry_seconds() -> float:
    try:
        return get_settings().db_retry_seconds
    except ValidationError:
        return 5.0


@cache
def _retry_fragment(seconds: float) -> Callable[[], None]:
    """A fragment that, every `seconds`, runs the whole page again (it draws nothing)."""

    @st.fragment(run_every=seconds)
    def retry() -> None:
        if st.session_state.pop(_RETRY_DRAWN, False):
            return  # drawn by the page's own run: nothing to retry yet
        st.rerun(scope="app")

    return retry


def clock() -> Clock:
    """The moment T every figure of the page is read at: the moment picked in the sidebar's
    "as of" control, else REPLAY_AT, else the end of an ended demo scenario, else live (to
    the end of the current minute, so that reruns within a minute share cached reads)."""
    return clock_for(scenario(), picked=picked_moment())


def picked_moment() -> datetime | None:
    """The moment picked in the sidebar's "as of" control (UTC), or None when it is off."""
    state = st.session_state
    if not state.get(AS_OF_ON):
        return None
    day, moment = state.get(AS_OF_DAY), state.get(AS_OF_TIME)
    if day is None or moment is None:
        return None
    return to_utc(datetime.combine(day, moment.replace(second=0, microsecond=0)))


def as_of_control() -> Clock:
    """The one "as of" control of every view, in the sidebar: off, the views show the
    default moment (live, REPLAY_AT or the end of a demo scenario); on, any earlier moment
    to the minute. Returns the clock the page will use."""
    default = clock_for(scenario())
    latest = to_local(default.now)
    on = st.toggle(t("sidebar.as_of_pick"), key=AS_OF_ON, help=t("sidebar.as_of_pick_help"))
    if on:
        if AS_OF_DAY not in st.session_state:
            st.session_state[AS_OF_DAY] = latest.date()
        if AS_OF_TIME not in st.session_state:
            st.session_state[AS_OF_TIME] = time(latest.hour, latest.minute)
        # One above the other, each the sidebar's width: side by side, a laptop's
        # 1366-pixel screen cut the date short ("2026/12/0").
        st.date_input(t("sidebar.as_of_day"), max_value=latest.date(), key=AS_OF_DAY)
        st.time_input(t("sidebar.as_of_time"), step=AS_OF_STEP, key=AS_OF_TIME)
    return clock()


def scenario() -> Scenario | None:
    """The demo scenario's description, when the data is simulated."""
    return read(get_scenario)


def browser_language(locale: object) -> str:
    """The language a browser asks for (`navigator.language`, e.g. "zh-CN" or "en-GB"):
    Chinese for any zh*, English for any other; Chinese when the browser did not say."""
    if not isinstance(locale, str) or not locale.strip():
        return DEFAULT_LANGUAGE
    return "zh" if locale.strip().lower().startswith("zh") else "en"


def pick_language(switch: object, address: object, locale: object) -> str:
    """The sidebar switch's choice, else the address's `?lang=`, else the browser's."""
    for chosen in (switch, address):
        if chosen in LANGUAGES:
            return str(chosen)
    return browser_language(locale)


def choose_language() -> str:
    """The language from the sidebar switch, else `?lang=`, else the browser's language
    (`st.context.locale`: zh* is Chinese, anything else English); applied to strings.

    The address carries a choice that differs from the browser's own (`?lang=en` on a
    Chinese browser), so a reload, a page change, a bookmark or a link sent to a wall screen
    keeps it, on every page; switching to the browser's own language leaves the address
    clean (a `?lang=` given in the address that agrees with the choice stays).
    """
    locale = st.context.locale
    default = browser_language(locale)
    lang = set_language(
        pick_language(st.session_state.get("lang"), st.query_params.get("lang"), locale)
    )
    if st.query_params.get("lang") != lang:  # a ?lang= that agrees stays, as it was given
        filter_to_address("lang", lang, default=default)
    return lang


def keep_choice(key: str) -> None:
    """Keep what a keyed picker holds (its options' values: codes, ids) across a change of
    language. Call before drawing the picker.

    The browser gives a picker's choice back as the words it showed; after a switch of
    language Streamlit no longer finds those words among the new ones and hands the words
    themselves to the page (a testing round's name instead of its id). Until the picker is
    drawn, the session still holds the values as the last run read them: set again, they
    are what the picker starts from."""
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]


def filter_from_address(key: str, options: Sequence[Any], *, several: bool = False) -> None:
    """Start a filter from the address (`?<key>=440103`, repeated for several), unless this
    session has set it already: a reload or a bookmark opens the view as it was. Values the
    filter does not offer are ignored. Call before drawing the filter's widget (its choice
    is kept across a change of language: `keep_choice`)."""
    if key in st.session_state:
        keep_choice(key)
        return
    known = {str(option): option for option in options}
    chosen = [known[value] for value in st.query_params.get_all(key) if value in known]
    if chosen:
        st.session_state[key] = chosen if several else chosen[0]


def filter_to_address(key: str, value: Any, *, default: Any = None) -> None:
    """Write a filter's value into the address (codes, not names: the same in both
    languages); the default leaves the address clean."""
    values = [str(item) for item in value] if isinstance(value, list | tuple) else [value]
    values = [str(item) for item in values if item not in (None, "")]
    if value == default or not values:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != values:
        st.query_params[key] = values


def watch_for_changes() -> None:
    """Live screens: every REFRESH_SECONDS a small fragment reads the change counter (one
    tiny query) and, only when something was written anywhere since this page was drawn
    (on any app server: the counter lives in the database), redraws the page. Filters,
    open panels and what was typed into a form stay: they are the session's widget state."""
    seconds = get_settings().refresh_seconds
    if not seconds:
        return
    st.caption(t("sidebar.live", seconds=f"{seconds:g}"))

    @st.fragment(run_every=seconds)
    def _tick() -> None:
        ctx = get_script_run_ctx()
        if ctx is None or not ctx.fragment_ids_this_run:
            return  # drawn in a whole run, which has just read the counter
        try:
            moved = counter_moved(st.session_state.get("_counter"))
        except Exception:  # noqa: BLE001 - the next full run says what is wrong
            return
        if moved:
            st.rerun(scope="app")

    _tick()


def counter_moved(drawn: int | None) -> bool:
    """Whether anything was written since a page was drawn at change counter `drawn`: the
    one statement a live page's refresh tick runs (it reads the counter and nothing else)."""
    with Session(get_engine()) as session:
        now = get_change_counter(session=session)
    return drawn is not None and now != drawn


# Whether this process has moved what it keeps for good out of the collector's way.
_HEAP_SETTLED = threading.Event()


def settle_heap() -> None:
    """Once per server process, after its first run: load every component (the libraries,
    the pinyin dictionary the hotel list sorts by) and move what is alive out of the
    garbage collector's way (gc.freeze).

    Python's full collection walks every object the process holds. At city scale, after
    each page had run, that was ~490,000 objects, ~390,000 of them the libraries' (194,000
    the pinyin dictionary's), and it paused whichever page run set it off for ~200 ms every
    few runs: the warm runs' p95. Objects frozen here are never walked again; they stay
    for the life of the process, which they would anyway."""
    if _HEAP_SETTLED.is_set():
        return
    _HEAP_SETTLED.set()
    import components

    for module in pkgutil.iter_modules(components.__path__):
        importlib.import_module(f"components.{module.name}")
    gc.collect()
    gc.freeze()


def _route_through_app() -> None:
    """Re-run through app.py when a fresh server's first request deep-links to a page.

    Until some run has called st.navigation, Streamlit treats a `pages/` folder beside the
    main script as old-style multipage and runs the page file alone, without app.py's layout
    and navigation (a wall screen bookmarked to /testing would hit this after a restart).
    Clearing that flag and re-running lets app.py route the same URL.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without it has no such mode either
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def settings_problem() -> str | None:
    """What is wrong with the settings (environment / .env), or None when they are valid:
    each bad setting by name, never its value (DATABASE_URL may hold a password)."""
    try:
        get_settings()
    except ValidationError as error:
        problem = describe_settings_error(error)
        return problem[:1].upper() + problem[1:]
    return None


def check_database() -> None:
    """Read the change counter for this run, or raise why the database cannot be used (as
    app.py's sidebar found it in this run already, without waiting a second time)."""
    problem = st.session_state.pop(DB_PROBLEM, None)
    if problem is not None:
        raise problem
    try:
        refresh_counter()
    except DatabaseProblem:
        raise
    except DBAPIError as error:
        raise _unavailable(get_engine(), error) from error


def start_page(title_key: str, *, require_data: bool = True) -> Clock | None:
    """Set up a page: language, database, counter, sign-in, title, simulated notice.

    Returns the clock, or None (after saying why) when there is nothing to show (no data,
    unless the page works on an empty database too: `require_data=False`).
    """
    _route_through_app()
    choose_language()
    problem = settings_problem()
    if problem is not None:
        st.error(t("error.settings", problem=problem), icon=":material/error:")
        return None
    # Signed in at the start of this run by app.py (with the counter read): not asked again.
    checked = st.session_state.pop(SIGNED_IN_THIS_RUN, None)
    try:
        if checked is None:
            check_database()
    except DatabaseProblem as error:
        database_problem(error)
        return None
    except Exception as error:  # noqa: BLE001 - a broken database must not show a traceback
        st.error(t("error.database", reason=type(error).__name__), icon=":material/error:")
        return None
    from signin import (
        clear_cookie_if_signed_out,
        current_actor,
        set_cookie_if_pending,
        sign_in_panel,
    )

    actor = current_actor() if checked is None else checked[0]
    if actor is None:
        clear_cookie_if_signed_out()
        sign_in_panel()
        return None
    set_cookie_if_pending()
    st.session_state[ACTOR] = actor
    saved_notice()
    st.title(t(title_key))
    current = scenario()
    if current is not None and current.simulated:
        simulated_notice()
    if require_data and not read(has_any_data):
        empty_database_notice()
        return None
    moment = clock()
    if moment.picked:
        picked_moment_notice(format_local(moment.now))
    return moment


def current_user() -> Actor:
    """The signed-in user of this page run (start_page has checked there is one)."""
    return st.session_state[ACTOR]


def may(action: str, entity: str) -> bool:
    """Whether the signed-in user's role may ever take this action (to show its panel)."""
    actor = st.session_state.get(ACTOR)
    return actor is not None and allowed(actor, action, entity)


def save(
    form: str,
    write: Callable[[Session, Actor], Any],
    *,
    fields: Sequence[str],
    record_label: str | None = None,
    aliases: Mapping[str, tuple[str, str]] | None = None,
) -> str:
    """Run one write for a form as the signed-in user; on refusal keep its messages by field.

    Returns "saved", "stale" (someone else saved first) or "refused". Nothing half-written
    stays: the write side commits all of it or nothing. A refusal that names the record by
    its key (someone else saved first) names it by `record_label`, as the form listed it.
    `aliases` maps a write-side field the form does not show as such (a table's column) to
    (the form field to show its message under, the field name the message uses).
    """
    try:
        with Session(get_engine()) as session:
            write(session, current_user())
    except WriteError as error:
        problems: dict[str | None, list[str]] = {}
        for problem in error.problems:
            if record_label is not None and "key" in problem.params:
                problem = replace(problem, params={**problem.params, "key": record_label})
            place = problem.field if problem.field in fields else None
            if aliases and problem.field in aliases:
                place, named = aliases[problem.field]
                problem = replace(problem, field=named)
            message = describe_problem(problem)
            if message not in problems.setdefault(place, []):  # two aliases, one message
                problems[place].append(message)
        remember_problems(form, problems)
        return "stale" if isinstance(error, StaleEdit) else "refused"
    except Exception as error:  # noqa: BLE001 - a user sees a message, never a traceback
        remember_problems(form, {None: [t("form.failed", reason=type(error).__name__)]})
        return "refused"
    forget_problems(form)
    st.session_state[SAVED] = form
    return "saved"


def saved_notice() -> None:
    """Say once, after the rerun that shows the new figures, that the last save worked."""
    if st.session_state.pop(SAVED, None) is not None:
        st.toast(t("form.saved"), icon=":material/check_circle:")


def in_scope(action: str, entity: str, *, district_code: str, facility_id: int | None) -> bool:
    """Whether the signed-in user may take this action on this district's (facility's) record."""
    try:
        authorize(
            current_user(), action, entity, district_code=district_code, facility_id=facility_id
        )
    except WriteError:
        return False
    return True


def local_now() -> datetime:
    """Now on the command's wall clock, to the minute (a form's default report time)."""
    return to_local(utc_now()).replace(tzinfo=None, second=0, microsecond=0)
