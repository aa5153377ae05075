"""One settings object; nothing else reads the environment."""

import os
from functools import lru_cache
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///revteam.db"
UNSAFE_SECRET_KEY = "change-me-in-production-this-key-is-public"
ENV_PREFIX = "REVTEAM_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = Field(default=UNSAFE_SECRET_KEY, min_length=32)
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_tls: bool = False
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    mail_from: str = "revteam@localhost"
    webhook_url: str | None = None
    public_url: str = "http://127.0.0.1:8000"
    form_rate_limit_per_minute: int = 30
    session_hours: int = Field(default=12, ge=1)
    session_idle_minutes: int = Field(default=60, ge=1)
    signin_failures_per_account: int = Field(default=5, ge=1)
    signin_failures_per_address: int = Field(default=20, ge=1)
    signin_window_minutes: int = Field(default=15, ge=1)
    # Comma-separated addresses (or "*") whose X-Forwarded-For / X-Forwarded-Proto are believed.
    trusted_proxies: Annotated[list[str], NoDecode] = []

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_addresses(cls, value: object) -> object:
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    @property
    def public_url_is_https(self) -> bool:
        return self.public_url.startswith("https://")


@lru_cache
def get_settings() -> Settings:
    return Settings()


def describe_invalid(error: ValidationError) -> str:
    """One line naming each bad variable and what is wrong with it (never its value: it may be a secret)."""
    problems = []
    for problem in error.errors():
        variable = ENV_PREFIX + "_".join(str(part) for part in problem["loc"]).upper()
        message = problem["msg"].removeprefix("Value error, ")
        problems.append(f"{variable}: {message[:1].lower()}{message[1:]}")
    return "; ".join(problems)


def database_url(override: str | None) -> str:
    """The `--db` option wins, then REVTEAM_DATABASE_URL, then ./revteam.db. Every setting is read
    either way, so a bad one stops whatever was about to open a database."""
    settings = get_settings()
    return override or settings.database_url


def use_database(url: str) -> None:
    """`revteam --db URL COMMAND`: the database of every command in this process and the processes it starts."""
    os.environ[ENV_PREFIX + "DATABASE_URL"] = url
    get_settings.cache_clear()
