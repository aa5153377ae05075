"""Reading a subscriptions CSV: each row sets one subscription's MRR and seats from its date on.

Columns `account,subscription,date,mrr,seats,term_months` are required; `currency` and `plan`
are read when present and any other column is ignored. A row that cannot be read becomes a
refusal naming the file line where its record starts; it never stops the rest of the file.
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from revteam.errors import BadInput

REQUIRED_COLUMNS = ("account", "subscription", "date", "mrr", "seats", "term_months")
OPTIONAL_COLUMNS = ("currency", "plan")
REPORTING_CURRENCY = "USD"  # every MRR figure is in one currency; convert before importing
_MONEY = re.compile(r"^\d+(\.\d{1,2})?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHOLE = re.compile(r"^\d+$")


@dataclass(frozen=True, slots=True)
class ChangeRow:
    line: int
    account: str
    subscription: str
    date: date
    mrr_minor: int
    seats: int
    term_months: int
    currency: str
    plan: str | None


@dataclass(frozen=True, slots=True)
class RefusedLine:
    line: int
    reason: str


def parse_money(text: str) -> int:
    """Decimal money in major units ("1200.50") as integer minor units; BadInput otherwise."""
    cleaned = text.strip()
    if not _MONEY.match(cleaned):
        raise BadInput(f"mrr {text!r} is not an amount like 1200.50 (no sign, separators or currency symbol)")
    return int(Decimal(cleaned) * 100)


def _whole(text: str, name: str, *, least: int) -> int:
    if not _WHOLE.match(text.strip()) or int(text) < least:
        raise BadInput(f"{name} {text!r} is not a whole number of at least {least}")
    return int(text)


def _day(text: str) -> date:
    try:
        if _DAY.match(text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise BadInput(f"date {text!r} is not a day written YYYY-MM-DD")


def parse_row(cells: dict[str, str], line: int) -> ChangeRow | RefusedLine:
    """One CSV record as a change, or the reason it is refused."""
    for name in ("account", "subscription"):
        if not cells.get(name, "").strip():
            return RefusedLine(line, f"{name} is empty")
    currency = (cells.get("currency") or "").strip().upper() or REPORTING_CURRENCY
    if currency != REPORTING_CURRENCY:
        return RefusedLine(line, f"currency {currency} is not the reporting currency {REPORTING_CURRENCY}")
    if len(cells["subscription"].strip()) > 100:
        return RefusedLine(line, "subscription is longer than 100 characters")
    try:
        return ChangeRow(
            line=line, account=cells["account"].strip(), subscription=cells["subscription"].strip(),
            date=_day(cells.get("date", "")), mrr_minor=parse_money(cells.get("mrr", "")),
            seats=_whole(cells.get("seats", ""), "seats", least=0),
            term_months=_whole(cells.get("term_months", ""), "term_months", least=1),
            currency=currency, plan=(cells.get("plan") or "").strip()[:80] or None,
        )
    except BadInput as error:
        return RefusedLine(line, str(error))


def _columns(header: list[str], where: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, column in enumerate(header):
        key = column.strip().lower()
        if key in positions:
            raise BadInput(f"duplicate column {column.strip()!r} in the header", where=where)
        positions[key] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        raise BadInput(f"missing column(s) {', '.join(missing)}; need {','.join(REQUIRED_COLUMNS)}", where=where)
    return {name: positions[name] for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in positions}


def read_change_rows(path: Path) -> Iterator[ChangeRow | RefusedLine]:
    """Stream the file's records as changes or refusals, each with the line its record starts on."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise BadInput("the file is empty", where=f"{path}:1")
            columns = _columns(header, f"{path}:1")
            ended = reader.line_num
            for cells in reader:
                start, ended = ended + 1, reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                    yield RefusedLine(start, f"the row has {len(cells)} fields but the header has {len(header)}")
                    continue
                yield parse_row({name: cells[i] if i < len(cells) else "" for name, i in columns.items()}, start)
        except csv.Error as error:
            raise BadInput(f"unreadable CSV ({error})", where=f"{path}:{reader.line_num}") from None
