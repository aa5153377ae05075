"""metric indexes: covering indexes the go-to-market metrics read through (metrics/indexes.py)

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_events_type_subject_at", "events", ["type", "subject_id", "at"]),
    ("ix_offers_outcome_lead", "offers", ["outcome", "lead_id", "decided_at"]),
    ("ix_activities_type_at", "activities", ["type", "at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
