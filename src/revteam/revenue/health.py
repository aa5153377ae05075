"""Customer health: success (evidence of value) kept apart from happiness (sentiment, NPS).

Success is scored from usage and outcome signals only; happiness from what the customer says.
A customer without evidence of value is at risk however happy they sound - "happy but not
successful" is the case a single blended score hides, so it gets its own label.

The signals (weights add up to 100; each reading is a share 0..1, or true/false for outcomes):
- active_seat_share: share of paid seats used in the last 30 days;
- key_feature_adoption: share of the features the success plan counts on that are in use;
- outcome_achieved: the customer reached the outcome the success plan names.
(The playbook has no health section yet; when it gets one, these move there.)
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account
from revteam.errors import BadInput, NotFound
from revteam.events.service import record
from revteam.revenue.models import HealthCheck
from revteam.revenue.signals import SUCCESS_SIGNALS

SUCCESS_FLOOR = 50  # below this success score there is no convincing evidence of value
HAPPY_FROM = 60  # happiness at or above this reads as a happy customer


@dataclass(frozen=True)
class HealthScore:
    success: int
    happiness: int | None
    at_risk: bool
    risk: str | None  # happy_not_successful, not_successful, unhappy


def _share(name: str, value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if not isinstance(value, int | float) or not 0 <= value <= 1:
        raise BadInput(f"{name} must be a share from 0 to 1 (or true/false), got {value!r}", where="success_signals")
    return float(value)


def success_score(signals: dict) -> int:
    """0..100 from the named usage and outcome signals; a missing signal counts as no evidence."""
    unknown = sorted(set(signals) - set(SUCCESS_SIGNALS))
    if unknown:
        raise BadInput(f"unknown success signal(s) {', '.join(unknown)}; known: {', '.join(SUCCESS_SIGNALS)}",
                       where="success_signals")
    return round(sum(weight * _share(name, signals.get(name, 0)) for name, weight in SUCCESS_SIGNALS.items()))


def happiness_score(happiness: dict) -> int | None:
    """0..100 from `nps` (a 0..10 answer) and `sentiment` (-1..1), averaged; None if neither is given."""
    unknown = sorted(set(happiness) - {"nps", "sentiment"})
    if unknown:
        raise BadInput(f"unknown happiness field(s) {', '.join(unknown)}; known: nps, sentiment", where="happiness")
    parts = []
    nps, sentiment = happiness.get("nps"), happiness.get("sentiment")
    if nps is not None:
        if isinstance(nps, bool) or not isinstance(nps, int | float) or not 0 <= nps <= 10:
            raise BadInput(f"nps must be an answer from 0 to 10, got {nps!r}", where="happiness")
        parts.append(nps * 10)
    if sentiment is not None:
        if isinstance(sentiment, bool) or not isinstance(sentiment, int | float) or not -1 <= sentiment <= 1:
            raise BadInput(f"sentiment must be from -1 to 1, got {sentiment!r}", where="happiness")
        parts.append((sentiment + 1) * 50)
    return round(sum(parts) / len(parts)) if parts else None


def score_health(signals: dict, happiness: dict) -> HealthScore:
    """Both scores and the risk: no evidence of value is at risk, and happy-but-not-successful says so."""
    success, happy = success_score(signals), happiness_score(happiness)
    if success < SUCCESS_FLOOR:
        risk = "happy_not_successful" if happy is not None and happy >= HAPPY_FROM else "not_successful"
        return HealthScore(success, happy, True, risk)
    if happy is not None and happy < HAPPY_FROM:
        return HealthScore(success, happy, False, "unhappy")
    return HealthScore(success, happy, False, None)


def record_health(session: Session, *, account_id: int, success_signals: dict, happiness: dict, actor: str,
                  at: datetime | None = None) -> HealthCheck:
    """Store one health reading of a customer with its scores and risk flag."""
    if session.get(Account, account_id) is None:
        raise NotFound(f"no account {account_id}")
    score = score_health(success_signals, happiness)
    check = HealthCheck(account_id=account_id, success_score=score.success, happiness_score=score.happiness,
                        at_risk=score.at_risk, risk=score.risk, signals=success_signals, happiness=happiness,
                        recorded_by=actor, **({"recorded_at": at} if at else {}))
    session.add(check)
    session.flush()
    record(session, type="health.recorded", subject_type="account", subject_id=account_id, actor=actor,
           data={"success": score.success, "happiness": score.happiness, "at_risk": score.at_risk,
                 "risk": score.risk, "health_check_id": check.id}, at=at)
    return check


def healthy_accounts() -> Select:
    """Ids of the accounts whose latest health check is not at risk: healthy by the success score."""
    latest = (select(HealthCheck.account_id, func.max(HealthCheck.recorded_at).label("at"))
              .group_by(HealthCheck.account_id).subquery())
    return (select(HealthCheck.account_id)
            .join(latest, and_(latest.c.account_id == HealthCheck.account_id, latest.c.at == HealthCheck.recorded_at))
            .where(HealthCheck.at_risk.is_(False)))
