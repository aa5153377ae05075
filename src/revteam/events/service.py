"""Writing to and reading from the append-only event log.

Every event is stamped with the playbook version in force. The log does not know where that comes
from: the playbook domain names its function with `stamp_with`, in revteam/wiring.py.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.events.models import Event
from revteam.events.projections import note_subjects
from revteam.db.bulk import Storage, insert_rows

VersionInForce = Callable[[Session], int]

_version_in_force: VersionInForce | None = None


def stamp_with(version_in_force: VersionInForce) -> None:
    """Stamp every event with `version_in_force(session)`, the id of the playbook version in force."""
    global _version_in_force
    _version_in_force = version_in_force


def _stamp(session: Session) -> int:
    if _version_in_force is None:
        raise RuntimeError("the event log has no playbook version to stamp events with: import revteam.wiring "
                           "(revteam.db.session.get_engine does)")
    return _version_in_force(session)


def record(
    session: Session,
    *,
    type: str,
    subject_type: str,
    subject_id: int,
    actor: str,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one event in the caller's transaction, stamped with the active playbook version."""
    event = Event(
        type=type, subject_type=subject_type, subject_id=subject_id, actor=actor,
        data=data or {}, at=at or utcnow(), playbook_version_id=_stamp(session),
    )
    session.add(event)
    note_subjects(session, [(type, subject_type, subject_id)])
    return event


def record_many(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    """Append many events at once (bulk paths such as imports); each row as in `record`."""
    version_id = _stamp(session)
    values = [{"data": {}, "at": utcnow(), **row, "playbook_version_id": version_id} for row in rows]
    if values:
        session.connection().execute(insert(Event.__table__), values)
        note_subjects(session, ((row["type"], row["subject_type"], row["subject_id"]) for row in values))


_EVENT_COLUMNS = ("type", "subject_type", "subject_id", "actor", "at", "data", "playbook_version_id")


def record_bulk(session: Session, rows: list[dict[str, Any]]) -> None:
    """Append many complete events (every key of `record` given) through the driver's bulk path."""
    storage, version_id = Storage.of(session), _stamp(session)
    values = [(row["type"], row["subject_type"], row["subject_id"], row["actor"], storage.time(row["at"]),
               storage.json(row["data"]), version_id) for row in rows]
    insert_rows(session, Event.__tablename__, _EVENT_COLUMNS, values)
    note_subjects(session, ((row["type"], row["subject_type"], row["subject_id"]) for row in rows))


def history(session: Session, subject_type: str, subject_id: int) -> Sequence[Event]:
    """A subject's whole history in order: one indexed query."""
    query = (
        select(Event)
        .where(Event.subject_type == subject_type, Event.subject_id == subject_id)
        .order_by(Event.id)
    )
    return session.scalars(query).all()


def last_event_id(session: Session) -> int:
    """The newest event's id (0 for an empty log): every state change writes an event, so while it
    stays the same nothing was recorded (one read of the primary key's last entry)."""
    return session.scalar(select(func.max(Event.id))) or 0
