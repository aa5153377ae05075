"""Finding people and accounts by what a person types: a name, an e-mail, a phone or a company.

The database keeps one search text per person (names, e-mail, phone, company) and per account (name,
domain), current through triggers (migration 0020): FTS5 trigram tables on SQLite, pg_trgm indexed
tables on PostgreSQL. Every word typed of three characters or more must appear somewhere in the text;
a shorter one (its letters and digits) must start a word of it, read from a word index with one- and
two-letter prefixes (migration 0032), where a trigram index could only test every row. A phone typed
with spaces, dashes or brackets is one word. Who may see what is not decided here: callers add the
visibility policy (`leads/access.py`) to what these conditions select.
"""

import re

from sqlalchemy import Boolean, ColumnElement, CompoundSelect, Select, and_, column, literal, select, table, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from revteam.accounts.models import Account, Person

person_search = table("person_search", column("rowid"), column("doc"))
account_search = table("account_search", column("rowid"), column("doc"))
person_words = table("person_words", column("rowid"), column("doc"))
account_words = table("account_words", column("rowid"), column("doc"))

_PHONE = re.compile(r"\+?[\d\s().-]{5,}")
_NOT_PHONE_DIGIT = re.compile(r"[^\d+]")
_WILDCARDS = re.compile(r"[%_\\]")
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
MAX_QUERY = 200
TRIGRAM = 3  # a shorter term has no trigram: it is matched at the start of a word


def _term(word: str) -> str:
    word = word.lower()
    return word if len(word) >= TRIGRAM else _NOT_LETTER_OR_DIGIT.sub("", word)


def search_terms(query: str) -> list[str]:
    """The words every match must contain, lower-cased; a phone number is one word without its
    punctuation, and a word shorter than a trigram keeps only its letters and digits (none: no term)."""
    text = query.strip()[:MAX_QUERY]
    if _PHONE.fullmatch(text):
        return [_NOT_PHONE_DIGIT.sub("", text)]
    return [term for term in map(_term, _WILDCARDS.sub(" ", text).split()) if term]


class _Terms(ColumnElement[bool]):
    """A condition of a search table's `doc` on the terms typed, written in each database's own terms.
    Its values are bound parameters made here, and only its shape is in the statement's cache key, so
    a search statement is compiled once per shape, not once per search (compiling the search page's six
    statements, with their visibility subqueries, cost a manager more than running them)."""

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a condition as it is, not `(...) = 1` on SQLite
    _traverse_internals = [("doc", InternalTraversal.dp_clauseelement),
                           ("shape", InternalTraversal.dp_plain_obj),
                           ("values", InternalTraversal.dp_clauseelement_list)]

    def __init__(self, doc, terms: list[str]):
        self.doc, self.terms = doc, terms
        self.shape, self.values = self._shape(), [literal(value) for value in self._values()]

    def _shape(self) -> tuple:
        return (len(self.terms),)

    def _values(self) -> list[str]:
        raise NotImplementedError


class _Holds(_Terms):
    """`doc` holds every term anywhere: `doc LIKE '%term%' AND ...`, which pg_trgm's GIN index answers.
    On SQLite the terms are one FTS5 query of phrases (`doc MATCH '"term" "other"'`), which the trigram
    index answers alone, where LIKE re-reads every candidate's text (four times slower on a common last
    name). The index reads every trigram of a phrase, and those of an e-mail's domain ("com", a
    company's name) are in thousands of texts: of an e-mail only the part before its `@` is a phrase,
    and the texts it finds are tested for the whole address (`+doc LIKE`, kept from the FTS5 table).
    Every term has three characters or more. Values: each term's LIKE pattern, then the FTS5 query."""

    inherit_cache = True

    def _shape(self) -> tuple:
        return tuple(_phrase_of(term) != term for term in self.terms)

    def _values(self) -> list[str]:
        phrases = " ".join('"' + _phrase_of(term).replace('"', '""') + '"' for term in self.terms)
        return [f"%{term}%" for term in self.terms] + [phrases]


class _StartsWords(_Terms):
    """Each term (letters and digits, one or two of them) starts a word of the word index's `doc`:
    an FTS5 prefix query on SQLite (`person_words MATCH '"te"* "o"*'`: the table, as its index
    keeps no columns), a tsquery of prefixes on PostgreSQL. Values: the FTS5 query, the tsquery."""

    inherit_cache = True

    def _values(self) -> list[str]:
        return [" ".join(f'"{term}"*' for term in self.terms), " & ".join(f"{term}:*" for term in self.terms)]


@compiles(_Holds)
def _holds_like(holds: _Holds, compiler, **kw) -> str:
    return compiler.process(and_(true(), *(holds.doc.like(pattern) for pattern in holds.values[:-1])), **kw)


def _phrase_of(term: str) -> str:
    """What of a term the trigram index reads: the part before an e-mail's `@`, else all of it."""
    mailbox, at, _ = term.partition("@")
    return mailbox if at and len(mailbox) >= TRIGRAM else term


@compiles(_Holds, "sqlite")
def _holds_phrases(holds: _Holds, compiler, **kw) -> str:
    if not holds.terms:
        return compiler.process(true(), **kw)
    doc = compiler.process(holds.doc, **kw)
    *patterns, phrases = holds.values
    tests = [f"{doc} MATCH {compiler.process(phrases, **kw)}"]
    tests += [f"+{doc} LIKE {compiler.process(pattern, **kw)}"
              for pattern, mailbox_only in zip(patterns, holds.shape) if mailbox_only]
    return " AND ".join(tests)


@compiles(_StartsWords, "sqlite")
def _starts_words_fts5(starts: _StartsWords, compiler, **kw) -> str:
    return f"{starts.doc.table.name} MATCH {compiler.process(starts.values[0], **kw)}"


@compiles(_StartsWords, "postgresql")
def _starts_words_tsquery(starts: _StartsWords, compiler, **kw) -> str:
    return f"{compiler.process(starts.doc, **kw)} @@ to_tsquery('simple', {compiler.process(starts.values[1], **kw)})"


def _matching(search, words, query: str) -> Select | CompoundSelect:
    """The rowids whose text holds the query's long terms and has words starting with its short ones."""
    terms = search_terms(query)
    long, short = [t for t in terms if len(t) >= TRIGRAM], [t for t in terms if len(t) < TRIGRAM]
    holding = select(search.c.rowid).where(_Holds(search.c.doc, long))
    if not short:
        return holding
    starting = select(words.c.rowid).where(_StartsWords(words.c.doc, short))
    return holding.intersect(starting) if long else starting


def matching_person_ids(query: str) -> Select | CompoundSelect:
    """The ids of the people whose name, e-mail, phone or company holds every word of the query, read
    from the search index alone (its rowid is the person's id), for a condition on a person-id column."""
    return _matching(person_search, person_words, query)


def matching_people(query: str) -> ColumnElement[bool]:
    """People whose name, e-mail, phone or company holds every word of the query, as a condition on `Person.id`."""
    return Person.id.in_(matching_person_ids(query))


def matching_accounts(query: str, people_seen: ColumnElement[bool] = true()) -> ColumnElement[bool]:
    """Accounts whose name or domain, or one of whose people (of those `people_seen` selects), holds every
    word, as a condition on `Account.id`: a hidden person's name must not reveal where they work."""
    people = select(Person.account_id).where(matching_people(query), people_seen, Person.account_id.is_not(None))
    return Account.id.in_(_matching(account_search, account_words, query)) | Account.id.in_(people)
