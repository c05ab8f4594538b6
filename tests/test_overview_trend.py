"""The Overview's trend: the past days' supply figures, counted for all the days at once,
are what the headline said at each day's end, and reading them does not grow with the days."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data.models import StockDaily
from data.queries.overview import day_end, get_past_figures, headline_at, trend_days
from data.queries.supplies import count_levels_by_day
from tests.factories import at, make_facility, make_stock_report, make_supply_item

TODAY = date(2021, 6, 10)
PAST = trend_days(TODAY)  # 2021-05-28 to 2021-06-09


def counted(session: Session, item: object, place: object, counts: Iterable[tuple]) -> None:
    """Stock counts of one line: (UTC time 'YYYY-MM-DD HH:MM', on hand, used) each."""
    for moment, on_hand, consumed in counts:
        make_stock_report(
            session,
            item_id=item.id,
            location_id=place.id,
            reported_at=at(moment),
            on_hand=on_hand,
            consumed=consumed,
        )


def build_stock_history(session: Session) -> None:
    """Three stock lines whose levels change across the trend's days (worked out below)."""
    masks = make_supply_item(session)
    depot = make_facility(session, kind="warehouse")
    clinic = make_facility(session, kind="fever_clinic")
    site = make_facility(session, kind="testing_site")
    # The depot: counted every day from 05-25 at 09:00 local, 10 used a day, 160 on hand on
    # the first day; on day D it holds 160 - 10 x (D - 05-25), i.e. that many tenths of days.
    days = [date(2021, 5, 25) + timedelta(days=offset) for offset in range(16)]
    counted(
        session, masks, depot, [(f"{day} 01:00", 160 - 10 * n, 10) for n, day in enumerate(days)]
    )
    # The clinic: last counted on 05-21 (before any day's burn window) at zero: 0 days of
    # supply on every day of the trend, though it has no burn rate.
    counted(session, masks, clinic, [("2021-05-20 01:00", 5, 5), ("2021-05-21 01:00", 0, 5)])
    # The site: first counted on 06-05; on 06-07 the 21:00 count (12 on hand), then a count
    # of 17:00 that came in late (it adds its use but not its on hand): 9 used over 2 days.
    counted(
        session,
        masks,
        site,
        [("2021-06-05 13:00", 20, 0), ("2021-06-07 13:00", 12, 8), ("2021-06-07 09:00", 999, 1)],
    )


# Per past day: (lines with a burn rate, under 7 days, under 3 days).
# The depot (burn 10 a day): 13 days on 05-28 down to 7 on 06-03 (ok), 6 to 4 (low) on
# 06-04 to 06-06, 3 to 1 (critical) on 06-07 to 06-09. The clinic: critical every day, no
# burn rate. The site: no line before 06-05, no burn rate until its second day of counts on
# 06-07, then 12 / 4.5 = 2.7 days: critical.
EXPECTED = [
    *[(1, 1, 1)] * 7,  # 05-28 to 06-03
    *[(1, 2, 1)] * 3,  # 06-04 to 06-06
    *[(2, 3, 3)] * 3,  # 06-07 to 06-09
]


def test_levels_of_each_past_day_are_the_headlines_at_its_end(session: Session) -> None:
    build_stock_history(session)
    counted = count_levels_by_day(session=session, days=PAST)
    assert counted["day"].tolist() == PAST
    fast = [
        (row.lines_with_burn, row.under_7_days, row.under_3_days)
        for row in counted.itertuples(index=False)
    ]
    assert fast == EXPECTED
    headlines = [headline_at(session=session, today=day, now=day_end(day)).supplies for day in PAST]
    assert [(s.lines_with_burn, s.under_7_days, s.under_3_days) for s in headlines] == EXPECTED


def test_a_day_rolled_up_without_the_time_of_its_count_counts_from_its_start(
    session: Session,
) -> None:
    """Days rolled up before the rollup kept the time of the count (migration 0002): the
    burn rate counts from the start of such a day, in the past days as on the day itself."""
    masks = make_supply_item(session)
    depot = make_facility(session, kind="warehouse")
    # Counted at 09:00 local on 06-01, 06-02 and 06-03: 10 used a day, 35 left.
    counted(
        session,
        masks,
        depot,
        [("2021-06-01 01:00", 55, 0), ("2021-06-02 01:00", 45, 10), ("2021-06-03 01:00", 35, 10)],
    )
    day = date(2021, 6, 3)

    def levels() -> list[tuple[int, int, int]]:
        counted = count_levels_by_day(session=session, days=[day])
        supplies = headline_at(session=session, today=day, now=day_end(day)).supplies
        headline = (supplies.lines_with_burn, supplies.under_7_days, supplies.under_3_days)
        return [tuple(int(n) for n in counted.iloc[0, 1:]), headline]

    # 20 used over the 2 days from 06-01 09:00: 10 a day, 3.5 days left: critical.
    assert levels() == [(1, 1, 1)] * 2
    session.execute(
        update(StockDaily).where(StockDaily.day == date(2021, 6, 1)).values(last_reported_at=None)
    )
    session.commit()
    # From the start of 06-01 instead: 20 over 2.375 days, 4.2 days left: low.
    assert levels() == [(1, 1, 0)] * 2


def test_past_figures_are_each_days_headline(session: Session) -> None:
    build_stock_history(session)
    rows = get_past_figures(session=session, today=TODAY)
    assert [row["day"] for row in rows] == PAST
    assert [(row["supply_under_7"], row["supply_under_3"]) for row in rows] == [
        expected[1:] for expected in EXPECTED
    ]
    for row in rows:
        headline = headline_at(session=session, today=row["day"], now=day_end(row["day"]))
        assert row["supply_under_7"] == headline.supplies.under_7_days
        assert row["supply_under_3"] == headline.supplies.under_3_days


def test_no_days_no_levels(session: Session) -> None:
    assert count_levels_by_day(session=session, days=[]).empty


@contextmanager
def statements_on(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_stock_is_read_twice_whatever_the_days(session: Session, engine: Engine) -> None:
    build_stock_history(session)
    with statements_on(engine) as statements:
        count_levels_by_day(session=session, days=PAST)
    assert len(statements) == 2
    with statements_on(engine) as statements:
        get_past_figures(session=session, today=TODAY)
    assert len([s for s in statements if "stockdaily" in s or "stockreport" in s]) == 2
    with statements_on(engine) as few_days:
        get_past_figures(session=session, today=TODAY, days=4)
    # The other figures are read day by day: 3 days instead of 13, the same queries each.
    per_day = (len(statements) - 2) / len(PAST)
    assert per_day == int(per_day)
    assert len(few_days) == 2 + 3 * per_day
