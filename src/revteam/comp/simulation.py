"""What-if on real history: the stored ledger replayed under a draft playbook's plans, beside what
the active plans paid (the stored statement of a closed month, else the live one)."""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from revteam.comp import service
from revteam.comp.ledger import Reading
from revteam.comp.rules import cents, major
from revteam.comp.statement import comp_role, compute
from revteam.errors import BadInput
from revteam.periods import Month, Period
from revteam.playbook import versions
from revteam.playbook.loader import load_playbook_text
from revteam.playbook.models import PlaybookVersion

ZERO = Decimal("0.00")
DRAFT_VERSION = 0  # a draft has no stored version
MAX_MONTHS = 36  # each month replays every rep's year: a bound keeps one request from running for hours


def _total(view: dict) -> Decimal:
    return Decimal(view["total"])


def _active(reading: Reading, rep, month) -> Decimal:
    stored = service.latest_stored(reading.session, rep.id, month)
    return cents(major(stored.total_minor)) if stored else _total(service.live(reading.session, rep, month,
                                                                               reading=reading))


def default_range(today: date) -> tuple[str, str]:
    """The twelve full months before today's: a year of paid history."""
    current = Month.of(today)
    return str(current.plus(-12)), str(current.plus(-1))


def active_text(session: Session) -> str:
    """The active playbook as written: where a draft starts from."""
    return session.get(PlaybookVersion, versions.active_version_id(session)).content


def simulate(session: Session, *, draft_text: str, source: str, first: str | None = None,
             last: str | None = None, today: date | None = None) -> dict:
    """Per rep and in total: earned under the active plans and under the draft over the months (by default
    the twelve before today's), and the difference."""
    draft = load_playbook_text(draft_text, source=source)
    default_first, default_last = default_range(today or date.today())
    first, last = first or default_first, last or default_last
    period = Period.parse(first, last)
    if len(period.months()) > MAX_MONTHS:
        raise BadInput(f"simulate at most {MAX_MONTHS} months at once", where="to")
    active, reading = versions.active(session).playbook, Reading(session)
    reps = []
    for rep in service.paid_reps(session):
        role = comp_role(rep)
        if not (active.comp and active.comp.plan_for(role)) or not (draft.comp and draft.comp.plan_for(role)):
            continue
        months = period.months()
        now = sum((_active(reading, rep, month) for month in months), ZERO)
        then = sum((_total(compute(session, rep=rep, month=month, playbook=draft, plan_version=DRAFT_VERSION,
                                   paid_as_stored=False, reading=reading)) for month in months), ZERO)
        reps.append({"rep": rep.email, "name": rep.name, "role": role, "active": str(now), "draft": str(then),
                     "difference": str(then - now)})
    reps.sort(key=lambda row: Decimal(row["difference"]))
    total_active = sum((Decimal(row["active"]) for row in reps), ZERO)
    total_draft = sum((Decimal(row["draft"]) for row in reps), ZERO)
    return {"from": first, "to": last, "reps": reps,
            "total": {"active": str(total_active), "draft": str(total_draft),
                      "difference": str(total_draft - total_active)},
            "loses_most": reps[0]["rep"] if reps and Decimal(reps[0]["difference"]) < 0 else None,
            "gains_most": reps[-1]["rep"] if reps and Decimal(reps[-1]["difference"]) > 0 else None}
