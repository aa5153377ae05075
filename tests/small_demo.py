from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from revteam.db.migrate import upgrade
from revteam.db.session import get_engine, session_scope
from revteam.demo.generator import generate
from revteam.playbook.versions import ensure_default


def small_demo(folder: Path, as_of: date, seed: int = 7) -> Engine:
    """The small demo company (seed 7 unless told) as of `as_of`, in a SQLite file of its own."""
    engine = get_engine(f"sqlite:///{folder / 'demo.db'}")
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    generate(engine, size="small", seed=seed, as_of=as_of)
    return engine
