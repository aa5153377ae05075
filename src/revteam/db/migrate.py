"""Schema creation and upgrades through Alembic, and the refusal of unknown (newer) schemas.

Alembic is imported only where a schema is created, upgraded or found wrong: every command checks
the schema first, and a current one is recognised with one query against `HEAD`.
"""

from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from revteam.errors import BadInput

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0033"  # the newest migration's revision; tests/db/test_migrations.py holds it to Alembic's head


def _config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _scripts():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    return _scripts().get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as error:
        raise BadInput(f"cannot open database {engine.url!r}: {error.orig}") from None


def _refuse_unknown(engine: Engine, revision: str | None) -> None:
    known = {script.revision for script in _scripts().walk_revisions()}
    if revision is not None and revision not in known:
        raise BadInput(
            f"database {engine.url!r} has schema revision {revision}, newer than this revteam "
            f"knows (head {head_revision()}): upgrade revteam"
        )


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Create or upgrade the schema to head; returns (revision before, revision after)."""
    from alembic import command

    before = current_revision(engine)
    _refuse_unknown(engine, before)
    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, head_revision()


def require_current(engine: Engine) -> None:
    """Refuse to work on a database that is missing, behind or ahead of this code's schema."""
    if _stored_revision(engine) == HEAD:
        return
    revision = current_revision(engine)
    _refuse_unknown(engine, revision)
    if revision != head_revision():
        raise BadInput(f"database {engine.url!r} schema is not current: run `revteam init`")


def _stored_revision(engine: Engine) -> str | None:
    """The revision in alembic_version, or None when it cannot be read (Alembic then says why)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None
