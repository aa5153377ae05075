"""`revteam import activities FILE`: touches from outside in idempotent chunks, as the lead import lands leads.

The batch is named by the file's content (salted, so it never collides with a lead import of the
same bytes); each chunk lands in one transaction with its `import_chunks` row (importer.py), so a
crash leaves whole chunks and a re-run skips them. The leads touched are scored again once, after
the last chunk, in the transaction that marks the whole file landed: a lead touched in every chunk
is scored once, with all its touches, and a run killed before that commits scores on its re-run.
Importing the same file again lands nothing, and a touch that landed before from another file or
request is counted as a duplicate (touches.py).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.leads.intake.activity_rows import ActivityFileRows
from revteam.leads.intake.importer import file_batch_id, land_in_chunks
from revteam.leads.intake.parallel_read import StreamedChunk, stream_file_chunks
from revteam.leads.intake.touches import COUNTS, TouchResult, land_touches, rescore_touched

CHUNK_ROWS = 200_000  # a chunk records one `lead.engaged` per lead it touches: fewer, larger chunks record less
PIECE_ROWS = 20_000  # a chunk is landed piece by piece as the reader parses them: the two overlap


@dataclass
class ActivityImport:
    batch: str
    result: TouchResult
    chunks_skipped: int
    chunks_landed: int

    @property
    def already_imported(self) -> bool:
        """Every chunk had landed before: this run landed nothing."""
        return self.chunks_skipped > 0 and self.chunks_landed == 0

    def as_json(self) -> dict:
        """The documented `--json` shape."""
        return {"batch": self.batch, **{name: getattr(self.result, name) for name in COUNTS},
                "refused": self.result.refused, "already_imported": self.already_imported}


def import_activities(engine: Engine, path: Path, *, actor: str = "import", now: datetime | None = None,
                      on_progress: Callable[[int], None] = lambda rows: None,
                      chunk_rows: int = CHUNK_ROWS) -> ActivityImport:
    """Import an activities CSV, scoring as of `now`; safe to re-run after a crash or on the same file."""
    batch = hashlib.sha256(f"activities:{file_batch_id(path)}".encode()).hexdigest()
    now, campaigns = now or utcnow(), {}

    def land(session: Session, chunk: StreamedChunk) -> dict:
        result = land_touches(session, chunk, actor=actor, batch=batch, now=now, campaigns=campaigns, rescore=False)
        return {**result.as_stored(), "lead_ids": result.lead_ids}

    def finish(session: Session, results: list[dict]) -> dict:
        # A chunk landed before scoring moved to the end of the import holds no "lead_ids": it scored its own.
        scored = TouchResult()
        touched = {lead_id for result in results for lead_id in result.get("lead_ids", ())}
        scored.rescored(rescore_touched(session, sorted(touched), now=now))
        return {"leads_rescored": scored.leads_rescored, "qualified": scored.qualified}

    run = land_in_chunks(engine, path, batch=batch, land=land, on_progress=on_progress, chunk_rows=chunk_rows,
                         chunks=lambda size: stream_file_chunks(path, ActivityFileRows(), size=size, piece=PIECE_ROWS),
                         finish=finish)
    report = ActivityImport(batch, TouchResult(), chunks_skipped=run.chunks_skipped, chunks_landed=run.chunks_landed)
    for stored in [*run.results, run.finished]:
        report.result.add(stored)
    return report
