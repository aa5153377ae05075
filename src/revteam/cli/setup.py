"""`revteam init`: create or upgrade the schema, activate the default playbook, start the periodic jobs."""

from revteam.cli.common import DbOption, collect_from_here, console


def init(db: DbOption = None) -> None:
    """Create or upgrade the database schema; safe to run again."""
    from revteam.config import database_url
    from revteam.db.base import utcnow
    from revteam.db.migrate import upgrade
    from revteam.db.session import get_engine, session_scope
    from revteam.jobs.service import schedule_periodic
    from revteam.playbook.versions import ensure_default

    engine = get_engine(database_url(db))
    collect_from_here()
    before, after = upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
        schedule_periodic(session, now=utcnow())  # routing of waiting MQLs, cultivation sweeps
    state = "created" if before is None else ("already current" if before == after else f"upgraded from {before}")
    console.print(f"schema {after} {state} at {engine.url.render_as_string(hide_password=True)}")
