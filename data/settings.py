"""Settings for the command center, read from the environment (and an optional .env file)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "command_center.db"


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
        if not value.startswith(("sqlite://", "postgresql")):
            raise ValueError("DATABASE_URL must start with sqlite:// or postgresql+psycopg://")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("replay_at")
    @classmethod
    def _replay_in_command_zone(cls, value: datetime | None, info) -> datetime | None:  # noqa: ANN001
        if value is None or value.tzinfo is not None:
            return value
        zone = ZoneInfo(info.data.get("timezone", "Asia/Shanghai"))
        return value.replace(tzinfo=zone)

    @property
    def zone(self) -> ZoneInfo:
        """The command's time zone: every date and time is shown in it."""
        return ZoneInfo(self.timezone)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
