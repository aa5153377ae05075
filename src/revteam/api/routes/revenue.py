"""Opportunities, customers, promises, health and revenue metrics over HTTP."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from revteam.api.deps import MONTH, CurrentUser, PeriodQuery, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.errors import NotFound
from revteam.inputs import Day, Id, Line
from revteam.leads.access import require_customer_writer
from revteam.metrics import gtm, scorecard
from revteam.metrics import service as metrics
from revteam.periods import Period
from revteam.revenue import handoff, health, queries, service
from revteam.revenue.schemas import (
    HealthIn, HealthOut, LostIn, OpportunityIn, OpportunityOut, PromiseDecisionIn, PromiseOut, WonIn,
)

router = APIRouter(prefix="/api", tags=["revenue"], responses=SIGNED_IN)
ScorecardTeam = Literal["marketing", "sales", "success"]
ScorecardBy = Literal["team", "pod", "rep"]
AccountRef = Annotated[Line, Path(max_length=300, description="The account's domain or name.")]


@router.post("/opportunities", response_model=OpportunityOut, status_code=201)
def open_opportunity(body: OpportunityIn, session: SessionDep, user: CurrentUser) -> OpportunityOut:
    service.require_deal_owner(session, user, lead_id=body.lead_id, action="open an opportunity on")
    opportunity = service.open_opportunity(session, lead_id=body.lead_id, amount_minor=body.amount_minor,
                                           expected_close=body.expected_close, actor=user.email)
    return OpportunityOut.model_validate(opportunity)


@router.post("/opportunities/{opportunity_id}/won")
def close_won(opportunity_id: Id, body: WonIn, session: SessionDep, user: CurrentUser) -> dict:
    service.require_opportunity_owner(session, user, opportunity_id=opportunity_id, action="close as won")
    made = service.close_won(session, opportunity_id=opportunity_id, plan=body.plan, seats=body.seats,
                             mrr_minor=body.mrr_minor, term_months=body.term_months, start=body.start,
                             promises=body.promises, actor=user.email, success_plan=body.success_plan)
    return {"opportunity_id": opportunity_id, "account_id": made.account_id, "handoff_id": made.id}


@router.post("/opportunities/{opportunity_id}/lost", response_model=OpportunityOut)
def close_lost(opportunity_id: Id, body: LostIn, session: SessionDep, user: CurrentUser) -> OpportunityOut:
    service.require_opportunity_owner(session, user, opportunity_id=opportunity_id, action="close as lost")
    opportunity = service.close_lost(session, opportunity_id=opportunity_id, reason=body.reason,
                                     actor=user.email, on=body.on)
    return OpportunityOut.model_validate(opportunity)


@router.get("/customers/{account}")
def customer(account: AccountRef, session: SessionDep, user: CurrentUser, today: Day | None = None) -> dict:
    return queries.customer_view(session, account, viewer=user, today=today)


@router.post("/promises/{promise_id}/{decision}", response_model=PromiseOut)
def decide_promise(promise_id: Id, decision: Line, body: PromiseDecisionIn, session: SessionDep,
                   user: CurrentUser) -> PromiseOut:
    decide = {"confirm": handoff.confirm_promise, "dispute": handoff.dispute_promise}.get(decision)
    if decide is None:
        raise NotFound(f"no decision {decision!r}: use confirm or dispute")
    return PromiseOut.model_validate(decide(session, promise_id=promise_id, actor=user.email, note=body.note))


@router.post("/customers/{account}/health", response_model=HealthOut, status_code=201)
def record_health(account: AccountRef, body: HealthIn, session: SessionDep, user: CurrentUser) -> HealthOut:
    found = queries.find_account(session, account, viewer=user)
    require_customer_writer(session, user, what=f"record the health of {found.name}")
    check = health.record_health(session, account_id=found.id, success_signals=body.success_signals,
                                 happiness=body.happiness, actor=user.email)
    return HealthOut.model_validate(check)


@router.get("/metrics/revenue")
def revenue_metrics(session: SessionDep, _user: CurrentUser, first: str = Query(alias="from", description=MONTH),
                    last: str = Query(alias="to", description=MONTH)) -> dict:
    return metrics.revenue_report(session, Period.parse(first, last))


@router.get("/metrics/funnel")
def funnel_metrics(session: SessionDep, _user: CurrentUser, period: PeriodQuery) -> dict:
    return gtm.funnel_report(session, period)


@router.get("/metrics/sources")
def source_metrics(session: SessionDep, _user: CurrentUser, period: PeriodQuery) -> dict:
    return gtm.quality_report(session, period)


@router.get("/metrics/speed")
def speed_metrics(session: SessionDep, _user: CurrentUser, period: PeriodQuery) -> dict:
    return gtm.speed_report(session, period)


@router.get("/metrics/rejections")
def rejection_metrics(session: SessionDep, _user: CurrentUser, period: PeriodQuery) -> dict:
    return gtm.rejection_report(session, period)


@router.get("/metrics/bookings")
def booking_metrics(session: SessionDep, _user: CurrentUser, period: PeriodQuery) -> dict:
    return gtm.bookings_report(session, period)


@router.get("/metrics/scorecard")
def scorecard_metrics(session: SessionDep, user: CurrentUser, period: PeriodQuery,
                      team: Annotated[ScorecardTeam | None, Query(description="One team's card.")] = None,
                      by: Annotated[ScorecardBy | None, Query(description="The goals per sales team, pod or rep.")] = None,
                      ) -> dict:
    return scorecard.scorecard(session, period, team=team, by=by, viewer=user)
