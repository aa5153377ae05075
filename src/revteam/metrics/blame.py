"""Blame in the lead flow: rejected leads whose rejection did not hold.

A rejection is settled by a `lead.evaluated` event (leads/flow/actions.py) naming where the lead went
(`to`: cultivation or reroute) and where the reject reason sends it by default (`default`: cultivate
or reroute). Of the leads created in the period that a rep rejected:
- disputed: a person (not the auto-evaluation job, `system:*`) sent the lead elsewhere than the reject
  reason's default: the evaluator did not take the rep's word for it;
- re-routed: the evaluation offered the lead to another rep (`to: reroute`, with no `lead.returned`
  in the same step, which is a re-route no rep could take);
- won by another rep: the fair-game figure (gtm_queries.fair_game_leads);
- blamed: any of the three, the evidence behind the survey's "no blame" statement.
This is the one figure of the go-to-market metrics that reads the event log: the evaluations, found
by the events' type index.
"""

from typing import Literal

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from revteam.events.models import Event
from revteam.leads.models import Lead
from revteam.metrics.gtm import rate
from revteam.metrics.gtm_queries import fair_game_leads, in_cohorts
from revteam.metrics.milestones import LeadMilestones
from revteam.periods import Period

Blame = Literal["rejected", "disputed", "rerouted", "won", "blamed"]
BLAME: tuple[str, ...] = Blame.__args__
DEFINITION = ("rejected leads whose rejection did not hold: disputed (a person sent the lead elsewhere than the "
              "reject reason's default), re-routed to another rep, or later won by a rep who had not rejected it")
EVALUATED, RETURNED = "lead.evaluated", "lead.returned"


def _evaluations(*conditions: ColumnElement[bool]):
    """The ids of the leads with a `lead.evaluated` event meeting the conditions."""
    return select(Event.subject_id).where(Event.type == EVALUATED, Event.subject_type == "lead", *conditions)


def _disputed() -> ColumnElement[bool]:
    went_on, sent_on = Event.data["to"].as_string() == "reroute", Event.data["default"].as_string() == "reroute"
    by_a_person = not_(Event.actor.like("system:%"))
    return and_(by_a_person, or_(and_(went_on, not_(sent_on)), and_(not_(went_on), sent_on)))


def _rerouted() -> ColumnElement[bool]:
    returned = aliased(Event)
    no_rep_took_it = (select(returned.id).where(returned.type == RETURNED, returned.subject_id == Event.subject_id,
                                                returned.at == Event.at).exists())
    return and_(Event.data["to"].as_string() == "reroute", ~no_rep_took_it)


def blame_leads(which: str) -> ColumnElement[bool]:
    """Leads (a condition on `Lead`) of one blame figure; the lists its figures link to read it."""
    if which in ("rejected", "won"):
        return fair_game_leads(which)
    if which == "disputed":
        return Lead.id.in_(_evaluations(_disputed()))
    if which == "rerouted":
        return Lead.id.in_(_evaluations(_rerouted()))
    return or_(*(blame_leads(part) for part in ("disputed", "rerouted", "won")))


def blame_report(session: Session, period: Period, *, leads: ColumnElement[bool] | None = None) -> dict:
    """Of the leads created in the period (those `leads` selects when given): how many were rejected, and of
    them disputed, re-routed, won by another rep, and any of these (blamed), with the blamed share."""
    m = LeadMilestones
    scope = [*in_cohorts(period, m.cohort), *([leads] if leads is not None else [])]
    base = select(func.count()).select_from(m).join(Lead, Lead.id == m.lead_id).where(*scope)
    counts = {which: int(session.scalar(base.where(blame_leads(which)))) for which in BLAME}
    return {"definition": DEFINITION, **counts, "share": rate(counts["blamed"], counts["rejected"])}
