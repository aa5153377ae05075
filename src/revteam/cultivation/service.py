"""Cultivation tracks over a session: enroll leads, run their steps, take them out when they leave.

A lead is enrolled once per stay in cultivation (its `version` at enrollment), in the first track
whose conditions hold; touches and conditions run at once, a wait schedules the next step as a
due job. Every change to an enrollment is a conditional UPDATE on its state and step, so a step
job and a sweep acting at the same time never both act; the loser does nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from revteam.cultivation import rules
from revteam.cultivation.models import EnrollmentState, TrackEnrollment
from revteam.events.service import record, record_bulk
from revteam.db.key_lists import among
from revteam.jobs.service import cancel, enqueue_many, enqueue_periodic
from revteam.leads.models import Activity, Lead
from revteam.leads.scoring.facts import facts_for_lead, facts_for_leads
from revteam.leads.states import LeadState
from revteam.outreach import touches
from revteam.playbook.schema import Playbook
from revteam.playbook.track_schema import Track, Wait
from revteam.playbook.versions import active
from revteam.routing.sla import sla_calendar

ACTOR = "system:cultivation"
STEP_JOB, SWEEP_JOB = "cultivation.step", "cultivation.sweep"
TOUCH_ACTIVITY = "nurture_email"
SWEEP_EVERY = timedelta(minutes=15)
SWEEP_BATCH = 500


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


def _claim_all(session: Session, enrollments: list[TrackEnrollment], **values: Any) -> set[int]:
    """Change these active enrollments, all at the same step, in one statement, only those nobody moved
    since we read them; the ids of those changed."""
    table = TrackEnrollment.__table__  # Core: the ORM's bulk UPDATE path costs more than the statement
    statement = (update(table).where(among(session, table.c.id, [row.id for row in enrollments]),
                                     table.c.state == EnrollmentState.active,
                                     table.c.step_index == enrollments[0].step_index)
                 .values(**values).returning(table.c.id))
    changed = set(session.connection().execute(statement).scalars())
    for enrollment in enrollments:
        if enrollment.id in changed:
            for name, value in values.items():
                set_committed_value(enrollment, name, value)
    return changed


def _claim(session: Session, enrollment: TrackEnrollment, **values: Any) -> bool:
    """Change an active enrollment only if nobody moved it since we read it."""
    return enrollment.id in _claim_all(session, [enrollment], **values)


@dataclass(frozen=True)
class _Move:
    """An enrollment's next steps, walked, and the values its row takes once they run."""

    enrollment: TrackEnrollment
    track: Track
    lead: Lead
    walked: rules.Walk
    due: datetime | None
    values: dict[str, Any]

    @property
    def claim_key(self) -> tuple:
        return self.enrollment.step_index, tuple(self.values.items())


@dataclass
class _Writes:
    """What a set of moves appends, each kind in one statement: jobs, activities, events."""

    jobs: list[dict] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)

    def event(self, type_: str, lead: Lead, now: datetime, data: dict[str, Any]) -> None:
        self.events.append(dict(type=type_, subject_type="lead", subject_id=lead.id, actor=ACTOR, at=now, data=data))

    def write(self, session: Session) -> None:
        session.flush()  # what the touches wrote through the session (skips, tasks) first, as each in turn
        enqueue_many(session, self.jobs)
        if self.activities:
            session.connection().execute(insert(Activity.__table__), self.activities)
        record_bulk(session, self.events)


def _wait_ends(session: Session, now: datetime) -> Callable[[Wait], datetime]:
    """When a wait started `now` ends, each wait of the same length worked out once."""
    calendar, ends = sla_calendar(session, year=now.year), {}

    def end_of(wait: Wait) -> datetime:
        key = (wait.hours, wait.business_days)
        if key not in ends:
            ends[key] = rules.wait_until(wait, now, calendar)
        return ends[key]

    return end_of


def _decide(enrollment: TrackEnrollment, track: Track, lead: Lead, facts: dict[str, Any], *, now: datetime,
            wait_ends: Callable[[Wait], datetime]) -> _Move:
    walked = rules.walk(track, enrollment.step_index, facts)
    due = wait_ends(walked.wait) if walked.wait else None
    ending = walked.outcome != "wait"
    values = dict(step_index=walked.next_index, next_step_at=due,
                  state=EnrollmentState.active if due else walked.outcome, ended_at=now if ending else None,
                  end_reason=f"{walked.outcome} at step {walked.next_index}" if ending else None)
    return _Move(enrollment, track, lead, walked, due, values)


def _claim_moves(session: Session, moves: list[_Move]) -> list[_Move]:
    """Claim the moves' enrollments, one statement per (step, values) they share; the moves that won."""
    alike: dict[tuple, list[_Move]] = {}
    for move in moves:
        alike.setdefault(move.claim_key, []).append(move)
    won = set().union(*(_claim_all(session, [move.enrollment for move in group], **group[0].values)
                        for group in alike.values()))
    return [move for move in moves if move.enrollment.id in won]


def _carry_out(session: Session, moves: list[_Move], *, now: datetime) -> None:
    """Run the claimed moves' steps: touches, the next step jobs, the events, a few statements for all."""
    playbook, writes = active(session).playbook, _Writes()
    for move in moves:
        for run in move.walked.ran:
            _record_step(session, playbook, move, run, now=now, writes=writes)
        if move.due is not None:
            writes.jobs.append(dict(kind=STEP_JOB, run_at=move.due,
                                    payload={"enrollment_id": move.enrollment.id, "step": move.walked.next_index},
                                    dedupe_key=step_key(move.enrollment.id, move.walked.next_index)))
        else:
            writes.event(f"track.{move.walked.outcome}", move.lead, now,
                         {"track": move.track.id, "enrollment": move.enrollment.id, "step": move.walked.next_index})
    writes.write(session)


def _run_steps(session: Session, enrollment: TrackEnrollment, track: Track, lead: Lead, facts: dict[str, Any], *,
               now: datetime) -> bool:
    won = _claim_moves(session, [_decide(enrollment, track, lead, facts, now=now, wait_ends=_wait_ends(session, now))])
    _carry_out(session, won, now=now)
    return bool(won)


def _record_step(session: Session, playbook: Playbook, move: _Move, run: rules.StepRun, *, now: datetime,
                 writes: _Writes) -> None:
    lead, track = move.lead, move.track
    if run.step.touch is not None:
        sent = touches.touch(session, playbook=playbook, lead=lead, track_id=track.id, step=run.step,
                             step_index=run.index, enrollment_id=move.enrollment.id, now=now, jobs=writes.jobs)
        if sent == "queued":
            writes.activities.append(dict(person_id=lead.person_id, lead_id=lead.id, type=TOUCH_ACTIVITY, at=now,
                                          source=f"track:{track.id}"))
    writes.event("track.step", lead, now, rules.step_event_data(track, run, due=move.due))


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


def _why_stopping(playbook: Playbook, lead: Lead, enrollment: TrackEnrollment) -> str | None:
    """Why a due step takes the lead out instead of running: it left, or its track left the playbook."""
    why = _why_leaving(lead, enrollment)
    if why is None and playbook.track(enrollment.track_id) is None:
        why = f"track {enrollment.track_id} is no longer in the playbook"
    return why


def _waiting_at(enrollment: TrackEnrollment | None, step: int) -> bool:
    return enrollment is not None and enrollment.state == EnrollmentState.active and enrollment.step_index == step


def run_due_step(session: Session, *, enrollment_id: int, step: int, now: datetime) -> bool:
    """The step job: run the enrollment's next steps, or take the lead out if it left cultivation."""
    enrollment = session.get(TrackEnrollment, enrollment_id)
    if not _waiting_at(enrollment, step):
        return False
    lead = session.get(Lead, enrollment.lead_id)
    playbook = active(session).playbook
    why = _why_stopping(playbook, lead, enrollment)
    if why is not None:
        return exit_enrollment(session, enrollment, now=now, why=why)
    facts = facts_for_lead(session, lead.id, now=now, read_by=[playbook])
    return _run_steps(session, enrollment, playbook.track(enrollment.track_id), lead, facts, now=now)


def _rounds(steps: list[tuple[int, int]],
            enrollments: dict[int, TrackEnrollment]) -> list[list[tuple[TrackEnrollment | None, int]]]:
    """The step jobs, in order, cut where a job's enrollment or lead is one an earlier job of the
    round has in hand: that job runs in the next round, after the earlier one's writes, and reads them."""
    rounds: list[list[tuple[TrackEnrollment | None, int]]] = [[]]
    in_hand: set[tuple[str, int]] = set()
    for enrollment_id, step in steps:
        enrollment = enrollments.get(enrollment_id)
        keys = {("enrollment", enrollment_id)} | ({("lead", enrollment.lead_id)} if enrollment else set())
        if keys & in_hand:
            rounds.append([])
            in_hand = set()
        rounds[-1].append((enrollment, step))
        in_hand |= keys
    return rounds


def _run_round(session: Session, steps: list[tuple[TrackEnrollment | None, int]], *, now: datetime) -> None:
    waiting = [enrollment for enrollment, step in steps if _waiting_at(enrollment, step)]
    leads = {lead.id: lead for lead in
             session.scalars(select(Lead).where(among(session, Lead.id, [row.lead_id for row in waiting])))}
    playbook, staying = active(session).playbook, []
    for enrollment in waiting:
        why = _why_stopping(playbook, leads[enrollment.lead_id], enrollment)
        if why is None:
            staying.append(enrollment)
        else:
            exit_enrollment(session, enrollment, now=now, why=why)
    facts = facts_for_leads(session, [row.lead_id for row in staying], now=now, read_by=[playbook])
    touches.prepare_touches(session, [leads[row.lead_id] for row in staying])
    wait_ends = _wait_ends(session, now)
    moves = [_decide(row, playbook.track(row.track_id), leads[row.lead_id], facts[row.lead_id], now=now,
                     wait_ends=wait_ends) for row in staying]
    _carry_out(session, _claim_moves(session, moves), now=now)


def run_due_steps(session: Session, steps: list[tuple[int, int]], *, now: datetime) -> None:
    """A batch of step jobs, (enrollment id, step) each, run in order as `run_due_step` runs each, with a
    few statements for many: one read of the enrollments, then per round (see `_rounds`) one of the
    leads, their facts and what their touches read, one claim per step and values the moves share, one
    insert each of the jobs, activities and events they write."""
    ids = [enrollment_id for enrollment_id, _ in steps]
    enrollments = {row.id: row for row in session.scalars(select(TrackEnrollment)
                                                          .where(among(session, TrackEnrollment.id, ids)))}
    for round_ in _rounds(steps, enrollments):
        _run_round(session, round_, now=now)


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
