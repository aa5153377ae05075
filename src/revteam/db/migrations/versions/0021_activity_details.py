"""activities from outside: the campaign and the detail a touch arrived with

A touch loaded by `revteam import activities` or `POST /api/activities` names its campaign (a
row of `campaigns`) and says what it was about (the e-mail's subject, the page's address); its
channel is kept in `source`, as every touch's is.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.INTEGER(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("campaign_id", ID, nullable=True))
        batch_op.add_column(sa.Column("detail", sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_activities_campaign_id_campaigns"), "campaigns",
                                    ["campaign_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_activities_campaign_id_campaigns"), type_="foreignkey")
        batch_op.drop_column("detail")
        batch_op.drop_column("campaign_id")
