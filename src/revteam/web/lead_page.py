"""What the lead page shows: the lead's story and the moves the viewer may make on it.

Its GET and every action posted from it render the same context, so after an action the page
shows the lead as it now is (HTMX swaps the `#lead` part, a plain form post gets the page).
"""

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from revteam.clock import now as app_now
from revteam.cultivation import graduation
from revteam.cultivation.package import graduation_package
from revteam.cultivation.queries import track_enrollment
from revteam.leads import queries as lead_queries
from revteam.leads.access import require_visible
from revteam.leads.flow.choices import lead_choices
from revteam.leads.flow.reassign import reassignable_reps
from revteam.leads.service import lead_story
from revteam.leads.states import LeadState
from revteam.playbook.versions import active
from revteam.revenue.service import lead_opportunity
from revteam.outreach.suppression import may_suppress, suppression_of
from revteam.users.models import User
from revteam.web.templating import render

# An action's answer replaces the page's #lead part (flash out of band); errors keep their own target.
SWAP_LEAD = {"HX-Retarget": "#lead", "HX-Reswap": "outerHTML", "HX-Reselect": "#lead"}


def lead_context(request: Request, session: Session, user: User, lead_id: int) -> dict[str, Any]:
    lead = require_visible(session, user, lead_id)
    story = lead_story(session, lead.id)
    account = story["account"]
    choices = lead_choices(session, user, lead)
    moment = app_now(request)
    return {
        "graduation": graduation_package(session, lead.id, viewer=user, now=moment),
        "readiness": graduation.readiness(session, lead.id, now=moment) if lead.state == LeadState.CULTIVATING else None,
        "may_confirm": graduation.may_confirm(session, user, lead),
        "sql_criteria": active(session).playbook.sql_criteria,
        "title": f"Lead {lead_id}", "lead": story, "offers": lead_queries.offers(session, lead_id),
        "track": track_enrollment(session, lead_id, now=moment),
        "people": lead_queries.account_people(session, account["id"], viewer=user) if account else None,
        "choices": choices, "opportunity": lead_opportunity(session, lead_id), "committee_roles": active(session).playbook.committee.roles,
        "suppression": suppression_of(session, lead.person_id), "may_suppress": may_suppress(user),
        "reps": [rep for rep in reassignable_reps(session, user) if rep.id != lead.owner_id] if choices.reassign else [],
    }


def lead_answer(request: Request, session: Session, user: User, lead_id: int, message: str) -> Response:
    """The lead page after an action, with its message in the flash area."""
    session.flush()
    return render(request, "lead.html", {**lead_context(request, session, user, lead_id), "message": message},
                  headers=SWAP_LEAD)
