"""Two survey rounds, a year apart, whose answers follow what the demo's records say.

Each respondent answers a statement the records can test near its record figure (its evidence
line), and every other statement near the mean of those figures, shifted by how rosy their team
tends to see things, with a little noise: when the records improve between the rounds, so do the
answers, and the three teams disagree in the usual way.
Written in bulk like the other stages (events carry the demo's explicit ids), each answer checked
and totalled by the survey's own rules.
"""

import random
from datetime import UTC, datetime, time, timedelta
from statistics import fmean

from dateutil.relativedelta import relativedelta
from sqlalchemy import insert, select

from revteam.db.session import session_scope
from revteam.demo.leads import event_row
from revteam.demo.plan import DemoContext
from revteam.demo.writer import insert_rows
from revteam.events.models import Event
from revteam.survey import evidence, rules
from revteam.survey.models import SurveyInvitation, SurveyResponse, SurveyRound
from revteam.survey.results import respondent_total
from revteam.users import functions
from revteam.users.models import User

TEAM_OPTIMISM = {"marketing": 0.7, "sales": -0.5, "success": 0.0}
NEUTRAL = 3.0
ROUNDS = ((12, "alignment-1"), (1, "alignment-2"))  # months before the demo's last day, name
OPEN_DAYS = 14


def _answers(rng: random.Random, survey, centres: dict[str, float], team: str) -> dict[str, int]:
    drawn = {statement.id: max(1, min(5, round(centres[statement.id] + TEAM_OPTIMISM.get(team, 0.0)
                                                + rng.gauss(0, 0.6))))
             for statement in survey.every_statement()}
    return rules.checked_answers(survey, drawn)


def _plan(ctx: DemoContext, closes: datetime) -> tuple[dict[str, float], list[tuple[int, str]]]:
    """Where each statement's answers centre in the round's period, and each member to invite with their team."""
    survey = ctx.playbook.survey
    with session_scope(ctx.engine) as session:
        lines = evidence.evidence(session, survey, dict.fromkeys(s.id for s in survey.every_statement()),
                                  until=closes, version_id=ctx.playbook_version_id)
        users = session.scalars(select(User).where(User.id.in_(functions.members(session, None)))).all()
        members = [(user.id, functions.team_of(session, user)) for user in users]
    figures = {line["statement"]: line["records"] for line in lines if line["records"] is not None}
    mean = fmean(figures.values()) if figures else NEUTRAL
    return {statement.id: figures.get(statement.id, mean) for statement in survey.every_statement()}, members


def _write_round(ctx: DemoContext, rng: random.Random, name: str, opened: datetime) -> int:
    survey, closes = ctx.playbook.survey, opened + timedelta(days=OPEN_DAYS)
    centres, members = _plan(ctx, closes)
    with ctx.engine.begin() as connection:
        round_id = connection.execute(insert(SurveyRound.__table__).returning(SurveyRound.id), {
            "name": name, "opened_at": opened, "closes_at": closes, "closed_at": None, "opened_by": "demo",
            "playbook_version_id": ctx.playbook_version_id}).scalar_one()
        answered = [(user_id, team, opened + timedelta(hours=position + 1), _answers(rng, survey, centres, team))
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
    rng = ctx.rng("survey")
    for months_back, name in ROUNDS:
        day = ctx.as_of - relativedelta(months=months_back)
        ctx.counts["survey answers"] += _write_round(ctx, rng, name, datetime.combine(day, time(9), tzinfo=UTC))
