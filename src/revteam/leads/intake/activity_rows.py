"""Reading touches from outside (e-mail opens and clicks, visits, webinars, meetings, replies):
columns `email,type,at` and optional `channel,campaign,detail,count`, one touch a row.

A file is read by the lead import's CSV reader (`records.open_records`), so a record is numbered by
the line it starts on and an unreadable one is refused by that line. The API's items go through
`activity_from_fields` as a file's rows do, so both refuse the same values the same way.
"""

import marshal
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path

from revteam.errors import BadInput, quoted
from revteam.inputs import FIRST_DAY, LAST_DAY
from revteam.leads.intake.normalize import EmailResult, normalize_email, parse_created
from revteam.leads.intake.records import CONTROL, UnreadableRecord, open_records
from revteam.leads.models import Activity, Campaign

REQUIRED_COLUMNS = ("email", "type", "at")
OPTIONAL_COLUMNS = ("channel", "campaign", "detail", "count")
MAX_COUNT = 100
# The stored column of each text field (the channel is kept in the touch's `source`).
_LENGTHS = {"type": Activity.type.type.length, "channel": Activity.source.type.length,
            "campaign": Campaign.name.type.length, "detail": Activity.detail.type.length}


@dataclass(frozen=True, slots=True)
class ActivityRow:
    line: int
    email: str  # normalized, as people are matched by it
    type: str  # casefolded, spaces as underscores: "Email Open" is email_open
    at: str  # the moment in UTC as `datetime.isoformat` writes it: what a touch's key and the bulk path read
    channel: str | None
    campaign: str | None
    detail: str | None
    count: int
    digest: int  # `identity_digest` of its fields: made where the row is read (the reader process for a file)


@dataclass(frozen=True, slots=True)
class RefusedActivity:
    line: int
    field: str | None
    value: str | None
    problem: str

    def as_dict(self) -> dict:
        """The refusal as reports show it: the line, the field and value refused, and why in words."""
        reason = self.problem if self.field is None else f"{self.field} {quoted(self.value)}: {self.problem}"
        return {"line": self.line, "field": self.field, "value": self.value, "reason": reason}


@lru_cache(maxsize=65_536)  # a file names the same people again and again
def _email(text: str) -> EmailResult:
    return normalize_email(text)


def _text_refusal(texts: dict[str, str | None], line: int) -> RefusedActivity | None:
    """The first text field holding a control character or longer than its column, refused."""
    has_control = CONTROL.search("".join(value for value in texts.values() if value))
    for name, value in texts.items():
        if value is None:
            continue
        if has_control and (found := CONTROL.search(value)):
            return RefusedActivity(line, name, value, f"holds a control character (U+{ord(found[0]):04X})")
        if len(value) > _LENGTHS[name]:
            return RefusedActivity(line, name, value, f"is longer than {_LENGTHS[name]} characters")
    return None


def activity_from_fields(fields: dict[str, str], *, line: int) -> ActivityRow | RefusedActivity:
    """One touch from its fields as text (a file's cells, an API item's values), or why it is refused."""
    email = _email(fields.get("email", ""))
    if not email.ok:
        return RefusedActivity(line, "email", fields.get("email", ""), f"not an e-mail address ({email.error})")
    texts = {name: fields.get(name, "").strip() or None for name in _LENGTHS}
    if texts["type"] is None:
        return RefusedActivity(line, "type", "", "a touch needs its type (email_open, page_visit, ...)")
    if refusal := _text_refusal(texts, line):
        return refusal
    at = _moment(fields.get("at", ""))
    if at is None:
        return RefusedActivity(line, "at", fields.get("at", ""),
                               f"not a time from {FIRST_DAY} to {LAST_DAY} (ISO 8601, UTC unless it has an offset)")
    count = fields.get("count", "").strip() or "1"
    if not count.isdigit() or not 1 <= int(count) <= MAX_COUNT:
        return RefusedActivity(line, "count", count, f"not a whole number from 1 to {MAX_COUNT}")
    type_ = _type_name(texts["type"])
    return ActivityRow(line, email.normalized, type_, at, texts["channel"], texts["campaign"], texts["detail"],
                       int(count), identity_digest(type_, at, texts["channel"], texts["campaign"], texts["detail"]))


def identity_digest(type_: str, at: str, channel: str | None, campaign: str | None, detail: str | None) -> int:
    """8 bytes of blake2b of a touch's identity but its person (`at` as the ISO text of the UTC moment,
    the campaign by its name), as a signed 64-bit integer; with the person's id it is the touch's key."""
    identity = f"{type_}\x1f{at}\x1f{channel or ''}\x1f{campaign or ''}\x1f{detail or ''}"
    return int.from_bytes(blake2b(identity.encode(), digest_size=8).digest(), "big", signed=True)


@lru_cache(maxsize=1_024)  # a file has a few types
def _type_name(text: str) -> str:
    return "_".join(text.casefold().split())


@lru_cache(maxsize=4_096)  # an export stamps many touches with the same moments (a send, a webinar)
def _moment(text: str) -> str | None:
    moment = parse_created(text)
    return None if moment is None else moment.isoformat()


def _columns(header: list[str], where: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, column in enumerate(header):
        name = column.strip().casefold()
        if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            raise BadInput(f"unknown column {quoted(column.strip())}; the columns are "
                           f"{','.join(REQUIRED_COLUMNS)} and optionally {','.join(OPTIONAL_COLUMNS)}", where=where)
        if name in positions:
            raise BadInput(f"duplicate column {quoted(column.strip())} in the header", where=where)
        positions[name] = index
    if missing := [name for name in REQUIRED_COLUMNS if name not in positions]:
        raise BadInput(f"missing column(s) {', '.join(missing)}; a touch needs {','.join(REQUIRED_COLUMNS)}",
                       where=where)
    return positions


def read_activity_rows(path: str | Path) -> Iterator[ActivityRow | RefusedActivity]:
    """Stream an activities CSV as touches or refusals, each with the line its record starts on."""
    with open_records(path) as (header, records):
        columns = _columns(header, f"{path}:1")
        width = len(header)
        for record in records:
            if isinstance(record, UnreadableRecord):
                yield RefusedActivity(record.line, None, None, record.reason)
            elif len(record.cells) > width and any(cell.strip() for cell in record.cells[width:]):
                yield RefusedActivity(record.line, None, None,
                                      f"the row has {len(record.cells)} fields but the header has {width}")
            else:
                cells = record.cells
                yield activity_from_fields({name: cells[i] for name, i in columns.items() if i < len(cells)},
                                           line=record.line)


class ActivityFileRows:
    """An activities file for the parallel reader (parallel_read.py): a chunk crosses as marshal data."""

    def rows(self, path: Path) -> Iterator[ActivityRow | RefusedActivity]:
        return read_activity_rows(path)

    def packed(self, chunk: list) -> bytes:
        return marshal.dumps([_plain(row) for row in chunk])

    def unpacked(self, data: bytes) -> list:
        return [ActivityRow(*values) if len(values) == 9 else RefusedActivity(*values) for values in marshal.loads(data)]


def _plain(row: ActivityRow | RefusedActivity) -> tuple:
    if type(row) is RefusedActivity:
        return row.line, row.field, row.value, row.problem
    return row.line, row.email, row.type, row.at, row.channel, row.campaign, row.detail, row.count, row.digest
