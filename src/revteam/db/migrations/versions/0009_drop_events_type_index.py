"""events: drop ix_events_type, whose work ix_events_type_subject_at (type first) already does

Every appended event paid for both; a lead import appends about three events a row.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_events_type", table_name="events")


def downgrade() -> None:
    op.create_index("ix_events_type", "events", ["type"], unique=False)
