"""Public website forms: a key per form, a honeypot against bots, a rate limit per sender."""

import secrets
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.errors import BadInput, NotFound
from revteam.events.service import record
from revteam.leads.intake import form_posts
from revteam.leads.intake.capture import FORM_TOUCH, capture
from revteam.leads.intake.land import IntakeResult
from revteam.leads.models import WebForm
from revteam.leads.schemas import LeadIn

HONEYPOT_FIELD = "company_website_hp"  # hidden on the page; people leave it empty, bots fill it


def add_form(session: Session, *, name: str, source: str | None, campaign: str | None,
             redirect_url: str | None, actor: str) -> WebForm:
    """Register a website form; its key goes in the page's form action."""
    form = WebForm(key=secrets.token_urlsafe(16), name=name, source=source, campaign=campaign,
                   redirect_url=redirect_url, active=True)
    session.add(form)
    session.flush()
    record(session, type="form.added", subject_type="form", subject_id=form.id, actor=actor, data={"name": name})
    return form


def list_forms(session: Session) -> list[WebForm]:
    return list(session.scalars(select(WebForm).order_by(WebForm.id)))


def _active_form(session: Session, key: str) -> WebForm:
    form = session.scalar(select(WebForm).where(WebForm.key == key, WebForm.active.is_(True)))
    if form is None:
        raise NotFound("unknown or inactive form")
    return form


def admit_post(session: Session, *, key: str, sender: str, limit: int, now: datetime) -> None:
    """Count one post to a form against its sender; RateLimited past `limit` a minute."""
    form = _active_form(session, key)
    form_posts.admit(session, sender_key=f"{form.key}:{sender}", limit=limit, now=now)


def submit(session: Session, *, key: str, fields: dict[str, str]) -> tuple[WebForm, IntakeResult | None]:
    """Land one form submission (admitted by `admit_post`); a filled honeypot is dropped silently (result None)."""
    form = _active_form(session, key)
    if fields.get(HONEYPOT_FIELD):
        return form, None
    known = {name: value for name, value in fields.items() if name in LeadIn.model_fields}
    # Attribution is the form's, never the poster's: anonymous posts must not invent campaigns.
    known.update(source=form.source, campaign=form.campaign)
    try:
        lead = LeadIn(**known)
    except ValidationError as error:
        problem = error.errors()[0]
        raise BadInput(problem["msg"], where=f"form field {problem['loc'][0]}") from None
    result = capture(session, [lead], actor=f"form:{form.name}", touch_type=FORM_TOUCH)
    if result.refused:
        raise BadInput(result.refused[0]["reason"], where="form")
    return form, result
