"""Reading and normalizing a lead file in a second process while this one writes to the database.

Parsing (csv, e-mail, phone numbers) costs about as much as persisting, so on a multi-core
machine the two overlap. Chunks come through a bounded queue: memory stays flat for any size.
"""

import multiprocessing
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from revteam.leads.formats import read_rows

_DONE = "done"
_QUEUE_DEPTH = 4


def chunked(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _produce(queue, path: Path, format: str, mapping: Path | None, size: int) -> None:
    try:
        for chunk in chunked(read_rows(path, format=format, mapping_path=mapping), size):
            queue.put(("chunk", chunk))
        queue.put((_DONE, None))
    except Exception as error:  # handed to the parent, which raises it there
        queue.put(("error", error))


def read_chunks(path: Path, *, format: str, mapping: Path | None, size: int) -> Iterator[list]:
    """The file's rows in chunks of `size`, parsed in a child process."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=_QUEUE_DEPTH)
    reader = context.Process(target=_produce, args=(queue, path, format, mapping, size), daemon=True)
    reader.start()
    try:
        while True:
            kind, payload = queue.get()
            if kind == _DONE:
                return
            if kind == "error":
                raise payload
            yield payload
    finally:
        reader.kill()
        reader.join()
