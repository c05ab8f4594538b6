"""What a run sends the browser: the ForwardMsgs of AppTest's last run, as the server would
send them to a browser holding the messages of the earlier runs (streamlit's forward-message
cache: a cacheable message the browser holds goes as a reference to its hash).

    with recording() as runs:
        app.run()
        app.run()
    resent = new_messages(runs[-1], held=runs[0])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.forward_msg_cache import populate_hash_if_needed
from streamlit.testing.v1.local_script_runner import LocalScriptRunner


@contextmanager
def recording() -> Iterator[list[list[ForwardMsg]]]:
    """Each AppTest run's messages (in order of the runs) while inside the block."""
    runs: list[list[ForwardMsg]] = []
    original = LocalScriptRunner.run

    def run(self: LocalScriptRunner, *args: object, **kwargs: object) -> object:
        try:
            return original(self, *args, **kwargs)
        finally:
            messages = self.forward_msgs()
            for message in messages:
                populate_hash_if_needed(message)
            runs.append(messages)

    LocalScriptRunner.run = run
    try:
        yield runs
    finally:
        LocalScriptRunner.run = original


def elements(messages: list[ForwardMsg]) -> list[ForwardMsg]:
    """The messages that draw an element or a block (not the run's own bookkeeping)."""
    return [
        message
        for message in messages
        if message.WhichOneof("type") == "delta"
        and message.delta.WhichOneof("type") in ("new_element", "add_block")
    ]


def drawn_elements(messages: list[ForwardMsg]) -> list[ForwardMsg]:
    """The messages that draw an element (not a block)."""
    return [
        message
        for message in elements(messages)
        if message.delta.WhichOneof("type") == "new_element"
    ]


def new_messages(messages: list[ForwardMsg], *, held: list[ForwardMsg]) -> list[ForwardMsg]:
    """The element messages sent whole to a browser that received `held`: every one but a
    cacheable message it holds (which goes as a reference)."""
    hashes = {message.hash for message in held if message.metadata.cacheable}
    return [
        message
        for message in elements(messages)
        if not (message.metadata.cacheable and message.hash in hashes)
    ]


def table_heights(messages: list[ForwardMsg]) -> list[tuple[list[str], int]]:
    """Each table a run draws: its columns and the height in pixels it is given (0 when it
    is left to Streamlit, which shows at most ten rows)."""
    from streamlit import dataframe_util

    tables = []
    for message in elements(messages):
        element = message.delta.new_element
        if message.delta.WhichOneof("type") != "new_element" or element.WhichOneof("type") != (
            "dataframe"
        ):
            continue
        frame = dataframe_util.convert_arrow_bytes_to_pandas_df(element.dataframe.arrow_data.data)
        tables.append((list(frame.columns), element.height_config.pixel_height))
    return tables


def record_deferred(monkeypatch: pytest.MonkeyPatch) -> list[Callable[[], bytes]]:
    """The functions deferred download buttons register, in order: each makes its file when
    the button is clicked (`clicked`)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    made: list[Callable[[], bytes]] = []
    add = MediaFileManager.add_deferred

    def recorded(self, data_callable, *arguments, **named):  # noqa: ANN001, ANN202
        made.append(data_callable)
        return add(self, data_callable, *arguments, **named)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recorded)
    return made


def clicked(make: Callable[[], bytes]) -> bytes:
    """A deferred download's file, made as Streamlit makes it: on another thread, outside the
    page's run (and its language)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(make).result()
