"""The survey's reports: the list of rounds and a round's results, as the CLI, API and pages show them.

Who reads results: admins and managers see every team and the gaps; a member of marketing, sales
or success sees the overall figure, their own team's and the evidence, never another team's.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.metrics import gtm
from revteam.periods import Period
from revteam.survey import evidence, queries, results, rules
from revteam.survey.models import SurveyRound
from revteam.users import functions
from revteam.users.models import Role, User

SEES_EVERY_TEAM = (Role.admin.value, Role.manager.value)


def _ended(survey_round: SurveyRound, now: datetime) -> datetime | None:
    """When the round closed: by hand, or at its closing date once that has passed."""
    return survey_round.closed_at or (survey_round.closes_at if survey_round.closes_at <= now else None)


def list_rounds(session: Session, *, now: datetime | None = None) -> list[dict]:
    now = now or utcnow()
    counts = queries.answer_counts(session)
    return [{"id": r.name, "opened": r.opened_at.isoformat(), "closes": r.closes_at.isoformat(),
             "closed": (ended.isoformat() if (ended := _ended(r, now)) else None), "answers": counts.get(r.id, 0)}
            for r in queries.rounds(session)]


def _for_viewer(session: Session, report: dict, viewer: User | None) -> dict:
    if viewer is None or viewer.role in SEES_EVERY_TEAM:
        return report
    own = functions.team_of(session, viewer)
    return {**report, "teams": {team: figures for team, figures in report["teams"].items() if team == own},
            "gaps": []}


def round_results(session: Session, name: str, *, viewer: User | None = None, now: datetime | None = None) -> dict:
    """Overall and per-team score and stage, gaps per statement, and the records beside the answers."""
    now = now or utcnow()
    survey_round = queries.require_round(session, name)
    survey = rules.round_survey(session, survey_round)
    summary = results.summarize(survey, queries.responses(session, survey_round.id), rules.TEAMS)
    until = _ended(survey_round, now) or now
    lines = evidence.evidence(session, survey, summary["statements"], until=until,
                              version_id=survey_round.playbook_version_id, viewer=viewer)
    report = {"round": name, "opened": survey_round.opened_at.isoformat(),
              "closed": until.isoformat() if _ended(survey_round, now) else None,
              "min_group": survey.min_group, **summary, "evidence": lines}
    return _for_viewer(session, report, viewer)


def funnel_beside(session: Session, period: Period, *, now: datetime) -> dict:
    """The funnel metrics the trend sets beside a round's score, of its evidence period."""
    quality, fair = gtm.quality_report(session, period)["total"], gtm.rejection_report(session, period)["fair_game"]
    speed = gtm.speed_report(session, period, now=now)["total"]["mql_to_accept_hours"]
    return {"acceptance_rate": quality["acceptance_rate"], "rejected_then_won": fair["share"],
            "speed_to_lead_hours": speed["median"], "nrr": quality["nrr"]}


def trend(session: Session, *, now: datetime | None = None) -> list[dict]:
    """Each round's overall score beside the funnel metrics of its evidence period."""
    now = now or utcnow()
    rows = []
    for survey_round in queries.rounds(session):
        survey = rules.round_survey(session, survey_round)
        overall = results.summarize(survey, queries.responses(session, survey_round.id), rules.TEAMS)["overall"]
        period = evidence.evidence_period(_ended(survey_round, now) or now)
        rows.append({"round": survey_round.name, "period": period.written(), "score": overall["score"],
                     "stage": overall["stage"], **funnel_beside(session, period, now=now)})
    return rows
