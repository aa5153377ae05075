"""Read models kept in step with the event log: refreshed in the same transaction, just before it commits.

`record` and `record_many` note the subjects of the events they append on the session; before the
session commits, the lead milestones of every lead those events were about are derived afresh
(metrics/milestones.py). Bulk loaders that bypass the session (the demo) rebuild them instead.
"""

from collections.abc import Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

_TOUCHED = "revteam_touched_subjects"


def note_subjects(session: Session, rows: Iterable[tuple[str, int]]) -> None:
    """Remember (subject_type, subject_id) pairs whose read models need a refresh before commit."""
    session.info.setdefault(_TOUCHED, set()).update(rows)


@event.listens_for(Session, "before_commit")
def _refresh_read_models(session: Session) -> None:
    touched = session.info.pop(_TOUCHED, None)
    if not touched:
        return
    # Imported here: the metrics read the leads, offers and opportunities, which sit above the log.
    from revteam.metrics.milestones import opportunity_leads, refresh_milestones

    leads = {subject_id for subject_type, subject_id in touched if subject_type == "lead"}
    opportunities = [subject_id for subject_type, subject_id in touched if subject_type == "opportunity"]
    refresh_milestones(session, leads | opportunity_leads(session, opportunities))


@event.listens_for(Session, "after_rollback")
def _forget_subjects(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
