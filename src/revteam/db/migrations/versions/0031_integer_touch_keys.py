"""integer touch keys: a touch's key is its person and 8 bytes of the digest of the rest of its
identity, two integers instead of 32 characters of hex (an import's duplicate check and the index it
inserts into compare integers); the keys of the touches stored before are computed again here

Revision ID: 0031
Revises: 0028
"""

from datetime import UTC, datetime
from hashlib import blake2b

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0028"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.INTEGER(), "sqlite")
_BATCH = 10_000


def _identity(type_, at, source, campaign_id, detail) -> bytes:
    moment = (datetime.fromisoformat(at).replace(tzinfo=UTC) if isinstance(at, str)  # SQLite: naive UTC text
              else at.astimezone(UTC))
    return f"{type_}\x1f{moment.isoformat()}\x1f{source or ''}\x1f{campaign_id or ''}\x1f{detail or ''}".encode()


def _key(person_id, *rest) -> dict:
    """leads/intake/touches.py's `touch_key` as of this revision (migrations import no revteam code;
    tests/db/test_migration_touch_keys.py holds the two to the same key)."""
    digest = blake2b(_identity(*rest), digest_size=8).digest()
    return {"person_id": person_id, "digest": int.from_bytes(digest, "big", signed=True)}


def _hex_key(person_id, *rest) -> dict:
    """The key of revision 0027: 16 bytes of blake2b of the whole identity, as hex."""
    identity = f"{person_id}\x1f".encode() + _identity(*rest)
    return {"digest": blake2b(identity, digest_size=16).hexdigest()}


def _fill(keys: sa.Table, key) -> None:
    activities = sa.table("activities", sa.column("person_id"), sa.column("type"), sa.column("at"),
                          sa.column("source"), sa.column("campaign_id"), sa.column("detail"))
    # Streamed: psycopg's default cursor would fetch every activity into memory before the first batch.
    rows = op.get_bind().execute(sa.select(activities).distinct(), execution_options={"stream_results": True})
    while batch := rows.fetchmany(_BATCH):
        op.bulk_insert(keys, [key(*row) for row in batch])


def upgrade() -> None:
    op.drop_table("touch_keys")
    keys = op.create_table("touch_keys", sa.Column("person_id", ID, nullable=False),
                           sa.Column("digest", ID, nullable=False),
                           sa.PrimaryKeyConstraint("person_id", "digest", name=op.f("pk_touch_keys")),
                           sqlite_with_rowid=False)
    _fill(keys, _key)


def downgrade() -> None:
    op.drop_table("touch_keys")
    keys = op.create_table("touch_keys", sa.Column("digest", sa.String(length=32), nullable=False),
                           sa.PrimaryKeyConstraint("digest", name=op.f("pk_touch_keys")), sqlite_with_rowid=False)
    _fill(keys, _hex_key)
