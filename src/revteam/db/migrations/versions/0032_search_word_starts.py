"""search: words of people and accounts indexed by their first letters, for terms of one or two letters

A trigram index has nothing to offer a term shorter than three characters, so such a term was a test
of every row's text (two letters: 2.7 s on a million people). A short term now matches the start of a
word, through a word index that keeps one- and two-letter prefixes: on SQLite an FTS5 table with the
unicode61 tokenizer (its own copy of the text, kept current by triggers beside those of 0020), on
PostgreSQL a tsvector column generated from the text under a GIN index, read through a view of the
same name so one query reads either. Words are runs of letters and digits on both.

Revision ID: 0032
Revises: 0031
"""

from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

# The texts as 0020 writes them into person_search and account_search.
_SQLITE_PERSON_DOC = ("coalesce({p}.first_name, '') || ' ' || coalesce({p}.last_name, '') || ' ' || "
                      "coalesce({p}.email, '') || ' ' || coalesce({p}.phone_e164, '') || ' ' || "
                      "coalesce((SELECT name FROM accounts WHERE id = {p}.account_id), '')")
_SQLITE_ACCOUNT_DOC = "coalesce({a}.name, '') || ' ' || coalesce({a}.domain, '')"
_WORD_TABLE = "USING fts5(doc, tokenize='unicode61 remove_diacritics 0', prefix='1 2', detail=none)"

_SQLITE = [
    f"CREATE VIRTUAL TABLE person_words {_WORD_TABLE}",
    f"CREATE VIRTUAL TABLE account_words {_WORD_TABLE}",
    "INSERT INTO person_words(rowid, doc) SELECT rowid, doc FROM person_search",
    "INSERT INTO account_words(rowid, doc) SELECT rowid, doc FROM account_search",
    f"""CREATE TRIGGER people_words_insert AFTER INSERT ON people BEGIN
          INSERT INTO person_words(rowid, doc) VALUES (new.id, {_SQLITE_PERSON_DOC.format(p='new')}); END""",
    f"""CREATE TRIGGER people_words_update AFTER UPDATE OF first_name, last_name, email, phone_e164, account_id
          ON people BEGIN
          UPDATE person_words SET doc = {_SQLITE_PERSON_DOC.format(p='new')} WHERE rowid = new.id; END""",
    "CREATE TRIGGER people_words_delete AFTER DELETE ON people BEGIN "
    "DELETE FROM person_words WHERE rowid = old.id; END",
    f"""CREATE TRIGGER accounts_words_insert AFTER INSERT ON accounts BEGIN
          INSERT INTO account_words(rowid, doc) VALUES (new.id, {_SQLITE_ACCOUNT_DOC.format(a='new')}); END""",
    f"""CREATE TRIGGER accounts_words_update AFTER UPDATE OF name, domain ON accounts BEGIN
          UPDATE account_words SET doc = {_SQLITE_ACCOUNT_DOC.format(a='new')} WHERE rowid = new.id;
          UPDATE person_words SET doc = (SELECT {_SQLITE_PERSON_DOC.format(p='people')} FROM people
                                         WHERE people.id = person_words.rowid)
            WHERE rowid IN (SELECT id FROM people WHERE account_id = new.id); END""",
    "CREATE TRIGGER accounts_words_delete AFTER DELETE ON accounts BEGIN "
    "DELETE FROM account_words WHERE rowid = old.id; END",
]

_PG_WORDS = "to_tsvector('simple'::regconfig, regexp_replace(doc, '[^[:alnum:]]+', ' ', 'g'))"


def _postgresql(search: str, words: str) -> list[str]:
    return [f"ALTER TABLE {search} ADD COLUMN words tsvector GENERATED ALWAYS AS ({_PG_WORDS}) STORED",
            f"CREATE INDEX ix_{search}_words ON {search} USING gin (words)",
            f"CREATE VIEW {words} AS SELECT rowid, words AS doc FROM {search}"]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _postgresql("person_search", "person_words") + _postgresql("account_search", "account_words"):
            op.execute(statement)
    else:
        for statement in _SQLITE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for search, words in (("person_search", "person_words"), ("account_search", "account_words")):
            op.execute(f"DROP VIEW {words}")
            op.execute(f"ALTER TABLE {search} DROP COLUMN words")
        return
    for trigger in ("people_words_insert", "people_words_update", "people_words_delete",
                    "accounts_words_insert", "accounts_words_update", "accounts_words_delete"):
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE account_words")
    op.execute("DROP TABLE person_words")
