"""touch keys: a touch from outside (import, API) is known as a duplicate by one unique key, the digest
of its identity, instead of by reading every touch its person has; the touches stored before get
their keys here

Revision ID: 0027
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

from revteam.db.base import UtcDateTime
from revteam.leads.intake.touches import touch_digest

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

_BATCH = 10_000


def upgrade() -> None:
    keys = op.create_table("touch_keys", sa.Column("digest", sa.String(length=32), nullable=False),
                           sa.PrimaryKeyConstraint("digest", name=op.f("pk_touch_keys")), sqlite_with_rowid=False)
    activities = sa.table("activities", sa.column("person_id"), sa.column("type"), sa.column("at", UtcDateTime),
                          sa.column("source"), sa.column("campaign_id"), sa.column("detail"))
    connection = op.get_bind()
    rows = connection.execute(sa.select(activities).distinct())
    while batch := rows.fetchmany(_BATCH):
        op.bulk_insert(keys, [{"digest": touch_digest(*row)} for row in batch])


def downgrade() -> None:
    op.drop_table("touch_keys")
