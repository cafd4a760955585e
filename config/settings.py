"""Settings read from the environment and .env, validated before anything starts."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from timekeeping.send_windows import Policy, QuietHours, SendRules, parse_quiet_hours
from timekeeping.timeparse import parse_duration, parse_offsets

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/p2k2.sqlite3"
TELEGRAM_API = "https://api.telegram.org/bot"
SUPPORTED_LANGUAGES = ("id", "en")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it and never shows its value."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(default=TELEGRAM_API, alias="TELEGRAM_API_BASE_URL")
    telegram_api_file_url: str | None = Field(default=None, alias="TELEGRAM_API_FILE_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    timezone: str = Field(default="Asia/Jakarta", alias="P2K2_TIMEZONE")
    language: str = Field(default="id", alias="P2K2_LANGUAGE")
    admin_ids: Annotated[tuple[int, ...], NoDecode] = Field(default=(), alias="P2K2_ADMIN_IDS")
    webhook_url: str | None = Field(default=None, alias="P2K2_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(
        default=None, alias="P2K2_WEBHOOK_SECRET", validate_default=True
    )
    webhook_listen: str = Field(default="0.0.0.0", alias="P2K2_WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8443, alias="P2K2_WEBHOOK_PORT")
    invite_ttl_days: int = Field(default=14, ge=1, le=365, alias="P2K2_INVITE_TTL_DAYS")
    reminder_offsets: Annotated[tuple[timedelta, ...], NoDecode] = Field(
        default=(timedelta(days=3), timedelta(days=1), timedelta(hours=2)),
        alias="P2K2_REMINDER_OFFSETS",
    )
    chase_after: timedelta = Field(default=timedelta(hours=24), alias="P2K2_CHASE_AFTER")
    escalate_after: timedelta = Field(default=timedelta(hours=48), alias="P2K2_ESCALATE_AFTER")
    dispatch_interval: float = Field(default=10.0, gt=0, le=3600, alias="P2K2_DISPATCH_INTERVAL")
    # How often an instance that does not hold the sender lock looks at it (and the holder
    # makes sure it still holds it): a standby takes over within about this long.
    standby_interval: float = Field(default=1.0, gt=0, le=60, alias="P2K2_STANDBY_INTERVAL")
    send_timeout: float = Field(default=15.0, gt=0, le=300, alias="P2K2_SEND_TIMEOUT")
    complaint_sla: timedelta = Field(default=timedelta(days=3), alias="P2K2_COMPLAINT_SLA")
    # The level above the coordinators for complaints about a facilitator, a chair or cuts from
    # the aid: those go to the coordinators at once, and here when none answered in the SLA.
    complaint_escalation_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(), alias="P2K2_COMPLAINT_ESCALATION_IDS"
    )
    # How long a complaint's texts and attachments are kept after it ended (UU No. 27 Tahun
    # 2022: no longer than needed); the ticket itself stays with its category and dates.
    retention: timedelta = Field(default=timedelta(days=365), alias="P2K2_RETENTION")
    log_level: str = Field(default="INFO", alias="P2K2_LOG_LEVEL")
    quiet_hours: str = Field(default="21.00-06.00", alias="P2K2_QUIET_HOURS")
    paid_broadcast: bool = Field(default=False, alias="P2K2_PAID_BROADCAST")

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None  # "TELEGRAM_BOT_TOKEN=" as copied from .env.example: not set
        token = value.get_secret_value().strip()
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or len(secret) < 4:
            raise ValueError("expected the form 123456:ABC... from @BotFather")
        return SecretStr(token)

    @field_validator("telegram_api_base_url", "telegram_api_file_url")
    @classmethod
    def _http_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value:
            return TELEGRAM_API if info.field_name == "telegram_api_base_url" else None
        if not value.startswith(("https://", "http://")):
            raise ValueError("expected an http(s):// URL such as https://api.telegram.org/bot")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _https_webhook(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith("https://"):
            raise ValueError("Telegram sends webhooks to https:// URLs only")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        secret = value.get_secret_value() if value is not None else ""
        if not secret:
            if info.data.get("webhook_url"):
                raise ValueError("required with P2K2_WEBHOOK_URL (1-256 of A-Z a-z 0-9 _ -)")
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ValueError("use 1-256 characters of A-Z a-z 0-9 _ -")
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        parse_quiet_hours(value)  # raises with what to write instead
        return value.strip()

    @field_validator("paid_broadcast", mode="before")
    @classmethod
    def _on_off(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in ("on", "off"):
            return value.strip().lower() == "on"
        return value

    @property
    def quiet(self) -> QuietHours | None:
        return parse_quiet_hours(self.quiet_hours)

    @property
    def send_rules(self) -> SendRules:
        """How the deliveries this bot enqueues get their windows (storage/db.session_factory)."""
        return SendRules(Policy(quiet=self.quiet), self.timezone)

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown time zone, e.g. Asia/Jakarta, Asia/Makassar") from exc
        return value

    @field_validator("language")
    @classmethod
    def _supported_language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @field_validator("admin_ids", "complaint_escalation_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            items = [item.strip() for item in value.replace(";", ",").split(",")]
            if not all(item.lstrip("-").isdigit() for item in items if item):
                raise ValueError("expected Telegram user ids separated by commas")
            return tuple(int(item) for item in items if item)
        return value

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _parse_offsets(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_offsets(value)
        return value

    @field_validator("complaint_sla", "retention", mode="before")
    @classmethod
    def _parse_sla(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_duration(value)
        return value

    @field_validator("chase_after", "escalate_after", mode="before")
    @classmethod
    def _parse_duration(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_duration(value)
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalise_database_url(value)

    @property
    def token(self) -> str:
        if self.telegram_bot_token is None:
            raise SettingsError("TELEGRAM_BOT_TOKEN is not set; get one from @BotFather")
        return self.telegram_bot_token.get_secret_value()

    @property
    def file_base_url(self) -> str:
        if self.telegram_api_file_url:
            return self.telegram_api_file_url
        return self.telegram_api_base_url.replace("/bot", "/file/bot", 1)


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and pick the async drivers."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    if not url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        raise ValueError("use a postgresql:// or sqlite:// URL")
    return url


def load_settings(env_file: Path | None = Path(".env"), **overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line that names the setting."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg, arg-type]
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "settings"
    name = _ALIASES.get(name, name)
    if first["type"] == "missing":
        return f"{name} is not set; see .env.example"
    message = str(first["msg"]).removeprefix("Value error, ")
    if message.startswith("required"):
        return f"{name} is not set; it is {message}"
    return f"{name} is malformed: {message}"


_ALIASES = {field: str(info.alias) for field, info in Settings.model_fields.items() if info.alias}
