"""predictive scoring: trained models with their backtest, and the predictions of each

Revision ID: 0019
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0019"
down_revision = "0016"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.INTEGER(), "sqlite")
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "predictive_models",
        sa.Column("id", ID, nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("playbook_version_id", ID, nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("parameters", JSON, nullable=False),
        sa.Column("report", JSON, nullable=False),
        sa.ForeignKeyConstraint(["playbook_version_id"], ["playbook_versions.id"],
                                name=op.f("fk_predictive_models_playbook_version_id_playbook_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predictive_models")),
    )
    op.create_table(
        "lead_predictions",
        sa.Column("lead_id", ID, nullable=False),
        sa.Column("model_id", ID, nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("predicted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_lead_predictions_lead_id_leads")),
        sa.ForeignKeyConstraint(["model_id"], ["predictive_models.id"],
                                name=op.f("fk_lead_predictions_model_id_predictive_models")),
        sa.PrimaryKeyConstraint("lead_id", "model_id", name=op.f("pk_lead_predictions")),
    )
    op.create_index(op.f("ix_lead_predictions_model_id"), "lead_predictions", ["model_id"])


def downgrade() -> None:
    op.drop_table("lead_predictions")
    op.drop_table("predictive_models")
