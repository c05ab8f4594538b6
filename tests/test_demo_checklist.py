"""The versioned infection-control checklist and its idempotent load."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from data import models
from data.db import make_engine, upgrade_schema
from data.reference.checklist import (
    CHECKLISTS,
    COMPONENTS,
    CRITICAL,
    checklist_in_force,
    ensure_checklists,
)

IPCAF = [code for code in COMPONENTS if code != "covid"]


@pytest.mark.parametrize("spec", CHECKLISTS, ids=lambda spec: spec.label)
def test_each_version_covers_the_8_ipcaf_components_and_covid(spec) -> None:  # noqa: ANN001
    per_component = Counter(item.component for item in spec.items)
    assert len(IPCAF) == 8
    assert all(3 <= per_component[code] <= 4 for code in IPCAF)
    assert 7 <= per_component["covid"] <= 9
    assert len({item.code for item in spec.items}) == len(spec.items)
    assert all(item.text_zh and item.text_en for item in spec.items)


def test_the_outbreak_version_adds_rewords_drops_and_reweights() -> None:
    old, new = ({item.code: item for item in spec.items} for spec in CHECKLISTS)
    assert set(new) - set(old) == {"cv_admission_test", "cv_visitors"}
    assert set(old) - set(new) == {"prog_lab"}
    assert new["cv_triage"].text_zh != old["cv_triage"].text_zh
    assert (old["tr_covid"].weight, new["tr_covid"].weight) == (1.0, CRITICAL)


@pytest.mark.parametrize(
    ("day", "label"),
    [(date(2021, 3, 1), "v2021.1"), (date(2021, 5, 24), "v2021.1"), (date(2021, 5, 25), "v2021.2")],
)
def test_version_in_force(day: date, label: str) -> None:
    assert checklist_in_force(day).label == label


def test_ensure_checklists_is_idempotent(tmp_path) -> None:  # noqa: ANN001
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    upgrade_schema(engine)
    with Session(engine) as session:
        first = ensure_checklists(session)
        session.commit()
        second = ensure_checklists(session)
        session.commit()
        items = session.execute(select(func.count()).select_from(models.ChecklistItem)).scalar_one()
    assert first == second
    assert sorted(first) == ["v2021.1", "v2021.2"]
    assert items == sum(len(spec.items) for spec in CHECKLISTS)
