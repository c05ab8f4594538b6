"""Downloads: tables as CSV that spreadsheet programs open correctly."""

from __future__ import annotations

import pandas as pd


def excel_csv(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark, so that Excel reads the Chinese."""
    return table.to_csv(index=False).encode("utf-8-sig")
