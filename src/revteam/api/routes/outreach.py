"""Stopping touches over HTTP: hard bounces from the mail provider, an admin's suppression."""

from fastapi import APIRouter

from revteam.api.deps import AdminUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.clock import Now
from revteam.outreach.bounces import report_bounces
from revteam.outreach.schemas import BounceBatch, BounceIn, BounceOut, SuppressionIn, SuppressionOut
from revteam.outreach.suppression import suppress_by_email

router = APIRouter(prefix="/api", tags=["outreach"], responses=SIGNED_IN)


@router.post("/bounces", response_model=BounceOut)
def bounces(body: BounceIn | BounceBatch, session: SessionDep, user: AdminUser) -> BounceOut:
    """Report hard bounces (one, or up to 1,000): each stops every later touch to its person; an
    address nobody has yet is kept and stops the person who arrives with it; a text that is no e-mail
    address is refused by its position; a bounce reported again changes nothing."""
    report = report_bounces(session, body if isinstance(body, list) else [body], actor=user.email)
    return BounceOut(**report.as_json())


@router.post("/suppressions", response_model=SuppressionOut)
def suppress(body: SuppressionIn, session: SessionDep, user: AdminUser, now: Now) -> SuppressionOut:
    """Suppress a person (admins): no touch reaches them any more; the reason goes on their leads' timelines."""
    changed = suppress_by_email(session, email=body.email, reason=body.reason, actor=user.email, at=now)
    return SuppressionOut(email=body.email, suppressed=True, changed=changed)
