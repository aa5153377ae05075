"""Indexes the go-to-market metrics read through, attached to the tables' metadata.

They live here rather than in the owning domains' models so the metrics can change them without
touching those files; migrations 0005 and 0006 create them, and importing this module (db/models.py
does) declares them, so Alembic's compare_metadata sees no drift.
"""

from sqlalchemy import Index

from revteam.events.models import Event
from revteam.leads.models import Activity
from revteam.routing.models import Offer

_events, _offers, _activities = Event.__table__.c, Offer.__table__.c, Activity.__table__.c

# When each lead became an MQL, read from the index alone (no visit to the 10M-row events heap).
EVENTS_BY_TYPE = Index("ix_events_type_subject_at", _events.type, _events.subject_id, _events.at)
# Each lead's first acceptance and its offer counts (milestones), rejections by reason, and whether
# the rep who won a lead had rejected it (fair game): all read from the index alone.
OFFERS_BY_OUTCOME = Index("ix_offers_outcome_lead", _offers.outcome, _offers.lead_id, _offers.decided_at,
                          _offers.rep_id, _offers.reason_code)
# SLA compliance per rep, read in rep order from the index alone.
OFFERS_SLA = Index("ix_offers_rep_sla", _offers.rep_id, _offers.offered_at, _offers.outcome, _offers.accept_by,
                   _offers.decided_at, _offers.first_touch_by, _offers.touched_at)
# Visits and sign-ups per month, read from the index alone.
ACTIVITIES_BY_TYPE = Index("ix_activities_type_at", _activities.type, _activities.at)

INDEXES = (EVENTS_BY_TYPE, OFFERS_BY_OUTCOME, OFFERS_SLA, ACTIVITIES_BY_TYPE)
