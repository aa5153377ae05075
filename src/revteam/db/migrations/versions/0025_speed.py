"""speed: leads by owner, so the visibility policy finds a rep's leads by index (leads/access.py);
their person index came with 0024

Revision ID: 0025
Revises: 0024
"""

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_leads_owner_id"), "leads", ["owner_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_leads_owner_id"), table_name="leads")
