"""What comp reads from the one ledger: the MRR movement records the metrics count, who each
movement credits (closer, account owner, sourcing SDR), and the KPI measurements.

Nothing here defines a movement or a churn: the rows come from metrics.queries.movement_records
and the cohort figures from metrics.retention, so a clawback and the churn metric cannot differ.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account
from revteam.comp.rules import Credit
from revteam.metrics import queries as metric_queries
from revteam.metrics.retention import retention
from revteam.metrics.service import recorded_changes
from revteam.periods import Month, Period
from revteam.playbook.comp_schema import Plan
from revteam.revenue.health import SUCCESS_FLOOR
from revteam.revenue.movements import SubscriptionChange
from revteam.revenue.models import AccountMrrDay, Handoff, HealthCheck, Opportunity, SubscriptionDay
from revteam.routing.models import Offer, OfferOutcome, Stage


def movement_source(row: AccountMrrDay) -> str:
    """How a statement line names the movement record it came from."""
    return f"movement:{row.account_id}:{row.day.isoformat()}:{row.kind}"


def _closings(session: Session, account_ids: set[int]) -> dict[int, list[Opportunity]]:
    """Won opportunities per account, oldest close first."""
    found: dict[int, list[Opportunity]] = {}
    query = (select(Opportunity).where(Opportunity.stage == "won", Opportunity.account_id.in_(account_ids))
             .order_by(Opportunity.closed_on, Opportunity.id))
    for opportunity in session.scalars(query):
        found.setdefault(opportunity.account_id, []).append(opportunity)
    return found


def _closer(closings: list[Opportunity], day: date) -> Opportunity | None:
    """The deal a movement belongs to: the latest won on or before its day."""
    return next((o for o in reversed(closings) if o.closed_on <= day), None)


def _sourcing_sdrs(session: Session, lead_ids: set[int]) -> dict[int, int]:
    query = select(Offer.lead_id, Offer.rep_id).where(
        Offer.lead_id.in_(lead_ids), Offer.stage == Stage.sdr.value, Offer.outcome == OfferOutcome.accepted.value)
    return dict(session.execute(query).all())


def _terms(session: Session, rows: list[AccountMrrDay]) -> dict[tuple[int, date], int]:
    """The longest term among the subscriptions that changed on each movement's day."""
    if not rows:
        return {}
    query = (select(SubscriptionDay.account_id, SubscriptionDay.day, func.max(SubscriptionDay.term_months))
             .where(SubscriptionDay.account_id.in_({row.account_id for row in rows}))
             .group_by(SubscriptionDay.account_id, SubscriptionDay.day))
    return {(account, day): term for account, day, term in session.execute(query)}


@dataclass(frozen=True)
class Attributed:
    """One movement record with who it may credit (user ids): closer, account_owner, sourcing_sdr."""

    row: AccountMrrDay
    credited: dict[str, int | None]
    term_months: int


def _attribute(session: Session, rows: list[AccountMrrDay]) -> list[Attributed]:
    accounts = {row.account_id for row in rows}
    closings = _closings(session, accounts)
    owners = dict(session.execute(select(Account.id, Account.owner_id).where(Account.id.in_(accounts))).all())
    sdrs = _sourcing_sdrs(session, {o.lead_id for deals in closings.values() for o in deals})
    terms = _terms(session, rows)
    found = []
    for row in rows:
        deal = _closer(closings.get(row.account_id, []), row.day)
        credited = {"closer": deal.owner_id if deal else None, "account_owner": owners.get(row.account_id),
                    "sourcing_sdr": sdrs.get(deal.lead_id) if deal else None}
        found.append(Attributed(row, credited, terms.get((row.account_id, row.day), 1)))
    return found


class Reading:
    """The ledger as read for the statements computed together (one statement, a month view, a close, a
    what-if): each query runs once and serves every rep and month. It lives only as long as that one
    computation, so it never sees the ledger older than the computation started."""

    def __init__(self, session: Session):
        self.session = session
        self._attributed: dict[tuple[date, date, str], dict[int, list[Attributed]]] = {}
        self._churns: list[AccountMrrDay] | None = None
        self._changes: dict[int, list[tuple[int, SubscriptionChange]]] | None = None

    def attributed(self, start: date, end: date, kinds: tuple[str, ...], user_id: int) -> list[Attributed]:
        """The movement records of these kinds in [start, end] that may credit the user, in ledger order."""
        found = [movement for kind in kinds for movement in self._of_kind(start, end, kind).get(user_id, [])]
        return sorted(found, key=lambda movement: (movement.row.day, movement.row.account_id))

    def _of_kind(self, start: date, end: date, kind: str) -> dict[int, list[Attributed]]:
        """Each kind is read once, whichever plans (ae, sdr, csm) ask for it."""
        key = (start, end, kind)
        if key not in self._attributed:
            by_user: dict[int, list[Attributed]] = defaultdict(list)
            for movement in _attribute(self.session, metric_queries.movement_records(self.session, start, end, (kind,))):
                for credited in set(movement.credited.values()) - {None}:
                    by_user[credited].append(movement)
            self._attributed[key] = by_user
        return self._attributed[key]

    def churns(self, start: date, end: date) -> list[AccountMrrDay]:
        """The churn records in [start, end]: the rows the churn metric counts."""
        if self._churns is None:
            self._churns = metric_queries.movement_records(self.session, date.min, date.max, ("churn",))
        return [row for row in self._churns if start <= row.day <= end]

    def changes(self, accounts: set[int]) -> list:
        """The recorded subscription changes of these accounts, as the retention metric reads them, in order."""
        if self._changes is None:
            self._changes = defaultdict(list)
            for order, change in enumerate(recorded_changes(self.session)):
                self._changes[change.account].append((order, change))
        return [change for _, change in sorted(row for account in accounts for row in self._changes.get(account, []))]


def credits(reading: Reading, plan: Plan, rep_id: int, start: date, end: date) -> list[Credit]:
    """Every movement in [start, end] that the plan's credit rules give to the rep, in ledger order."""
    kinds = tuple(sorted({rule.movement for rule in plan.credit}))
    found = []
    for movement in reading.attributed(start, end, kinds, rep_id):
        row = movement.row
        for rule in plan.credit:
            if rule.movement == row.kind and movement.credited[rule.to] == rep_id:
                found.append(Credit(movement_source(row), row.account_id, row.day, row.kind, row.amount,
                                    movement.term_months, rule.component, rule.share,
                                    f"{rule.movement} -> {rule.to}"))
    return found


def closed_accounts(session: Session, rep_id: int, until: date) -> set[int]:
    """Accounts the rep closed (won opportunities they owned) on or before `until`."""
    query = select(Opportunity.account_id).where(Opportunity.owner_id == rep_id, Opportunity.stage == "won",
                                                 Opportunity.closed_on <= until)
    return set(session.scalars(query))


def cohort_figures(reading: Reading, accounts: set[int], month: Month) -> dict[str, Decimal | None]:
    """Honest logo churn and net expansion (NRR - 1) of these accounts over the 12 months to `month`,
    by the metrics' own retention definition."""
    if not accounts:
        return {"churn": None, "net_expansion": None}
    changes = reading.changes(accounts)
    figures = retention(changes, Period(month.plus(-11), month))
    churn = figures.logo_churn.eligible
    return {"churn": None if churn is None else Decimal(str(churn)),
            "net_expansion": None if figures.nrr is None else Decimal(str(figures.nrr)) - 1}


def success_share(session: Session, rep_id: int, until: date) -> tuple[int, int]:
    """(successful, measured) among the customers the rep handed off or owns: latest reading by `until`
    at or above the success floor."""
    handed = select(Handoff.account_id).join(Opportunity, Opportunity.id == Handoff.opportunity_id).where(
        Opportunity.owner_id == rep_id)
    owned = select(Account.id).where(Account.owner_id == rep_id)
    accounts = set(session.scalars(handed)) | set(session.scalars(owned))
    moment = until + timedelta(days=1)
    latest: dict[int, int] = {}
    query = (select(HealthCheck.account_id, HealthCheck.success_score)
             .where(HealthCheck.account_id.in_(accounts), func.date(HealthCheck.recorded_at) < moment)
             .order_by(HealthCheck.recorded_at, HealthCheck.id))
    for account, score in session.execute(query):
        latest[account] = score
    return sum(score >= SUCCESS_FLOOR for score in latest.values()), len(latest)


def accepted_handoffs(session: Session, rep_id: int, start: date, end: date) -> tuple[int, int]:
    """(accepted, decided) account-executive offers, decided in [start, end], on leads this SDR accepted."""
    sourced = select(Offer.lead_id).where(Offer.rep_id == rep_id, Offer.stage == Stage.sdr.value,
                                          Offer.outcome == OfferOutcome.accepted.value)
    decided = (select(Offer.outcome).where(Offer.lead_id.in_(sourced), Offer.stage == Stage.ae.value,
                                           Offer.outcome.in_([OfferOutcome.accepted.value,
                                                              OfferOutcome.rejected.value]),
                                           func.date(Offer.decided_at) >= start, func.date(Offer.decided_at) <= end))
    outcomes = list(session.scalars(decided))
    return outcomes.count(OfferOutcome.accepted.value), len(outcomes)
