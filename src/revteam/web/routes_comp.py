"""Compensation pages: a rep's statement with a dispute button per line, the manager's month view
(closing it, resolving disputes) and the what-if of a draft plan."""

from datetime import date
from decimal import Decimal, InvalidOperation

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from revteam.comp import disputes, service, simulation
from revteam.errors import BadInput
from revteam.inputs import MAX_MONEY, Line
from revteam.users.models import User
from revteam.web.auth import PageSession, PageUser
from revteam.web.templating import render

router = APIRouter(prefix="/comp")
EmailPath = Annotated[Line, Path(max_length=254)]
PeriodPath = Annotated[Line, Path(max_length=7)]
MAX_DRAFT_BYTES = 1_000_000


def _month(period: str | None) -> str:
    return period or date.today().strftime("%Y-%m")


def _kept_period_view(request: Request, session: Session, user: User, period: str) -> dict:
    """The month's statements as this viewer may see them (an admin every rep's, alike for every admin),
    kept until the next write: an open month is computed live, for every paid rep (9.9 s on `large`)."""
    whose = None if user.role == "admin" else user.id
    return request.app.state.figures.of_records(session, ("comp", whose, period), lambda kept_in: service.period_view(
        kept_in, period=period, viewer=kept_in.get(User, user.id)))


@router.get("")
def month_page(request: Request, session: PageSession, user: PageUser, period: Annotated[Line | None, Query(max_length=7)] = None) -> Response:
    view = _kept_period_view(request, session, user, _month(period))
    listed = disputes.disputes(session, period=view["period"], viewer=user)
    return render(request, "comp/period.html", {"title": f"Compensation {view['period']}", "view": view,
                                                "disputes": listed})


@router.post("/close")
async def close(request: Request, session: PageSession, user: PageUser) -> Response:
    period = str((await request.form()).get("period", ""))
    service.require_role(user, ("admin",), "closing a comp month")
    service.close_period(session, period=period, actor=user.email)
    return RedirectResponse(f"/comp?period={period}", status_code=303)


@router.post("/disputes/{dispute_id}/resolve")
async def resolve(request: Request, session: PageSession, user: PageUser, dispute_id: Annotated[int, Path(ge=1, le=2**53)]) -> Response:
    form = await request.form()
    answer = str(form.get("answer", ""))
    if answer not in ("accept", "reject"):
        raise BadInput("answer accept or reject", where="answer")
    disputes.resolve_dispute(session, dispute_id=dispute_id, accept=answer == "accept", note=str(form.get("note", "")),
                             viewer=user, actor=user.email)
    return RedirectResponse(f"/comp?period={_month(str(form.get('period', '')) or None)}", status_code=303)


async def _draft_text(form) -> str:
    """The draft playbook: an uploaded file if one was chosen, else the pasted text."""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        content = await upload.read(MAX_DRAFT_BYTES + 1)
        if len(content) > MAX_DRAFT_BYTES:
            raise BadInput(f"the draft is larger than {MAX_DRAFT_BYTES} bytes", where="file")
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise BadInput("the draft is not UTF-8 text", where="file") from error
    return str(form.get("playbook", ""))


def _simulation_form(request: Request, draft: str, first: str, last: str, *, problems: list[str] | None = None,
                     result: dict | None = None, status_code: int = 200) -> Response:
    context = {"title": "Comp what-if", "draft": draft, "first": first, "last": last, "problems": problems or [],
               "result": result}
    return render(request, "comp/simulate.html", context, status_code=status_code)


@router.get("/simulate")
def simulation_page(request: Request, session: PageSession, user: PageUser) -> Response:
    service.require_role(user, service.SIMULATORS, "a what-if on a draft plan")
    first, last = simulation.default_range(date.today())
    return _simulation_form(request, simulation.active_text(session), first, last)


@router.post("/simulate")
async def simulate(request: Request, session: PageSession, user: PageUser) -> Response:
    service.require_role(user, service.SIMULATORS, "a what-if on a draft plan")
    form = await request.form()
    draft, first, last = await _draft_text(form), str(form.get("from", "")), str(form.get("to", ""))
    try:
        result = simulation.simulate(session, draft_text=draft, source="draft", first=first or None,
                                     last=last or None)
    except BadInput as error:  # the draft's problems, each with its line, shown beside the draft to fix
        return _simulation_form(request, draft, first, last, problems=str(error).splitlines(), status_code=400)
    return _simulation_form(request, draft, result["from"], result["to"], result=result)


@router.get("/{email}/{period}")
def statement_page(request: Request, session: PageSession, user: PageUser, email: EmailPath, period: PeriodPath) -> Response:
    view = service.statement(session, rep_email=email, period=period, viewer=user)
    listed = [d for d in disputes.disputes(session, period=view["period"], viewer=user) if d["rep"] == view["rep"]]
    return render(request, "comp/statement.html", {"title": f"Statement {email} {period}", "s": view,
                                                   "own": email == user.email, "disputes": listed})


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
    if amount is None or not amount.is_finite() or not 0 <= amount <= MAX_MONEY / 100 or amount != round(amount, 2):
        raise BadInput("the expected amount is not an amount in cents, e.g. 525.00", where="expected")
    return int(amount * 100)


@router.post("/{email}/{period}/dispute")
async def dispute(request: Request, session: PageSession, user: PageUser, email: EmailPath, period: PeriodPath) -> Response:
    form = await request.form()
    disputes.open_dispute(session, statement_id=_whole(form, "statement_id"), line=_whole(form, "line"),
                          expected_minor=_expected_minor(form), reason=str(form.get("reason", "")), viewer=user,
                          actor=user.email)
    return RedirectResponse(f"/comp/{email}/{period}", status_code=303)
