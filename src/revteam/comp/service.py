"""Statements: computed live for an open month, stored when the month is closed, recalculated as new
revisions that show their difference line by line. Services never commit."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.comp.models import CompPeriodClose, CompStatement
from revteam.comp.rules import cents, major
from revteam.comp.statement import comp_role, compute
from revteam.db.base import utcnow
from revteam.errors import BadInput, Conflict, NotFound
from revteam.events.service import record
from revteam.periods import Month
from revteam.playbook import versions
from revteam.playbook.schema import Playbook
from revteam.users.models import User
from revteam.users.service import get_user_by_email


def may_see_statement(viewer: User | None, rep: User) -> bool:
    """A rep sees their own statements, a manager their team's, an admin (and the operator) all."""
    if viewer is None or viewer.role == "admin" or viewer.id == rep.id:
        return True
    return viewer.role == "manager" and viewer.team_id is not None and viewer.team_id == rep.team_id


def _rep(session: Session, email: str, viewer: User | None) -> User:
    rep = get_user_by_email(session, email)
    if not may_see_statement(viewer, rep):
        raise NotFound(f"no statement for {email}")
    return rep


def _closed(session: Session, month: Month) -> bool:
    return session.get(CompPeriodClose, str(month)) is not None


def latest_stored(session: Session, rep_id: int, month: Month) -> CompStatement | None:
    """The newest stored revision of a rep's month, or None (an open month)."""
    return session.scalar(select(CompStatement).where(CompStatement.rep_id == rep_id, CompStatement.period == str(month))
                          .order_by(CompStatement.revision.desc()).limit(1))


def stored_view(row: CompStatement, rep: User) -> dict:
    """A stored revision in the statement's JSON shape."""
    return {"id": row.id, "rep": rep.email, "period": row.period, "role": row.role, "plan_version": row.plan_version_id,
            "revision": row.revision, "status": "closed", "lines": row.lines,
            "total": str(cents(major(row.total_minor))), "difference": row.difference}


def live(session: Session, rep: User, month: Month, *, playbook: Playbook | None = None,
         version_id: int | None = None) -> dict:
    """The statement computed now from the ledger (under the active playbook unless one is given)."""
    if playbook is None:
        in_force = versions.active(session)
        playbook, version_id = in_force.playbook, in_force.version_id
    return compute(session, rep=rep, month=month, playbook=playbook, plan_version=version_id)


def statement(session: Session, *, rep_email: str, period: str, viewer: User | None = None) -> dict:
    """A rep's statement: the latest stored revision of a closed month, else computed live (open)."""
    month = Month.parse(period, where="period")
    rep = _rep(session, rep_email, viewer)
    stored = latest_stored(session, rep.id, month)
    if stored is not None:
        return stored_view(stored, rep)
    return live(session, rep, month) | {"status": "closed, not yet stored" if _closed(session, month) else "open"}


def next_revision(rep: User, previous: CompStatement | None, lines: list[dict], actor: str, *,
                  plan_version: int | None = None, role: str | None = None) -> CompStatement:
    """The next revision (not yet stored) of a rep's month with these lines and its difference from `previous`."""
    total = sum((Decimal(line["amount"]) for line in lines), Decimal("0.00"))
    row = CompStatement(rep_id=rep.id, period=previous.period if previous else None,
                        revision=previous.revision + 1 if previous else 1,
                        plan_version_id=plan_version or previous.plan_version_id, role=role or previous.role,
                        total_minor=int(total * 100), lines=lines,
                        difference=line_difference(previous.lines if previous else [], lines), created_by=actor)
    return row


def _store(session: Session, rep: User, month: Month, actor: str, previous: CompStatement | None,
           now: datetime | None = None) -> CompStatement:
    computed = live(session, rep, month)
    row = next_revision(rep, previous, computed["lines"], actor, plan_version=computed["plan_version"],
                         role=computed["role"])
    row.period = str(month)
    return recorded(session, row, actor, now=now)


def recorded(session: Session, row: CompStatement, actor: str, *, now: datetime | None = None) -> CompStatement:
    """Store a revision with its event (at `now`, default the wall clock)."""
    row.created_at = now or utcnow()
    session.add(row)
    session.flush()
    record(session, type="comp.statement_stored", subject_type="user", subject_id=row.rep_id, actor=actor,
           at=row.created_at,
           data={"period": row.period, "revision": row.revision, "total_minor": row.total_minor,
                 "plan_version": row.plan_version_id, "changed_lines": len(row.difference)})
    return row


def paid_reps(session: Session) -> list[User]:
    """Active users with a comp role (AEs, SDRs, success)."""
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
    return [user for user in users if user.role == "success" or user.sales_role in ("ae", "sdr")]


def close_period(session: Session, *, period: str, actor: str, now: datetime | None = None) -> list[CompStatement]:
    """Close a month: store every paid rep's statement under the plan in force; once per month."""
    month = Month.parse(period, where="period")
    if _closed(session, month):
        raise Conflict(f"comp period {month} is already closed; recalculate a rep to change it")
    now = now or utcnow()
    session.add(CompPeriodClose(period=str(month), closed_by=actor, closed_at=now))
    session.flush()
    playbook = versions.active(session).playbook
    stored = [_store(session, rep, month, actor, None, now) for rep in paid_reps(session)
              if playbook.comp and playbook.comp.plan_for(comp_role(rep))]
    record(session, type="comp.period_closed", subject_type="comp_period", subject_id=month.year * 100 + month.month,
           actor=actor, at=now, data={"period": str(month), "statements": len(stored),
                              "plan_version": versions.active_version_id(session)})
    return stored


def recalculate(session: Session, *, rep_email: str, period: str, actor: str) -> CompStatement:
    """A new revision of a closed month's statement from today's ledger and plan; the old one stays."""
    month = Month.parse(period, where="period")
    if not _closed(session, month):
        raise BadInput(f"comp period {month} is not closed; its statement is computed live", where="period")
    rep = get_user_by_email(session, rep_email)
    return _store(session, rep, month, actor, latest_stored(session, rep.id, month))


def _keyed(lines: list[dict]) -> dict[tuple[str, str, int], dict]:
    """Lines by (rule, source, n): one churn can claw back several credits."""
    seen: dict[tuple[str, str], int] = {}
    keyed = {}
    for line in lines:
        pair = (line["rule"], line["source"])
        seen[pair] = seen.get(pair, 0) + 1
        keyed[(*pair, seen[pair])] = line
    return keyed


def line_difference(before: list[dict], after: list[dict]) -> list[dict]:
    """Lines added, removed or changed in amount, keyed by rule and source."""
    old, new = _keyed(before), _keyed(after)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        was = Decimal(old[key]["amount"]) if key in old else Decimal("0.00")
        now = Decimal(new[key]["amount"]) if key in new else Decimal("0.00")
        if key not in old or key not in new or was != now:
            changes.append({"rule": key[0], "source": key[1], "before": str(was), "after": str(now),
                            "difference": str(now - was)})
    return changes


def history(session: Session, *, rep_email: str, viewer: User | None = None) -> list[dict]:
    """Every stored revision of a rep's statements, oldest first."""
    rep = _rep(session, rep_email, viewer)
    rows = session.scalars(select(CompStatement).where(CompStatement.rep_id == rep.id)
                           .order_by(CompStatement.period, CompStatement.revision))
    return [stored_view(row, rep) for row in rows]


def period_view(session: Session, *, period: str, viewer: User | None = None) -> dict:
    """The month for whoever looks: every statement they may see (a manager: their team), with totals."""
    month = Month.parse(period, where="period")
    rows = []
    for rep in paid_reps(session):
        if not may_see_statement(viewer, rep):
            continue
        try:
            view = statement(session, rep_email=rep.email, period=str(month), viewer=viewer)
        except NotFound:  # no plan for the rep's role
            continue
        rows.append({"rep": rep.email, "name": rep.name, "role": view["role"], "status": view["status"],
                     "total": view["total"], "lines": len(view["lines"])})
    return {"period": str(month), "closed": _closed(session, month), "statements": rows,
            "total": str(sum((Decimal(row["total"]) for row in rows), Decimal("0.00")))}
