"""Read models kept in step with the event log: refreshed in the same transaction, just before it commits.

`record` and `record_many` note the subjects of the events they append on the session; before the
session commits, every read model registered with `refresh_before_commit` re-derives its rows for
those subjects. The log knows no read model: the domains register theirs in revteam/wiring.py (the
lead milestones of metrics/milestones.py). Bulk loaders that bypass the session (the demo) rebuild
them instead.
"""

from collections.abc import Callable, Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

Subjects = set[tuple[str, int]]  # (subject_type, subject_id) of the events a transaction recorded
ReadModel = Callable[[Session, Subjects], None]

_TOUCHED = "revteam_touched_subjects"
_READ_MODELS: list[tuple[ReadModel, tuple[str, ...]]] = []


def refresh_before_commit(read_model: ReadModel, *, ignoring: tuple[str, ...] = ()) -> None:
    """Have `read_model(session, subjects)` re-derive its rows before every commit that recorded events,
    but for events whose type starts with one of `ignoring` (such an event changes none of its rows)."""
    _READ_MODELS.append((read_model, ignoring))


def note_subjects(session: Session, rows: Iterable[tuple[str, str, int]]) -> None:
    """Remember the (event type, subject_type, subject_id) of events whose read models need a refresh
    before commit."""
    session.info.setdefault(_TOUCHED, set()).update(rows)


@event.listens_for(Session, "before_commit")
def _refresh_read_models(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released (one job of a batch): the subjects wait for the real commit
    touched = session.info.pop(_TOUCHED, None)
    if not touched:
        return
    for read_model, ignoring in _READ_MODELS:
        subjects = {(subject_type, subject_id) for type_, subject_type, subject_id in touched
                    if not type_.startswith(ignoring)}
        if subjects:
            read_model(session, subjects)


@event.listens_for(Session, "after_rollback")
def _forget_subjects(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
