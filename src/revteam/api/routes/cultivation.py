"""Cultivation over HTTP: each track judged downstream (graduated, accepted by sales, won, revenue)."""

from typing import Any

from fastapi import APIRouter

from revteam.api.deps import CurrentUser, PeriodQuery, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.cultivation.stats import track_stats

router = APIRouter(prefix="/api/cultivation", tags=["cultivation"], responses=SIGNED_IN)


@router.get("/stats")
def stats(session: SessionDep, user: CurrentUser, period: PeriodQuery) -> dict[str, Any]:
    """Per track, of the enrollments that entered it in the period (`from`, `to`: YYYY-MM): entered, active,
    completed, exited, graduated, accepted by sales after graduating, won and the revenue of those wins,
    counting the leads the user may see."""
    return track_stats(session, period, viewer=user)
