"""A rep's statement for one month, computed from the ledger under one playbook's plan.

The plan year is the calendar year: a month's commission lines walk the year's credits in ledger
order so each line knows the attainment before it, and is cut where it crosses a tier.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.comp import ledger
from revteam.comp.models import CompStatement
from revteam.comp.rules import Credit, Line, cents, clawback_factor, credit_value, kpi_bonus, kpi_score, tiered_commission
from revteam.errors import BadInput, NotFound
from revteam.periods import Month
from revteam.playbook.comp_schema import Plan
from revteam.playbook.schema import Playbook
from revteam.users.models import User

CLAWBACK_COMPONENT = "new_business"  # what a customer the rep closed and lost takes back


def comp_role(user: User) -> str:
    """The comp plan role of a user: ae or sdr from their sales role, csm for success."""
    if user.role == "success":
        return "csm"
    if user.sales_role in ("ae", "sdr"):
        return user.sales_role
    raise BadInput(f"{user.email} has no comp role (an AE, an SDR or a success user)", where="rep")


def plan_of(playbook: Playbook, user: User) -> Plan:
    """The plan the playbook gives the user's role; NotFound when it has none."""
    plan = playbook.comp.plan_for(comp_role(user)) if playbook.comp else None
    if plan is None:
        raise NotFound(f"the playbook has no comp plan for role {comp_role(user)}")
    return plan


class _Year:
    """The commission of each credit of a plan year, walked in ledger order (computed once)."""

    def __init__(self, reading: ledger.Reading, plan: Plan, rep_id: int, year: int, until: date):
        self.plan = plan
        self.entries: list[tuple[Credit, Decimal, str, Decimal, list[tuple[Decimal, str]]]] = []
        attained: dict[str, Decimal] = defaultdict(Decimal)
        for credit in ledger.credits(reading, plan, rep_id, date(year, 1, 1), min(until, date(year, 12, 31))):
            value, formula = credit_value(plan, credit)
            parts = tiered_commission(plan, credit.component, attained[credit.component], value)
            self.entries.append((credit, value, formula, attained[credit.component], parts))
            attained[credit.component] += value

    def commission(self, source: str) -> Decimal:
        return sum((sum(a for a, _ in parts) for c, _, _, _, parts in self.entries if c.source == source),
                   Decimal(0))


class _Context:
    def __init__(self, reading: ledger.Reading, plan: Plan, rep: User, month: Month, paid_as_stored: bool):
        self.reading, self.session, self.plan, self.rep, self.month = reading, reading.session, plan, rep, month
        self.paid_as_stored = paid_as_stored  # a clawback takes back the stored statement's line
        self.end = month.end - timedelta(days=1)
        self._years: dict[int, _Year] = {}

    def year(self, year: int) -> _Year:
        if year not in self._years:
            self._years[year] = _Year(self.reading, self.plan, self.rep.id, year, self.end)
        return self._years[year]

    @property
    def holdback(self) -> Decimal:
        return self.plan.clawback.holdback if self.plan.clawback else Decimal(0)

    def held(self, credit: Credit) -> Decimal:
        return self.holdback if credit.component == CLAWBACK_COMPONENT else Decimal(0)


def _commission_lines(context: _Context) -> list[Line]:
    lines = []
    for credit, value, formula, attained, parts in context.year(context.month.year).entries:
        if credit.day < context.month.start:
            continue
        quota = context.plan.split[credit.component].quota
        held = context.held(credit)
        total = sum(amount for amount, _ in parts)
        explanation = (f"{credit.kind} of account {credit.account_id} on {credit.day} credited by rule "
                       f"'{credit.rule}': {formula} = {value:.2f} credit; {credit.component} attainment before "
                       f"{attained:.2f} of quota {quota:.2f}; " + "; ".join(f for _, f in parts))
        if held:
            explanation += f"; {held:.0%} held back until {credit.day + timedelta(days=context.plan.clawback.window_days)}"
        amount = cents(total * (1 - held))
        lines.append(Line(amount, f"commission.{credit.component}", credit.source, explanation + f" = {amount}"))
    return lines


def _churned_within(context: _Context, credit: Credit, until: date) -> bool:
    return any(row.account_id == credit.account_id for row in context.reading.churns(credit.day, until))


def _window_credits(context: _Context, first: date, last: date) -> list[tuple[Credit, Decimal]]:
    """New-business credits dated in [first, last], with their commission."""
    found = []
    for year in range(first.year, last.year + 1):
        walked = context.year(year)
        found += [(c, walked.commission(c.source)) for c, *_ in walked.entries
                  if c.component == CLAWBACK_COMPONENT and first <= c.day <= last]
    return found


def _holdback_lines(context: _Context) -> list[Line]:
    if not context.holdback:
        return []
    window = context.plan.clawback.window_days
    first, last = context.month.start - timedelta(days=window), context.end - timedelta(days=window)
    lines = []
    for credit, commission in _window_credits(context, first, last):
        released_on = credit.day + timedelta(days=window)
        if _churned_within(context, credit, released_on):
            continue
        amount = cents(commission * context.holdback)
        lines.append(Line(amount, "holdback.release", credit.source,
                          f"window of {window} days after {credit.day} passed on {released_on} without churn: "
                          f"held back {context.holdback:.0%} x commission {commission:.2f} = {amount}"))
    return lines


def _paid(context: _Context, credit: Credit, commission: Decimal) -> tuple[Decimal, str]:
    """What the rep was paid on a credit: its line in the stored statement of its month, else as computed now
    (always as computed when replaying a draft plan, which never paid anything)."""
    stored = context.paid_as_stored and context.session.scalar(
        select(CompStatement.lines).where(CompStatement.rep_id == context.rep.id,
                                          CompStatement.period == str(Month.of(credit.day)))
        .order_by(CompStatement.revision.desc()).limit(1))
    line = next((line for line in stored or [] if line["source"] == credit.source
                 and line["rule"] == f"commission.{credit.component}"), None)
    if line is not None:
        return Decimal(line["amount"]), f"paid {line['amount']} (stored statement {Month.of(credit.day)})"
    paid = cents(commission * (1 - context.held(credit)))
    return paid, f"paid {paid}"


def _clawback_lines(context: _Context) -> list[Line]:
    clawback = context.plan.clawback
    if clawback is None:
        return []
    lines = []
    for churn in context.reading.churns(context.month.start, context.end):
        earliest = churn.day - timedelta(days=clawback.window_days)
        for credit, commission in _window_credits(context, earliest, churn.day):
            factor = clawback_factor(clawback, (churn.day - credit.day).days)
            if credit.account_id != churn.account_id or factor is None:
                continue
            paid, paid_text = _paid(context, credit, commission)
            amount = -cents(paid * factor)
            how = "in full" if clawback.mode == "full" else (
                f"prorated ({clawback.window_days} - {(churn.day - credit.day).days}) / {clawback.window_days}")
            forfeited = f"; holdback {context.holdback:.0%} forfeited" if context.holdback else ""
            lines.append(Line(amount, "clawback", ledger.movement_source(churn),
                              f"account {churn.account_id} churned on {churn.day} (MRR {churn.amount / 100:.2f} lost), "
                              f"{(churn.day - credit.day).days} days after {credit.source}; {paid_text} taken back "
                              f"{how} = {amount}{forfeited}"))
    return lines


def _kpi_actual(context: _Context, kpi: str) -> tuple[Decimal | None, str]:
    session, rep, month = context.session, context.rep, context.month
    if kpi in ("closed_customer_churn", "closed_net_expansion"):
        accounts = ledger.closed_accounts(session, rep.id, context.end)
        figures = ledger.cohort_figures(context.reading, accounts, month)
        value = figures["churn" if kpi == "closed_customer_churn" else "net_expansion"]
        return value, f"{len(accounts)} customers closed by the rep, 12 months to {month}"
    if kpi == "handoff_success_health":
        good, measured = ledger.success_share(session, rep.id, context.end)
        return (Decimal(good) / measured if measured else None), f"{good} of {measured} customers successful"
    accepted, decided = ledger.accepted_handoffs(session, rep.id, month.plus(-11).start, context.end)
    return (Decimal(accepted) / decided if decided else None), f"{accepted} of {decided} handed-off leads accepted"


def _kpi_lines(context: _Context) -> list[Line]:
    lines = []
    for kpi in context.plan.kpis:
        actual, basis = _kpi_actual(context, kpi.kpi)
        score = kpi_score(kpi, actual)
        amount, formula = kpi_bonus(context.plan, kpi, score)
        amount = cents(amount)
        shown = "not measurable" if actual is None else f"{actual:.4f}"
        lines.append(Line(amount, f"kpi.{kpi.kpi}", f"kpi:{kpi.kpi}:{context.month}",
                          f"{basis}: {shown}; score from floor {kpi.floor} to target {kpi.target} = {score:.4f}; "
                          f"{formula} = {amount}"))
    return lines


def compute(session: Session, *, rep: User, month: Month, playbook: Playbook, plan_version: int,
            paid_as_stored: bool = True, reading: ledger.Reading | None = None) -> dict:
    """The statement of a rep for a month under this playbook: every line explained, total = sum of lines.
    `paid_as_stored=False` replays a draft: its clawbacks take back what the draft itself would have paid.
    Statements computed together share one `reading` of the ledger."""
    context = _Context(reading or ledger.Reading(session), plan_of(playbook, rep), rep, month, paid_as_stored)
    lines = (_commission_lines(context) + _holdback_lines(context) + _clawback_lines(context)
             + _kpi_lines(context))
    return {"rep": rep.email, "period": str(month), "role": context.plan.role, "plan_version": plan_version,
            "lines": [line.as_dict() for line in lines], "total": str(sum((l.amount for l in lines), Decimal("0.00")))}
