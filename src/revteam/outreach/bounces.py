"""Hard bounces reported from outside (the mail provider's report, by API or a CSV file): each stops
every later touch to its person. A file is `email,at[,reason]`; a row that cannot land is refused
with its line and the others land; the same file again changes nothing."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from revteam.errors import BadInput, RevteamError
from revteam.leads.intake.normalize import parse_created
from revteam.leads.intake.records import RecordReader, UnreadableRecord
from revteam.outreach.models import SuppressionKind
from revteam.outreach.schemas import BounceIn
from revteam.outreach.suppression import suppress_by_email

REQUIRED, OPTIONAL = ("email", "at"), ("reason",)
ACTOR = "system:bounces"


@dataclass
class BounceReport:
    """What a batch of bounce reports did: rows read, people newly suppressed, those suppressed before, refusals."""

    rows: int = 0
    suppressed: int = 0
    already: int = 0
    refused: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"rows": self.rows, "suppressed": self.suppressed, "already_suppressed": self.already,
                "refused": self.refused}


def record_bounce(session: Session, *, email: str, at: datetime, reason: str | None, actor: str = ACTOR,
                  where: str = "email") -> bool:
    """Suppress the person whose address bounced; False when they were suppressed already."""
    return suppress_by_email(session, email=email, reason=f"hard bounce: {reason}" if reason else "hard bounce",
                             actor=actor, at=at, kind=SuppressionKind.bounce, where=where)


def report_bounces(session: Session, bounces: list[BounceIn], *, actor: str) -> BounceReport:
    """Land bounces reported by API; one naming nobody known is refused by its position (from 1)."""
    report = BounceReport(rows=len(bounces))
    for position, bounce in enumerate(bounces, start=1):
        try:
            landed = record_bounce(session, email=bounce.email, at=bounce.at, reason=bounce.reason, actor=actor,
                                   where=f"item {position}: email")
        except RevteamError as error:
            report.refused.append({"line": position, "reason": str(error)})
            continue
        report.suppressed += landed
        report.already += not landed
    return report


def _columns(cells: list[str], where: str) -> dict[str, int]:
    names = [cell.strip().casefold() for cell in cells]
    unknown = [name for name in names if name not in REQUIRED + OPTIONAL]
    missing = [name for name in REQUIRED if name not in names]
    if unknown or missing or len(set(names)) != len(names):
        raise BadInput(f"the header is {','.join(names)!r}; a bounce file has the columns email,at and optionally "
                       "reason, each once", where=where)
    return {name: index for index, name in enumerate(names)}


def _land_row(session: Session, cells: list[str], columns: dict[str, int], where: str, report: BounceReport) -> None:
    if len(cells) != len(columns):
        raise BadInput(f"{len(cells)} fields where the header has {len(columns)}", where=where)
    try:
        "".join(cells).encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput("the row is not UTF-8 text", where=where) from None
    raw_at = cells[columns["at"]]
    at = parse_created(raw_at)
    if at is None:
        raise BadInput(f"at: {raw_at.strip()!r} is not a time (ISO 8601, e.g. 2026-03-02T15:00:00Z)", where=where)
    reason = cells[columns["reason"]].strip() if "reason" in columns else None
    landed = record_bounce(session, email=cells[columns["email"]], at=at, reason=reason or None, where=f"{where}: email")
    report.suppressed += landed
    report.already += not landed


def import_bounces(session: Session, path: Path) -> BounceReport:
    """Land a bounce file in the caller's transaction; refusals are reported by line, never raised."""
    report = BounceReport()
    with open(path, newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        reader = RecordReader(handle)
        header = reader.header()
        if header is None or isinstance(header, UnreadableRecord):
            raise BadInput("the file is empty or its header unreadable", where=f"{path}:1")
        columns = _columns(header.cells, f"{path}:{header.line}")
        for record in reader.records(width=len(columns)):
            report.rows += 1
            where = f"{path}:{record.line}"
            try:
                if isinstance(record, UnreadableRecord):
                    raise BadInput(record.reason, where=where)
                _land_row(session, record.cells, columns, where, report)
            except RevteamError as error:
                report.refused.append({"line": record.line, "reason": str(error)})
    return report
