"""Reading and normalizing an import file in a second process while this one writes to the database.

Parsing (csv, e-mail, phone numbers) costs about as much as persisting, so on a multi-core
machine the two overlap. The reader writes each normalized chunk to a spool file and names it on
a bounded queue: memory and disk stay flat for any size. What a file's rows are, and how a chunk
of them crosses between the processes, is its `FileRows` (lead files here, activities in
activity_rows.py).
"""

import gc
import marshal
import multiprocessing
import os
import queue as queues
import shutil
import tempfile
import time
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, fields
from datetime import datetime
from itertools import chain, islice
from operator import attrgetter
from pathlib import Path
from typing import Protocol

from revteam.leads.intake.formats import CanonicalRow, RefusedRow, read_rows

_DONE = "done"
_QUEUE_DEPTH = 4


def chunked(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _pieces(rows: Iterator, size: int, piece: int) -> Iterator[list]:
    """The rows in lists of at most `piece`, none across a boundary between chunks of `size`."""
    rows = iter(rows)
    while True:
        for start in range(0, size, piece):
            part = list(islice(rows, min(piece, size - start)))
            if not part:
                return
            yield part


class StreamedChunk:
    """A chunk of `size` rows (fewer at the end of the file) as the reader hands them over, in pieces:
    its landing starts with the first piece while the reader parses the next."""

    def __init__(self, pieces: Iterator[list], size: int):
        self._pieces, self._left, self.rows = pieces, size, 0

    def __iter__(self) -> Iterator[list]:
        while self._left > 0 and (piece := next(self._pieces, None)) is not None:
            self._left -= len(piece)
            self.rows += len(piece)
            yield piece

    def __len__(self) -> int:
        """The rows handed over so far: all of the chunk's once it is read through."""
        return self.rows


def _streamed(pieces: Generator[list, None, None], size: int) -> Iterator[StreamedChunk]:
    with closing(pieces):  # stopping early stops the reader now, not when the pieces are collected
        while (first := next(pieces, None)) is not None:
            chunk = StreamedChunk(chain([first], pieces), size)
            yield chunk
            for _ in chunk:  # a chunk skipped (landed before) or left unread: the next starts after its rows
                pass


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


# Chunks cross as marshal data: lists of plain values, a row's fields in order and its creation
# time as ISO text. Pickling the rows themselves cost more per row than normalizing them.
_FIELD_NAMES = tuple(field.name for field in fields(CanonicalRow))
_FIELD_VALUES = attrgetter(*_FIELD_NAMES)
_TIMES = tuple(_FIELD_NAMES.index(name) for name in ("created_at", "closed_at"))


def _packed(chunk: list) -> bytes:
    rows = []
    for row in chunk:
        if type(row) is RefusedRow:
            rows.append((row.line, row.reason))
            continue
        values = list(_FIELD_VALUES(row))
        for index in _TIMES:
            if values[index] is not None:
                values[index] = values[index].isoformat()
        rows.append(values)
    return marshal.dumps(rows)


def _unpacked(data: bytes) -> list:
    rows = []
    for values in marshal.loads(data):
        if len(values) == 2:
            rows.append(RefusedRow(*values))
            continue
        for index in _TIMES:
            if values[index] is not None:
                values[index] = datetime.fromisoformat(values[index])
        rows.append(CanonicalRow(*values))
    return rows


class FileRows(Protocol):
    """A kind of import file, picklable (the reader process is handed it): its rows, and a chunk of
    them packed as plain values and back."""

    def rows(self, path: Path) -> Iterator: ...

    def packed(self, chunk: list) -> bytes: ...

    def unpacked(self, data: bytes) -> list: ...


@dataclass(frozen=True)
class LeadFileRows:
    format: str
    mapping: Path | None

    def rows(self, path: Path) -> Iterator[CanonicalRow | RefusedRow]:
        return read_rows(path, format=self.format, mapping_path=self.mapping)

    def packed(self, chunk: list) -> bytes:
        return _packed(chunk)

    def unpacked(self, data: bytes) -> list:
        return _unpacked(data)


def _produce(queue, path: Path, kind: FileRows, size: int, piece: int, parent: int, spool: str) -> None:
    # Rows are short-lived and acyclic: the cyclic collector would only rescan the chunk in hand.
    gc.disable()
    try:
        for number, chunk in enumerate(_pieces(kind.rows(path), size, piece)):
            spooled = Path(spool, f"{number}.chunk")
            spooled.write_bytes(kind.packed(chunk))
            if not _hand_over(queue, ("chunk", str(spooled)), parent):
                return
        _hand_over(queue, (_DONE, None), parent)
    except Exception as error:  # handed to the parent, which raises it there
        _hand_over(queue, ("error", error), parent)
    finally:
        _remove_spool_if_orphaned(spool, parent)


def _remove_spool_if_orphaned(spool: str, parent: int) -> None:
    """Wait for the importer to end: it removes the spool and stops this process when it ends
    well, but a killed importer removes nothing, so then this process does."""
    while os.getppid() == parent:
        time.sleep(0.5)
    shutil.rmtree(spool, ignore_errors=True)


def _take(spooled: str, kind: FileRows) -> list:
    """The rows of a spooled chunk; the file is gone once they are in memory."""
    path = Path(spooled)
    rows = kind.unpacked(path.read_bytes())
    path.unlink()
    return rows


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
    """The lead file's rows in chunks of `size`, parsed in a child process when the file is large."""
    return read_file_chunks(path, LeadFileRows(format, mapping), size=size)


def read_file_chunks(path: Path, kind: FileRows, *, size: int) -> Iterator[list]:
    """The rows of a file of this kind in chunks of `size`, parsed in a child process when the file is large."""
    return _parsed_pieces(path, kind, size=size, piece=size)


def stream_file_chunks(path: Path, kind: FileRows, *, size: int, piece: int) -> Iterator[StreamedChunk]:
    """The rows of a file of this kind in chunks of `size`, each handed over in pieces of `piece` rows
    as they are parsed (in a child process when the file is large)."""
    return _streamed(_parsed_pieces(path, kind, size=size, piece=piece), size)


def _parsed_pieces(path: Path, kind: FileRows, *, size: int, piece: int) -> Iterator[list]:
    if path.stat().st_size < PARALLEL_FROM_BYTES:
        yield from _pieces(kind.rows(path), size, piece)
        return
    # spawn, not fork: a forked reader would inherit this process's database connections and,
    # if this process were killed, keep its open transaction (and its locks) alive.
    context = multiprocessing.get_context("spawn")
    queue = context.Queue(maxsize=_QUEUE_DEPTH)
    with tempfile.TemporaryDirectory(prefix="revteam-import-") as spool:
        reader = context.Process(target=_produce, args=(queue, path, kind, size, piece, os.getpid(), spool),
                                 daemon=True)
        reader.start()
        try:
            while True:
                what, payload = _next_item(queue, reader)
                if what == _DONE:
                    return
                if what == "error":
                    raise payload
                yield _take(payload, kind)
        finally:
            reader.kill()
            reader.join()
