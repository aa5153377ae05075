"""One settings object; nothing else reads the environment."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///revteam.db"
UNSAFE_SECRET_KEY = "change-me-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REVTEAM_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = Field(default=UNSAFE_SECRET_KEY, min_length=8)
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


@lru_cache
def get_settings() -> Settings:
    return Settings()


def database_url(override: str | None) -> str:
    """The `--db` option wins, then REVTEAM_DATABASE_URL, then ./revteam.db."""
    return override or get_settings().database_url
