"""Compensation pages: a rep's statement with a dispute button per line, the manager's month view."""

from datetime import date
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from revteam.comp import disputes, service
from revteam.errors import BadInput
from revteam.web.auth import PageSession, PageUser
from revteam.web.templating import render

router = APIRouter(prefix="/comp")


def _month(period: str | None) -> str:
    return period or date.today().strftime("%Y-%m")


@router.get("")
def month_page(request: Request, session: PageSession, user: PageUser, period: str | None = None) -> Response:
    view = service.period_view(session, period=_month(period), viewer=user)
    listed = disputes.disputes(session, period=view["period"], viewer=user)
    return render(request, "comp/period.html", {"title": f"Compensation {view['period']}", "view": view,
                                                "disputes": listed})


@router.get("/{email}/{period}")
def statement_page(request: Request, session: PageSession, user: PageUser, email: str, period: str) -> Response:
    view = service.statement(session, rep_email=email, period=period, viewer=user)
    return render(request, "comp/statement.html", {"title": f"Statement {email} {period}", "s": view,
                                                   "own": email == user.email})


@router.post("/{email}/{period}/dispute")
async def dispute(request: Request, session: PageSession, user: PageUser, email: str, period: str) -> Response:
    form = await request.form()
    try:
        expected = int(Decimal(str(form.get("expected", ""))) * 100)
    except InvalidOperation:
        raise BadInput("the expected amount is not a number, e.g. 525.00", where="expected") from None
    disputes.open_dispute(session, statement_id=int(str(form.get("statement_id", "0")) or 0),
                          line=int(str(form.get("line", "0")) or 0), expected_minor=expected,
                          reason=str(form.get("reason", "")), viewer=user, actor=user.email)
    return RedirectResponse(f"/comp/{email}/{period}", status_code=303)
