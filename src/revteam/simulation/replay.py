"""One playbook over the past leads, pure: score, MQL, routing with capacity and round robin, SLA
deadlines, track enrollment. The live rules' own functions decide; only the order (the leads in the
order they were decided) and the loads (a lead holds its rep until it left the reps' hands in
reality) are the replay's."""

import heapq
from dataclasses import dataclass, replace
from datetime import datetime
from types import SimpleNamespace

from revteam.cultivation.rules import first_matching_track
from revteam.leads.scoring.facts import score_facts
from revteam.leads.scoring.rules import LeadScore, ScoreResult, combined_score, engagement_score, fit_score
from revteam.playbook.schema import Playbook
from revteam.routing.roundrobin import RotationState
from revteam.routing.rules import Rep, RouteDecision, Roster, decide_route
from revteam.routing.sla import BusinessCalendar, add_business_hours, is_open
from revteam.simulation.history import PastLead


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one playbook did with one lead."""

    lead_id: int
    score: LeadScore
    route: RouteDecision | None  # None: not an MQL, so not routed
    track: str | None  # the track a lead left in cultivation enrolls in
    accept_by: datetime | None = None
    first_touch_by: datetime | None = None
    outside_hours: bool = False  # routed while closed: its clock waited for opening


class _Loads:
    """Open leads per rep over time: a routed lead counts until the moment it was let go in reality."""

    def __init__(self, roster: Roster):
        self.roster, self.releases = roster, []

    def release_until(self, moment: datetime) -> None:
        while self.releases and self.releases[0][0] <= moment:
            self.roster.by_id[heapq.heappop(self.releases)[1]].open_load -= 1

    def hold(self, rep_id, until: datetime | None) -> None:
        self.roster.by_id[rep_id].open_load += 1
        if until is not None:
            heapq.heappush(self.releases, (until, rep_id))


def _scored(playbook: Playbook, lead: PastLead, engagements: dict[int, ScoreResult]) -> tuple[LeadScore, dict]:
    """score_lead's sum, with the engagement kept for the other replay when both playbooks score it alike."""
    engagement = engagements.get(lead.lead_id)
    if engagement is None:
        engagement = engagements[lead.lead_id] = engagement_score(playbook, lead.touches, now=lead.at)
    score = combined_score(playbook, fit_score(playbook, lead.facts), engagement, lead.facts)
    return score, lead.facts | score_facts(SimpleNamespace(**score.columns()), lead.facts.get("lead.predicted"))


def _routed(playbook: Playbook, calendar: BusinessCalendar, lead: PastLead, score: LeadScore,
            route: RouteDecision) -> Outcome:
    if route.rep_id is None:
        return Outcome(lead.lead_id, score, route, None)
    accept_by = add_business_hours(calendar, lead.at, playbook.sla.accept_within_hours)
    first_touch_by = add_business_hours(calendar, accept_by, playbook.sla.first_touch_within_hours)
    return Outcome(lead.lead_id, score, route, None, accept_by, first_touch_by, not is_open(calendar, lead.at))


def replay(playbook: Playbook, leads: list[PastLead], reps: list[Rep], calendar: BusinessCalendar, *,
           engagements: dict[int, ScoreResult]) -> list[Outcome]:
    """Each lead (in the order given) under `playbook`, on a fresh copy of the roster and a fresh rotation;
    `engagements` (by lead id) are read when present, else computed and kept there."""
    roster = Roster(replace(rep, open_load=0) for rep in reps)
    loads, rotation, outcomes = _Loads(roster), RotationState(), []
    rules, fallback = playbook.routing.rules, playbook.routing.fallback
    for lead in leads:
        score, facts = _scored(playbook, lead, engagements)
        if not score.is_mql:
            outcomes.append(Outcome(lead.lead_id, score, None, getattr(first_matching_track(playbook.tracks, facts),
                                                                       "id", None)))
            continue
        loads.release_until(lead.at)
        route = decide_route(rules, fallback, facts, roster, rotation=rotation)
        if route.rep_id is not None:
            loads.hold(route.rep_id, lead.held_until)
        outcomes.append(_routed(playbook, calendar, lead, score, route))
    return outcomes
