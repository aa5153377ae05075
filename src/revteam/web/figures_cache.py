"""Figures that cost a page many queries (the dashboard's, the scorecards', the cultivation board's),
computed once and shown again while nothing was recorded.

An entry is keyed by what the page asked (its period, whose figures) and holds the figures of the
records at one position of the event log (its newest id: every state change writes an event) as of
the start of one minute, since some figures move with time alone (an offer's SLA falls due without
any write). Each server process keeps its own entries; processes agree because the position is read
from the database.

After a write the kept figures are of other records: the page computes them again before it answers,
so every count still opens a list of exactly the records it counts. When only the clock moved, the
kept figures are still exactly those of the records, as of the minute they were computed for, which
the page shows ("figures as of 09:14 UTC") and which their time-bound links carry (`at`): the page
answers with them at once and one thread per process computes them for the new minute behind it.
Before this, every viewer's page at each turn of the minute waited 1-3 s for a cold dashboard or
scorecard. Kept figures more than `LAGGING_AT_MOST` behind are computed again before answering.
Within a process one request computes an entry and the others asking for it meanwhile wait for its
answer: computing them side by side only shared the CPU.
"""

import logging
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from revteam.db.session import session_scope
from revteam.events.service import last_event_id
from revteam.leads.access import sees_every_lead
from revteam.users.models import User

ENTRIES = 256  # the least recently used entry goes first
LAGGING_AT_MOST = timedelta(minutes=5)
# The minute of figures the clock does not move (a comp month's statements): they are never behind.
TIMELESS = datetime(2000, 1, 1)
log = logging.getLogger(__name__)

Compute = Callable[[Session, datetime], Any]  # (a session, the minute) -> the figures


def whose(session: Session, user: User) -> int | None:
    """Whose figures a page shows, as a key: None for whoever sees every lead (they all see the same
    figures), the user's id for anyone else."""
    return None if sees_every_lead(session, user) else user.id


@dataclass(frozen=True)
class Kept:
    """Figures and the moment they are of: the event log's position and the minute."""
    figures: Any
    position: int
    minute: datetime


class FiguresCache:
    def __init__(self, entries: int = ENTRIES, *, refresh_behind: bool = True):
        self._entries: OrderedDict[Hashable, Kept] = OrderedDict()
        self._size, self._lock = entries, threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}  # one lock per (key, position, minute) being computed
        self._refresh_behind = refresh_behind
        self._due: queue.SimpleQueue = queue.SimpleQueue()
        self._refresher: threading.Thread | None = None

    def get(self, session: Session, key: Hashable, now: datetime, compute: Compute) -> Kept:
        """The figures for `key` as of the records and the minute now, or of the same records a few
        minutes before (computed anew behind the answer); `compute(session, minute)` when not kept yet.
        The figures are shared by every request that asks the same: never change them."""
        minute, position = now.replace(second=0, microsecond=0), last_event_id(session)
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None:
                self._entries.move_to_end(key)
        if kept is None or kept.position != position or minute - kept.minute > LAGGING_AT_MOST:
            return self._computed(session, key, position, minute, compute)
        if kept.minute < minute and self._refresh_behind:
            self._due.put((session.get_bind(), key, position, minute, compute))
            self._start_refresher()
        return kept

    def of_records(self, session: Session, key: Hashable, compute: Callable[[Session], Any]) -> Any:
        """Figures that move with the records alone, kept until the next write (never refreshed behind)."""
        return self.get(session, key, TIMELESS, lambda kept_in, _minute: compute(kept_in)).figures

    def _computed(self, session: Session, key: Hashable, position: int, minute: datetime, compute: Compute) -> Kept:
        with self._lock:
            computing = self._computing.setdefault((key, position, minute), threading.Lock())
        with computing:
            with self._lock:
                kept = self._entries.get(key)
                if kept is not None and (kept.position, kept.minute) == (position, minute):
                    return kept  # computed by the request this one waited for
            try:
                kept = Kept(compute(session, minute), position, minute)
            finally:
                with self._lock:
                    self._computing.pop((key, position, minute), None)
            self._keep(key, kept)
        return kept

    def _keep(self, key: Hashable, kept: Kept) -> None:
        with self._lock:
            older = self._entries.get(key)
            if older is not None and (older.position, older.minute) > (kept.position, kept.minute):
                return  # a request computed newer figures meanwhile
            self._entries[key] = kept
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def _start_refresher(self) -> None:
        with self._lock:
            if self._refresher is None:
                self._refresher = threading.Thread(target=self._refresh_forever, name="figures", daemon=True)
                self._refresher.start()

    def _refresh_forever(self) -> None:
        while True:
            self.refresh_one(*self._due.get())

    def refresh_one(self, engine: Engine, key: Hashable, position: int, minute: datetime, compute: Compute) -> None:
        """Compute one entry asked for behind an answer, in a session of its own, unless it is kept already
        or a write came meanwhile (the next page computes that one before it answers)."""
        with self._lock:
            kept = self._entries.get(key)
        if kept is not None and (kept.position, kept.minute) >= (position, minute):
            return
        try:
            with session_scope(engine) as session:
                if last_event_id(session) == position:
                    self._computed(session, key, position, minute, compute)
        except Exception:  # the next page computes them itself; this thread must keep serving the others
            log.exception("computing the figures for %r behind the answer failed", key)
