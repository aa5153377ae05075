"""page indexes: the lead list sorted by score reads its first page from an index (not a sort of every
lead), and the SLA breach board finds accepted offers still untouched past first-touch-by by index (not
by reading every accepted offer)

Revision ID: 0026
Revises: 0025
"""

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_leads_score_id", "leads", ["score", "id"])
    op.create_index("ix_offers_touch_due", "offers", ["outcome", "touched_at", "first_touch_by"])


def downgrade() -> None:
    op.drop_index("ix_offers_touch_due", table_name="offers")
    op.drop_index("ix_leads_score_id", table_name="leads")
