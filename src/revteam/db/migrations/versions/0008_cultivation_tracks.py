"""cultivation tracks: which track each lead in cultivation follows, and its next step (cultivation/models.py)

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ACTIVE = "state = 'active'"


def upgrade() -> None:
    op.create_table(
        "track_enrollments",
        sa.Column("id", sa.BigInteger().with_variant(sa.INTEGER(), "sqlite"), nullable=False),
        sa.Column("lead_id", sa.BigInteger().with_variant(sa.INTEGER(), "sqlite"), nullable=False),
        sa.Column("lead_version", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.String(length=80), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("next_step_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=200), nullable=True),
        sa.Column("playbook_version_id", sa.BigInteger().with_variant(sa.INTEGER(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_track_enrollments_lead_id_leads")),
        sa.ForeignKeyConstraint(["playbook_version_id"], ["playbook_versions.id"],
                                name=op.f("fk_track_enrollments_playbook_version_id_playbook_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_track_enrollments")),
        sa.UniqueConstraint("lead_id", "lead_version", name=op.f("uq_track_enrollments_lead_id")),
    )
    with op.batch_alter_table("track_enrollments", schema=None) as batch_op:
        batch_op.create_index("uq_track_enrollments_active_lead", ["lead_id"], unique=True,
                              sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
        batch_op.create_index("ix_track_enrollments_state_track_step", ["state", "track_id", "step_index"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("track_enrollments")
