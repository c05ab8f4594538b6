"""The string catalogue: every string in both languages, no key defined twice."""

from __future__ import annotations

import re

import pytest

from i18n import CATALOGUE, language, set_language, t


def test_every_string_has_chinese_and_english_with_the_same_placeholders() -> None:
    for key, (zh, en) in CATALOGUE.items():
        assert zh.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)", zh)) == set(re.findall(r"{(\w+)", en)), key


def test_language_switch_and_fallback() -> None:
    assert set_language("en") == "en"
    assert t("overview.title") == "Overview"
    assert set_language("fr") == "zh"
    assert t("overview.title") == "总览"


@pytest.mark.parametrize(
    ("lang", "text", "shown"),
    [
        ("en", "院感科", "院感科 (original in Chinese)"),
        ("en", "Infection control office", "Infection control office"),
        ("zh", "Ward 3 manager", "Ward 3 manager（英文原文）"),
        ("zh", "院感科", "院感科"),
        ("zh", "2021-06-10", "2021-06-10"),  # no letters: no language to mark
        ("en", None, ""),
        # Written in both languages: the reader's.
        ("en", "院感科 / Infection Control Dept.", "Infection Control Dept."),
        ("zh", "院感科 / Infection Control Dept.", "院感科"),
        ("en", "院感科 / 护理部", "院感科 / 护理部 (original in Chinese)"),
    ],
)
def test_free_text_in_one_language_is_marked_as_the_original(
    lang: str, text: str | None, shown: str
) -> None:
    from components.format import as_written
    from tests.factories import in_language

    assert in_language(lang, as_written, text) == shown


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        # What a downloaded briefing shows: no backslash where Markdown would make no markup.
        ("Rice (10 kg)", "Rice (10 kg)"),
        (
            "Tianhe District epidemic-supplies warehouse",
            "Tianhe District epidemic-supplies warehouse",
        ),
        ("84消毒液（500毫升）", "84消毒液（500毫升）"),
        ("Report at 08:00. Done!", "Report at 08:00. Done!"),
        # What would make markup is escaped.
        (
            "**x** [y](http://z) ![i](http://h/t.png)",
            r"\*\*x\*\* \[y\](http\://z) !\[i\](http\://h/t\.png)",
        ),
        ("# 1. a_b | c", r"\# 1. a\_b \| c"),
        ("2) see www.example.cn", r"2\) see www\.example\.cn"),
        (":red[alarm] :smile: $x$ &lt;", r"\:red\[alarm\] \:smile: \$x\$ \&lt;"),
        ("line\n- item", "line\n\\- item"),
    ],
)
def test_text_from_the_database_is_escaped_only_where_markdown_would_mark_it_up(
    typed: str, written: str
) -> None:
    from components.format import plain

    assert plain(typed) == written


@pytest.mark.parametrize(
    ("lang", "text", "shown"),
    [
        # The demo's auditors are teams named in both languages in one field.
        ("en", "市院感督查组 第3组 / City IPC inspection team 3", "City IPC inspection team 3"),
        ("zh", "市院感督查组 第3组 / City IPC inspection team 3", "市院感督查组 第3组"),
        ("en", "督导组 1 / Team 1", "Team 1"),
        # A name in one language is a name: shown as written, unmarked, untranslated.
        ("en", "张伟", "张伟"),
        ("zh", "demo-auditor", "demo-auditor"),
        # Not a pair of languages: as it is.
        ("en", "Ward 3 / ICU", "Ward 3 / ICU"),
        ("zh", "张伟 / 李娜", "张伟 / 李娜"),
        ("en", "A / 张伟", "A / 张伟"),
        ("en", "", "—"),
        ("en", None, "—"),
    ],
)
def test_a_persons_name_held_in_both_languages_shows_the_readers(
    lang: str, text: str | None, shown: str
) -> None:
    from components.format import person
    from tests.factories import in_language

    assert in_language(lang, person, text) == shown


# --- Counted nouns (English singular and plural) ----------------------------------------------


@pytest.mark.parametrize(
    ("key", "values", "one", "many"),
    [
        (
            "freshness.expander",
            {"source": "Testing sites", "count": "{n}"},
            "Testing sites: 1 stale reporter",
            "Testing sites: 2 stale reporters",
        ),
        (
            "simulate.tick",
            {"sites": "{n}", "hotels": "{n}", "stock": "{n}", "cases": "{n}"},
            "written: 1 testing-site report, 1 hotel report, 1 stock count, 1 new case",
            "written: 2 testing-site reports, 2 hotel reports, 2 stock counts, 2 new cases",
        ),
        (
            "alerts.source_stale",
            {"source": "Case tracing", "stale": "{n}", "reporters": "3"},
            "Case tracing: 1 of 3 reporters has not reported within its expected interval",
            "Case tracing: 2 of 3 reporters have not reported within their expected interval",
        ),
        (
            "alerts.count",
            {"critical": "0", "warning": "{n}"},
            "0 critical · 1 warning",
            "0 critical · 2 warnings",
        ),
        (
            "overview.rooms_help",
            {"hotels": "{n}", "total": "{n}", "occupied": "0", "cleaning": "0"},
            "1 active hotel · 1 room · 0 occupied · 0 cleaning",
            "2 active hotels · 2 rooms · 0 occupied · 0 cleaning",
        ),
    ],
)
def test_english_says_one_thing_in_the_singular(
    key: str, values: dict[str, str], one: str, many: str
) -> None:
    def said(count: object) -> str:
        with language("en"):
            return t(
                key, **{name: count if value == "{n}" else value for name, value in values.items()}
            )

    assert said("1") == one  # a count as shown
    assert said(1) == one  # a count as a number
    assert said("2") == many
    assert said("1,001") == many.replace(" 2 ", " 1,001 ").replace("2 ", "1,001 ", 1)


# Nouns English counts: "1 <noun>s" is a mistake wherever a count stands before one.
PLURAL_NOUNS = (
    "alerts|warnings|cases|infections|reporters|reports|counts|rooms|hotels|rounds|lines|"
    "facilities|actions|items|locations|problems|rows|records|entries|ticks|chains|contacts|"
    "sites|cells"
)


def test_no_english_string_says_one_of_a_plural_noun() -> None:
    wrong = []
    for key, (_, en) in CATALOGUE.items():
        names = set(re.findall(r"{(\w+)(?=[}:])", en)) - set(re.findall(r"{(\w+):[^}]*d}", en))
        if not names or re.search(r"{\w+:0?\d*d}", en):
            continue
        with language("en"):
            text = t(key, **dict.fromkeys(names, "1"))
        # "1 of 3 reporters" counts the reporters by the 3.
        found = re.search(rf"(?<![\d.,])(?<!of )\b1 (?:[a-z-]+ ){{0,2}}?({PLURAL_NOUNS})\b", text)
        if found:
            wrong.append(f"{key}: {found.group(0)}")
    assert wrong == []


# --- One word for one thing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "critical", "warning", "ok"),
    [("zh", "▲ 严重", "● 注意", "✓ 正常"), ("en", "▲ Critical", "● Warning", "✓ Normal")],
)
def test_a_severity_has_one_word_for_alerts_and_figures_alike(
    lang: str, critical: str, warning: str, ok: str
) -> None:
    from components.alerts import severity_label as alert_label
    from components.kpi import severity_badge as figure_badge
    from tests.factories import in_language

    assert [in_language(lang, alert_label, s) for s in ("critical", "warning")] == [
        critical,
        warning,
    ]
    assert [in_language(lang, figure_badge, s) for s in ("critical", "warning", "ok")] == [
        f":red-badge[{critical}]",
        f":orange-badge[{warning}]",
        f":green-badge[{ok}]",
    ]


def test_the_catalogue_says_each_thing_in_one_word() -> None:
    # An alert is 预警 (not 警报), an infection-control audit 院感督查 (not 院感督导), the
    # in-hospital figure of severity "severe or critical" / 重症、危重症 wherever it is named.
    chinese = [zh for zh, _ in CATALOGUE.values()]
    assert [text for text in chinese if "警报" in text] == []
    assert [text for text in chinese if "督导" in text] == []
    assert [key for key, (zh, _) in CATALOGUE.items() if "重症" in zh and "危重症" not in zh] == []
    english = [en for _, en in CATALOGUE.values()]
    assert [text for text in english if re.search(r"\bAlarm\b", text)] == []
