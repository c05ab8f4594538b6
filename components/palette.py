"""Colours shared by every chart and map: one colour per district, whatever the language or
the selection, so that Liwan is the same colour on every screen."""

from __future__ import annotations

import altair as alt

from data.reference.districts import DISTRICT_TABLE

# Okabe-Ito's colour-blind-safe set, then three more of Tableau's, in district code order:
# 荔湾 越秀 海珠 天河 白云 黄埔 番禺 花都 南沙 从化 增城.
DISTRICT_COLOURS: dict[str, str] = dict(
    zip(
        [code for code, *_ in DISTRICT_TABLE],
        [
            "#D55E00",  # Liwan: vermilion (the epicentre)
            "#0072B2",  # Yuexiu: blue
            "#009E73",  # Haizhu: bluish green
            "#CC79A7",  # Tianhe: reddish purple
            "#E69F00",  # Baiyun: orange
            "#56B4E9",  # Huangpu: sky blue
            "#8C564B",  # Panyu: brown
            "#F0E442",  # Huadu: yellow
            "#7F7F7F",  # Nansha: grey
            "#17BECF",  # Conghua: cyan
            "#9467BD",  # Zengcheng: purple
        ],
        strict=True,
    )
)


def district_scale(lang: str) -> alt.Scale:
    """An Altair colour scale over every district's name in `lang`, each in its own colour."""
    names = {code: (zh, en) for code, zh, en, _ in DISTRICT_TABLE}
    index = 1 if lang == "en" else 0
    return alt.Scale(
        domain=[names[code][index] for code in DISTRICT_COLOURS],
        range=list(DISTRICT_COLOURS.values()),
    )
