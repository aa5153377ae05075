"""lead milestones and offer speeds: the go-to-market metrics' read models (metrics/milestones.py),
derived for the leads already here, and the covering indexes of `offers` and `leads` the metrics
and the cultivation board read

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session

import revteam.db.base
from revteam.metrics.milestones import FUNNEL_STEPS, rebuild_milestones

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.INTEGER(), 'sqlite')
OFFERS_BY_OUTCOME = ['outcome', 'lead_id', 'decided_at']
OFFERS_BY_OUTCOME_NOW = [*OFFERS_BY_OUTCOME, 'rep_id', 'reason_code']
OFFERS_SLA = ['rep_id', 'offered_at', 'outcome', 'accept_by', 'decided_at', 'first_touch_by', 'touched_at']


def _create_tables() -> None:
    op.create_table('lead_milestones',
    sa.Column('lead_id', BigId, autoincrement=False, nullable=False),
    sa.Column('cohort', sa.String(length=7), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=True),
    sa.Column('campaign_id', BigId, nullable=True),
    sa.Column('reached', sa.Integer(), nullable=False),
    sa.Column('to_mql', sa.Integer(), nullable=True),
    sa.Column('to_accepted', sa.Integer(), nullable=True),
    sa.Column('to_opportunity', sa.Integer(), nullable=True),
    sa.Column('to_won', sa.Integer(), nullable=True),
    sa.Column('offers_accepted', sa.Integer(), nullable=False),
    sa.Column('offers_rejected', sa.Integer(), nullable=False),
    sa.Column('disposed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_milestones_lead_id_leads')),
    sa.PrimaryKeyConstraint('lead_id', name=op.f('pk_lead_milestones'))
    )
    op.create_table('offer_speed',
    sa.Column('offer_id', BigId, autoincrement=False, nullable=False),
    sa.Column('lead_id', BigId, nullable=False),
    sa.Column('rep_id', BigId, nullable=False),
    sa.Column('offered_at', revteam.db.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('accept_tenths', sa.Integer(), nullable=True),
    sa.Column('touch_tenths', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_offer_speed_offer_id_offers')),
    sa.PrimaryKeyConstraint('offer_id', name=op.f('pk_offer_speed'))
    )


def _create_read_model_indexes() -> None:
    with op.batch_alter_table('lead_milestones', schema=None) as batch_op:
        batch_op.create_index('ix_lead_milestones_quality', ['source', 'campaign_id', 'cohort', 'reached',
                                                             'offers_accepted', 'offers_rejected', 'disposed'])
        batch_op.create_index('ix_lead_milestones_reached', ['cohort', 'reached'])
        for step in FUNNEL_STEPS:
            reached = sa.text(f'to_{step} IS NOT NULL')
            batch_op.create_index(f'ix_lead_milestones_to_{step}', ['cohort', f'to_{step}'], sqlite_where=reached,
                                  postgresql_where=reached)
    with op.batch_alter_table('offer_speed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_speed_lead_id'), ['lead_id'])
        for step in ('accept', 'touch'):
            batch_op.create_index(f'ix_offer_speed_{step}', ['rep_id', f'{step}_tenths', 'offered_at'])


def upgrade() -> None:
    op.drop_index('ix_offers_outcome_lead', table_name='offers')
    op.create_index('ix_offers_outcome_lead', 'offers', OFFERS_BY_OUTCOME_NOW)
    op.create_index('ix_offers_rep_sla', 'offers', OFFERS_SLA)
    op.create_index('ix_leads_state_source', 'leads', ['state', 'source'])
    _create_tables()
    # Derived before their indexes exist: on a large database the tables fill several times faster.
    rebuild_milestones(Session(bind=op.get_bind()))
    _create_read_model_indexes()


def downgrade() -> None:
    op.drop_table('offer_speed')
    op.drop_table('lead_milestones')
    op.drop_index('ix_offers_rep_sla', table_name='offers')
    op.drop_index('ix_leads_state_source', table_name='leads')
    op.drop_index('ix_offers_outcome_lead', table_name='offers')
    op.create_index('ix_offers_outcome_lead', 'offers', OFFERS_BY_OUTCOME)
