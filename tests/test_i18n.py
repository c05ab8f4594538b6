"""The string catalogue: every string in both languages, no key defined twice."""

from __future__ import annotations

import re

from i18n import CATALOGUE, set_language, t


def test_every_string_has_chinese_and_english_with_the_same_placeholders() -> None:
    for key, (zh, en) in CATALOGUE.items():
        assert zh.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)", zh)) == set(re.findall(r"{(\w+)", en)), key


def test_language_switch_and_fallback() -> None:
    assert set_language("en") == "en"
    assert t("overview.title") == "Overview"
    assert set_language("fr") == "zh"
    assert t("overview.title") == "总览"
