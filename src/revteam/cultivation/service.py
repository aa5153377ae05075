"""Cultivation tracks over a session: enroll leads, run their steps, take them out when they leave.

A lead is enrolled once per stay in cultivation (its `version` at enrollment), in the first track
whose conditions hold; touches and conditions run at once, a wait schedules the next step as a
due job. Every change to an enrollment is a conditional UPDATE on its state and step, so a step
job and a sweep acting at the same time never both act; the loser does nothing.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from revteam.cultivation import rules
from revteam.cultivation.models import EnrollmentState, TrackEnrollment
from revteam.events.service import record
from revteam.db.key_lists import among
from revteam.jobs.registry import prepared
from revteam.jobs.service import cancel, enqueue_many, enqueue_periodic
from revteam.leads.models import Activity, Lead
from revteam.leads.scoring.facts import facts_for_lead, facts_for_leads
from revteam.leads.states import LeadState
from revteam.outreach import touches
from revteam.playbook.schema import Playbook
from revteam.playbook.track_schema import Track
from revteam.playbook.versions import active
from revteam.routing.sla import sla_calendar

ACTOR = "system:cultivation"
STEP_JOB, SWEEP_JOB = "cultivation.step", "cultivation.sweep"
TOUCH_ACTIVITY = "nurture_email"
SWEEP_EVERY = timedelta(minutes=15)
SWEEP_BATCH = 500
_ROWS, _FACTS = "cultivation.rows", "cultivation.facts"  # what `prepare_steps` loaded for a batch


def step_key(enrollment_id: int, step_index: int) -> str:
    """The dedupe key of an enrollment's step job."""
    return f"enrollment:{enrollment_id}:step:{step_index}"


def _insert(session: Session):
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(TrackEnrollment)


def enroll_lead(session: Session, *, lead: Lead, now: datetime) -> TrackEnrollment | None:
    """Enroll a cultivating lead in the first matching track and run its first steps; None when no
    track matches or this stay is already enrolled (another sweep won)."""
    current = active(session)
    facts = facts_for_lead(session, lead.id, now=now, read_by=[current.playbook])
    track = rules.first_matching_track(current.playbook.tracks, facts)
    if track is None:
        return None
    values = dict(lead_id=lead.id, lead_version=lead.version, track_id=track.id, step_index=0,
                  state=EnrollmentState.active, enrolled_at=now, playbook_version_id=current.version_id)
    # Both unique indexes settle concurrent sweeps: the loser inserts nothing and moves on.
    statement = _insert(session).values(**values).on_conflict_do_nothing().returning(TrackEnrollment.id)
    enrollment_id = session.execute(statement).scalar()
    if enrollment_id is None:
        return None
    record(session, type="track.enrolled", subject_type="lead", subject_id=lead.id, actor=ACTOR, at=now,
           data={"track": track.id, "stage": track.stage, "enrollment": enrollment_id})
    enrollment = session.get(TrackEnrollment, enrollment_id)
    _run_steps(session, enrollment, track, lead, facts, now=now)
    return enrollment


def _claim(session: Session, enrollment: TrackEnrollment, **values: Any) -> bool:
    """Change an active enrollment only if nobody moved it since we read it."""
    table = TrackEnrollment.__table__  # Core: the ORM's bulk UPDATE path costs more than the statement
    statement = (update(table).where(table.c.id == enrollment.id, table.c.state == EnrollmentState.active,
                                     table.c.step_index == enrollment.step_index).values(**values))
    if session.connection().execute(statement).rowcount != 1:
        return False
    for name, value in values.items():
        set_committed_value(enrollment, name, value)
    return True


def _run_steps(session: Session, enrollment: TrackEnrollment, track: Track, lead: Lead, facts: dict[str, Any], *,
               now: datetime) -> bool:
    walked = rules.walk(track, enrollment.step_index, facts)
    due = rules.wait_until(walked.wait, now, sla_calendar(session, year=now.year)) if walked.wait else None
    ending = walked.outcome != "wait"
    if not _claim(session, enrollment, step_index=walked.next_index, next_step_at=due,
                  state=EnrollmentState.active if due else walked.outcome, ended_at=now if ending else None,
                  end_reason=f"{walked.outcome} at step {walked.next_index}" if ending else None):
        return False
    playbook, jobs = active(session).playbook, []
    for run in walked.ran:
        _record_step(session, playbook, track, lead, run, enrollment_id=enrollment.id, now=now, due=due, jobs=jobs)
    if due is not None:
        jobs.append(dict(kind=STEP_JOB, run_at=due, payload={"enrollment_id": enrollment.id, "step": walked.next_index},
                         dedupe_key=step_key(enrollment.id, walked.next_index)))
    enqueue_many(session, jobs)
    if due is None:
        record(session, type=f"track.{walked.outcome}", subject_type="lead", subject_id=lead.id, actor=ACTOR, at=now,
               data={"track": track.id, "enrollment": enrollment.id, "step": walked.next_index})
    return True


def _record_step(session: Session, playbook: Playbook, track: Track, lead: Lead, run: rules.StepRun, *,
                 enrollment_id: int, now: datetime, due: datetime | None, jobs: list[dict]) -> None:
    if run.step.touch is not None:
        sent = touches.touch(session, playbook=playbook, lead=lead, track_id=track.id, step=run.step,
                             step_index=run.index, enrollment_id=enrollment_id, now=now, jobs=jobs)
        if sent == "queued":
            session.add(Activity(person_id=lead.person_id, lead_id=lead.id, type=TOUCH_ACTIVITY, at=now,
                                 source=f"track:{track.id}"))
    record(session, type="track.step", subject_type="lead", subject_id=lead.id, actor=ACTOR, at=now,
           data=rules.step_event_data(track, run, due=due))


def exit_enrollment(session: Session, enrollment: TrackEnrollment, *, now: datetime, why: str) -> bool:
    """Take a lead out of its track (it left cultivation...); False when someone else moved it first."""
    waiting_step = enrollment.step_index
    if not _claim(session, enrollment, state=EnrollmentState.exited, ended_at=now, end_reason=why, next_step_at=None):
        return False
    cancel(session, dedupe_key=step_key(enrollment.id, waiting_step))
    record(session, type="track.exited", subject_type="lead", subject_id=enrollment.lead_id, actor=ACTOR, at=now,
           data={"track": enrollment.track_id, "enrollment": enrollment.id, "step": waiting_step, "why": why})
    return True


def _why_leaving(lead: Lead, enrollment: TrackEnrollment) -> str | None:
    if lead.state != LeadState.CULTIVATING:
        return f"lead is {lead.state}"
    if lead.version != enrollment.lead_version:
        return "lead came back to cultivation anew"
    return None


def prepare_steps(session: Session, enrollment_ids: list[int], *, now: datetime) -> None:
    """Load what a batch of step jobs reads, in a few queries: the enrollments, their leads, the leads'
    facts (as of now, each used once: a second step of the same lead builds its own) and what their
    touches read."""
    enrollments = session.scalars(select(TrackEnrollment)
                                  .where(among(session, TrackEnrollment.id, enrollment_ids))).all()
    leads = session.scalars(select(Lead).where(among(session, Lead.id, [row.lead_id for row in enrollments]))).all()
    prepared(session, _ROWS)["steps"] = (enrollments, leads)  # the session keeps only weak references
    prepared(session, _FACTS).update(facts_for_leads(session, [lead.id for lead in leads], now=now,
                                                     read_by=[active(session).playbook]))
    touches.prepare_touches(session, leads)


def run_due_step(session: Session, *, enrollment_id: int, step: int, now: datetime) -> bool:
    """The step job: run the enrollment's next steps, or take the lead out if it left cultivation."""
    enrollment = session.get(TrackEnrollment, enrollment_id)
    if enrollment is None or enrollment.state != EnrollmentState.active or enrollment.step_index != step:
        return False
    lead = session.get(Lead, enrollment.lead_id)
    why = _why_leaving(lead, enrollment)
    playbook = active(session).playbook
    track = playbook.track(enrollment.track_id)
    if why is None and track is None:
        why = f"track {enrollment.track_id} is no longer in the playbook"
    if why is not None:
        return exit_enrollment(session, enrollment, now=now, why=why)
    facts = prepared(session, _FACTS).pop(lead.id, None) or facts_for_lead(session, lead.id, now=now,
                                                                           read_by=[playbook])
    return _run_steps(session, enrollment, track, lead, facts, now=now)


def exit_leavers(session: Session, *, now: datetime, limit: int = SWEEP_BATCH) -> int:
    """Take out of their tracks up to `limit` leads that left cultivation since they were enrolled."""
    query = (select(TrackEnrollment, Lead).join(Lead, Lead.id == TrackEnrollment.lead_id)
             .where(TrackEnrollment.state == EnrollmentState.active,
                    (Lead.state != LeadState.CULTIVATING) | (Lead.version != TrackEnrollment.lead_version))
             .order_by(TrackEnrollment.id).limit(limit))
    return sum(exit_enrollment(session, enrollment, now=now, why=_why_leaving(lead, enrollment))
               for enrollment, lead in session.execute(query).all())


def enroll_waiting(session: Session, *, now: datetime, limit: int = SWEEP_BATCH) -> int:
    """Enroll up to `limit` cultivating leads not enrolled during their current stay, oldest first;
    leads no track matches are passed over."""
    enrolled_now = exists().where(TrackEnrollment.lead_id == Lead.id, TrackEnrollment.lead_version == Lead.version)
    enrolled, after_id = 0, 0
    while enrolled < limit:
        query = (select(Lead).where(Lead.state == LeadState.CULTIVATING, ~enrolled_now, Lead.id > after_id)
                 .order_by(Lead.id).limit(limit - enrolled))
        leads = session.scalars(query).all()
        if not leads:
            break
        enrolled += sum(enroll_lead(session, lead=lead, now=now) is not None for lead in leads)
        after_id = leads[-1].id
    return enrolled


def sweep(session: Session, *, now: datetime, limit: int = SWEEP_BATCH) -> dict[str, int]:
    """Take leavers out of their tracks, then enroll the cultivating leads waiting for one."""
    exited = exit_leavers(session, now=now, limit=limit)
    return {"exited": exited, "enrolled": enroll_waiting(session, now=now, limit=limit)}


def schedule_sweep(session: Session, *, now: datetime) -> datetime:
    """Make sure a sweep is due at the next slot (the runner schedules the next after every run)."""
    return enqueue_periodic(session, kind=SWEEP_JOB, every=SWEEP_EVERY, now=now).run_at
