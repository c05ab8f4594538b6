"""Downloads: tables as CSV that spreadsheet programs open correctly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from i18n import current_language, set_language


def excel_csv(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark, so that Excel reads the Chinese."""
    return table.to_csv(index=False).encode("utf-8-sig")


def later(make: Callable[..., bytes], /, *arguments: Any) -> Callable[[], bytes]:
    """`make(*arguments)` deferred to the download's click (`st.download_button(data=...)`),
    in the language of the current run: a page's run no longer makes a file nobody asked
    for. Streamlit calls it on another thread, outside the run's language."""
    lang = current_language()

    def made() -> bytes:
        set_language(lang)
        return make(*arguments)

    return made
