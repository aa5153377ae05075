"""Hard bounces reported from outside (the mail provider's report, by API or a CSV file): each stops
every later touch to its person. A bounce for an address nobody known has yet is kept and stops the
person who arrives with it (outreach/suppression.py). A file is `email,at[,reason]`, read by the one
file reader (leads/intake/records.py: open_records): like a lead or activity file, one with bytes that
are not UTF-8 is refused as a whole, at its first such line; a row that cannot land is refused with
its line and the others land; the same file again changes nothing."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from revteam.errors import BadInput, RevteamError
from revteam.leads.intake.normalize import parse_created
from revteam.leads.intake.records import UnreadableRecord, open_records
from revteam.outreach.models import SuppressionKind
from revteam.outreach.schemas import BounceIn
from revteam.outreach.suppression import Landed, suppress_address

REQUIRED, OPTIONAL = ("email", "at"), ("reason",)
ACTOR = "system:bounces"


@dataclass
class BounceReport:
    """What a batch of bounce reports did: rows read, people newly suppressed, those suppressed before,
    addresses nobody has yet (kept for whoever arrives with them), refusals."""

    rows: int = 0
    suppressed: int = 0
    already: int = 0
    kept: int = 0
    refused: list[dict] = field(default_factory=list)

    def count(self, landed: Landed) -> None:
        self.suppressed += landed == Landed.suppressed
        self.already += landed == Landed.already
        self.kept += landed == Landed.kept

    def as_json(self) -> dict:
        return {"rows": self.rows, "suppressed": self.suppressed, "already_suppressed": self.already,
                "kept_for_unknown_address": self.kept, "refused": self.refused}


def record_bounce(session: Session, *, email: str, at: datetime, reason: str | None, actor: str = ACTOR,
                  where: str = "email") -> Landed:
    """Suppress the person whose address bounced (or keep the address when nobody has it yet)."""
    return suppress_address(session, email=email, reason=f"hard bounce: {reason}" if reason else "hard bounce",
                            actor=actor, at=at, kind=SuppressionKind.bounce, where=where)


def report_bounces(session: Session, bounces: list[BounceIn], *, actor: str) -> BounceReport:
    """Land bounces reported by API; one that is no e-mail address is refused by its position (from 1)."""
    report = BounceReport(rows=len(bounces))
    for position, bounce in enumerate(bounces, start=1):
        try:
            report.count(record_bounce(session, email=bounce.email, at=bounce.at, reason=bounce.reason, actor=actor,
                                       where=f"item {position}: email"))
        except RevteamError as error:
            report.refused.append({"line": position, "reason": str(error)})
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
    raw_at = cells[columns["at"]]
    at = parse_created(raw_at)
    if at is None:
        raise BadInput(f"at: {raw_at.strip()!r} is not a time (ISO 8601, e.g. 2026-03-02T15:00:00Z)", where=where)
    reason = cells[columns["reason"]].strip() if "reason" in columns else None
    report.count(record_bounce(session, email=cells[columns["email"]], at=at, reason=reason or None,
                               where=f"{where}: email"))


def import_bounces(session: Session, path: Path) -> BounceReport:
    """Land a bounce file in the caller's transaction; a row's refusal is reported by its line, never raised
    (BadInput for the whole file: no readable header, or bytes that are not UTF-8)."""
    report = BounceReport()
    with open_records(path) as (header, records):
        columns = _columns(header, f"{path}:1")
        for record in records:
            report.rows += 1
            where = f"{path}:{record.line}"
            try:
                if isinstance(record, UnreadableRecord):
                    raise BadInput(record.reason, where=where)
                _land_row(session, record.cells, columns, where, report)
            except RevteamError as error:
                report.refused.append({"line": record.line, "reason": str(error)})
    return report
