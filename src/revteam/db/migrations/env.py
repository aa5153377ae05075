"""Alembic environment: runs on the connection handed over by revteam.db.migrate."""

from alembic import context
from sqlalchemy import TypeDecorator

from revteam.db.models import Base


def _frozen_types(type_, obj, autogen_context):
    """Autogenerate writes a column type of ours (UtcDateTime) as the SQLAlchemy type its DDL is: a
    migration is frozen history and imports no revteam code."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  render_item=_frozen_types)
with context.begin_transaction():
    context.run_migrations()
