"""Applying one state-machine move to a stored lead, guarded by its version column."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from revteam.errors import Conflict
from revteam.leads.models import Lead
from revteam.leads.states import LeadState, Move, next_state

KEEP = object()  # `owner_id=KEEP`: the move leaves the owner as it is


def apply_move(session: Session, lead: Lead, move: Move, *, now: datetime, owner_id: object = KEEP) -> LeadState:
    """Move the lead as the state machine allows, or Conflict when someone changed it meanwhile."""
    target = next_state(lead.id, lead.state, move)
    seen = lead.version
    values = {"state": target.value, "version": seen + 1, "updated_at": now}
    if owner_id is not KEEP:
        values["owner_id"] = owner_id
    statement = (
        update(Lead).where(Lead.id == lead.id, Lead.version == seen).values(**values)
        .execution_options(synchronize_session=False)
    )
    if session.execute(statement).rowcount != 1:
        raise Conflict(f"lead {lead.id} was changed by someone else while you acted on it; reload and try again")
    for name, value in values.items():
        set_committed_value(lead, name, value)  # already in the database: nothing to flush
    return target
