"""CSRF protection: one random token per session, required on every unsafe request.

Forms carry it in a hidden `csrf_token` field; HTMX sends it in the X-CSRF-Token header
(set once on <body> with hx-headers). SameSite=Lax cookies are the second fence.
"""

import secrets

from fastapi import Request

from revteam.errors import Forbidden

_SESSION_KEY = "csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(request: Request) -> str:
    """This session's token, created on first use."""
    token = request.session.get(_SESSION_KEY)
    if not token:
        token = request.session[_SESSION_KEY] = secrets.token_urlsafe(32)
    return token


async def require_csrf(request: Request) -> None:
    """Refuse an unsafe request whose token is missing or not this session's."""
    if request.method in _SAFE_METHODS:
        return
    expected = request.session.get(_SESSION_KEY)
    sent = request.headers.get(HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        sent = (await request.form()).get(FIELD)
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise Forbidden("the form's security token is missing or out of date: reload the page and try again")
