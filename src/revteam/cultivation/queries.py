"""What people read about tracks: leads per track and step, and one lead's enrollment in words."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session

from revteam.cultivation.models import EnrollmentState, TrackEnrollment
from revteam.cultivation.rules import describe
from revteam.jobs.service import due_in_words
from revteam.leads.models import Lead
from revteam.leads.states import LeadState
from revteam.playbook.schema import Playbook
from revteam.playbook.versions import active


def current_stay():
    """Join condition: the enrollment of the lead's current stay in cultivation (at most one)."""
    return and_(TrackEnrollment.lead_id == Lead.id, TrackEnrollment.lead_version == Lead.version)


def cultivating_by_track(session: Session, seen: ColumnElement[bool]) -> dict[tuple[str | None, bool], int]:
    """Cultivating leads (those `seen`) per (track, finished) of their current stay; (None, False)
    counts leads not enrolled."""
    finished = TrackEnrollment.state != EnrollmentState.active
    query = (select(TrackEnrollment.track_id, finished, func.count()).select_from(Lead)
             .outerjoin(TrackEnrollment, current_stay())
             .where(Lead.state == LeadState.CULTIVATING, seen).group_by(TrackEnrollment.track_id, finished))
    return {(track, bool(ended)): count for track, ended, count in session.execute(query)}


def active_by_step(session: Session) -> dict[tuple[str, int], int]:
    """Active enrollments per (track, next step index)."""
    query = (select(TrackEnrollment.track_id, TrackEnrollment.step_index, func.count())
             .where(TrackEnrollment.state == EnrollmentState.active)
             .group_by(TrackEnrollment.track_id, TrackEnrollment.step_index))
    return {(track, step): count for track, step, count in session.execute(query)}


def latest_enrollment(session: Session, lead_id: int) -> TrackEnrollment | None:
    """The lead's most recent enrollment, active or ended."""
    query = select(TrackEnrollment).where(TrackEnrollment.lead_id == lead_id).order_by(TrackEnrollment.id.desc())
    return session.scalars(query.limit(1)).first()


def enrollment_view(enrollment: TrackEnrollment, playbook: Playbook, *, now: datetime) -> dict[str, Any]:
    """An enrollment as the lead page and the CLI show it: track, stage, step n of m, next step and when."""
    track = playbook.track(enrollment.track_id)
    steps = track.steps if track else []
    upcoming = steps[enrollment.step_index] if enrollment.step_index < len(steps) else None
    active = enrollment.state == EnrollmentState.active
    return {
        "enrollment": enrollment.id, "track": enrollment.track_id, "name": track.name if track else None,
        "stage": track.stage if track else None, "state": enrollment.state,
        "step": enrollment.step_index + 1, "steps": len(steps),
        "next_step": describe(upcoming) if upcoming and active else None,
        "next_step_at": enrollment.next_step_at.isoformat() if active and enrollment.next_step_at else None,
        "due": due_in_words(enrollment.next_step_at, now=now) if active and enrollment.next_step_at else None,
        "enrolled_at": enrollment.enrolled_at.isoformat(), "end_reason": enrollment.end_reason,
    }


def track_summary(session: Session, playbook: Playbook) -> list[dict[str, Any]]:
    """Every playbook track with its active enrollments in total and by the step each waits for."""
    waiting = active_by_step(session)
    return [{"id": track.id, "name": track.name, "stage": track.stage,
             "enrolled": sum(count for (track_id, _), count in waiting.items() if track_id == track.id),
             "steps": [{"step": index + 1, "what": describe(step), "waiting": waiting.get((track.id, index), 0)}
                       for index, step in enumerate(track.steps)]}
            for track in playbook.tracks]


def track_enrollment(session: Session, lead_id: int, *, now: datetime) -> dict[str, Any] | None:
    """The lead's latest cultivation track in words (track, step, next step due), or None."""
    enrollment = latest_enrollment(session, lead_id)
    return enrollment_view(enrollment, active(session).playbook, now=now) if enrollment else None


def in_track(track: str, *, finished: bool) -> ColumnElement[bool]:
    """Leads whose current stay in cultivation is in this track (still in it, or `finished`);
    `none`: leads not enrolled during their current stay."""
    enrolled = exists().where(current_stay())
    if track == "none":
        return ~enrolled
    ended = TrackEnrollment.state != EnrollmentState.active
    return enrolled.where(TrackEnrollment.track_id == track, ended if finished else ~ended)


def who_is_where(session: Session, *, track: str | None, now: datetime, limit: int = 1_000) -> list[dict[str, Any]]:
    """The leads active in a track (one track with `track`), soonest next step first, each as `enrollment_view`."""
    query = select(TrackEnrollment).where(TrackEnrollment.state == EnrollmentState.active)
    if track is not None:
        query = query.where(TrackEnrollment.track_id == track)
    query = query.order_by(TrackEnrollment.next_step_at.is_(None), TrackEnrollment.next_step_at, TrackEnrollment.id)
    playbook = active(session).playbook
    return [{"lead_id": enrollment.lead_id, **enrollment_view(enrollment, playbook, now=now)}
            for enrollment in session.scalars(query.limit(limit))]
