"""The daily briefing as a PDF that embeds its CJK font, with its charts as PNG images.

The charts are the app's own Altair charts rendered without a browser (vl-convert); the font
is Noto Sans CJK from Debian's fonts-noto-cjk, found on this machine at run time (or named
in BRIEFING_FONT) and embedded (subset) in the file, so the PDF reads on a machine without
it. Nothing is fetched from the network.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from components.epicurve import CurveLabels, epidemic_curve
from i18n import current_language, t

# Where Debian's fonts-noto-cjk puts the fonts (and older layouts of it).
FONT_DIRECTORIES = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/noto-cjk"),
    Path("/usr/share/fonts/google-noto-cjk"),
)
REGULAR, BOLD = "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"
# The face of the collection for simplified Chinese.
FACE_NAME = "Noto Sans CJK SC"
FONT_PACKAGE = "fonts-noto-cjk"
FAMILY = "NotoSansCJK"
CONFIRMED_COLOUR, ASYMPTOMATIC_COLOUR = "#c0392b", "#e67e22"


class FontMissing(Exception):
    """No CJK font file was found; the message key names the package to install."""

    key = "briefing.font_missing"


def find_font(file_name: str = REGULAR) -> Path:
    """The CJK font file: BRIEFING_FONT if set, else Debian's fonts-noto-cjk."""
    named = os.environ.get("BRIEFING_FONT")
    if named and file_name == REGULAR:
        if Path(named).is_file():
            return Path(named)
        raise FontMissing(named)
    for directory in FONT_DIRECTORIES:
        candidate = directory / file_name
        if candidate.is_file():
            return candidate
    raise FontMissing(file_name)


@cache
def face_number(path: Path) -> int:
    """The number of the simplified-Chinese face in a font collection (0 for a single font)."""
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == FACE_NAME:
            return number
    return 0


# --- Charts -----------------------------------------------------------------------------------


def curve_chart(curve: Sequence[dict[str, Any]]) -> alt.LayerChart:
    """The briefing's epidemic curve (the Overview's chart): new local infections per day."""
    kinds = {"confirmed": t("kind.confirmed"), "asymptomatic": t("kind.asymptomatic")}
    counts = pd.DataFrame(
        [
            {"day": date.fromisoformat(row["day"]), "series": label, "count": row[kind]}
            for row in curve
            for kind, label in kinds.items()
            if row[kind]
        ],
        columns=["day", "series", "count"],
    )
    average = pd.DataFrame(
        [
            {"day": date.fromisoformat(row["day"]), "average": row["average"]}
            for row in curve
            if row["average"] is not None
        ],
        columns=["day", "average"],
    )
    chart = epidemic_curve(
        counts,
        series_colours={
            kinds["confirmed"]: CONFIRMED_COLOUR,
            kinds["asymptomatic"]: ASYMPTOMATIC_COLOUR,
        },
        labels=CurveLabels(
            day=t("cases.col.report_date"),
            count=t("cases.col.cases"),
            series=t("cases.col.kind"),
            average=t("cases.curve.average"),
        ),
        average=average,
        height=220,
        day_ticks=day_ticks([date.fromisoformat(row["day"]) for row in curve]),
    )
    return chart.properties(width=620, title=t("briefing.chart.curve"))


def day_ticks(days: Sequence[date], most: int = 8) -> list[date]:
    """The days a curve's axis labels: from the first, every 1, 2, 3, 5, 7, 14 or 28 days, the
    smallest step that gives at most `most` labels (a "MM-DD" label every other day of a
    month-long curve ran into its neighbours)."""
    if not days:
        return []
    first, last = min(days), max(days)
    span = (last - first).days
    step = next((s for s in (1, 2, 3, 5, 7, 14) if span // s + 1 <= most), 28)
    return [first + timedelta(days=offset) for offset in range(0, span + 1, step)]


def district_chart(districts: Sequence[dict[str, Any]], day: date) -> alt.Chart:
    """Bars of the day's new local infections per district, by kind."""
    kinds = {"confirmed": t("kind.confirmed"), "asymptomatic": t("kind.asymptomatic")}
    name = f"name_{current_language()}"
    rows = pd.DataFrame(
        [
            {"district": row[name], "series": label, "count": row[kind]}
            for row in districts
            for kind, label in kinds.items()
        ],
        columns=["district", "series", "count"],
    )
    from components.briefing import fmt_date

    ticks = count_ticks(
        max((row["confirmed"] + row["asymptomatic"] for row in districts), default=0)
    )
    return (
        alt.Chart(rows)
        .mark_bar(size=24)
        .encode(
            x=alt.X(
                "district:N",
                title=None,
                sort=[row[name] for row in districts],
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y(
                "count:Q",
                title=t("briefing.chart.count"),
                scale=alt.Scale(domain=[0, ticks[-1]]),
                axis=alt.Axis(values=ticks, format="d"),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=list(kinds.values()), range=[CONFIRMED_COLOUR, ASYMPTOMATIC_COLOUR]
                ),
                legend=alt.Legend(orient="top"),
            ),
        )
        .properties(width=620, height=180, title=t("briefing.chart.districts", day=fmt_date(day)))
    )


def count_ticks(highest: int, most: int = 6) -> list[int]:
    """Whole-number ticks from 0 to at least `highest` in a step of 1, 2 or 5 times a power
    of ten, at most `most` of them: a count of people has no 0.5 (vl-convert's Vega ignores
    the axis's tickMinStep)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if -(-max(highest, 1) // (step * factor)) + 1 <= most:
                top = -(-max(highest, 1) // (step * factor)) * step * factor
                return list(range(0, top + 1, step * factor))
        step *= 10


def chart_png(chart: alt.TopLevelMixin) -> bytes:
    """A chart as PNG, drawn without a browser, its text in the CJK font."""
    import vl_convert as vlc

    _register_fonts()
    spec = chart.configure(font=FACE_NAME).to_dict()
    return vlc.vegalite_to_png(spec, scale=2)


@cache
def _register_fonts() -> None:
    import vl_convert as vlc

    vlc.register_font_directory(str(find_font().parent))


# --- The document -----------------------------------------------------------------------------

# Chinese typesetting's line-breaking rules (禁则): no line starts with closing punctuation,
# none ends with opening punctuation; a run of Latin letters and digits ("4,491", "46.0%",
# "IPCAF") is never split.
NO_LINE_START = set("。，、；：？！）」』”’》〉】〕…,.;:?!)]%")
NO_LINE_END = set("（「『“‘《〈【〔([")
# A status symbol stays with its word ("● 滞后", "▲ 严重"; "▲ Critical" in English).
STATUS_SYMBOLS = "▲●✓"
_TOKENS = re.compile(
    rf"[{STATUS_SYMBOLS}]\s(?:[\u4e00-\u9fff]{{1,4}}|\S)"
    r"|[A-Za-z0-9][A-Za-z0-9.,%/:+\-]*|\s+|.",
    re.DOTALL,
)


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Chinese text broken into lines at most `width` wide (as `measure` measures), by the
    rules above: the character before a closing mark goes down with it, and so does the
    word before a status."""
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for token in _TOKENS.findall(text):
        size = measure(token)
        if line and used + size > width and not token.isspace():
            carried: list[str] = []
            if token[0] in NO_LINE_START and len(line) > 1:
                carried.append(line.pop())
            # A status ("● 滞后") never starts a line alone: the word before it goes down with
            # it, with the punctuation between them.
            if (carried or [token])[0][0] in STATUS_SYMBOLS and len(line) > 1:
                carried.insert(0, line.pop())
                while len(line) > 1 and (
                    carried[0][0] in NO_LINE_START
                    or carried[0].isspace()
                    or line[-1][-1].isdigit()  # a count stays with its measure word ("1人")
                ):
                    carried.insert(0, line.pop())
            while len(line) > 1 and line[-1][-1] in NO_LINE_END:
                carried.insert(0, line.pop())
            lines.append("".join(line).rstrip())
            line = carried
            used = sum(measure(part) for part in line)
        if not line and token.isspace():
            continue
        line.append(token)
        used += size
    if line:
        lines.append("".join(line).rstrip())
    return lines


def _table_rows(lines: list[str]) -> list[list[str]]:
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
    return [row for row in rows if not all(set(cell) <= {"-"} for cell in row)]


def briefing_pdf(markdown: str, figures: dict[str, Any], *, footer: str | None = None) -> bytes:
    """The briefing's text (as render_markdown writes it) as a PDF with its charts after the
    cases section; `footer` (who issued it) at the end."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode, XPos, YPos

    regular = find_font(REGULAR)
    try:
        bold = find_font(BOLD)
    except FontMissing:
        bold = regular
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font(FAMILY, "", regular, collection_font_number=face_number(regular))
    pdf.add_font(FAMILY, "B", bold, collection_font_number=face_number(bold))
    pdf.set_title(t("briefing.heading"))
    pdf.add_page()
    wrap = WrapMode.CHAR if current_language() == "zh" else WrapMode.WORD
    width = pdf.epw

    def paragraph(text: str, size: float = 10.5, style: str = "", bullet: str = "") -> None:
        """A paragraph; with `bullet`, a list item whose lines all start after the bullet (a
        hanging indent), the bullet alone in the margin before them."""
        pdf.set_font(FAMILY, style, size)
        indent = pdf.get_string_width(bullet + " ") if bullet else 0.0
        cell = width - indent
        if wrap is WrapMode.CHAR:  # broken here by the Chinese rules, within the cell's margins
            room = cell - 2 * pdf.c_margin - 0.2
            text = "\n".join(break_lines(text, room, pdf.get_string_width))
        else:  # no-break spaces keep a status symbol with its word and the word before it
            text = re.sub(
                rf"(^| )([{STATUS_SYMBOLS}]) ",
                lambda found: ("\u00a0" if found[1] else "") + found[2] + "\u00a0",
                text,
            )
        if bullet:
            pdf.cell(indent, size * 0.55, bullet, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.multi_cell(
            cell,
            size * 0.55,
            text,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            wrapmode=wrap,
        )

    # Markdown's escapes (a name written as typed) are not shown in the PDF.
    lines = [re.sub(r"\\(.)", r"\1", line) for line in markdown.splitlines()]
    sections_seen = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("|"):
            block = []
            while index < len(lines) and lines[index].startswith("|"):
                block.append(lines[index])
                index += 1
            pdf.set_font(FAMILY, "", 9.5)
            with pdf.table(text_align="CENTER", line_height=5.5, wrapmode=wrap) as table:
                for row in _table_rows(block):
                    table.row(row)
            pdf.ln(2)
            continue
        if line.startswith("## "):
            if sections_seen == 1:  # the cases section is over: its charts
                _charts(pdf, figures)
            sections_seen += 1
            pdf.ln(2)
            paragraph(line[3:], 13, "B")
            pdf.ln(1)
        elif line.startswith("# "):
            paragraph(line[2:], 17, "B")
        elif line.startswith("> "):
            pdf.set_text_color(120, 60, 0)
            paragraph(line[2:], 9.5)
            pdf.set_text_color(0, 0, 0)
        elif line.startswith("- "):
            paragraph(line[2:], bullet="•")
        elif line == "---":
            pdf.ln(2)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
            pdf.ln(2)
        elif line.strip():
            paragraph(line.replace("**", ""))
        else:
            pdf.ln(1.5)
        index += 1
    if sections_seen == 1:
        _charts(pdf, figures)
    if footer:
        pdf.ln(4)
        paragraph(footer, 9.5)
    return bytes(pdf.output())


def _charts(pdf: Any, figures: dict[str, Any]) -> None:
    """The epidemic curve and the day's bars by district, as images the width of the text."""
    day = date.fromisoformat(figures["day"])
    affected = [row for row in figures["districts"] if row["total"] or row["previous"]]
    charts = [curve_chart(figures["curve"])]
    if affected:
        charts.append(district_chart(affected, day))
    for chart in charts:
        pdf.ln(2)
        pdf.image(chart_png(chart), w=pdf.epw)
    pdf.ln(1)
