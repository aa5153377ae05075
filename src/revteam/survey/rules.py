"""Survey rounds: open, answer once, import answers collected elsewhere, close.

Plain functions over the caller's session; each writes its event in the same transaction. A round
is open from its opening until `closes_at` or until it is closed by hand, whichever comes first.
"""

import csv
import hashlib
import io
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.errors import BadInput, Conflict, Forbidden, InvalidMove
from revteam.events.service import record
from revteam.playbook.survey_schema import ANSWER_HIGH, ANSWER_LOW, Survey
from revteam.playbook.versions import active, playbook_of
from revteam.survey import queries
from revteam.survey.results import respondent_total
from revteam.survey.models import SurveyInvitation, SurveyResponse, SurveyRound
from revteam.users import functions
from revteam.users.models import User

TEAMS = ("marketing", "sales", "success")
SOURCES = ("web", "api", "cli", "import")
SUBJECT = "survey_round"


def active_survey(session: Session) -> Survey:
    """The survey section of the playbook in force."""
    survey = active(session).playbook.survey
    if survey is None:
        raise BadInput("the active playbook has no survey section", where="playbook")
    return survey


def round_survey(session: Session, survey_round: SurveyRound) -> Survey:
    """The survey as the playbook in force when the round opened wrote it: its answers are read by it."""
    return playbook_of(session, survey_round.playbook_version_id).survey


def is_open(survey_round: SurveyRound, now: datetime) -> bool:
    return survey_round.closed_at is None and now < survey_round.closes_at


def open_round(session: Session, *, name: str, closes_at: datetime, invite: list[str] | None, actor: str,
               now: datetime | None = None) -> SurveyRound:
    """Open a round; `invite` names teams or functions (marketing, sales, success), None invites every
    active member of the three teams."""
    now = now or utcnow()
    active_survey(session)
    if closes_at <= now:
        raise BadInput(f"{closes_at.isoformat()} is not in the future", where="closes")
    if queries.find_round(session, name) is not None:
        raise InvalidMove(f"a round named {name!r} already exists")
    invited = functions.members(session, invite)
    if not invited:
        raise BadInput(f"nobody to invite among {', '.join(invite) if invite else 'the three teams'}", where="invite")
    survey_round = SurveyRound(name=name, opened_at=now, closes_at=closes_at, opened_by=actor,
                               playbook_version_id=active(session).version_id)
    session.add(survey_round)
    session.flush()
    session.add_all(SurveyInvitation(round_id=survey_round.id, user_id=user_id) for user_id in invited)
    record(session, type="survey.opened", subject_type=SUBJECT, subject_id=survey_round.id, actor=actor, at=now,
           data={"name": name, "closes_at": closes_at.isoformat(), "invited": len(invited)})
    return survey_round


def close_round(session: Session, name: str, *, actor: str, now: datetime | None = None) -> SurveyRound:
    now = now or utcnow()
    survey_round = queries.require_round(session, name)
    if not is_open(survey_round, now):
        raise InvalidMove(f"round {name!r} is already closed")
    survey_round.closed_at = now
    record(session, type="survey.closed", subject_type=SUBJECT, subject_id=survey_round.id, actor=actor, at=now)
    return survey_round


def checked_answers(survey: Survey, answers: dict[str, object], *, where: str = "answers") -> dict[str, int]:
    """Every statement answered once with a whole number from 1 to 5, and nothing else."""
    known = [statement.id for statement in survey.every_statement()]
    unknown = sorted(set(answers) - set(known))
    if unknown:
        raise BadInput(f"unknown statement {unknown[0]!r}", where=where)
    missing = [statement for statement in known if statement not in answers]
    if missing:
        raise BadInput(f"{len(missing)} statements unanswered, first {missing[0]!r}", where=where)
    checked = {}
    for statement in known:
        value = answers[statement]
        number = int(value) if isinstance(value, str) and value.strip().isdigit() else value
        if isinstance(number, bool) or not isinstance(number, int) or not ANSWER_LOW <= number <= ANSWER_HIGH:
            raise BadInput(f"{value!r} is not a whole number from {ANSWER_LOW} to {ANSWER_HIGH}",
                           where=f"{where}.{statement}")
        checked[statement] = number
    return checked


def _response(survey: Survey, round_id: int, team: str, answers: dict[str, int], source: str, now: datetime,
              import_key: str | None = None) -> SurveyResponse:
    return SurveyResponse(round_id=round_id, team=team, total=respondent_total(survey, answers), answers=answers, source=source,
                          import_key=import_key, submitted_at=now)


def answer(session: Session, name: str, user: User, answers: dict[str, object], *, source: str,
           now: datetime | None = None) -> None:
    """The invited user's one answer to an open round; it is stored under their team, not their name."""
    now = now or utcnow()
    survey_round = queries.require_round(session, name)
    if not is_open(survey_round, now):
        raise InvalidMove(f"round {name!r} is closed")
    if queries.invitation(session, survey_round.id, user.id) is None:
        raise Forbidden(f"{user.email} is not invited to round {name!r}")
    team = functions.team_of(session, user)
    survey = round_survey(session, survey_round)
    checked = checked_answers(survey, answers)
    claim = (update(SurveyInvitation)
             .where(SurveyInvitation.round_id == survey_round.id, SurveyInvitation.user_id == user.id,
                    SurveyInvitation.answered_at.is_(None))
             .values(answered_at=now))
    if session.execute(claim).rowcount != 1:
        raise Conflict(f"{user.email} has already answered round {name!r}")
    session.add(_response(survey, survey_round.id, team, checked, source, now))
    record(session, type="survey.answered", subject_type=SUBJECT, subject_id=survey_round.id, actor=user.email,
           at=now, data={"team": team, "source": source})


def _read_rows(text: str, survey: Survey) -> list[tuple[int, str, dict[str, int]]]:
    """(line, team, answers) of each row; every bad row is reported at once, by file line and column."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if "team" not in header:
        raise BadInput("no 'team' column", where="line 1")
    rows, problems = [], []
    line = reader.line_num
    for row in reader:
        try:
            team = (row.pop("team") or "").strip().lower()
            if team not in TEAMS:
                raise BadInput(f"team {team!r} is not one of {', '.join(TEAMS)}", where="team")
            rows.append((line + 1, team, checked_answers(survey, {k: v for k, v in row.items() if k is not None},
                                                         where="column")))
        except BadInput as error:
            problems.append(f"line {line + 1}: {error}")
        line = reader.line_num
    if problems:
        raise BadInput("; ".join(problems[:20]) + (f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""),
                       where="answers file")
    return rows


def import_answers(session: Session, name: str, text: str, *, actor: str, now: datetime | None = None) -> dict:
    """Answers collected elsewhere, one row per respondent (a `team` column and one column per
    statement id). The whole file lands or none of it; a row already imported is skipped."""
    now = now or utcnow()
    survey_round = queries.require_round(session, name)
    survey = round_survey(session, survey_round)
    rows = _read_rows(text, survey)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    seen = queries.imported_keys(session, digest)
    fresh = [(line, team, answers) for line, team, answers in rows if f"{digest}:{line}" not in seen]
    session.add_all(_response(survey, survey_round.id, team, answers, "import", now, f"{digest}:{line}")
                    for line, team, answers in fresh)
    if fresh:
        record(session, type="survey.imported", subject_type=SUBJECT, subject_id=survey_round.id, actor=actor, at=now,
               data={"file": digest, "rows": len(fresh)})
    return {"round": name, "rows": len(rows), "imported": len(fresh), "skipped": len(rows) - len(fresh)}
