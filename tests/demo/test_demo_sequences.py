"""After the demo, which writes its rows with ids of its own, ordinary writes get fresh ids."""

from datetime import date

from sqlalchemy import func, insert, select, text

from revteam.accounts.models import Account
from revteam.db.ids import advance_id_sequences
from revteam.db.models import Base
from revteam.db.session import session_scope
from revteam.demo.generator import generate
from revteam.leads.intake.capture import capture
from revteam.leads.schemas import LeadIn
from revteam.users.schemas import UserIn
from revteam.users.service import add_user


def _serial_tables():
    return [table for table in Base.metadata.sorted_tables
            if table.autoincrement_column is not None and table.autoincrement_column.name == "id"]


def _sequences_behind(engine) -> list[tuple[str, int, int]]:
    """Tables whose next id from the sequence is one already taken (PostgreSQL; SQLite takes max(id) + 1)."""
    if engine.dialect.name != "postgresql":
        return []
    behind = []
    with engine.connect() as connection:
        for table in _serial_tables():
            highest = connection.execute(select(func.max(table.c.id))).scalar()
            following = connection.execute(text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id'))")).scalar()
            if highest is not None and following <= highest:
                behind.append((table.name, highest, following))
    return behind


def test_after_the_demo_ordinary_writes_are_saved_and_no_sequence_is_behind(engine):
    generate(engine, size="small", seed=7, as_of=date(2026, 3, 1))
    assert _sequences_behind(engine) == []
    with session_scope(engine) as session:
        result = capture(session, [LeadIn(email="ann@brand-new-co.com", company="Brand New Co")], actor="api")
        user = add_user(session, UserIn(email="new.rep@acme.io", name="New Rep", role="sales"), actor="test")
    assert result.new_leads == 1 and result.accounts_created == 1 and user.id is not None


def test_advancing_never_moves_a_sequence_back(engine):
    with session_scope(engine) as session:
        session.execute(insert(Account.__table__), {"id": 40, "name": "A", "name_normalized": "a", "is_competitor": False})
        advance_id_sequences(session, [Account.__table__])
        session.execute(text("DELETE FROM accounts"))
        advance_id_sequences(session, [Account.__table__])
        session.add(account := Account(name="B", name_normalized="b", is_competitor=False))
        session.flush()
    assert account.id == 41 or engine.dialect.name == "sqlite"
