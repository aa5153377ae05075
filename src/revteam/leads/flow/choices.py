"""Which moves a user may make on a lead right now: the state machine and the one policy, asked together.

The lead page offers exactly these (each still checked again when it is made), so nobody is shown a
button that would be refused, and the checks live in the domain, not in a template.
"""

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from revteam.leads.access import may_act
from revteam.leads.models import Lead
from revteam.leads.states import LeadState, Move, allowed_moves
from revteam.playbook.versions import active
from revteam.routing import offers
from revteam.routing.models import OfferOutcome, Stage
from revteam.users.models import User


@dataclass(frozen=True)
class LeadChoices:
    accept: bool = False  # accept and reject
    work: bool = False  # log activities, open an opportunity, dispose (the lead is accepted and theirs)
    handoff: bool = False
    edit: bool = False
    reassign: bool = False
    cultivate: bool = False  # send back to cultivation (a manager's move)
    evaluate: bool = False
    reject_reasons: list = field(default_factory=list)
    lost_reasons: list = field(default_factory=list)

    @property
    def any(self) -> bool:
        return any((self.accept, self.work, self.handoff, self.reassign, self.cultivate, self.evaluate))


def _handoff_open(session: Session, lead: Lead) -> bool:
    if active(session).playbook.routing.model != "assembly_line":
        return False
    offer = offers.latest_offer(session, lead.id, OfferOutcome.accepted)
    return offer is not None and offer.rep_id == lead.owner_id and offer.stage == Stage.sdr


def lead_choices(session: Session, user: User, lead: Lead) -> LeadChoices:
    """The moves `user` may make on this (visible) lead now, with the playbook's reason lists."""
    moves = set(allowed_moves(lead.state))
    works = may_act(session, user, action="work", rep_id=lead.owner_id)
    last = offers.latest_offer(session, lead.id)
    holder = lead.owner_id or (last.rep_id if last else None)
    playbook = active(session).playbook
    accepted = lead.state == LeadState.ACCEPTED and works
    return LeadChoices(
        accept=Move.ACCEPT in moves and works,
        work=accepted,
        handoff=accepted and _handoff_open(session, lead),
        edit=works,
        reassign=Move.REASSIGN in moves and may_act(session, user, action="route", rep_id=lead.owner_id),
        cultivate=Move.WITHDRAW in moves and may_act(session, user, action="evaluate", rep_id=holder),
        evaluate=lead.state == LeadState.REJECTED and may_act(session, user, action="evaluate",
                                                              rep_id=last.rep_id if last else None),
        reject_reasons=list(playbook.reject_reasons), lost_reasons=list(playbook.lost_reasons),
    )
