"""lead milestones and offer speeds: the go-to-market metrics' read models (metrics/milestones.py),
derived for the leads already here, and the covering indexes of `offers` and `leads` the metrics
and the cultivation board read

Revision ID: 0006
Revises: 0005

The derivation is frozen here as SQL for SQLite and PostgreSQL: the one metrics/milestones.py ran
when it was frozen (tests/metrics/test_milestones.py checks a migrated database against a rebuild).
A migration imports no live code: a later change to the read model needs a migration of its own
that derives the rows again, and cannot rewrite what this one did.
"""

from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.INTEGER(), 'sqlite')
OFFERS_BY_OUTCOME = ['outcome', 'lead_id', 'decided_at']
OFFERS_BY_OUTCOME_NOW = [*OFFERS_BY_OUTCOME, 'rep_id', 'reason_code']
OFFERS_SLA = ['rep_id', 'offered_at', 'outcome', 'accept_by', 'decided_at', 'first_touch_by', 'touched_at']
FUNNEL_STEPS = ('mql', 'accepted', 'opportunity', 'won')
BATCH = 2_000  # leads per statement
TENTH_OF_DAY, TENTH_OF_HOUR = 8640, 360  # seconds
MONTH_OF = {'sqlite': "substr({}, 1, 7)", 'postgresql': "to_char(timezone('UTC', {}), 'YYYY-MM')"}
EPOCH_SECONDS = {'sqlite': "CAST(strftime('%s', {}) AS BIGINT)",
                 'postgresql': "CAST(floor(EXTRACT(epoch FROM {})) AS BIGINT)"}
FIRST_QUALIFIED = "(SELECT min(e.at) FROM events e WHERE e.type = 'lead.qualified' AND e.subject_id = {})"

# Everything a lead's milestones are derived from; a lead is an MQL from its first `lead.qualified`
# event, else from its creation when it came in flagged as one.
LEAD_FACTS = f"""
SELECT l.id AS lead_id, l.created_at, l.state, l.source, l.campaign_id,
  coalesce({FIRST_QUALIFIED.format('l.id')}, CASE WHEN l.is_mql THEN l.created_at END) AS qualified_at,
  (SELECT min(o.decided_at) FROM offers o WHERE o.lead_id = l.id AND o.outcome = 'accepted') AS accepted_at,
  p.id AS opportunity_id, p.created_at AS opportunity_at, p.stage, p.closed_on,
  (SELECT count(*) FROM offers o WHERE o.lead_id = l.id AND o.outcome = 'accepted') AS offers_accepted,
  (SELECT count(*) FROM offers o WHERE o.lead_id = l.id AND o.outcome = 'rejected') AS offers_rejected
FROM leads l LEFT OUTER JOIN opportunities p ON p.lead_id = l.id
WHERE l.id BETWEEN :first AND :last"""
# A later step implies the earlier ones.
WON = "(f.state = 'won' OR f.stage = 'won')"
OPPORTUNITY = f"({WON} OR f.opportunity_id IS NOT NULL)"
ACCEPTED = f"({OPPORTUNITY} OR f.accepted_at IS NOT NULL OR f.state IN ('accepted', 'won', 'lost', 'not_a_lead'))"
MQL = f"({ACCEPTED} OR f.qualified_at IS NOT NULL)"
# The accepted first-step (SDR) offers, their clock starting at the lead's first MQL, else its creation.
ACCEPTED_OFFERS = f"""
SELECT o.id AS offer_id, o.lead_id, o.rep_id, o.offered_at, o.decided_at, o.touched_at,
  coalesce({FIRST_QUALIFIED.format('o.lead_id')}, l.created_at) AS clock_from
FROM offers o JOIN leads l ON l.id = o.lead_id
WHERE o.outcome = 'accepted' AND o.stage = 'sdr' AND o.lead_id BETWEEN :first AND :last"""


def _units_between(dialect: str, start: str, end: str, unit_seconds: int) -> str:
    """Whole units from start to end, rounded down; 0 when the clock ran backwards, NULL when either is missing."""
    seconds = f"({EPOCH_SECONDS[dialect].format(end)} - {EPOCH_SECONDS[dialect].format(start)})"
    return f"CASE WHEN {seconds} < 0 THEN 0 ELSE {seconds} / {unit_seconds} END"


def _milestones_sql(dialect: str) -> str:
    def days(start: str, end: str) -> str:
        return _units_between(dialect, start, end, TENTH_OF_DAY)

    reached = " + ".join(f"CASE WHEN {done} THEN {1 << bit} ELSE 0 END"
                         for bit, done in enumerate((MQL, ACCEPTED, OPPORTUNITY, WON)))
    return f"""
INSERT INTO lead_milestones (lead_id, cohort, source, campaign_id, reached, to_mql, to_accepted, to_opportunity,
                             to_won, offers_accepted, offers_rejected, disposed)
WITH f AS MATERIALIZED ({LEAD_FACTS})
SELECT f.lead_id, {MONTH_OF[dialect].format('f.created_at')}, f.source, f.campaign_id, {reached},
  CASE WHEN {MQL} THEN {days('f.created_at', 'f.qualified_at')} END,
  CASE WHEN {ACCEPTED} THEN {days('f.qualified_at', 'f.accepted_at')} END,
  CASE WHEN {OPPORTUNITY} THEN {days('f.accepted_at', 'f.opportunity_at')} END,
  CASE WHEN f.stage = 'won' THEN {days('f.opportunity_at', 'f.closed_on')} END,
  f.offers_accepted, f.offers_rejected, CASE WHEN f.state IN ('won', 'lost', 'not_a_lead') THEN 1 ELSE 0 END
FROM f"""


def _speed_sql(dialect: str) -> str:
    def tenths_of_hours(end: str) -> str:
        return _units_between(dialect, 'a.clock_from', end, TENTH_OF_HOUR)

    return f"""
INSERT INTO offer_speed (offer_id, lead_id, rep_id, offered_at, accept_tenths, touch_tenths)
WITH a AS MATERIALIZED ({ACCEPTED_OFFERS})
SELECT a.offer_id, a.lead_id, a.rep_id, a.offered_at, {tenths_of_hours('a.decided_at')},
  {tenths_of_hours('a.touched_at')}
FROM a"""


def _derive_existing_leads() -> None:
    """The milestones and offer speeds of every lead already here, BATCH leads at a time."""
    bind = op.get_bind()
    dialect = bind.dialect.name
    statements = [sa.text(_milestones_sql(dialect)), sa.text(_speed_sql(dialect))]
    last = bind.execute(sa.text("SELECT max(id) FROM leads")).scalar() or 0
    for first in range(1, last + 1, BATCH):
        for statement in statements:
            bind.execute(statement, {'first': first, 'last': first + BATCH - 1})


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
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=False),
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
    _derive_existing_leads()
    _create_read_model_indexes()


def downgrade() -> None:
    op.drop_table('offer_speed')
    op.drop_table('lead_milestones')
    op.drop_index('ix_offers_rep_sla', table_name='offers')
    op.drop_index('ix_leads_state_source', table_name='leads')
    op.drop_index('ix_offers_outcome_lead', table_name='offers')
    op.create_index('ix_offers_outcome_lead', 'offers', OFFERS_BY_OUTCOME)
