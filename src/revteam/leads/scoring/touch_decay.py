"""A touch's decayed worth as SQL, for the database to sum engagement instead of every touch read
into Python: 0.5 ** (age / half-life), as `rules.engagement_score` weighs each touch in Python."""

from datetime import datetime

from sqlalchemy import bindparam, func
from sqlalchemy.orm import Session

from revteam.db.base import UtcDateTime
from revteam.leads.models import Activity
from revteam.leads.scoring.rules import SECONDS_PER_DAY
from revteam.playbook.schema import Playbook


def _age_seconds(session: Session, now: datetime):
    """Each touch's age at `now` in seconds, never below 0 (a touch stamped after `now` is fresh)."""
    moment = bindparam("now", now, type_=UtcDateTime)
    if session.connection().dialect.name == "postgresql":
        return func.greatest(func.extract("epoch", moment - Activity.at), 0.0)
    return func.max((func.julianday(moment) - func.julianday(Activity.at)) * SECONDS_PER_DAY, 0.0)


def touch_decay(session: Session, playbook: Playbook, now: datetime):
    """Each `Activity` row's decay factor at `now` under the playbook's half-life."""
    half_life_seconds = playbook.engagement.half_life_days * SECONDS_PER_DAY
    return func.power(0.5, _age_seconds(session, now) / half_life_seconds)
