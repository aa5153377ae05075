"""The unsubscribe link every e-mail carries: a signed, public URL naming the person.

The signature (itsdangerous, keyed by REVTEAM_SECRET_KEY) is the only proof needed: the page asks
for no sign-in, so a recipient (or a mail client's one-click List-Unsubscribe POST) can use it.
The link never expires: an old e-mail must still let its reader out.
"""

from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from revteam import config
from revteam.accounts.models import Person
from revteam.errors import NotFound
from revteam.outreach.models import SuppressionKind
from revteam.outreach.suppression import suppress

_SALT = "revteam.unsubscribe"
ACTOR = "person:unsubscribe-link"
PATH = "/unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(config.get_settings().secret_key, salt=_SALT)


def unsubscribe_url(person_id: int) -> str:
    """The person's public unsubscribe link."""
    return f"{config.get_settings().public_url.rstrip('/')}{PATH}/{_serializer().dumps(person_id)}"


def list_unsubscribe_headers(link: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 (one-click) headers for a message carrying the person's `unsubscribe_url`."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def person_of_token(session: Session, token: str) -> Person:
    """The person a link names; NotFound for a forged, damaged or stale link."""
    try:
        person_id = _serializer().loads(token)
    except BadSignature:
        raise NotFound("this unsubscribe link is not valid (it may have been cut short)") from None
    person = session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is None:
        raise NotFound("this unsubscribe link names nobody we know")
    return person


def opt_out(session: Session, *, token: str, at: datetime) -> Person:
    """The person behind the link opts out of every later touch (again: nothing changes)."""
    person = person_of_token(session, token)
    suppress(session, person_id=person.id, kind=SuppressionKind.opt_out, reason="unsubscribe link", actor=ACTOR, at=at)
    return person
