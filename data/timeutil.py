"""Time in the command's zone: stored in UTC, shown and counted in local days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from data.settings import get_settings


def command_zone() -> ZoneInfo:
    """The command's time zone (Asia/Shanghai unless set otherwise)."""
    return get_settings().zone


def utc_now() -> datetime:
    """Now, as the aware UTC datetime the database stores (whole seconds)."""
    return datetime.now(UTC).replace(microsecond=0)


def as_utc(moment: datetime) -> datetime:
    """An aware datetime in UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_local(moment: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A stored datetime as an aware datetime in the command's zone."""
    return as_utc(moment).astimezone(zone or command_zone())


def to_utc(local_moment: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A local wall-clock datetime (naive = in the command's zone) as aware UTC."""
    if local_moment.tzinfo is None:
        local_moment = local_moment.replace(tzinfo=zone or command_zone())
    return local_moment.astimezone(UTC)


def local_day(moment: datetime, zone: ZoneInfo | None = None) -> date:
    """The command's calendar day of a stored datetime."""
    return to_local(moment, zone).date()


def local_today(now: datetime | None = None, zone: ZoneInfo | None = None) -> date:
    """Today in the command's zone, whatever the server's own zone."""
    return local_day(now or utc_now(), zone)


def day_start_utc(day: date, zone: ZoneInfo | None = None) -> datetime:
    """The UTC datetime at which a local calendar day begins."""
    return to_utc(datetime.combine(day, time.min), zone)


def day_bounds_utc(day: date, zone: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    """[start, end) of a local day, in stored UTC."""
    return day_start_utc(day, zone), day_start_utc(day + timedelta(days=1), zone)


def format_local(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored datetime as text in the command's zone; an em dash when missing."""
    if moment is None:
        return "—"
    return to_local(moment).strftime(fmt)
