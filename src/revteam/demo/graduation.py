"""Graduations over the demo's history: the cultivation stays of leads that later became MQLs.

Every lead the story cultivated at capture and later qualified spent that first stay in the track
that fits it (as the sweep would have chosen, reading its score at capture), from capture until it
qualified. Where the playbook's
graduation could hold for it (a known decision maker, the fit floor...), a share of them graduated
there: marketing confirmed the SQL criteria over the stay and the lead went to sales with a
graduation crediting its track; the others left the track as MQLs by score. What sales did next is
the story's own (accepted, won, lost), so `revteam cultivation stats` and the history packages show
figures of the demo's real history. Draws come from the stage's own random stream; the stays record
their entry and exit, not each step (the story already holds the person's touches). Once the whole
history is written, `package_stage` freezes each graduation's package as of its moment, as `graduate`
does live.
"""

import random
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from revteam.cultivation import rules
from revteam.cultivation.models import TrackEnrollment
from revteam.cultivation.package import freeze_package
from revteam.cultivation.service import ACTOR
from revteam.demo.leads import event_row
from revteam.demo.plan import DemoContext
from revteam.demo.writer import insert_rows
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.leads.models import Graduation, LeadCriterion
from revteam.leads.scoring.facts import facts_for_leads

GRADUATED_SHARE = 0.45  # of the stays where the playbook's graduation could hold
FIRST_STAY_VERSION = 2  # captured (1), then moved to cultivation (2)
NOTES = ("Budget line approved for next quarter", "Talked to the VP, she signs", "Replacing a spreadsheet process",
         "Wants to be live before the renewal of their current tool", None, None)


def _stays():
    """(lead id, entered cultivation, first qualified) of leads cultivated at capture and qualified later."""
    entered, qualified = aliased(Event), aliased(Event)
    return (select(entered.subject_id, entered.at, func.min(qualified.at))
            .join(qualified, and_(qualified.subject_type == "lead", qualified.subject_id == entered.subject_id,
                                  qualified.type == "lead.qualified", qualified.at > entered.at))
            .where(entered.subject_type == "lead", entered.type == "lead.cultivating")
            .group_by(entered.subject_id, entered.at).order_by(entered.subject_id))


def _scores_at_entry(session: Session) -> dict[int, dict[str, Any]]:
    """Each lead's first score (at capture) as the score facts, which chose its track then."""
    query = (select(Event.subject_id, Event.data).where(Event.subject_type == "lead", Event.type == "lead.scored")
             .order_by(Event.subject_id, Event.at, Event.id))
    first: dict[int, dict[str, Any]] = {}
    for lead_id, data in session.execute(query):
        first.setdefault(lead_id, {"lead.score": data["total"], "lead.fit_score": data["fit"],
                                   "lead.engagement_score": data["engagement"]})
    return first


def graduation_stage(ctx: DemoContext) -> None:
    """Write each qualified lead's first cultivation stay, and the graduations among them."""
    rng = ctx.rng("graduation")
    marketers = [user.email for user in ctx.users if user.role == "marketing"]
    rows: dict[str, list[dict]] = {"enrollments": [], "graduations": [], "criteria": [], "events": []}
    with Session(ctx.engine) as session:
        stays = session.execute(_stays()).all()
        facts = facts_for_leads(session, [lead_id for lead_id, _, _ in stays], now=ctx.end, read_by=[ctx.playbook])
        at_entry = _scores_at_entry(session)
    for lead_id, entered_at, qualified_at in stays:
        track = rules.first_matching_track(ctx.playbook.tracks, facts[lead_id] | at_entry.get(lead_id, {}))
        if track is not None:
            _stay(ctx, rng, rows, lead_id, track.id, entered_at, qualified_at,
                  graduates=_may_graduate(ctx, facts[lead_id]) and rng.random() < GRADUATED_SHARE,
                  marketer=rng.choice(marketers))
    with ctx.engine.begin() as connection:
        ctx.counts["track enrollments"] += insert_rows(connection, TrackEnrollment.__table__, rows["enrollments"])
        ctx.counts["graduations"] += insert_rows(connection, Graduation.__table__, rows["graduations"])
        insert_rows(connection, LeadCriterion.__table__, rows["criteria"])
        ctx.counts["events"] += insert_rows(connection, Event.__table__, rows["events"])


def _may_graduate(ctx: DemoContext, facts: dict[str, Any]) -> bool:
    every_criterion = ", ".join(criterion.id for criterion in ctx.playbook.sql_criteria)
    return not rules.graduation_misses(ctx.playbook.graduation, facts | {"lead.confirmed_criteria": every_criterion})


def _stay(ctx: DemoContext, rng: random.Random, rows: dict[str, list[dict]], lead_id: int, track: str,
          entered_at: datetime, left_at: datetime, *, graduates: bool, marketer: str) -> None:
    enrollment_id = ctx.take_id("track_enrollments")
    why = "graduated" if graduates else "lead is mql"
    rows["enrollments"].append({
        "id": enrollment_id, "lead_id": lead_id, "lead_version": FIRST_STAY_VERSION, "track_id": track,
        "step_index": 0, "state": "exited", "next_step_at": None, "enrolled_at": entered_at, "ended_at": left_at,
        "end_reason": why, "playbook_version_id": ctx.playbook_version_id})
    rows["events"].append(event_row(ctx, "track.enrolled", "lead", lead_id, ACTOR, entered_at,
                                    {"track": track, "enrollment": enrollment_id}))
    if graduates:
        _graduate(ctx, rng, rows, lead_id, track, enrollment_id, entered_at, left_at, marketer)
    rows["events"].append(event_row(ctx, "track.exited", "lead", lead_id, ACTOR, left_at,
                                    {"track": track, "enrollment": enrollment_id, "why": why}))


def _graduate(ctx: DemoContext, rng: random.Random, rows: dict[str, list[dict]], lead_id: int, track: str,
              enrollment_id: int, entered_at: datetime, graduated_at: datetime, marketer: str) -> None:
    """Marketing confirms the criteria one by one over the stay, the last at the moment the lead graduates."""
    criteria = [criterion.id for criterion in ctx.playbook.sql_criteria]
    moments = sorted(entered_at + (graduated_at - entered_at) * rng.uniform(0.3, 1) for _ in criteria[1:])
    for criterion, at in zip(criteria, [*moments, graduated_at], strict=True):
        note = rng.choice(NOTES)
        rows["criteria"].append({"id": ctx.take_id("lead_criteria"), "lead_id": lead_id, "criterion": criterion,
                                 "confirmed_at": at, "confirmed_by": marketer, "note": note})
        rows["events"].append(event_row(ctx, "lead.criteria_confirmed", "lead", lead_id, marketer, at,
                                        {"criteria": [criterion], "note": note}))
    graduation_id = ctx.take_id("graduations")
    held = {"confirmed": sorted(criteria)}
    rows["graduations"].append({"id": graduation_id, "lead_id": lead_id, "lead_version": FIRST_STAY_VERSION,
                                "enrollment_id": enrollment_id, "track_id": track, "graduated_at": graduated_at,
                                "criteria": held, "playbook_version_id": ctx.playbook_version_id})
    rows["events"].append(event_row(ctx, "lead.graduated", "lead", lead_id, marketer, graduated_at,
                                    {"graduation": graduation_id, "track": track, **held}))


def package_stage(ctx: DemoContext) -> None:
    """Freeze each graduation's package as of the moment it graduated; it runs last, since the package reads
    the touches, scores and offers later stages write (each only up to that moment)."""
    with session_scope(ctx.engine) as session:
        for graduation in session.scalars(select(Graduation).order_by(Graduation.id)).all():
            freeze_package(session, graduation)
