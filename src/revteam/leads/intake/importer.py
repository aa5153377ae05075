"""Bulk import of lead files in idempotent chunks.

The file's content hash names the batch. Each chunk of rows lands in its own transaction
together with its row in `import_chunks`, so a crash leaves whole chunks or nothing, and a
re-run skips what landed and finishes the rest. Importing the same file again lands nothing.
"""

import codecs
import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from revteam.accounts.matching import AccountIndex
from revteam.db.base import utcnow
from revteam.db.locks import hold_intake_lock
from revteam.db.session import session_scope
from revteam.errors import BadInput
from revteam.leads.intake.land import IntakeContext, IntakeResult, land_rows
from revteam.leads.models import ImportChunk
from revteam.leads.intake.parallel_read import read_chunks

CHUNK_ROWS = 20_000
IMPORT_TOUCH = "list_import"


@dataclass
class ImportReport:
    batch: str
    result: IntakeResult
    chunks_skipped: int
    chunks_landed: int

    def as_json(self) -> dict:
        """The documented `--json` shape."""
        result = self.result
        return {
            "batch": self.batch, "rows": result.rows, "landed": result.landed, "new_leads": result.new_leads,
            "merged": result.merged, "refused": result.refused, "accounts_created": result.accounts_created,
            "accounts_matched": result.accounts_matched, "already_imported": self.already_imported,
        }

    @property
    def already_imported(self) -> bool:
        """Every chunk had landed before: this run landed nothing."""
        return self.chunks_skipped > 0 and self.chunks_landed == 0


def file_batch_id(path: Path) -> str:
    """sha256 of the file's bytes; also proves the whole file is UTF-8 before anything lands."""
    digest, decoder, line, block = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")(), 1, b""
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
                decoder.decode(block)
                line += block.count(b"\n")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        if not block:  # the last character was cut off at the end of the file
            raise BadInput("the file is not UTF-8 text (it ends inside a character)", where=f"{path}:{line}") from None
        line += block[:error.start].count(b"\n")
        raise BadInput(f"the file is not UTF-8 text (byte 0x{block[error.start]:02x}); save it as UTF-8",
                       where=f"{path}:{line}") from None
    except OSError as error:
        raise BadInput(f"cannot read the file: {error.strerror or error}", where=str(path)) from None
    return digest.hexdigest()


def _landed_chunks(session: Session, batch: str) -> dict[int, dict]:
    query = select(ImportChunk.chunk_no, ImportChunk.result).where(ImportChunk.file_hash == batch)
    return {chunk_no: result for chunk_no, result in session.execute(query)}


@dataclass
class ChunkedRun:
    """What each chunk of a file stored as its result (read back for chunks landed before), in order."""

    results: list[dict]
    chunks_skipped: int
    chunks_landed: int
    finished: dict = field(default_factory=dict)  # what `finish` returned, when the run was given one


# The ledger row saying every chunk of the file landed and its finish ran (its result holds how many
# chunks and what the finish returned): a re-run of a whole file reads its results from the ledger
# and does not parse the file again.
WHOLE_FILE = -1
_LEDGER_KEYS = ("chunk_rows", "chunks")


def _stored(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in _LEDGER_KEYS}


def land_in_chunks(engine: Engine, path: Path, *, batch: str, chunks: Callable[[int], Iterator[list]],
                   land: Callable[[Session, list], dict], on_progress: Callable[[int], None] = lambda rows: None,
                   chunk_rows: int = CHUNK_ROWS,
                   finish: Callable[[Session, list[dict]], dict] = lambda session, results: {}) -> ChunkedRun:
    """Land `chunks(chunk_rows)` of a file one transaction each, with its `import_chunks` row and under
    the intake lock; `land` returns the chunk's result to store. Chunks stored before are skipped.
    Once every chunk has landed, `finish` runs over their results in one more transaction, with the
    ledger's whole-file row: a run killed before it commits runs it again."""
    with session_scope(engine) as session:
        landed = _landed_chunks(session, batch)
    if WHOLE_FILE in landed:
        results = [_stored(landed[chunk_no]) for chunk_no in range(landed[WHOLE_FILE]["chunks"])]
        return ChunkedRun(results, chunks_skipped=len(results), chunks_landed=0, finished=_stored(landed[WHOLE_FILE]))
    # A resumed import keeps the slicing of its first run, so chunk numbers mean the same rows.
    chunk_rows = next(iter(landed.values()), {}).get("chunk_rows", chunk_rows)
    run = ChunkedRun([], chunks_skipped=0, chunks_landed=0)
    # closing: a chunk that fails stops the reader and removes its spool now, not when collected
    with closing(chunks(chunk_rows)) as read, _collections_between_chunks(), _import_connection(engine) as connection:
        for chunk_no, chunk in enumerate(read):
            if chunk_no in landed:
                run.results.append(_stored(landed[chunk_no]))
                run.chunks_skipped += 1
                for _ in chunk:  # read through: a chunk streamed in pieces counts its rows as they come
                    pass
            else:
                with session_scope(connection) as session:
                    hold_intake_lock(session)
                    result = land(session, chunk)
                    session.add(ImportChunk(file_hash=batch, chunk_no=chunk_no, file_name=path.name,
                                            result={**result, "chunk_rows": chunk_rows}))
                run.results.append(result)
                run.chunks_landed += 1
                gc.collect(1)
            on_progress(len(chunk))
        with session_scope(connection) as session:
            hold_intake_lock(session)
            run.finished = finish(session, run.results)
            session.add(ImportChunk(file_hash=batch, chunk_no=WHOLE_FILE, file_name=path.name,
                                    result={**run.finished, "chunks": len(run.results), "chunk_rows": chunk_rows}))
    return run


def import_file(
    engine: Engine, path: Path, *, format: str = "auto", mapping: Path | None = None, actor: str = "import",
    on_progress: Callable[[int], None] = lambda rows: None, chunk_rows: int = CHUNK_ROWS,
) -> ImportReport:
    """Import a lead file; safe to re-run after a crash or on the same file."""
    batch = file_batch_id(path)
    with session_scope(engine) as session:
        context = IntakeContext(actor=actor, batch=batch, now=utcnow(), touch_type=IMPORT_TOUCH,
                                accounts=AccountIndex.load(session))

    def land(session: Session, chunk: list) -> dict:
        context.accounts.catch_up(session)
        return land_rows(session, chunk, context).as_stored()

    run = land_in_chunks(engine, path, batch=batch, land=land, on_progress=on_progress, chunk_rows=chunk_rows,
                         chunks=lambda size: read_chunks(path, format=format, mapping=mapping, size=size))
    report = ImportReport(batch, IntakeResult(), chunks_skipped=run.chunks_skipped, chunks_landed=run.chunks_landed)
    for stored in run.results:
        report.result.add(IntakeResult(**stored))
    return report


# SQLite's default page cache (2 MiB) holds little of the indexes a chunk inserts into, so pages
# are spilled and read back many times per chunk; 128 MiB cut the inserts' time by a third.
_SQLITE_PAGE_CACHE_KIB = 128 * 1024


@contextmanager
def _import_connection(engine: Engine) -> Iterator[Connection]:
    """One connection for every chunk of the import; on SQLite with a wide page cache, which it
    keeps from chunk to chunk and gives back when the import ends, so the pool gets it as it was."""
    with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            yield connection
            return
        before = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
        connection.exec_driver_sql(f"PRAGMA cache_size = -{_SQLITE_PAGE_CACHE_KIB}")
        connection.commit()  # each chunk's session then runs and commits its own transaction on it
        try:
            yield connection
        finally:
            connection.rollback()
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")
            connection.commit()


@contextmanager
def _collections_between_chunks() -> Iterator[None]:
    """Keep the cyclic garbage collector out of the chunks; it looks at the young objects between them.

    A chunk allocates millions of short-lived, acyclic objects that reference counting frees. At
    the default thresholds the collector took a quarter of the import's time rescanning them, and
    still 16 µs a row on a million rows at a raised threshold. What a chunk leaves in cycles is
    collected after it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
