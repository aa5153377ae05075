"""Two survey rounds, a year apart, whose answers follow what the demo's records say.

Each respondent answers every statement near the mean of the round's record figures (the evidence
lines), shifted by how rosy their team tends to see things, with a little noise: when the records
improve between the rounds, so do the answers, and the three teams disagree in the usual way.
"""

import random
from datetime import UTC, datetime, time, timedelta
from statistics import fmean

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.demo.plan import DemoContext
from revteam.survey import queries, rules, service
from revteam.users.models import User

TEAM_OPTIMISM = {"marketing": 0.7, "sales": -0.5, "success": 0.0}
NEUTRAL = 3.0
ROUNDS = ((12, "alignment-1"), (1, "alignment-2"))  # months before the demo's last day, name
OPEN_DAYS = 14


def _answers(rng: random.Random, statements: list[str], centre: float, team: str) -> dict[str, int]:
    return {statement: max(1, min(5, round(centre + TEAM_OPTIMISM.get(team, 0.0) + rng.gauss(0, 0.6))))
            for statement in statements}


def _run_round(session, rng: random.Random, name: str, opened: datetime) -> int:
    survey_round = rules.open_round(session, name=name, closes_at=opened + timedelta(days=OPEN_DAYS), invite=None,
                                    actor="demo", now=opened)
    session.flush()
    lines = service.round_results(session, name, now=opened + timedelta(days=OPEN_DAYS))["evidence"]
    figures = [line["records"] for line in lines if line["records"] is not None]
    centre = fmean(figures) if figures else NEUTRAL
    statements = [statement.id for statement in rules.round_survey(session, survey_round).every_statement()]
    invited = session.scalars(select(User).where(User.id.in_(queries.members(session, None)))).all()
    for position, user in enumerate(invited):
        answers = _answers(rng, statements, centre, queries.team_of(session, user))
        rules.answer(session, name, user, answers, source="web", now=opened + timedelta(hours=position + 1))
    return len(invited)


def survey_stage(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 7919 + 16)
    for months_back, name in ROUNDS:
        day = ctx.as_of - relativedelta(months=months_back)
        with session_scope(ctx.engine) as session:
            ctx.counts["survey answers"] += _run_round(session, rng, name, datetime.combine(day, time(9), tzinfo=UTC))
