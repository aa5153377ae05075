"""cultivation's faults: a graduation keeps the package frozen when it happened, an owner task its due time
and who did it, and a hard bounce for an address nobody has yet waits for the person (outreach/models.py)

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.INTEGER(), "sqlite")
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.add_column("graduations", sa.Column("package", JSON, nullable=True))
    op.add_column("owner_tasks", sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("owner_tasks", sa.Column("done_by", sa.String(length=320), nullable=True))
    op.create_index("ix_owner_tasks_open_owner", "owner_tasks", ["done_at", "owner_id"], unique=False)
    op.create_table(
        "address_suppressions",
        sa.Column("id", ID, nullable=False),
        sa.Column("email_normalized", sa.String(length=320), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address_suppressions")),
        sa.UniqueConstraint("email_normalized", name=op.f("uq_address_suppressions_email_normalized")),
    )


def downgrade() -> None:
    op.drop_table("address_suppressions")
    op.drop_index("ix_owner_tasks_open_owner", table_name="owner_tasks")
    op.drop_column("owner_tasks", "done_by")
    op.drop_column("owner_tasks", "due_at")
    op.drop_column("graduations", "package")
