"""What-if on real history: the stored ledger replayed under a draft playbook's plans, beside what
the active plans paid (the stored statement of a closed month, else the live one)."""

from decimal import Decimal

from sqlalchemy.orm import Session

from revteam.comp import service
from revteam.comp.rules import cents, major
from revteam.comp.statement import comp_role, compute
from revteam.errors import BadInput
from revteam.periods import Period
from revteam.playbook import versions
from revteam.playbook.loader import load_playbook_text

DRAFT_VERSION = 0  # a draft has no stored version
MAX_MONTHS = 36  # each month replays every rep's year: a bound keeps one request from running for hours


def _total(view: dict) -> Decimal:
    return Decimal(view["total"])


def _active(session: Session, rep, month) -> Decimal:
    stored = service.latest_stored(session, rep.id, month)
    return cents(major(stored.total_minor)) if stored else _total(service.live(session, rep, month))


def simulate(session: Session, *, draft_text: str, source: str, first: str, last: str) -> dict:
    """Per rep and in total: earned under the active plans and under the draft over the months, and the difference."""
    draft = load_playbook_text(draft_text, source=source)
    period = Period.parse(first, last)
    if len(period.months()) > MAX_MONTHS:
        raise BadInput(f"simulate at most {MAX_MONTHS} months at once", where="to")
    active = versions.active(session).playbook
    reps = []
    for rep in service.paid_reps(session):
        role = comp_role(rep)
        if not (active.comp and active.comp.plan_for(role)) or not (draft.comp and draft.comp.plan_for(role)):
            continue
        months = period.months()
        now = sum((_active(session, rep, month) for month in months), Decimal(0))
        then = sum((_total(compute(session, rep=rep, month=month, playbook=draft, plan_version=DRAFT_VERSION))
                    for month in months), Decimal(0))
        reps.append({"rep": rep.email, "role": role, "active": str(now), "draft": str(then),
                     "difference": str(then - now)})
    reps.sort(key=lambda row: Decimal(row["difference"]))
    total_active = sum((Decimal(row["active"]) for row in reps), Decimal(0))
    total_draft = sum((Decimal(row["draft"]) for row in reps), Decimal(0))
    return {"from": first, "to": last, "reps": reps,
            "total": {"active": str(total_active), "draft": str(total_draft),
                      "difference": str(total_draft - total_active)},
            "loses_most": reps[0]["rep"] if reps and Decimal(reps[0]["difference"]) < 0 else None,
            "gains_most": reps[-1]["rep"] if reps and Decimal(reps[-1]["difference"]) > 0 else None}
