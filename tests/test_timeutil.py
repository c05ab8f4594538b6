"""Times are stored in UTC and shown in the command's zone, whatever the server's own zone."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from data.timeutil import day_bounds_utc, format_local, local_day, local_today, to_utc

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(params=["UTC", "America/Los_Angeles", "Asia/Tokyo"])
def server_zone(request: pytest.FixtureRequest):  # noqa: ANN201
    """Run the test with the process's own time zone set to another zone."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_today_is_today_in_guangzhou_whatever_the_server_zone(server_zone: str) -> None:
    # 17:30 UTC on 05-31 is already 01:30 on 06-01 in Guangzhou.
    moment = datetime(2021, 5, 31, 17, 30, tzinfo=UTC)
    assert local_today(moment, SHANGHAI) == date(2021, 6, 1)
    assert local_day(moment.replace(tzinfo=None), SHANGHAI) == date(2021, 6, 1)
    assert format_local(moment) == "2021-06-01 01:30"


def test_a_local_day_spans_its_utc_bounds(server_zone: str) -> None:
    start, end = day_bounds_utc(date(2021, 6, 1), SHANGHAI)
    assert (start, end) == (
        datetime(2021, 5, 31, 16, 0, tzinfo=UTC),
        datetime(2021, 6, 1, 16, 0, tzinfo=UTC),
    )
    assert to_utc(datetime(2021, 6, 1, 8, 0), SHANGHAI) == datetime(2021, 6, 1, 0, 0, tzinfo=UTC)
