"""compensation: closed comp periods and stored statement revisions (comp/models.py)

Revision ID: 0015
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0010"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.INTEGER(), "sqlite")
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "comp_period_closes",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("closed_by", sa.String(length=254), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_comp_period_closes")),
    )
    op.create_table(
        "comp_statements",
        sa.Column("id", ID, nullable=False),
        sa.Column("rep_id", ID, nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("plan_version_id", ID, nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("lines", JSON, nullable=False),
        sa.Column("difference", JSON, nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["rep_id"], ["users.id"], name=op.f("fk_comp_statements_rep_id_users")),
        sa.ForeignKeyConstraint(["plan_version_id"], ["playbook_versions.id"],
                                name=op.f("fk_comp_statements_plan_version_id_playbook_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comp_statements")),
        sa.UniqueConstraint("rep_id", "period", "revision", name=op.f("uq_comp_statements_rep_id")),
    )
    op.create_index(op.f("ix_comp_statements_rep_id"), "comp_statements", ["rep_id"])
    op.create_index(op.f("ix_comp_statements_period"), "comp_statements", ["period"])
    op.create_table(
        "comp_disputes",
        sa.Column("id", ID, nullable=False),
        sa.Column("statement_id", ID, nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("expected_minor", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_by", sa.String(length=254), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(length=254), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["statement_id"], ["comp_statements.id"],
                                name=op.f("fk_comp_disputes_statement_id_comp_statements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comp_disputes")),
    )
    op.create_index(op.f("ix_comp_disputes_statement_id"), "comp_disputes", ["statement_id"])


def downgrade() -> None:
    op.drop_table("comp_disputes")
    op.drop_table("comp_statements")
    op.drop_table("comp_period_closes")
