"""form posts: the public forms' rate limit, shared by every server process (leads/form_posts.py)

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_posts",
        sa.Column("id", sa.BigInteger().with_variant(sa.INTEGER(), "sqlite"), nullable=False),
        sa.Column("sender_key", sa.String(length=300), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_posts")),
    )
    with op.batch_alter_table("form_posts", schema=None) as batch_op:
        batch_op.create_index("ix_form_posts_sender_key_posted_at", ["sender_key", "posted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_form_posts_posted_at"), ["posted_at"], unique=False)


def downgrade() -> None:
    op.drop_table("form_posts")
