"""Public website forms: a key per form, a honeypot against bots, a rate limit per sender."""

import secrets
import time
from collections import defaultdict, deque

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.errors import BadInput, NotFound, RevteamError
from revteam.events.service import record
from revteam.leads.capture import FORM_TOUCH, capture
from revteam.leads.intake import IntakeResult
from revteam.leads.models import WebForm
from revteam.leads.schemas import LeadIn

HONEYPOT_FIELD = "company_website_hp"  # hidden on the page; people leave it empty, bots fill it


class RateLimited(RevteamError):
    http_status = 429


class SenderWindow:
    """At most `limit` submissions per sender per minute, per process."""

    MAX_SENDERS = 10_000

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def admit(self, sender: str, *, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if len(self._seen) > self.MAX_SENDERS:
            self._forget_quiet_senders(now)
        seen = self._seen[sender]
        while seen and now - seen[0] > 60:
            seen.popleft()
        if len(seen) >= self.limit:
            raise RateLimited(f"too many submissions from {sender}: at most {self.limit} a minute")
        seen.append(now)

    def _forget_quiet_senders(self, now: float) -> None:
        for sender in [s for s, seen in self._seen.items() if not seen or now - seen[-1] > 60]:
            del self._seen[sender]


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


def submit(session: Session, *, key: str, fields: dict[str, str], sender: str,
           window: SenderWindow) -> tuple[WebForm, IntakeResult | None]:
    """Land one form submission; a filled honeypot is dropped silently (result None)."""
    form = session.scalar(select(WebForm).where(WebForm.key == key, WebForm.active.is_(True)))
    if form is None:
        raise NotFound("unknown or inactive form")
    window.admit(f"{form.key}:{sender}")
    if fields.get(HONEYPOT_FIELD):
        return form, None
    known = {name: value for name, value in fields.items() if name in LeadIn.model_fields}
    # Attribution is the form's, never the poster's: anonymous posts must not invent campaigns.
    known.update(source=form.source, campaign=form.campaign)
    result = capture(session, [LeadIn(**known)], actor=f"form:{form.name}", touch_type=FORM_TOUCH)
    if result.refused:
        raise BadInput(result.refused[0]["reason"], where="form")
    return form, result
