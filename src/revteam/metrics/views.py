"""Who looked at the common metrics: one row per user per day they opened the dashboard or scorecards.

A view already noted today costs one indexed read and writes nothing: on SQLite any write, even an
insert that does nothing, takes the database's one write lock until the page's commit, so every other
page that writes waited for it. The first view of the day is written by an insert that does nothing
when the row is there already, so two processes noting it at once never collide.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from revteam.db.base import Base, BigId
from revteam.events.service import record
from revteam.metrics.gtm import rate
from revteam.periods import Period
from revteam.users.functions import members as team_members
from revteam.users.models import User

PAGES = ("dashboard", "scorecards")


class MetricsView(Base):
    __tablename__ = "metrics_views"

    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    page: Mapped[str] = mapped_column(String(20))  # the first common page opened that day


def record_view(session: Session, user: User, *, page: str, at: datetime) -> bool:
    """Note that `user` opened a common metrics page today (UTC); True if it is their first today."""
    noted = select(MetricsView.user_id).where(MetricsView.user_id == user.id, MetricsView.day == at.date())
    if session.scalar(noted) is not None:
        return False
    dialect = session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    row = {"user_id": user.id, "day": at.date(), "page": page}
    claim = insert(MetricsView.__table__).values(row).on_conflict_do_nothing().returning(MetricsView.user_id)
    added = session.connection().execute(claim).first() is not None
    if added:
        record(session, type="metrics.viewed", subject_type="user", subject_id=user.id, actor=user.email,
               at=at, data={"page": page})
    return added


def viewers(session: Session, period: Period, user_ids: list[int]) -> int:
    """How many of these users opened a common metrics page on some day of the period."""
    if not user_ids:
        return 0
    within = [MetricsView.user_id.in_(user_ids)]
    within += [MetricsView.day >= period.start] if period.start else []
    within += [MetricsView.day < period.end] if period.end else []
    query = select(func.count(func.distinct(MetricsView.user_id))).where(*within)
    return int(session.scalar(query))


def team_viewing(session: Session, period: Period, team: str) -> dict:
    """Of a team's active members (marketing, sales or success), how many opened the common metrics."""
    members = team_members(session, [team])
    looked = viewers(session, period, members)
    return {"members": len(members), "viewed": looked, "share": rate(looked, len(members))}
