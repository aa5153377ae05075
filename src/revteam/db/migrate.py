"""Schema creation and upgrades through Alembic, and the refusal of unknown (newer) schemas."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from revteam.errors import BadInput

MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as error:
        raise BadInput(f"cannot open database {engine.url!r}: {error.orig}") from None


def _refuse_unknown(engine: Engine, revision: str | None) -> None:
    known = {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
    if revision is not None and revision not in known:
        raise BadInput(
            f"database {engine.url!r} has schema revision {revision}, newer than this revteam "
            f"knows (head {head_revision()}): upgrade revteam"
        )


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Create or upgrade the schema to head; returns (revision before, revision after)."""
    before = current_revision(engine)
    _refuse_unknown(engine, before)
    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, head_revision()


def require_current(engine: Engine) -> None:
    """Refuse to work on a database that is missing, behind or ahead of this code's schema."""
    revision = current_revision(engine)
    _refuse_unknown(engine, revision)
    if revision != head_revision():
        raise BadInput(f"database {engine.url!r} schema is not current: run `revteam init`")
