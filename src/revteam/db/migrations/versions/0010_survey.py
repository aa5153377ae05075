"""the alignment diagnostic: survey rounds, invitations and anonymous responses (survey/models.py)

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.INTEGER(), "sqlite")
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "survey_rounds",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_by", sa.String(length=254), nullable=False),
        sa.Column("playbook_version_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["playbook_version_id"], ["playbook_versions.id"],
                                name=op.f("fk_survey_rounds_playbook_version_id_playbook_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_rounds")),
        sa.UniqueConstraint("name", name=op.f("uq_survey_rounds_name")),
    )
    op.create_table(
        "survey_invitations",
        sa.Column("round_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["survey_rounds.id"], name=op.f("fk_survey_invitations_round_id_survey_rounds")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_survey_invitations_user_id_users")),
        sa.PrimaryKeyConstraint("round_id", "user_id", name=op.f("pk_survey_invitations")),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", ID, nullable=False),
        sa.Column("round_id", ID, nullable=False),
        sa.Column("team", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("import_key", sa.String(length=80), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["survey_rounds.id"], name=op.f("fk_survey_responses_round_id_survey_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint("import_key", name=op.f("uq_survey_responses_import_key")),
    )
    op.create_index(op.f("ix_survey_responses_round_id"), "survey_responses", ["round_id"], unique=False)


def downgrade() -> None:
    op.drop_table("survey_responses")
    op.drop_table("survey_invitations")
    op.drop_table("survey_rounds")
