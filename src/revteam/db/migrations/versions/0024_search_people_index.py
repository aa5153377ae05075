"""search: an index on leads.person_id, so a search drives from the people it found to their leads

Without it the only index on the column is the partial one of open leads, so a search's leads (and
the visibility check of the people it found: "has a lead this user may see") scanned every lead.

Revision ID: 0024
Revises: 0023
"""

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_leads_person_id", "leads", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_leads_person_id", table_name="leads")
