"""What the page tests read off a drawn st.dataframe beyond its values."""

from __future__ import annotations

import json


def pill_cells(frame_element: object, column: str) -> list[tuple[str, str]]:
    """Each row's pill in a status column of an st.dataframe (components.pills): (label,
    colour), the colour as the column's configuration gives it to the browser."""
    config = json.loads(frame_element.proto.columns)[column]["type_config"]
    colours = {option["value"]: option["color"] for option in config["options"]}
    cells = []
    for cell in frame_element.value[column]:
        (label,) = list(cell)
        cells.append((label, colours[label]))
    return cells
