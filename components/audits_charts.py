"""Charts of the audits page: the facilities × components heat grid and a facility's trend."""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping
from datetime import datetime

import altair as alt
import pandas as pd

from data.measures.audits import LEVEL_BANDS, MAX_SCORE
from data.reference.checklist import COMPONENTS
from data.timeutil import to_local
from i18n import current_language, t

# Red (non-compliant) through amber to green (compliant), readable for red-green deficiency
# thanks to the lightness ramp; grey marks a component with no applicable item.
COMPLIANCE_DOMAIN = [0, 50, 75, 100]
# Colour-blind safe (not red against green): dark orange for the worst to dark blue for full
# compliance, readable in grey scale too (lightness rises, then falls).
COMPLIANCE_RANGE = ["#b35806", "#f1a340", "#998ec3", "#2d004b"]
NOT_APPLICABLE = "#d0d4da"
LEVEL_COLOURS = {
    "inadequate": "#f8d7d4",
    "basic": "#fde9c8",
    "intermediate": "#fbf6c9",
    "advanced": "#dcefd9",
}
CELL_HEIGHT = 22
LABEL_LINE_HEIGHT = 13
# Column labels wrap at about this many characters (Chinese characters are twice as wide).
LABEL_WIDTH = 14


def _wrap(label: str) -> list[str]:
    """A column label as lines of at most LABEL_WIDTH characters (Chinese: half as many)."""
    if any(ord(character) > 0x2E80 for character in label):
        # Chinese has no spaces to break at: cut into equal lines, not a long one and a stub.
        count = max(1, math.ceil(len(label) / (LABEL_WIDTH // 2)))
        step = math.ceil(len(label) / count)
        return [label[start : start + step] for start in range(0, len(label), step)] or [""]
    return textwrap.wrap(label, LABEL_WIDTH) or [""]


def _wrapped_labels(labels: list[str], lines: int) -> str:
    """A Vega label expression giving each label as `lines` lines, blank lines first."""
    expression = "datum.label"
    for label in labels:
        wrapped = _wrap(label)
        # A no-break space, not "": Vega drops an empty first line.
        padded = ["\u00a0"] * (lines - len(wrapped)) + wrapped
        expression = f"datum.label == {json.dumps(label)} ? {json.dumps(padded)} : {expression}"
    return expression


def _json_value(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value


def _inline(frame: pd.DataFrame) -> alt.InlineData:
    """A frame as inline chart data: plain JSON values, no global data transformer involved."""
    return alt.InlineData(
        values=[
            {name: _json_value(value) for name, value in row.items()}
            for row in frame.to_dict("records")
        ]
    )


def heat_grid_cells(
    compliance: pd.DataFrame,
    facilities: pd.DataFrame,
    components: Mapping[str, tuple[str, str]],
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The grid's cells for `facilities` (in their order), with row and column orders.

    `compliance` is data.queries.audits.list_component_compliance; `facilities` rows of
    list_facility_audit_status; `components` code -> (中文, English).
    """
    lang = current_language()
    column = 0 if lang == "zh" else 1
    by_id = facilities.set_index("facility_id")
    labels = by_id[f"name_{lang}"].copy()
    # Two facilities of the same name would share a grid row: tell them apart by code.
    repeated = labels.duplicated(keep=False)
    labels[repeated] = labels[repeated] + " (" + by_id["code"][repeated] + ")"
    names = {code: texts[column] for code, texts in components.items()}
    rows = compliance[compliance["facility_id"].isin(labels.index)]
    cells = pd.DataFrame(
        {
            "facility": rows["facility_id"].map(labels),
            "component": rows["component"].map(lambda code: names.get(code, code)),
            "compliance": rows["compliance"],
            "items": [
                t("audits.col.items_value", passed=p, partial=q, failed=f, na=n)
                for p, q, f, n in zip(
                    rows["items_pass"],
                    rows["items_partial"],
                    rows["items_fail"],
                    rows["items_na"],
                    strict=True,
                )
            ],
            "score": rows["facility_id"].map(by_id["score"]),
        }
    )
    present = set(rows["component"])
    order = [code for code in components if code in present] + sorted(present - set(components))
    return cells, list(labels), [names.get(code, code) for code in order]


def compliance_heatmap(
    cells: pd.DataFrame, *, facility_order: list[str], component_order: list[str]
) -> alt.LayerChart:
    """Facilities (rows, in the given order) × components, coloured by compliance (0-100).

    `cells` has columns facility, component, compliance (NaN: nothing applied), items (a
    line of item counts) and score, all already in the reader's language.
    """
    facility_title, component_title = t("audits.col.facility"), t("audits.col.component")
    lines = max((len(_wrap(label)) for label in component_order), default=1)
    base = alt.Chart(_inline(cells)).encode(
        x=alt.X(
            "component:N",
            sort=component_order,
            title=component_title,
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                labelBaseline="top",
                labelOverlap=False,
                labelLimit=160,
                labelLineHeight=LABEL_LINE_HEIGHT,
                labelExpr=_wrapped_labels(component_order, lines),
                # Every label has `lines` lines hanging down from its top: lift them clear.
                labelPadding=4 + lines * LABEL_LINE_HEIGHT,
            ),
        ),
        y=alt.Y(
            "facility:N",
            sort=facility_order,
            title=facility_title,
            axis=alt.Axis(labelLimit=280),
        ),
        tooltip=[
            alt.Tooltip("facility:N", title=facility_title),
            alt.Tooltip("component:N", title=component_title),
            alt.Tooltip("compliance:Q", title=t("audits.col.compliance"), format=".1f"),
            alt.Tooltip("items:N", title=t("audits.col.items")),
            alt.Tooltip("score:Q", title=t("audits.col.score"), format=".1f"),
        ],
    )
    background = base.mark_rect(color=NOT_APPLICABLE, stroke="white", strokeWidth=1)
    coloured = (
        base.transform_filter("isValid(datum.compliance)")
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            color=alt.Color(
                "compliance:Q",
                title=t("audits.col.compliance") + " %",
                scale=alt.Scale(domain=COMPLIANCE_DOMAIN, range=COMPLIANCE_RANGE),
                legend=alt.Legend(orient="bottom", gradientLength=240),
            )
        )
    )
    labels = (
        base.transform_filter("isValid(datum.compliance)")
        .mark_text(fontSize=11)
        .encode(
            text=alt.Text("compliance:Q", format=".0f"),
            color=alt.condition(
                "datum.compliance < 30 || datum.compliance > 85",
                alt.value("white"),
                alt.value("#1f2933"),
            ),
        )
    )
    return alt.layer(background, coloured, labels).properties(height=alt.Step(CELL_HEIGHT))


def compliance_grid(compliance: pd.DataFrame, facilities: pd.DataFrame) -> alt.LayerChart:
    """The heat grid of `facilities` (list_facility_audit_status rows, in their order) from
    list_component_compliance."""
    cells, facility_order, component_order = heat_grid_cells(compliance, facilities, COMPONENTS)
    return compliance_heatmap(cells, facility_order=facility_order, component_order=component_order)


def score_trend(history: pd.DataFrame) -> alt.LayerChart:
    """A facility's audits (list_facility_audits) as the score trend chart."""
    return score_trend_chart(trend_frame(history))


def trend_frame(history: pd.DataFrame) -> pd.DataFrame:
    """A facility's audits (list_facility_audits) as the trend chart draws them: local time."""
    return pd.DataFrame(
        {
            "audited": [to_local(moment).replace(tzinfo=None) for moment in history["audited_at"]],
            "score": history["score"],
            "level": history["level"].map(lambda level: t(f"audits.level.{level}")),
            "checklist": history["checklist_label"],
        }
    )


def score_trend_chart(audits: pd.DataFrame) -> alt.LayerChart:
    """A facility's audit scores over time on the 0-800 scale, over the IPCAF level bands.

    `audits` has columns audited (local naive datetime), score, level (label) and checklist.
    """
    lower = 0.0
    bands = []
    for upper, level in LEVEL_BANDS:
        bands.append(
            {
                "from": lower,
                "to": upper,
                "level": t(f"audits.level.{level}"),
                "colour": LEVEL_COLOURS[level],
            }
        )
        lower = upper
    band_frame = _inline(
        pd.DataFrame(bands).assign(middle=lambda frame: (frame["from"] + frame["to"]) / 2)
    )
    band_labels = (
        alt.Chart(band_frame)
        .mark_text(align="left", dx=6, fontSize=11, color="#6b7280")
        .encode(x=alt.value(0), y=alt.Y("middle:Q"), text="level:N")
    )
    band_chart = (
        alt.Chart(band_frame)
        .mark_rect(opacity=0.8)
        .encode(
            y=alt.Y("from:Q", title=t("audits.col.score"), scale=alt.Scale(domain=[0, MAX_SCORE])),
            y2="to:Q",
            color=alt.Color("colour:N", scale=None, legend=None),
            tooltip=[alt.Tooltip("level:N", title=t("audits.col.level"))],
        )
    )
    score_title, time_title = t("audits.col.score"), t("audits.col.audited")
    base = alt.Chart(_inline(audits)).encode(
        x=alt.X(
            "audited:T",
            title=time_title,
            axis=alt.Axis(format="%m-%d", tickCount={"interval": "day", "step": 1}),
        ),
        y=alt.Y(
            "score:Q",
            title=score_title,
            scale=alt.Scale(domain=[0, MAX_SCORE]),
            axis=alt.Axis(values=[0, 200, 400, 600, 800]),
        ),
    )
    line = base.mark_line(color="#34495e")
    points = base.mark_point(filled=True, size=90, color="#34495e").encode(
        shape=alt.Shape("checklist:N", title=t("audits.col.checklist")),
        tooltip=[
            alt.Tooltip("audited:T", title=time_title, format="%Y-%m-%d %H:%M"),
            alt.Tooltip("score:Q", title=score_title, format=".1f"),
            alt.Tooltip("level:N", title=t("audits.col.level")),
            alt.Tooltip("checklist:N", title=t("audits.col.checklist")),
        ],
    )
    return alt.layer(band_chart, band_labels, line, points).properties(height=300)
