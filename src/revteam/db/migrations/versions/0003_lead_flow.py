"""lead flow offers and rotations

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.INTEGER(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _time(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "rotations",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("scores", _JSON, nullable=False),
        _time("updated_at", False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rotations")),
    )
    op.create_table(
        "offers",
        sa.Column("id", _ID, nullable=False),
        sa.Column("lead_id", _ID, nullable=False),
        sa.Column("rep_id", _ID, nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        _time("offered_at", False),
        _time("accept_by", False),
        _time("first_touch_by", True),
        _time("touched_at", True),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("reason_code", sa.String(length=60), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _time("decided_at", True),
        _time("cleared_at", True),
        sa.Column("decision", _JSON, nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_offers_lead_id_leads")),
        sa.ForeignKeyConstraint(["rep_id"], ["users.id"], name=op.f("fk_offers_rep_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    op.create_index("ix_offers_lead_outcome", "offers", ["lead_id", "outcome"], unique=False)
    op.create_index(op.f("ix_offers_rep_id"), "offers", ["rep_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_offers_rep_id"), table_name="offers")
    op.drop_index("ix_offers_lead_outcome", table_name="offers")
    op.drop_table("offers")
    op.drop_table("rotations")
