"""Two survey rounds, a year apart, whose answers follow what the demo's records say.

Each respondent answers a statement the records can test near its record figure (its evidence
line), and every other statement near the mean of all the round's record figures on that scale
(the evidence lines, and the funnel metrics the trend sets beside the score: acceptance, no rejected
lead won by another rep, NRR capped at 100 %), shifted by how rosy their team tends to see things and by the respondent's own
leaning on that statement. The leaning is drawn once per person from their own stream and kept
across rounds, so between the rounds an answer moves only because the records under it moved: the
answers move the way the records do, and the three teams disagree in the usual way.
Written in bulk like the other stages (events carry the demo's explicit ids), each answer checked
and totalled by the survey's own rules.
"""

from datetime import UTC, datetime, time, timedelta
from statistics import fmean

from dateutil.relativedelta import relativedelta
from sqlalchemy import insert, select

from revteam.db.session import session_scope
from revteam.demo.leads import event_row
from revteam.demo.plan import DemoContext
from revteam.demo.writer import insert_rows
from revteam.events.models import Event
from revteam.survey import evidence, rules, service
from revteam.survey.models import SurveyInvitation, SurveyResponse, SurveyRound
from revteam.survey.results import respondent_total
from revteam.users import functions
from revteam.users.models import User

TEAM_OPTIMISM = {"marketing": 0.7, "sales": -0.5, "success": 0.0}
NEUTRAL = 3.0
ROUNDS = ((12, "alignment-1"), (1, "alignment-2"))  # months before the demo's last day, name
OPEN_DAYS = 14
LEANING = 0.6  # the spread of one person's view of a statement around the records


def leanings(ctx: DemoContext, survey, user_id: int) -> dict[str, float]:
    """A respondent's own leaning on each statement, the same in every round (their own stream)."""
    rng = ctx.rng(f"survey/member/{user_id}")
    return {statement.id: rng.gauss(0, LEANING) for statement in survey.every_statement()}


def _answers(ctx: DemoContext, survey, centres: dict[str, float], user_id: int, team: str) -> dict[str, int]:
    leaning = leanings(ctx, survey, user_id)
    drawn = {statement.id: max(1, min(5, round(centres[statement.id] + TEAM_OPTIMISM.get(team, 0.0)
                                                + leaning[statement.id])))
             for statement in survey.every_statement()}
    return rules.checked_answers(survey, drawn)


def records_centre(figures: dict[str, float], funnel: dict) -> float:
    """Every record figure of the round on the answers' scale, averaged: the evidence lines and the funnel
    metrics the trend sets beside the score (acceptance, no rejected lead won by another rep, NRR capped
    at 100 %); neutral when none is known."""
    scored = [*figures.values(), evidence.on_scale(funnel["acceptance_rate"]),
              evidence.on_scale(funnel["rejected_then_won"], against=True), evidence.on_scale(funnel["nrr"])]
    known = [score for score in scored if score is not None]
    return fmean(known) if known else NEUTRAL


def _plan(ctx: DemoContext, closes: datetime) -> tuple[dict[str, float], list[tuple[int, str]]]:
    """Where each statement's answers centre in the round's period, and each member to invite with their team."""
    survey = ctx.playbook.survey
    with session_scope(ctx.engine) as session:
        lines = evidence.evidence(session, survey, dict.fromkeys(s.id for s in survey.every_statement()),
                                  until=closes, version_id=ctx.playbook_version_id)
        funnel = service.funnel_beside(session, evidence.evidence_period(closes), now=closes)
        users = session.scalars(select(User).where(User.id.in_(functions.members(session, None)))).all()
        members = [(user.id, functions.team_of(session, user)) for user in users]
    figures = {line["statement"]: line["records"] for line in lines if line["records"] is not None}
    rest = records_centre(figures, funnel)
    return {statement.id: figures.get(statement.id, rest) for statement in survey.every_statement()}, members


def _write_round(ctx: DemoContext, name: str, opened: datetime) -> int:
    survey, closes = ctx.playbook.survey, opened + timedelta(days=OPEN_DAYS)
    centres, members = _plan(ctx, closes)
    with ctx.engine.begin() as connection:
        round_id = connection.execute(insert(SurveyRound.__table__).returning(SurveyRound.id), {
            "name": name, "opened_at": opened, "closes_at": closes, "closed_at": None, "opened_by": "demo",
            "playbook_version_id": ctx.playbook_version_id}).scalar_one()
        answered = [(user_id, team, opened + timedelta(hours=position + 1), _answers(ctx, survey, centres, user_id, team))
                    for position, (user_id, team) in enumerate(members)]
        insert_rows(connection, SurveyInvitation.__table__,
                    [{"round_id": round_id, "user_id": user_id, "answered_at": at} for user_id, _, at, _ in answered])
        insert_rows(connection, SurveyResponse.__table__, [
            {"round_id": round_id, "team": team, "total": respondent_total(survey, answers), "answers": answers,
             "source": "web", "import_key": None, "submitted_at": at} for _, team, at, answers in answered])
        events = [event_row(ctx, "survey.opened", rules.SUBJECT, round_id, "demo", opened,
                            {"name": name, "closes_at": closes.isoformat(), "invited": len(members)})]
        events += [event_row(ctx, "survey.answered", rules.SUBJECT, round_id, "demo", at,
                             {"team": team, "source": "web"}) for _, team, at, _ in answered]
        ctx.counts["events"] += insert_rows(connection, Event.__table__, events)
    return len(answered)


def survey_stage(ctx: DemoContext) -> None:
    for months_back, name in ROUNDS:
        day = ctx.as_of - relativedelta(months=months_back)
        ctx.counts["survey answers"] += _write_round(ctx, name, datetime.combine(day, time(9), tzinfo=UTC))
