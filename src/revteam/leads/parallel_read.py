"""Reading and normalizing a lead file in a second process while this one writes to the database.

Parsing (csv, e-mail, phone numbers) costs about as much as persisting, so on a multi-core
machine the two overlap. Chunks come through a bounded queue: memory stays flat for any size.
"""

import gc
import multiprocessing
import os
import queue as queues
from collections.abc import Iterator
from dataclasses import fields
from itertools import islice
from operator import attrgetter
from pathlib import Path

from revteam.leads.formats import CanonicalRow, read_rows

_DONE = "done"
_QUEUE_DEPTH = 4


def chunked(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _hand_over(queue, item, parent: int) -> bool:
    """Put `item` on the queue; False when the parent died meanwhile (so the reader stops too)."""
    while os.getppid() == parent:
        try:
            queue.put(item, timeout=1)
            return True
        except queues.Full:
            continue
    # Nobody will read what the queue still buffers: without this the reader would wait forever,
    # at exit, to flush it into the full pipe.
    queue.cancel_join_thread()
    return False


# Pickling a slotted dataclass runs Python code per row on both sides; a plain tuple of its
# fields costs a third, and the rebuilt row is the same.
_FIELD_VALUES = attrgetter(*(field.name for field in fields(CanonicalRow)))


def _packed(chunk: list) -> list:
    return [_FIELD_VALUES(row) if type(row) is CanonicalRow else row for row in chunk]


def _unpacked(chunk: list) -> list:
    return [CanonicalRow(*row) if type(row) is tuple else row for row in chunk]


def _produce(queue, path: Path, format: str, mapping: Path | None, size: int, parent: int) -> None:
    # Rows are short-lived and acyclic: the cyclic collector would only rescan the chunk in hand.
    gc.disable()
    try:
        for chunk in chunked(read_rows(path, format=format, mapping_path=mapping), size):
            if not _hand_over(queue, ("chunk", _packed(chunk)), parent):
                return
        _hand_over(queue, (_DONE, None), parent)
    except Exception as error:  # handed to the parent, which raises it there
        _hand_over(queue, ("error", error), parent)


def _next_item(queue, reader) -> tuple[str, object]:
    """The next item, or an error if the reader died without saying why (never wait forever)."""
    while True:
        try:
            return queue.get(timeout=1)
        except queues.Empty:
            if not reader.is_alive():
                raise RuntimeError(f"the file reader process stopped (exit code {reader.exitcode})") from None


PARALLEL_FROM_BYTES = 4 << 20  # below this, starting a second interpreter costs more than it saves


def read_chunks(path: Path, *, format: str, mapping: Path | None, size: int) -> Iterator[list]:
    """The file's rows in chunks of `size`, parsed in a child process when the file is large."""
    if path.stat().st_size < PARALLEL_FROM_BYTES:
        yield from chunked(read_rows(path, format=format, mapping_path=mapping), size)
        return
    # spawn, not fork: a forked reader would inherit this process's database connections and,
    # if this process were killed, keep its open transaction (and its locks) alive.
    context = multiprocessing.get_context("spawn")
    queue = context.Queue(maxsize=_QUEUE_DEPTH)
    reader = context.Process(target=_produce, args=(queue, path, format, mapping, size, os.getpid()), daemon=True)
    reader.start()
    try:
        while True:
            kind, payload = _next_item(queue, reader)
            if kind == _DONE:
                return
            if kind == "error":
                raise payload
            yield _unpacked(payload)
    finally:
        reader.kill()
        reader.join()
