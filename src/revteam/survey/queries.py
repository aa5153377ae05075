"""Reading rounds, invitations and responses."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.errors import NotFound
from revteam.survey.models import SurveyInvitation, SurveyResponse, SurveyRound


def find_round(session: Session, name: str) -> SurveyRound | None:
    return session.scalar(select(SurveyRound).where(SurveyRound.name == name))


def require_round(session: Session, name: str) -> SurveyRound:
    found = find_round(session, name)
    if found is None:
        raise NotFound(f"no survey round {name!r}")
    return found


def rounds(session: Session) -> list[SurveyRound]:
    """Every round, oldest first."""
    return list(session.scalars(select(SurveyRound).order_by(SurveyRound.opened_at, SurveyRound.id)))


def answer_counts(session: Session) -> dict[int, int]:
    query = select(SurveyResponse.round_id, func.count()).group_by(SurveyResponse.round_id)
    return {round_id: count for round_id, count in session.execute(query)}


def invitation(session: Session, round_id: int, user_id: int) -> SurveyInvitation | None:
    return session.get(SurveyInvitation, (round_id, user_id))


def open_invitations(session: Session, user_id: int) -> list[SurveyRound]:
    """Rounds that invited this user and that they have not answered yet."""
    query = (select(SurveyRound).join(SurveyInvitation, SurveyInvitation.round_id == SurveyRound.id)
             .where(SurveyInvitation.user_id == user_id, SurveyInvitation.answered_at.is_(None),
                    SurveyRound.closed_at.is_(None)).order_by(SurveyRound.opened_at))
    return list(session.scalars(query))


def responses(session: Session, round_id: int) -> list[tuple[str, dict[str, int]]]:
    """(team, answers) of every response to a round."""
    query = select(SurveyResponse.team, SurveyResponse.answers).where(SurveyResponse.round_id == round_id)
    return [(team, answers) for team, answers in session.execute(query)]


def imported_keys(session: Session, digest: str) -> set[str]:
    query = select(SurveyResponse.import_key).where(SurveyResponse.import_key.like(f"{digest}:%"))
    return set(session.scalars(query))
