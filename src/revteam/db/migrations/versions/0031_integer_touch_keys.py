"""integer touch keys: a touch's key is its person and 8 bytes of the digest of the rest of its
identity (its campaign by name, so the file's reader can make it), two integers instead of 32
characters of hex (an import's duplicate check and the index it inserts into compare integers);
the keys of the touches stored before are computed again here

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


def _moment(at) -> str:
    return (datetime.fromisoformat(at).replace(tzinfo=UTC) if isinstance(at, str)  # SQLite: naive UTC text
            else at.astimezone(UTC)).isoformat()


def _key(person_id, type_, at, source, campaign_id, campaign, detail) -> dict:
    """leads/intake/activity_rows.py's `identity_digest` as of this revision, beside the person (migrations
    import no revteam code; tests/db/test_migration_touch_keys.py holds the two to the same key)."""
    identity = f"{type_}\x1f{_moment(at)}\x1f{source or ''}\x1f{campaign or ''}\x1f{detail or ''}"
    digest = blake2b(identity.encode(), digest_size=8).digest()
    return {"person_id": person_id, "digest": int.from_bytes(digest, "big", signed=True)}


def _hex_key(person_id, type_, at, source, campaign_id, campaign, detail) -> dict:
    """The key of revision 0027: 16 bytes of blake2b of the whole identity (the campaign by its id), as hex."""
    identity = f"{person_id}\x1f{type_}\x1f{_moment(at)}\x1f{source or ''}\x1f{campaign_id or ''}\x1f{detail or ''}"
    return {"digest": blake2b(identity.encode(), digest_size=16).hexdigest()}


def _fill(keys: sa.Table, key) -> None:
    activities = sa.table("activities", sa.column("person_id"), sa.column("type"), sa.column("at"),
                          sa.column("source"), sa.column("campaign_id"), sa.column("detail"))
    campaigns = sa.table("campaigns", sa.column("id"), sa.column("name"))
    touches = (sa.select(activities.c.person_id, activities.c.type, activities.c.at, activities.c.source,
                         activities.c.campaign_id, campaigns.c.name, activities.c.detail)
               .select_from(activities.outerjoin(campaigns, campaigns.c.id == activities.c.campaign_id)).distinct())
    # Streamed: psycopg's default cursor would fetch every activity into memory before the first batch.
    rows = op.get_bind().execute(touches, execution_options={"stream_results": True})
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
