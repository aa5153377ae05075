"""speed: leads by owner and by person, so the visibility policy finds a rep's leads and a person's
leads by index (leads/access.py)

Revision ID: 0028
Revises: 0020
"""

from alembic import op

revision = "0028"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_leads_owner_id"), "leads", ["owner_id"])
    op.create_index(op.f("ix_leads_person_id"), "leads", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_leads_person_id"), table_name="leads")
    op.drop_index(op.f("ix_leads_owner_id"), table_name="leads")
