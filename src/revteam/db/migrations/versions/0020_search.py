"""search: people (name, e-mail, phone, company) and accounts (name, domain), kept current by triggers

SQLite keeps them in FTS5 tables with the trigram tokenizer, PostgreSQL in plain tables under a
pg_trgm GIN index; both answer `doc LIKE '%term%'` from the index. The triggers follow every write
to people and accounts (ORM, bulk COPY/executemany, edits), so no write path can forget them.
The row's id is `rowid` on both, so one query reads either.

Revision ID: 0020
Revises: 0019
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_SQLITE_PERSON_DOC = ("coalesce({p}.first_name, '') || ' ' || coalesce({p}.last_name, '') || ' ' || "
                      "coalesce({p}.email, '') || ' ' || coalesce({p}.phone_e164, '') || ' ' || "
                      "coalesce((SELECT name FROM accounts WHERE id = {p}.account_id), '')")
_SQLITE_ACCOUNT_DOC = "coalesce({a}.name, '') || ' ' || coalesce({a}.domain, '')"

_SQLITE = [
    "CREATE VIRTUAL TABLE person_search USING fts5(doc, tokenize='trigram')",
    "CREATE VIRTUAL TABLE account_search USING fts5(doc, tokenize='trigram')",
    f"INSERT INTO person_search(rowid, doc) SELECT id, {_SQLITE_PERSON_DOC.format(p='people')} FROM people",
    f"INSERT INTO account_search(rowid, doc) SELECT id, {_SQLITE_ACCOUNT_DOC.format(a='accounts')} FROM accounts",
    f"""CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
          INSERT INTO person_search(rowid, doc) VALUES (new.id, {_SQLITE_PERSON_DOC.format(p='new')}); END""",
    f"""CREATE TRIGGER people_search_update AFTER UPDATE OF first_name, last_name, email, phone_e164, account_id
          ON people BEGIN
          UPDATE person_search SET doc = {_SQLITE_PERSON_DOC.format(p='new')} WHERE rowid = new.id; END""",
    "CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN "
    "DELETE FROM person_search WHERE rowid = old.id; END",
    f"""CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts BEGIN
          INSERT INTO account_search(rowid, doc) VALUES (new.id, {_SQLITE_ACCOUNT_DOC.format(a='new')}); END""",
    f"""CREATE TRIGGER accounts_search_update AFTER UPDATE OF name, domain ON accounts BEGIN
          UPDATE account_search SET doc = {_SQLITE_ACCOUNT_DOC.format(a='new')} WHERE rowid = new.id;
          UPDATE person_search SET doc = (SELECT {_SQLITE_PERSON_DOC.format(p='people')} FROM people
                                          WHERE people.id = person_search.rowid)
            WHERE rowid IN (SELECT id FROM people WHERE account_id = new.id); END""",
    "CREATE TRIGGER accounts_search_delete AFTER DELETE ON accounts BEGIN "
    "DELETE FROM account_search WHERE rowid = old.id; END",
]

_PG_PERSON_DOC = ("lower(concat_ws(' ', {row}.first_name, {row}.last_name, {row}.email, {row}.phone_e164, "
                  "(SELECT name FROM accounts WHERE id = {row}.account_id)))")
_PG_ACCOUNT_DOC = "lower(concat_ws(' ', {row}.name, {row}.domain))"
# An account's rename rewrites its people's texts, which hold its name.
_PG_ACCOUNT_PEOPLE = f"""
          IF TG_OP = 'UPDATE' THEN
            UPDATE person_search SET doc = {_PG_PERSON_DOC.format(row='people')}
              FROM people WHERE people.account_id = NEW.id AND person_search.rowid = people.id;
          END IF;"""


def _pg_sync(table: str, search: str, doc: str, columns: str, also_on_write: str = "") -> list[str]:
    """The trigger function that keeps `search` current for `table`'s rows, and its trigger."""
    function = f"""CREATE FUNCTION {table}_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN DELETE FROM {search} WHERE rowid = OLD.id; RETURN OLD; END IF;
          INSERT INTO {search} (rowid, doc) VALUES (NEW.id, {doc.format(row='NEW')})
            ON CONFLICT (rowid) DO UPDATE SET doc = EXCLUDED.doc;{also_on_write}
          RETURN NEW;
        END $$"""
    trigger = (f"CREATE TRIGGER {table}_search AFTER INSERT OR DELETE OR UPDATE OF {columns} ON {table} "
               f"FOR EACH ROW EXECUTE FUNCTION {table}_search_sync()")
    return [function, trigger]


_POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE person_search (rowid bigint PRIMARY KEY, doc text NOT NULL)",
    "CREATE TABLE account_search (rowid bigint PRIMARY KEY, doc text NOT NULL)",
    f"INSERT INTO person_search SELECT id, {_PG_PERSON_DOC.format(row='people')} FROM people",
    f"INSERT INTO account_search SELECT id, {_PG_ACCOUNT_DOC.format(row='accounts')} FROM accounts",
    "CREATE INDEX ix_person_search_doc ON person_search USING gin (doc gin_trgm_ops)",
    "CREATE INDEX ix_account_search_doc ON account_search USING gin (doc gin_trgm_ops)",
    *_pg_sync("people", "person_search", _PG_PERSON_DOC, "first_name, last_name, email, phone_e164, account_id"),
    *_pg_sync("accounts", "account_search", _PG_ACCOUNT_DOC, "name, domain", also_on_write=_PG_ACCOUNT_PEOPLE),
]


def upgrade() -> None:
    for statement in (_POSTGRESQL if op.get_bind().dialect.name == "postgresql" else _SQLITE):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in ("DROP TRIGGER accounts_search ON accounts", "DROP TRIGGER people_search ON people",
                          "DROP FUNCTION accounts_search_sync()", "DROP FUNCTION people_search_sync()"):
            op.execute(statement)
    else:
        for trigger in ("people_search_insert", "people_search_update", "people_search_delete",
                        "accounts_search_insert", "accounts_search_update", "accounts_search_delete"):
            op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE account_search")
    op.execute("DROP TABLE person_search")
