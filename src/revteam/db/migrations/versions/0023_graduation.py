"""graduation: SQL criteria confirmed on a lead, and each graduation of a cultivated lead to sales

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.INTEGER(), "sqlite")
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "lead_criteria",
        sa.Column("id", ID, nullable=False),
        sa.Column("lead_id", ID, nullable=False),
        sa.Column("criterion", sa.String(length=20), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_lead_criteria_lead_id_leads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_criteria")),
    )
    op.create_index("ix_lead_criteria_lead_id", "lead_criteria", ["lead_id"], unique=False)
    op.create_table(
        "graduations",
        sa.Column("id", ID, nullable=False),
        sa.Column("lead_id", ID, nullable=False),
        sa.Column("lead_version", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", ID, nullable=True),
        sa.Column("track_id", sa.String(length=80), nullable=True),
        sa.Column("graduated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("criteria", JSON, nullable=False),
        sa.Column("playbook_version_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_graduations_lead_id_leads")),
        sa.ForeignKeyConstraint(["enrollment_id"], ["track_enrollments.id"],
                                name=op.f("fk_graduations_enrollment_id_track_enrollments")),
        sa.ForeignKeyConstraint(["playbook_version_id"], ["playbook_versions.id"],
                                name=op.f("fk_graduations_playbook_version_id_playbook_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graduations")),
        sa.UniqueConstraint("lead_id", "lead_version", name=op.f("uq_graduations_lead_id")),
    )
    op.create_index("ix_graduations_enrollment_id", "graduations", ["enrollment_id"], unique=False)


def downgrade() -> None:
    op.drop_table("graduations")
    op.drop_table("lead_criteria")
