"""Figures that cost a page many queries (the dashboard's, the scorecards'), computed once and shown
again while nothing was recorded.

An entry is keyed by what the page asked (its period, whose figures) and by the state of the records:
the event log's newest id (every state change writes an event) and the minute of the clock, since
some figures move with time alone (an offer's SLA falls due without any write). The figures are
computed as of the start of that minute: those of the records as they are, at most a minute behind
the clock, never behind a write. Each server process keeps its own entries; processes agree because
the key is read from the database. Within a process one request computes an entry and the others
asking for it meanwhile wait for its answer: after a write or at the turn of a minute, every viewer's
next page asks for the same figures at once, and computing them side by side only shared the CPU.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from revteam.events.service import last_event_id
from revteam.leads.access import sees_every_lead
from revteam.users.models import User

ENTRIES = 256  # the least recently used entry goes first


def whose(session: Session, user: User) -> int | None:
    """Whose figures a page shows, as a key: None for whoever sees every lead (they all see the same
    figures), the user's id for anyone else."""
    return None if sees_every_lead(session, user) else user.id


class FiguresCache:
    def __init__(self, entries: int = ENTRIES):
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._size, self._lock = entries, threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}  # one lock per entry being computed

    def get(self, session: Session, key: Hashable, now: datetime, compute: Callable[[datetime], Any]) -> Any:
        """The figures for `key` as of the records and the minute now; `compute(minute)` when not kept
        yet. The figures are shared by every request that asks the same: never change them."""
        minute = now.replace(second=0, microsecond=0)
        full_key = (key, last_event_id(session), minute)
        with self._lock:
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                return self._entries[full_key]
            computing = self._computing.setdefault(full_key, threading.Lock())
        with computing:
            with self._lock:
                if full_key in self._entries:  # computed by the request this one waited for
                    return self._entries[full_key]
            try:
                figures = compute(minute)
            except BaseException:
                with self._lock:
                    self._computing.pop(full_key, None)
                raise
            with self._lock:
                self._entries[full_key] = figures
                self._computing.pop(full_key, None)
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return figures
