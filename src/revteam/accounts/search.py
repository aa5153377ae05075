"""Finding people and accounts by what a person types: a name, an e-mail, a phone or a company.

The database keeps one search text per person (names, e-mail, phone, company) and per account (name,
domain), current through triggers (migration 0018): FTS5 trigram tables on SQLite, pg_trgm indexed
tables on PostgreSQL. Every word typed must appear somewhere in the text; a phone typed with spaces,
dashes or brackets is one word. Who may see what is not decided here: callers add the visibility
policy (`leads/access.py`) to what these conditions select.
"""

import re

from sqlalchemy import Boolean, ColumnElement, Select, and_, column, literal, select, table, true
from sqlalchemy.ext.compiler import compiles

from revteam.accounts.models import Account, Person

person_search = table("person_search", column("rowid"), column("doc"))
account_search = table("account_search", column("rowid"), column("doc"))

_PHONE = re.compile(r"\+?[\d\s().-]{5,}")
_NOT_PHONE_DIGIT = re.compile(r"[^\d+]")
_WILDCARDS = re.compile(r"[%_\\]")
MAX_QUERY = 200


def search_terms(query: str) -> list[str]:
    """The words every match must contain, lower-cased; a phone number is one word without its punctuation."""
    text = query.strip()[:MAX_QUERY]
    if _PHONE.fullmatch(text):
        return [_NOT_PHONE_DIGIT.sub("", text)]
    return [word.lower() for word in _WILDCARDS.sub(" ", text).split()]


class _Holds(ColumnElement[bool]):
    """`doc` holds every term anywhere: `doc LIKE '%term%' AND ...`, which pg_trgm's GIN index answers.

    On SQLite the terms of three characters or more are one FTS5 query of phrases (`doc MATCH '"term"
    "other"'`), which the trigram index answers alone, where LIKE re-reads every candidate's text (four
    times slower on a common last name). A shorter term has no trigram: it is `+doc LIKE '%te%'`, a
    test of each row's text, kept from the FTS5 table itself by the `+` because SQLite 3.40's trigram
    table, handed a short LIKE beside another constraint, answers wrong rows or crashes the process."""

    type = Boolean()
    inherit_cache = False
    _is_implicitly_boolean = True  # a condition as it is, not `(...) = 1` on SQLite

    def __init__(self, doc, terms: list[str]):
        self.doc, self.terms = doc, terms


@compiles(_Holds)
def _holds_like(holds: _Holds, compiler, **kw) -> str:
    return compiler.process(and_(true(), *(holds.doc.like(f"%{term}%") for term in holds.terms)), **kw)


@compiles(_Holds, "sqlite")
def _holds_phrases(holds: _Holds, compiler, **kw) -> str:
    doc = compiler.process(holds.doc, **kw)
    phrases = " ".join('"' + term.replace('"', '""') + '"' for term in holds.terms if len(term) >= 3)
    tests = [f"{doc} MATCH {compiler.process(literal(phrases), **kw)}"] if phrases else []
    tests += [f"+{doc} LIKE {compiler.process(literal(f'%{term}%'), **kw)}" for term in holds.terms if len(term) < 3]
    return " AND ".join(tests) or compiler.process(true(), **kw)


def _matching(search, query: str) -> Select:
    return select(search.c.rowid).where(_Holds(search.c.doc, search_terms(query)))


def matching_person_ids(query: str) -> Select:
    """The ids of the people whose name, e-mail, phone or company holds every word of the query, read
    from the search index alone (its rowid is the person's id), for a condition on a person-id column."""
    return _matching(person_search, query)


def matching_people(query: str) -> ColumnElement[bool]:
    """People whose name, e-mail, phone or company holds every word of the query, as a condition on `Person.id`."""
    return Person.id.in_(matching_person_ids(query))


def matching_accounts(query: str, people_seen: ColumnElement[bool] = true()) -> ColumnElement[bool]:
    """Accounts whose name or domain, or one of whose people (of those `people_seen` selects), holds every
    word, as a condition on `Account.id`: a hidden person's name must not reveal where they work."""
    people = select(Person.account_id).where(matching_people(query), people_seen, Person.account_id.is_not(None))
    return Account.id.in_(_matching(account_search, query)) | Account.id.in_(people)
