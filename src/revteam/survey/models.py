"""Survey rounds, who was invited and has answered, and the answers themselves.

Anonymity is kept by the schema: an invitation knows who answered but not what, and a response
knows what was answered and by which team, never by whom.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from revteam.db.base import Base, BigId, Json, UtcDateTime, utcnow


class SurveyRound(Base):
    __tablename__ = "survey_rounds"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # closed by hand before closes_at
    opened_by: Mapped[str] = mapped_column(String(254))
    playbook_version_id: Mapped[int] = mapped_column(ForeignKey("playbook_versions.id"))


class SurveyInvitation(Base):
    __tablename__ = "survey_invitations"

    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SurveyResponse(Base):
    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"), index=True)
    team: Mapped[str] = mapped_column(String(20))  # marketing, sales or success
    total: Mapped[int] = mapped_column(Integer)  # the sum over the scored statements
    answers: Mapped[dict] = mapped_column(Json)  # statement id -> 1..5
    source: Mapped[str] = mapped_column(String(10))  # web, api, cli, import
    import_key: Mapped[str | None] = mapped_column(String(80), unique=True)  # file hash:line of an imported answer
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
