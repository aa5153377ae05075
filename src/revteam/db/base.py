"""Declarative base with a naming convention so migrations name constraints the same everywhere."""

from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, DateTime, Index, MetaData, TypeDecorator, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.schema import CreateIndex

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a real BIGINT.
BigId = BigInteger().with_variant(sqlite.INTEGER(), "sqlite")


class _Json(TypeDecorator):
    """JSON, stored as JSONB on PostgreSQL. Chosen as a statement is compiled for a dialect, not with
    `with_variant(postgresql.JSONB())`, whose JSONB would load the PostgreSQL dialect (and its four
    drivers' modules) in every SQLite process: about an eighth of `jobs list`'s CPU."""

    impl = JSON(none_as_null=True)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB(none_as_null=True))
        return dialect.type_descriptor(self.impl)


Json = _Json()


def partial_index(name: str, *columns: str, where: str, **options) -> Index:
    """An index of the rows matching `where` (SQL) alone, on SQLite and PostgreSQL alike.

    The predicate is handed to the dialect that creates the index (`_create_index`), not given as
    `sqlite_where=` / `postgresql_where=`: SQLAlchemy checks such an argument by importing that
    dialect, which would load PostgreSQL's in every SQLite command (see `_Json`). The migrations
    create these indexes with their own DDL; Alembic's comparison reads no predicate."""
    index = Index(name, *columns, **options)
    index.info["where"] = where
    return index


@compiles(CreateIndex)
def _create_index(create: CreateIndex, compiler, **kw) -> str:
    where = create.element.info.get("where")
    if where is not None:
        create.element.dialect_options[compiler.dialect.name]["where"] = text(where)
    return compiler.visit_create_index(create, **kw)


class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store timezone-aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
