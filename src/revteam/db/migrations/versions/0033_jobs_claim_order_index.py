"""jobs: the claim's order in its index — (state, run_at, id) instead of (state, run_at)

A worker claims due jobs `ORDER BY run_at, id LIMIT n`. With only (state, run_at) indexed, PostgreSQL
sorted every due job sharing a run_at to find the first n by id (a tick's jobs are all due at the same
moment: 100,000 of them read per claim); with the id in the index the claim reads its n entries and stops.

Revision ID: 0033
Revises: 0030
"""

from alembic import op

revision = "0033"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_state_run_at")
        batch_op.create_index("ix_jobs_state_run_at_id", ["state", "run_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_state_run_at_id")
        batch_op.create_index("ix_jobs_state_run_at", ["state", "run_at"], unique=False)
