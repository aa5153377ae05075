"""The cultivation stage: the demo's cultivating leads in their tracks, as the sweep and step jobs
would have run them since each lead entered cultivation.

Each lead joins the first matching track when it last entered cultivation (its `updated_at`); its
steps are walked on the playbook's business calendar up to the as-of moment. Leads whose track
ran out before then are completed; the others wait for their next step, with its due job. The
conditions read the lead's scores as of the as-of moment.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.cultivation import rules
from revteam.cultivation.models import TrackEnrollment
from revteam.cultivation.service import ACTOR, STEP_JOB, SWEEP_EVERY, SWEEP_JOB, TOUCH_ACTIVITY, step_key
from revteam.demo.flow import job_row
from revteam.demo.leads import event_row
from revteam.demo.offers import sla_calendar
from revteam.demo.plan import DemoContext
from revteam.demo.writer import insert_rows
from revteam.events.models import Event
from revteam.jobs.models import Job
from revteam.jobs.service import next_slot, periodic_key
from revteam.leads.scoring.facts import facts_for_leads
from revteam.leads.models import Activity, Lead
from revteam.playbook.track_schema import Track


def cultivation_stage(ctx: DemoContext) -> None:
    """Enroll every cultivating lead in its track at the step it has reached by the as-of moment."""
    rows: dict[str, list[dict]] = {"enrollments": [], "activities": [], "events": [], "jobs": []}
    with Session(ctx.engine) as session:
        cultivating = session.execute(_cultivating_leads()).all()
        facts = facts_for_leads(session, [lead.id for lead in cultivating], now=ctx.end, read_by=[ctx.playbook])
    for lead in cultivating:
        track = rules.first_matching_track(ctx.playbook.tracks, facts[lead.id])
        if track is not None:
            _walk_track(ctx, rows, lead, track, facts[lead.id])
    run_at = next_slot(ctx.end, SWEEP_EVERY)
    rows["jobs"].append(job_row(SWEEP_JOB, run_at, {}, periodic_key(SWEEP_JOB, run_at), ctx.end, ctx.end))
    with ctx.engine.begin() as connection:
        ctx.counts["track enrollments"] += insert_rows(connection, TrackEnrollment.__table__, rows["enrollments"])
        ctx.counts["activities"] += insert_rows(connection, Activity.__table__, rows["activities"])
        ctx.counts["events"] += insert_rows(connection, Event.__table__, rows["events"])
        ctx.counts["jobs"] += insert_rows(connection, Job.__table__, rows["jobs"])


def _cultivating_leads():
    return (select(Lead.id, Lead.person_id, Lead.version, Lead.updated_at)
            .where(Lead.state == "cultivating").order_by(Lead.id))


def _walk_track(ctx: DemoContext, rows: dict[str, list[dict]], lead: Any, track: Track,
                facts: dict[str, Any]) -> None:
    """The lead's steps from its entry into cultivation until a wait that ends after the as-of moment."""
    enrollment_id, at, index = ctx.take_id("track_enrollments"), lead.updated_at, 0
    enrollment = {"id": enrollment_id, "lead_id": lead.id, "lead_version": lead.version, "track_id": track.id,
                  "enrolled_at": at, "playbook_version_id": ctx.playbook_version_id}
    rows["events"].append(event_row(ctx, "track.enrolled", "lead", lead.id, ACTOR, at,
                                    {"track": track.id, "stage": track.stage, "enrollment": enrollment_id}))
    calendar = sla_calendar(ctx)
    while True:
        walked = rules.walk(track, index, facts)
        due = rules.wait_until(walked.wait, at, calendar) if walked.wait else None
        for run in walked.ran:
            _add_step(ctx, rows, lead, track, run, at, due)
        if due is None or due > ctx.end:
            break
        at, index = due, walked.next_index
    if due is None:
        rows["events"].append(event_row(ctx, f"track.{walked.outcome}", "lead", lead.id, ACTOR, at,
                                        {"track": track.id, "enrollment": enrollment_id, "step": walked.next_index}))
        ended = {"state": walked.outcome, "ended_at": at, "end_reason": f"{walked.outcome} at step {walked.next_index}"}
    else:
        rows["jobs"].append(job_row(STEP_JOB, due, {"enrollment_id": enrollment_id, "step": walked.next_index},
                                 step_key(enrollment_id, walked.next_index), at, ctx.end))
        ended = {"state": "active", "ended_at": None, "end_reason": None}
    rows["enrollments"].append(enrollment | ended | {"step_index": walked.next_index, "next_step_at": due})


def _add_step(ctx: DemoContext, rows: dict[str, list[dict]], lead: Any, track: Track, run: rules.StepRun,
              at: datetime, due: datetime | None) -> None:
    if run.step.touch is not None:
        rows["activities"].append({"id": ctx.take_id("activities"), "person_id": lead.person_id, "lead_id": lead.id,
                                   "type": TOUCH_ACTIVITY, "at": at, "source": f"track:{track.id}"})
    rows["events"].append(event_row(ctx, "track.step", "lead", lead.id, ACTOR, at,
                                    rules.step_event_data(track, run, due=due)))
