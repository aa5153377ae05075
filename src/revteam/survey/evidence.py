"""What the records say about the statements the data can test, on the same 1-5 scale as the answers.

Each figure is a share of records (part of whole); it is shown as 1 + 4 x share (a share of 1 is
"strongly agree"), or 5 - 4 x share where the share counts what the statement says does not happen.
The period is the six months up to the round's close.
"""

from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from revteam.events.models import Event
from revteam.metrics import views
from revteam.metrics.blame import blame_report
from revteam.metrics.gtm import rate
from revteam.metrics.scorecard import TEAMS, lead_figure
from revteam.periods import Month, Period, midnight
from revteam.playbook.survey_schema import ANSWER_HIGH, ANSWER_LOW, Survey
from revteam.revenue.models import Handoff, HealthCheck, Opportunity
from revteam.users.models import User

EVIDENCE_MONTHS = 6
SPAN = ANSWER_HIGH - ANSWER_LOW


def evidence_period(until: datetime) -> Period:
    last = Month.of(until.date())
    return Period(last.plus(1 - EVIDENCE_MONTHS), last)


def on_scale(share: float | None, *, against: bool = False) -> float | None:
    """A share (capped at 1) on the answers' 1-5 scale: 1 + 4 x share, or 5 - 4 x share `against` it."""
    if share is None:
        return None
    share = min(share, 1.0)
    return round(ANSWER_HIGH - SPAN * share if against else ANSWER_LOW + SPAN * share, 2)


def _figure(part: int, whole: int, *, against: bool = False) -> tuple[float | None, dict]:
    share = rate(part, whole)
    return on_scale(share, against=against), {"part": part, "whole": whole,
                                              "share": None if share is None else min(share, 1.0)}


def forecasts(session: Session, period: Period) -> tuple[float | None, dict, str]:
    """Amount won by its expected close date, of the amount of the deals expected to close in the period."""
    expected = and_(Opportunity.expected_close >= period.start, Opportunity.expected_close < period.end)
    met = and_(Opportunity.stage == "won", Opportunity.closed_on <= Opportunity.expected_close)
    amount = func.coalesce(func.sum(Opportunity.amount_minor), 0)
    forecast = int(session.scalar(select(amount).where(expected)))
    booked = int(session.scalar(select(amount).where(expected, met)))
    score, figure = _figure(booked, forecast)
    return score, figure, (f"{booked / 100:,.2f} booked by the expected close date of {forecast / 100:,.2f} "
                           "forecast on deals expected to close in the period")


def blame(session: Session, period: Period) -> tuple[float | None, dict, str]:
    """Rejected leads whose rejection did not hold - disputed, re-routed or later won by another rep - of
    rejected leads (metrics/blame.py)."""
    found = blame_report(session, period)
    score, figure = _figure(found["blamed"], found["rejected"], against=True)
    parts = {which: found[which] for which in BLAME_PARTS}
    return score, {**figure, **parts}, (
        f"{found['blamed']} of {found['rejected']} rejected leads were disputed ({found['disputed']}), "
        f"re-routed to another rep ({found['rerouted']}) or later won by another rep ({found['won']})")


def one_definition(session: Session, period: Period, version_id: int) -> tuple[float | None, dict, str]:
    """Decisions on leads recorded under the playbook version in force at the round's close."""
    within = [Event.subject_type == "lead", Event.at >= midnight(period.start), Event.at < midnight(period.end)]
    whole = session.scalar(select(func.count()).select_from(Event).where(*within))
    part = session.scalar(select(func.count()).select_from(Event).where(*within,
                                                                          Event.playbook_version_id == version_id))
    score, figure = _figure(part, whole)
    return score, figure, f"{part} of {whole} lead decisions were made under playbook version {version_id}"


def shared_pipeline(session: Session, period: Period) -> tuple[float | None, dict, str]:
    """Deals won in the period whose customer was handed to success and has a health check since."""
    won = [Opportunity.stage == "won", Opportunity.closed_on >= period.start, Opportunity.closed_on < period.end]
    whole = session.scalar(select(func.count()).select_from(Opportunity).where(*won))
    checked = (select(HealthCheck.id).where(HealthCheck.account_id == Opportunity.account_id,
                                            func.date(HealthCheck.recorded_at) >= Opportunity.closed_on).exists())
    part = session.scalar(select(func.count()).select_from(Opportunity)
                          .join(Handoff, Handoff.opportunity_id == Opportunity.id).where(*won, checked))
    score, figure = _figure(part, whole)
    return score, figure, (f"{part} of {whole} customers won have the whole journey: captured lead, accepted, won, "
                           "handed to success and checked by success since")


def common_metrics(session: Session, period: Period) -> tuple[float | None, dict, str]:
    """Members of the three teams who opened the dashboard or the scorecards in the period."""
    teams = {team: views.team_viewing(session, period, team) for team in TEAMS}
    part, whole = sum(t["viewed"] for t in teams.values()), sum(t["members"] for t in teams.values())
    score, figure = _figure(part, whole)
    each = ", ".join(f"{team} {t['viewed']} of {t['members']}" for team, t in teams.items())
    return score, {**figure, "teams": teams}, (f"{part} of {whole} members opened the dashboard or the scorecards "
                                               f"in the period ({each})")


BLAME_PARTS = {"disputed": "rejections disputed", "rerouted": "rejected leads re-routed to another rep",
               "won": "rejected leads later won by another rep"}


def _blame_links(session: Session, period: Period, viewer: User | None, figure: dict) -> list[dict]:
    wholes = [("rejected leads whose rejection did not hold", "blamed", figure["part"]),
              *((what, which, figure[which]) for which, what in BLAME_PARTS.items()),
              ("rejected leads", "rejected", figure["whole"])]
    return [{"what": what, **lead_figure(session, period, viewer, count, blame=which)} for what, which, count in wholes]


def evidence(session: Session, survey: Survey, statement_means: dict[str, float | None], *, until: datetime,
             version_id: int, viewer: User | None = None) -> list[dict]:
    """One line per statement the playbook ties to a record figure: answered (mean) beside records, with
    links to the leads behind the figure where they are leads."""
    period = evidence_period(until)
    figures = {"forecasts": lambda: forecasts(session, period), "blame": lambda: blame(session, period),
               "one_definition": lambda: one_definition(session, period, version_id),
               "common_metrics": lambda: common_metrics(session, period),
               "shared_pipeline": lambda: shared_pipeline(session, period)}
    lines = []
    for statement in survey.every_statement():
        if statement.evidence:
            score, figure, source = figures[statement.evidence]()
            lines.append({"statement": statement.id, "text": statement.text, "evidence": statement.evidence,
                          "answered": statement_means[statement.id], "records": score, "source": source,
                          "figure": figure, "period": period.written(),
                          "links": _blame_links(session, period, viewer, figure) if statement.evidence == "blame" else []})
    return lines
