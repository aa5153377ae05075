"""suppressions and owner tasks: people no touch reaches any more, tasks touches give a lead's owner (outreach/models.py)

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.INTEGER(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "suppressions",
        sa.Column("id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_suppressions_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppressions")),
        sa.UniqueConstraint("person_id", name=op.f("uq_suppressions_person_id")),
    )
    op.create_table(
        "owner_tasks",
        sa.Column("id", ID, nullable=False),
        sa.Column("lead_id", ID, nullable=False),
        sa.Column("owner_id", ID, nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.String(length=4000), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_owner_tasks_lead_id_leads")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_owner_tasks_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owner_tasks")),
    )
    op.create_index(op.f("ix_owner_tasks_lead_id"), "owner_tasks", ["lead_id"], unique=False)
    op.create_index(op.f("ix_owner_tasks_owner_id"), "owner_tasks", ["owner_id"], unique=False)


def downgrade() -> None:
    op.drop_table("owner_tasks")
    op.drop_table("suppressions")
