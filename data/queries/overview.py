"""The Overview's headline figures, each read through the view's own queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from data.measures.testing import combined_percent, default_round_ids, sampled_toward_targets
from data.queries.audits import ActionTotals, get_action_totals
from data.queries.cases import (
    CaseTotals,
    ContactTotals,
    count_active_zones,
    get_contact_totals,
    get_local_case_totals,
)
from data.queries.common import Clock
from data.queries.hotels import RoomTotals, get_room_totals
from data.queries.supplies import list_stock_lines
from data.queries.testing import list_round_totals
from data.timeutil import as_utc


@dataclass(frozen=True)
class TestingTotals:
    """Rounds under way: how many, and sampled against target."""

    __test__ = False

    rounds: int
    sampled: int
    target: int
    percent: float | None


@dataclass(frozen=True)
class SupplyTotals:
    """Stock lines with a burn rate, and those under 7 and under 3 days of supply."""

    lines_with_burn: int
    under_7_days: int
    under_3_days: int


@dataclass(frozen=True)
class Headline:
    """Every figure on the Overview."""

    cases: CaseTotals
    contacts: ContactTotals
    zones: dict[str, int]
    testing: TestingTotals
    rooms: RoomTotals
    supplies: SupplyTotals
    actions: ActionTotals


def get_headline(*, session: Session, clock: Clock) -> Headline:
    """The Overview's figures at the clock's moment."""
    # The rounds the testing page shows first (under way; else each district's latest).
    every_round = list_round_totals(session=session, as_of=clock.now)
    shown = default_round_ids(
        [
            (int(row.round_id), row.district_code, as_utc(row.start_at), as_utc(row.deadline_at))
            for row in every_round.itertuples(index=False)
        ],
        clock.now,
    )
    rounds = every_round[every_round["round_id"].isin(shown)]
    sampled, targets = rounds["sampled"].tolist(), rounds["target_population"].tolist()
    lines = list_stock_lines(session=session, today=clock.today, at=clock.now)
    known = lines[lines["days_of_supply"].notna()]
    return Headline(
        cases=get_local_case_totals(session=session, today=clock.today),
        # Local cases, as on the case map: the outbreak's own contact tracing.
        contacts=get_contact_totals(
            session=session, today=clock.today, local_only=True, at=clock.now
        ),
        zones=count_active_zones(session=session, at=clock.now),
        testing=TestingTotals(
            rounds=len(rounds),
            sampled=sampled_toward_targets(sampled, targets),
            target=sum(targets),
            percent=combined_percent(sampled, targets),
        ),
        rooms=get_room_totals(session=session, at=clock.now),
        supplies=SupplyTotals(
            lines_with_burn=int(lines["burn_rate"].notna().sum()),
            # The levels the supplies page shows (bands of whole days), so both agree.
            under_7_days=int(known["level"].isin(["critical", "low"]).sum()),
            under_3_days=int((known["level"] == "critical").sum()),
        ),
        actions=get_action_totals(session=session, today=clock.today, at=clock.now),
    )
