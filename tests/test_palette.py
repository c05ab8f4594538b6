"""One colour per district on every chart, in both languages and whatever the selection."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from components.palette import DISTRICT_COLOURS
from components.testing_charts import backlog_chart
from tests.factories import in_language


def _colours(lang: str, districts: list[tuple[str, str, str]]) -> dict[str, str]:
    """District name -> colour in the lab-backlog chart drawn for these districts only."""
    backlog = pd.DataFrame(
        {
            "district_code": [code for code, _, _ in districts],
            "name_zh": [zh for _, zh, _ in districts],
            "name_en": [en for _, _, en in districts],
            "hour": [datetime(2021, 6, 10, 10, tzinfo=UTC)] * len(districts),
            "pending": [100] * len(districts),
        }
    )
    now = datetime(2021, 6, 10, 12, tzinfo=UTC)
    spec = in_language(lang, lambda: backlog_chart(backlog, now=now).to_dict())
    scale = spec["encoding"]["color"]["scale"]
    return dict(zip(scale["domain"], scale["range"], strict=True))


CONGHUA = ("440117", "从化区", "Conghua")
HUANGPU = ("440112", "黄埔区", "Huangpu")
LIWAN = ("440103", "荔湾区", "Liwan")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_district_has_its_own_colour_whatever_is_shown(lang: str) -> None:
    name = 2 if lang == "en" else 1
    two = _colours(lang, [CONGHUA, HUANGPU])
    assert two[CONGHUA[name]] == "#17BECF" and two[HUANGPU[name]] == "#56B4E9"
    assert len(set(DISTRICT_COLOURS.values())) == 11
    # Liwan keeps its colour with another selection and in the other language.
    assert _colours(lang, [LIWAN])[LIWAN[name]] == _colours(lang, [LIWAN, CONGHUA])[LIWAN[name]]
    assert _colours("zh", [LIWAN])["荔湾区"] == _colours("en", [LIWAN])["Liwan"] == "#D55E00"


def test_the_compliance_grid_does_not_set_red_against_green() -> None:
    import colorsys

    from components.audits_charts import COMPLIANCE_RANGE

    hues = []
    for colour in COMPLIANCE_RANGE:
        red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        hues.append(colorsys.rgb_to_hsv(red, green, blue)[0] * 360)
    # Oranges (under 50°) to purples (over 240°): no green (75°-165°) for red-green readers.
    assert all(hue < 50 or hue > 240 for hue in hues)
