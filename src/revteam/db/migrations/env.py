"""Alembic environment: runs on the connection handed over by revteam.db.migrate."""

from alembic import context

from revteam.db.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
