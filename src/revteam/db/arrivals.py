"""What else must see the people who land: checks registered by revteam/wiring.py (the hard bounces
kept for addresses nobody had yet, outreach/suppression.py), run by leads/intake/land.py for every
slice once its people exist. leads/ cannot import outreach/, which stands on it; the registry sits in
the bottom layer so that the wiring loads no domain to fill it."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

ArrivalCheck = Callable[[Session, set[str], datetime], None]
_CHECKS: list[ArrivalCheck] = []


def check_with(check: ArrivalCheck) -> None:
    """Have `check(session, emails, now)` see the normalized addresses of every slice that lands."""
    _CHECKS.append(check)


def arrived(session: Session, emails: set[str], now: datetime) -> None:
    """The people with these normalized addresses landed (new or merged) in the session's transaction."""
    for check in _CHECKS:
        check(session, emails, now)
