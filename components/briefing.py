"""The daily briefing as Markdown, in the current language, from its figures (data.briefing).

No database and no Streamlit: the page, the command line and an issued briefing's stored
text all come from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from components.format import fmt_days, fmt_int, fmt_percent, plain
from data.measures.alerts import WORST_SHOWN, AlertGroup, group_alerts
from data.settings import get_settings
from data.timeutil import format_local, to_local
from i18n import LANGUAGES, current_language, language, t


def fmt_date(day: date) -> str:
    """6月9日 / 9 June."""
    return t("briefing.date", month=t(f"briefing.month.{day.month}"), day=day.day)


def fmt_moment(moment: datetime) -> str:
    """6月10日8时 / 08:00 on 10 June (local time)."""
    local = to_local(moment)
    key = "briefing.moment" if local.minute == 0 else "briefing.moment_minutes"
    return t(key, date=fmt_date(local.date()), hour=local.hour, minute=local.minute)


def _then() -> str:
    """What stands between two sentences of a paragraph: a space in English, nothing after
    a Chinese full stop (typography, not a string to translate)."""
    return " " if current_language() == "en" else ""


def _n(key: str, count: int) -> str:
    """A counted noun: "1 new local confirmed case", "3 ... cases" (briefing.n.*)."""
    return t(f"briefing.n.{key}", count=fmt_int(count))


def _name(record: dict[str, Any], field: str = "name") -> str:
    return plain(record[f"{field}_{current_language()}"])


def _change(now: int, before: int) -> str:
    if now > before:
        return t("briefing.change.up", count=fmt_int(now - before))
    if now < before:
        return t("briefing.change.down", count=fmt_int(before - now))
    return t("briefing.change.same")


def _district_parts(districts: Sequence[dict[str, Any]]) -> str:
    """荔湾区确诊病例2例、无症状感染者1例，越秀区确诊病例1例 / Liwan 2 confirmed and 1 ..."""
    parts = []
    for district in districts:
        counts = [
            t(f"briefing.cases.district_{kind}", count=fmt_int(district[kind]))
            for kind in ("confirmed", "asymptomatic")
            if district[kind]
        ]
        if counts:
            parts.append(
                t(
                    "briefing.cases.district_part",
                    district=_name(district),
                    counts=t("briefing.cases.district_and").join(counts),
                )
            )
    return t("briefing.cases.district_join").join(parts)


def _table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _cases(figures: dict[str, Any], cutoff: str) -> list[str]:
    cases, day = figures["cases"], fmt_date(date.fromisoformat(figures["day"]))
    new = cases["confirmed"] + cases["asymptomatic"]
    before = cases["previous_confirmed"] + cases["previous_asymptomatic"]
    lines = [
        f"## {t('briefing.cases.heading')}",
        "",
        t(
            "briefing.cases.new",
            day=day,
            confirmed=_n("new_confirmed", cases["confirmed"]),
            asymptomatic=_n("new_asymptomatic", cases["asymptomatic"]),
            change=_change(new, before),
        ),
    ]
    parts = _district_parts(figures["districts"])
    if parts:
        lines[-1] += _then() + t("briefing.cases.by_district", parts=parts)
    lines += [
        "",
        t(
            "briefing.cases.totals",
            cutoff=cutoff,
            confirmed=_n("total_confirmed", cases["total_confirmed"]),
            asymptomatic=_n("total_asymptomatic", cases["total_asymptomatic"]),
            in_hospital=fmt_int(cases["in_hospital"]),
            severe=fmt_int(cases["severe"]),
        )
        + _then()
        + t(
            "briefing.cases.contacts",
            **{name: fmt_int(value) for name, value in figures["contacts"].items()},
            **{level: fmt_int(count) for level, count in figures["zones"].items()},
        ),
    ]
    affected = [row for row in figures["districts"] if row["total"] or row["previous"]]
    if affected:
        lines += [""] + _table(
            [
                t(f"briefing.col.{name}")
                for name in ("district", "confirmed", "asymptomatic", "previous", "total")
            ],
            [
                [
                    _name(row),
                    fmt_int(row["confirmed"]),
                    fmt_int(row["asymptomatic"]),
                    fmt_int(row["previous"]),
                    fmt_int(row["total"]),
                ]
                for row in affected
            ],
        )
    return lines


def _testing(figures: dict[str, Any], cutoff: str) -> list[str]:
    testing = figures["testing"]
    rounds = testing["rounds"]
    lines = [f"## {t('briefing.testing.heading')}", ""]
    if not rounds:
        lines.append(t("briefing.testing.no_rounds", cutoff=cutoff))
    else:
        lines.append(
            t(
                "briefing.testing.rounds",
                cutoff=cutoff,
                rounds=_n("rounds", len(rounds)),
                sampled=fmt_int(testing["sampled"]),
                target=fmt_int(testing["target"]),
                percent=fmt_percent(testing["percent"]),
                late=len([r for r in rounds if r["status"] in ("behind", "missed")]),
            )
        )
    lines[-1] += _then() + (
        t(
            "briefing.testing.sites",
            open=fmt_int(testing["sites_open"]),
            total=fmt_int(testing["sites_total"]),
            day=fmt_date(to_local(datetime.fromisoformat(figures["cutoff"])).date()),
            sampled_today=fmt_int(testing["sampled_today"]),
        )
    )
    if rounds:
        lines.append("")
        lines += [
            "- "
            + t(
                "briefing.testing.round",
                district=_name(item),
                round_no=item["round_no"],
                sampled=fmt_int(item["sampled"]),
                target=fmt_int(item["target"]),
                percent=fmt_percent(item["percent"]),
                pending=fmt_int(item["pending"]),
                positive=fmt_int(item["positive"]),
                status=t(f"testing.status.{item['status']}"),
            )
            for item in rounds
        ]
    return lines


def _hotels(figures: dict[str, Any]) -> list[str]:
    hotels = figures["hotels"]
    text = t(
        "briefing.hotels.rooms",
        **{name: fmt_int(hotels[name]) for name in ("total", "occupied", "cleaning", "available")},
        hotels=_n("hotels", hotels["hotels"]),
        waiting=_n("waiting", hotels["waiting"]),
    )
    days, net = hotels["days_until_full"], hotels["net_per_day"]
    if days is not None and days <= 0:
        text += _then() + t("briefing.hotels.full_now")
    elif days is not None and net is not None and net > 0:
        text += _then() + t("briefing.hotels.full_in", net=f"{net:.1f}", days=f"{days:.1f}")
    else:
        text += _then() + t("briefing.hotels.not_filling")
    return [f"## {t('briefing.hotels.heading')}", "", text]


def supply_days(days: float | None) -> str:
    """A short line's days of supply: out of stock at 0, "under 1 day" for stock on hand
    that lasts less than a day (not "0.0 days"), else to a tenth of a day."""
    if days == 0:
        return t("briefing.supplies.out")
    if days is not None and days < 1:
        return t("briefing.supplies.under_one")
    return fmt_days(days)


def _supplies(figures: dict[str, Any]) -> list[str]:
    supplies = figures["supplies"]
    lines = [
        f"## {t('briefing.supplies.heading')}",
        "",
        t(
            "briefing.supplies.lines",
            lines=fmt_int(supplies["lines_with_burn"]),
            under_7=fmt_int(supplies["under_7_days"]),
            under_3=fmt_int(supplies["under_3_days"]),
        ),
    ]
    if supplies["shortest"]:
        lines += ["", t("briefing.supplies.shortest"), ""]
        lines += [
            "- "
            + t(
                "briefing.supplies.line",
                item=_name(line, "item"),
                location=_name(line, "location"),
                days=supply_days(line["days"]),
            )
            for line in supplies["shortest"]
        ]
    return lines


def _audits(figures: dict[str, Any]) -> list[str]:
    audits = figures["audits"]
    if audits["average_score"] is None:
        text = t("briefing.audits.none", facilities=fmt_int(audits["facilities"]))
    else:
        text = t(
            "briefing.audits.scores",
            facilities=fmt_int(audits["facilities"]),
            audited=fmt_int(audits["audited"]),
            average=f"{audits['average_score']:.0f}",
            lowest=f"{audits['lowest_score']:.0f}",
            inadequate=fmt_int(audits["inadequate"]),
        )
    text += _then() + t(
        "briefing.audits.actions", open=fmt_int(audits["open"]), overdue=fmt_int(audits["overdue"])
    )
    return [f"## {t('briefing.audits.heading')}", "", text]


def _alerts(figures: dict[str, Any], cutoff: str) -> list[str]:
    """The alerts at the cut-off by severity and kind, as the Overview groups them: the worst
    few of each kind with their severity as a symbol and a word, and those not listed
    counted by kind."""
    from components.alerts import alert_text, group_title, severity_label
    from data.briefing import alert_from_json

    alerts = [alert_from_json(stored) for stored in figures["alerts"]]
    lines = [f"## {t('briefing.alerts.heading')}", ""]
    if not alerts:
        return [*lines, t("briefing.alerts.none", cutoff=cutoff)]
    groups = group_alerts(alerts)
    if "alerts_count" in figures:  # only the alerts shown are kept, the rest counted
        critical, warning = (figures["alerts_count"][level] for level in ("critical", "warning"))
        left_out = [
            (AlertGroup(left["severity"], left["kind"], ()), left["count"])
            for left in figures["alerts_left_out"]
        ]
    else:  # a briefing issued when its figures kept every alert
        critical = sum(1 for alert in alerts if alert.severity == "critical")
        warning = len(alerts) - critical
        left_out = [(group, group.left_out) for group in groups if group.left_out]
        groups = [AlertGroup(g.severity, g.kind, g.worst) for g in groups]
    summary = t(
        "briefing.alerts.count",
        cutoff=cutoff,
        total=fmt_int(critical + warning),
        critical=fmt_int(critical),
        warning=fmt_int(warning),
    )
    unlisted = [
        t("briefing.alerts.kind", title=group_title(group, start=False), count=fmt_int(count))
        for group, count in left_out
    ]
    if unlisted:
        summary += _then() + t(
            "briefing.alerts.shown",
            shown=WORST_SHOWN,
            count=fmt_int(sum(count for _, count in left_out)),
            kinds=t("briefing.alerts.kind_join").join(unlisted),
        )
    return [
        *lines,
        summary,
        "",
        *(
            f"- {severity_label(alert.severity)} {plain(alert_text(alert))}"
            for group in groups
            for alert in group.worst
        ),
    ]


def render_markdown(
    figures: dict[str, Any],
) -> str:
    """The briefing in the current language (with its alerts when its figures have them)."""
    cutoff_at = datetime.fromisoformat(figures["cutoff"])
    cutoff = fmt_moment(cutoff_at)
    lines = [
        f"# {t('briefing.heading')}",
        "",
        t(
            "briefing.period",
            day=fmt_date(date.fromisoformat(figures["day"])),
            cutoff=cutoff,
            zone=get_settings().timezone,
        ),
    ]
    if figures.get("simulated"):
        lines += ["", f"> {t('briefing.simulated')}"]
    sections: list[Callable[[], list[str]]] = [
        lambda: _cases(figures, cutoff),
        lambda: _testing(figures, cutoff),
        lambda: _hotels(figures),
        lambda: _supplies(figures),
        lambda: _audits(figures),
    ]
    for section in sections:
        lines += ["", *section()]
    if "alerts" in figures:
        lines += ["", *_alerts(figures, cutoff)]
    return "\n".join(lines) + "\n"


def issued_footer(issued_by: str, issued_at: datetime) -> str:
    """Who issued a briefing and when, in the current language."""
    return t("briefing.issued_by", user=plain(issued_by), time=format_local(issued_at))


def on_page(text: str) -> str:
    """A briefing's text inside a page: its headings two levels down, under the page's own."""
    return re.sub(r"^(#+) ", lambda match: f"{match.group(1)}## ", text, flags=re.MULTILINE)


def with_footer(text: str, footer: str | None) -> str:
    """A briefing's text with who issued it at the end (as the page and the file show it)."""
    return text if footer is None else f"{text}\n---\n\n{footer}\n"


def compose(figures: dict[str, Any]) -> dict[str, str]:
    """The briefing's text in each language ("zh", "en")."""
    texts = {}
    for lang in LANGUAGES:
        with language(lang):
            texts[lang] = render_markdown(figures)
    return texts
