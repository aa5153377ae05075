"""The Jinja2 environment: templates, the page context every template gets, display filters."""

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.responses import HTMLResponse, Response

from revteam.leads.event_words import details, phrase, shown
from revteam.users.models import Role
from revteam.users.service import names_by_email
from revteam.web.csrf import HEADER, csrf_token

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# (label, path, roles that see it); admins see everything.
NAVIGATION: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Inbox", "/inbox", frozenset({Role.sales, Role.manager})),
    ("My leads", "/my-leads", frozenset({Role.sales, Role.manager})),
    ("My tasks", "/tasks", frozenset({Role.sales, Role.manager})),
    ("Leads", "/leads", frozenset(Role)),
    ("Accounts", "/accounts", frozenset(Role)),
    ("Customers", "/customers", frozenset(Role)),
    ("Cultivation", "/cultivation", frozenset({Role.marketing, Role.manager})),
    ("Dashboard", "/dashboard", frozenset(Role)),
    ("Scorecards", "/scorecards", frozenset(Role)),
    ("Playbook", "/playbook", frozenset(Role)),
    ("Scoring", "/scoring", frozenset(Role)),
    ("Survey", "/survey", frozenset(Role)),
    ("Comp", "/comp", frozenset({Role.sales, Role.success, Role.manager})),
    ("Admin", "/admin", frozenset()),
)


def _page_context(request: Request) -> dict[str, Any]:
    viewer = getattr(request.state, "viewer", None)
    links = [(label, path) for label, path, roles in NAVIGATION
             if viewer and (viewer.role in roles or viewer.role == Role.admin)]
    return {"viewer": viewer, "csrf_token": csrf_token(request), "csrf_header": HEADER,
            "navigation": links, "path": request.url.path}


def _as_datetime(value: datetime | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def when(value: datetime | str | None) -> str:
    """A UTC moment as 2026-03-01 14:05 UTC."""
    moment = _as_datetime(value)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def duration(seconds: float | None) -> str:
    """Seconds as '3 h 05 min', '2 d 4 h' or '45 s'; negative as 'overdue by ...'."""
    if seconds is None:
        return "—"
    if seconds < 0:
        return f"overdue by {duration(-seconds)}"
    minutes, hours = int(seconds // 60), int(seconds // 3600)
    if hours >= 48:
        return f"{hours // 24} d {hours % 24} h"
    if hours:
        return f"{hours} h {minutes % 60:02d} min"
    return f"{minutes} min" if minutes else f"{int(seconds)} s"


def money(minor: int | None, currency: str = "USD") -> str:
    """Integer minor units as '$1,234' (cents shown only when there are any)."""
    if minor is None:
        return "—"
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{symbol}{whole:,}" + (f".{cents:02d}" if cents else "")


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f} %"


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pass_context
def names(context, text: Any) -> str:
    """Text with each user's e-mail replaced by their name (people, not addresses, on a page); users
    are read once per request, the first time a page asks."""
    text = "" if text is None else shown(text) if not isinstance(text, str) else text
    state = context["request"].state
    if "@" not in text or getattr(state, "page_session", None) is None:
        return text
    if not hasattr(state, "user_names"):
        state.user_names = names_by_email(state.page_session)
    return _EMAIL.sub(lambda found: state.user_names.get(found.group(0).lower(), found.group(0)), text)


templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[_page_context])
templates.env.filters.update(when=when, duration=duration, money=money, percent=percent, names=names, shown=shown,
                            event_phrase=phrase, event_details=details)


def render(request: Request, name: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render one template with the page context."""
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code, headers=headers)


def csv_response(text: str, filename: str) -> Response:
    """A CSV download (UTF-8) of an export the page's list selects."""
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
