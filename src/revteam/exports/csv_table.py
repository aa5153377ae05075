"""Any list as CSV: rows of dicts and the columns to write, UTF-8, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-` or `@` would be run as a formula by Excel, LibreOffice or Google
Sheets (CSV injection), so it is written behind a single quote, which the spreadsheet shows as text.
Every export (leads, accounts, customers) writes through `csv_lines`; it knows no domain.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime

FORMULA_STARTS = ("=", "+", "-", "@")
# Excel opens a UTF-8 file as UTF-8 only when it starts with the byte order mark.
BYTE_ORDER_MARK = "\ufeff"


def neutralized(value: object) -> str:
    """The cell's text, with a leading quote when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(rows: Iterable[Mapping[str, object]], columns: Sequence[str], *,
              headers: Sequence[str] | None = None) -> Iterator[str]:
    """The CSV text, a line at a time: a header (`headers`, else the column names), then each row's cells in
    `columns` order; the first line starts with the byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: Iterable[object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield BYTE_ORDER_MARK + line(neutralized(name) for name in (headers or columns))
    for row in rows:
        yield line(neutralized(row.get(column)) for column in columns)
