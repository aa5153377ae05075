"""Disputes: a rep disputes one line of a stored statement (the value expected and why); a manager
of the rep's team (or an admin) accepts it, which stores a new revision with an adjustment line,
or rejects it with a reason. The manager answers within the playbook's dispute SLA."""

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from revteam.comp.models import CompDispute, CompStatement
from revteam.comp.rules import Line, cents, major
from revteam.comp.service import may_see_statement, next_revision, recorded
from revteam.db.base import utcnow
from revteam.errors import BadInput, Conflict, Forbidden, InvalidMove, NotFound
from revteam.events.service import record
from revteam.inputs import LINE_BREAKS_AND_TABS, control_characters
from revteam.playbook import versions
from revteam.users.models import User


_CONTROL = control_characters(LINE_BREAKS_AND_TABS)


def _text(value: str, where: str) -> str:
    """Free text a person wrote: non-empty, at most 2000 characters, no control characters."""
    if not value.strip() or len(value) > 2000 or _CONTROL.search(value):
        raise BadInput("write 1 to 2000 characters without control characters", where=where)
    return value.strip()


def _statement(session: Session, statement_id: int, viewer: User | None) -> tuple[CompStatement, User]:
    row = session.get(CompStatement, statement_id)
    rep = session.get(User, row.rep_id) if row else None
    if row is None or not may_see_statement(viewer, rep):
        raise NotFound(f"no statement {statement_id}")
    return row, rep


def open_dispute(session: Session, *, statement_id: int, line: int, expected_minor: int, reason: str,
                 viewer: User | None, actor: str, now: datetime | None = None) -> CompDispute:
    """The rep disputes one line of their stored statement; the SLA clock starts."""
    row, rep = _statement(session, statement_id, viewer)
    if viewer is not None and viewer.id != rep.id:
        raise Forbidden(f"only {rep.email} disputes their own statement")
    if not 0 <= line < len(row.lines):
        raise BadInput(f"statement {statement_id} has lines 0 to {len(row.lines) - 1}", where="line")
    reason = _text(reason, "reason")
    _refuse_second_open(session, row.id, line)
    now = now or utcnow()
    comp = versions.active(session).playbook.comp
    dispute = CompDispute(statement_id=row.id, line=line, expected_minor=expected_minor, reason=reason,
                          status="open", opened_by=actor, opened_at=now,
                          due_at=now + timedelta(days=comp.dispute_sla_days if comp else 10))
    session.add(dispute)
    session.flush()
    record(session, type="comp.dispute_opened", subject_type="comp_dispute", subject_id=dispute.id, actor=actor,
           data={"statement_id": row.id, "line": line, "rule": row.lines[line]["rule"],
                 "amount": row.lines[line]["amount"], "expected": str(cents(major(expected_minor))),
                 "reason": dispute.reason, "due_at": dispute.due_at.isoformat()}, at=now)
    return dispute


def _refuse_second_open(session: Session, statement_id: int, line: int) -> None:
    """One open dispute per line: a form sent twice must not pay an adjustment twice."""
    open_id = session.scalar(select(CompDispute.id).where(CompDispute.statement_id == statement_id,
                                                          CompDispute.line == line, CompDispute.status == "open"))
    if open_id is not None:
        raise Conflict(f"line {line} of statement {statement_id} is already disputed (dispute {open_id}, open)")


def resolve_dispute(session: Session, *, dispute_id: int, accept: bool, note: str, viewer: User | None,
                    actor: str, now: datetime | None = None) -> CompDispute:
    """A manager accepts (adjustment line in a new revision) or rejects (with a reason) an open dispute."""
    dispute = session.get(CompDispute, dispute_id)
    if dispute is None:
        raise NotFound(f"no dispute {dispute_id}")
    row, rep = _statement(session, dispute.statement_id, viewer)
    if viewer is not None and (viewer.role not in ("admin", "manager") or viewer.id == rep.id):
        raise Forbidden(f"{viewer.email} may not resolve disputes of {rep.email}")
    note = _text(note, "note")
    now = now or utcnow()
    status = "accepted" if accept else "rejected"
    claimed = session.execute(update(CompDispute).where(CompDispute.id == dispute_id, CompDispute.status == "open")
                              .values(status=status, resolved_by=actor, resolved_at=now, resolution=note.strip())
                              .execution_options(synchronize_session=False)).rowcount
    session.refresh(dispute)
    if claimed != 1:
        raise InvalidMove(f"dispute {dispute_id} is already {dispute.status}; it is resolved once")
    data = {"statement_id": row.id, "line": dispute.line, "note": dispute.resolution,
            "within_sla": now <= dispute.due_at}
    if accept:
        disputed = row.lines[dispute.line]
        adjustment = cents(major(dispute.expected_minor)) - Decimal(disputed["amount"])
        line = Line(adjustment, "adjustment", f"dispute:{dispute.id}",
                    f"dispute {dispute.id} accepted by {actor}: expected {cents(major(dispute.expected_minor))} "
                    f"on line {dispute.line} ({disputed['rule']}, {disputed['source']}) paid {disputed['amount']}: "
                    f"{dispute.resolution}")
        latest = _latest_revision(session, row)
        revision = recorded(session, next_revision(rep, latest, [*latest.lines, line.as_dict()], actor), actor,
                            now=now)
        data["revision"] = revision.revision
    record(session, type=f"comp.dispute_{status}", subject_type="comp_dispute", subject_id=dispute.id, actor=actor,
           data=data, at=now)
    return dispute


def _latest_revision(session: Session, row: CompStatement) -> CompStatement:
    return session.scalar(select(CompStatement).where(CompStatement.rep_id == row.rep_id,
                                                      CompStatement.period == row.period)
                          .order_by(CompStatement.revision.desc()).limit(1))


def disputes(session: Session, *, period: str, viewer: User | None, now: datetime | None = None) -> list[dict]:
    """The month's disputes the viewer may see, with whether the SLA is overdue."""
    now = now or utcnow()
    query = (select(CompDispute, CompStatement, User).join(CompStatement, CompStatement.id == CompDispute.statement_id)
             .join(User, User.id == CompStatement.rep_id).where(CompStatement.period == period)
             .order_by(CompDispute.id))
    return [{"id": d.id, "rep": rep.email, "statement_id": s.id, "line": d.line, "rule": s.lines[d.line]["rule"],
             "amount": s.lines[d.line]["amount"], "expected": str(cents(major(d.expected_minor))),
             "reason": d.reason, "status": d.status, "due_at": d.due_at.isoformat(),
             "overdue": d.status == "open" and now > d.due_at, "resolution": d.resolution}
            for d, s, rep in session.execute(query) if may_see_statement(viewer, rep)]
