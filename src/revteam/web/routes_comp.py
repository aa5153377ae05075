"""Compensation pages: a rep's statement with a dispute button per line, the manager's month view."""

from datetime import date
from decimal import Decimal, InvalidOperation

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import RedirectResponse, Response

from revteam.comp import disputes, service
from revteam.errors import BadInput
from revteam.inputs import MAX_MONEY, Line
from revteam.web.auth import PageSession, PageUser
from revteam.web.templating import render

router = APIRouter(prefix="/comp")
EmailPath = Annotated[Line, Path(max_length=254)]
PeriodPath = Annotated[Line, Path(max_length=7)]


def _month(period: str | None) -> str:
    return period or date.today().strftime("%Y-%m")


@router.get("")
def month_page(request: Request, session: PageSession, user: PageUser, period: Annotated[Line | None, Query(max_length=7)] = None) -> Response:
    view = service.period_view(session, period=_month(period), viewer=user)
    listed = disputes.disputes(session, period=view["period"], viewer=user)
    return render(request, "comp/period.html", {"title": f"Compensation {view['period']}", "view": view,
                                                "disputes": listed})


@router.get("/{email}/{period}")
def statement_page(request: Request, session: PageSession, user: PageUser, email: EmailPath, period: PeriodPath) -> Response:
    view = service.statement(session, rep_email=email, period=period, viewer=user)
    return render(request, "comp/statement.html", {"title": f"Statement {email} {period}", "s": view,
                                                   "own": email == user.email})


def _whole(form, name: str) -> int:
    text = str(form.get(name, ""))
    if not text.isdigit() or len(text) > 18:
        raise BadInput(f"not a whole number: {text[:20]!r}", where=name)
    return int(text)


def _expected_minor(form) -> int:
    try:
        amount = Decimal(str(form.get("expected", "")))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or not 0 <= amount <= MAX_MONEY / 100:
        raise BadInput("the expected amount is not an amount, e.g. 525.00", where="expected")
    return int(amount * 100)


@router.post("/{email}/{period}/dispute")
async def dispute(request: Request, session: PageSession, user: PageUser, email: EmailPath, period: PeriodPath) -> Response:
    form = await request.form()
    disputes.open_dispute(session, statement_id=_whole(form, "statement_id"), line=_whole(form, "line"),
                          expected_minor=_expected_minor(form), reason=str(form.get("reason", "")), viewer=user,
                          actor=user.email)
    return RedirectResponse(f"/comp/{email}/{period}", status_code=303)
