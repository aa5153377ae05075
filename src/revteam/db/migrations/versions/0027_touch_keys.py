"""touch keys: a touch from outside (import, API) is known as a duplicate by one unique key, the digest
of its identity, instead of by reading every touch its person has; the touches stored before get
their keys here

Revision ID: 0027
Revises: 0026
"""

from datetime import UTC, datetime
from hashlib import blake2b

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

_BATCH = 10_000


def _digest(person_id, type_, at, source, campaign_id, detail) -> str:
    """leads/intake/touches.py's `touch_digest` as of this revision (migrations import no revteam code;
    tests/db/test_migration_touch_keys.py holds the two to the same key)."""
    moment = (datetime.fromisoformat(at).replace(tzinfo=UTC) if isinstance(at, str)  # SQLite: naive UTC text
              else at.astimezone(UTC))
    identity = f"{person_id}\x1f{type_}\x1f{moment.isoformat()}\x1f{source or ''}\x1f{campaign_id or ''}\x1f{detail or ''}"
    return blake2b(identity.encode(), digest_size=16).hexdigest()


def upgrade() -> None:
    keys = op.create_table("touch_keys", sa.Column("digest", sa.String(length=32), nullable=False),
                           sa.PrimaryKeyConstraint("digest", name=op.f("pk_touch_keys")), sqlite_with_rowid=False)
    activities = sa.table("activities", sa.column("person_id"), sa.column("type"), sa.column("at"),
                          sa.column("source"), sa.column("campaign_id"), sa.column("detail"))
    connection = op.get_bind()
    # Streamed: psycopg's default cursor would fetch every activity into memory before the first batch.
    rows = connection.execute(sa.select(activities).distinct(), execution_options={"stream_results": True})
    while batch := rows.fetchmany(_BATCH):
        op.bulk_insert(keys, [{"digest": _digest(*row)} for row in batch])


def downgrade() -> None:
    op.drop_table("touch_keys")
