"""One settings object; nothing else reads the environment.

Read by plain code (no pydantic-settings: importing it cost every command that opens a database a
quarter of a second). Each field `name` comes from the variable REVTEAM_NAME, its letters in any case."""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache

DEFAULT_DATABASE_URL = "sqlite:///revteam.db"
UNSAFE_SECRET_KEY = "change-me-in-production-this-key-is-public"
ENV_PREFIX = "REVTEAM_"
SECRET_KEY_MIN_LENGTH = 32
_AT_LEAST_ONE = ("session_hours", "session_idle_minutes", "signin_failures_per_account",
                 "signin_failures_per_address", "signin_window_minutes")
_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}


class InvalidSettings(ValueError):
    """One line naming each bad variable and what is wrong with it (never its value: it may be a secret)."""

    def __init__(self, problems: Mapping[str, str]):
        self.problems = dict(problems)
        super().__init__("; ".join(f"{ENV_PREFIX}{name.upper()}: {problem}" for name, problem in problems.items()))


@dataclass
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = UNSAFE_SECRET_KEY
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
    session_hours: int = 12
    session_idle_minutes: int = 60
    signin_failures_per_account: int = 5
    signin_failures_per_address: int = 20
    signin_window_minutes: int = 15
    # Addresses (or "*") whose X-Forwarded-For / X-Forwarded-Proto are believed; comma-separated in the variable.
    trusted_proxies: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        problems = _out_of_bounds(vars(self))
        if problems:
            raise InvalidSettings(problems)

    @classmethod
    def from_environment(cls, environment: Mapping[str, str]) -> "Settings":
        """The settings named in `environment` (REVTEAM_ variables), the defaults for the others."""
        given = {name.lower().removeprefix(ENV_PREFIX.lower()): text for name, text in environment.items()
                 if name.upper().startswith(ENV_PREFIX)}
        values, problems = {}, {}
        for setting in fields(cls):
            if setting.name in given:
                try:
                    values[setting.name] = _PARSERS.get(setting.type, str)(given[setting.name])
                except ValueError as error:
                    problems[setting.name] = str(error)
        if problems:  # beside every value that does not parse, every other one out of bounds
            problems |= _out_of_bounds(values)
            raise InvalidSettings({name: problems[name] for name in _NAMES if name in problems})
        return cls(**values)

    @property
    def public_url_is_https(self) -> bool:
        return self.public_url.startswith("https://")


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError("input should be a valid integer, unable to parse string as an integer") from None


def _boolean(text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise ValueError("input should be a valid boolean, unable to interpret input")


def _addresses(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


_PARSERS: dict[object, Callable[[str], object]] = {int: _integer, bool: _boolean, list[str]: _addresses}
_NAMES = [setting.name for setting in fields(Settings)]


def _out_of_bounds(values: Mapping[str, object]) -> dict[str, str]:
    problems = {}
    secret_key = values.get("secret_key")
    if isinstance(secret_key, str) and len(secret_key) < SECRET_KEY_MIN_LENGTH:
        problems["secret_key"] = f"string should have at least {SECRET_KEY_MIN_LENGTH} characters"
    for name in _AT_LEAST_ONE:
        if name in values and values[name] < 1:
            problems[name] = "input should be greater than or equal to 1"
    return problems


@lru_cache
def get_settings() -> Settings:
    return Settings.from_environment(os.environ)


def database_url(override: str | None) -> str:
    """The `--db` option wins, then REVTEAM_DATABASE_URL, then ./revteam.db. Every setting is read
    either way, so a bad one stops whatever was about to open a database."""
    settings = get_settings()
    return override or settings.database_url


def use_database(url: str) -> None:
    """`revteam --db URL COMMAND`: the database of every command in this process and the processes it starts."""
    os.environ[ENV_PREFIX + "DATABASE_URL"] = url
    get_settings.cache_clear()
