"""Settings for the command center, read from the environment (and an optional .env file)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "command_center.db"
# A replayed moment lies in these years (a date far outside cannot be shown or computed with).
REPLAY_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
REPLAY_LATEST = datetime(9000, 1, 1, tzinfo=UTC)


class Settings(BaseSettings):
    """Every setting has a default that works for the embedded (SQLite) setup."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    demo_data: bool = True
    demo_scale: str = "demo"
    timezone: str = "Asia/Shanghai"
    # Show every screen as of this moment (ISO time; naive = command's zone): after-action
    # reviews and reproducible screenshots. Unset: live.
    replay_at: datetime | None = None
    # A MapLibre style on an intranet tile server, drawn under the district basemap; unset:
    # no tiles at all (the district polygons are the basemap).
    map_style_url: str | None = None
    # Signs the sign-in cookie; set the same value on every app server. Unset: the embedded
    # setup makes one in var/secret_key.
    secret_key: str | None = None
    # How long a sign-in lasts (a reload or a new tab keeps it): a working day.
    session_hours: float = 12.0
    # Seconds to wait for the database to answer a connection (and a page's first read)
    # before saying it is unavailable.
    db_connect_timeout: float = Field(default=5.0, gt=0, le=300)
    # Seconds one statement of a page may run (PostgreSQL's statement_timeout; a page's read
    # waits no longer). The command line and the first start's migration have none.
    # Pages read in well under a second; a statement still running after 10 s is a database
    # in trouble, and the page says so (banner, retrying) instead of hanging.
    db_statement_timeout: float = Field(default=10.0, gt=0, le=3600)
    # While the database is unavailable, pages try again this often (seconds).
    db_retry_seconds: float = Field(default=5.0, ge=1, le=600)
    # Open pages look for new writes this often (seconds) and redraw only when there are;
    # 0 turns live refresh off.
    refresh_seconds: float = Field(default=15.0, ge=0, le=3600)
    # A wall screen (screen mode) loads its page afresh at its first change of view after
    # this many minutes: a browser showing one page for days grows in memory. 0: never.
    screen_reload_minutes: float = Field(default=60.0, ge=0, le=10080)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        # The message never repeats the value: it may hold a password.
        if not value.startswith(("sqlite://", "postgresql")):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("demo_scale")
    @classmethod
    def _known_scale(cls, value: str) -> str:
        from data.codes import DEMO_SCALES

        if value not in DEMO_SCALES:
            raise ValueError(f"must be one of {', '.join(DEMO_SCALES)}")
        return value

    @field_validator("replay_at")
    @classmethod
    def _replay_in_command_zone(cls, value: datetime | None, info) -> datetime | None:  # noqa: ANN001
        if value is None:
            return value
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(info.data.get("timezone", "Asia/Shanghai")))
        try:
            value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValueError("is out of range (e.g. 2021-06-10 20:00)") from None
        if not REPLAY_EARLIEST <= value.astimezone(UTC) <= REPLAY_LATEST:
            raise ValueError("is out of range (e.g. 2021-06-10 20:00)")
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The command's time zone: every date and time is shown in it."""
        return ZoneInfo(self.timezone)


def settings_problems(error: ValidationError) -> list[tuple[str, str]]:
    """(setting, what is wrong) for each bad setting: the environment variable's name and
    the validator's words, never the value given (DATABASE_URL and SECRET_KEY hold secrets)."""
    problems = []
    for issue in error.errors(include_url=False, include_input=False, include_context=False):
        name = "_".join(str(part) for part in issue["loc"]).upper() or "SETTINGS"
        message = issue["msg"].removeprefix("Value error, ")
        problems.append((name, message))
    return problems


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
