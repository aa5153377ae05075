"""The predictive score's daily job: the runner imports this module to register it."""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from revteam.jobs.registry import handler
from revteam.leads.scoring.predictive import service


@handler(service.RETRAIN_JOB, every=timedelta(days=1))
def daily(session: Session, payload: dict, *, now: datetime) -> None:
    service.run_daily(session, now=now)
