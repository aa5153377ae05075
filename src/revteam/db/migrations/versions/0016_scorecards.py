"""who looked at the common metrics: one row per user per day (metrics/views.py)

Revision ID: 0014
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.INTEGER(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "metrics_views",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("page", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_metrics_views_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_metrics_views")),
    )


def downgrade() -> None:
    op.drop_table("metrics_views")
