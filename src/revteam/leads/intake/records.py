"""Splitting a CSV file into records, each with the line it starts on; a record whose quotes do not
balance is refused by that line and the lines after its first are read again as records.

The quotes of a record do not balance when a quoted field never closes (it would run to the end
of the file), when text follows a closing quote (`"Acme" Inc`), or when a line wholly inside a
quoted field reads as a record of its own (as many fields as the header). Otherwise one stray
quote swallows the records after it into one field.
"""

import csv
import re
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from revteam.errors import BadInput
from revteam.inputs import LINE_BREAKS_AND_TABS, control_characters


@dataclass(frozen=True, slots=True)
class Record:
    line: int
    cells: list[str]


@dataclass(frozen=True, slots=True)
class UnreadableRecord:
    line: int
    reason: str


class _Lines:
    """The file's physical lines for csv.reader, remembering those of the record being read so
    that they can be given again."""

    def __init__(self, handle: TextIO):
        self._handle = handle
        self._again: deque[tuple[int, str]] = deque()
        self._lines_read = 0
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        if self._again:
            number, line = self._again.popleft()
        else:
            line = next(self._handle)
            self._lines_read += 1
            number = self._lines_read
        self.taken.append((number, line))
        return line

    @property
    def record_start(self) -> int:
        return self.taken[0][0] if self.taken else self._lines_read + 1

    def next_record(self) -> None:
        self.taken.clear()

    def again_after_first(self) -> None:
        """The record being read is refused: its lines after the first are read again."""
        self._again.extendleft(reversed(self.taken[1:]))
        self.taken.clear()


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CSV_PROBLEMS = {
    "unexpected end of data": "a quoted field that starts here never closes",
    "',' expected after '\"'": "text follows the closing quote of a quoted field",
}


def _problem(error: csv.Error) -> str:
    message = str(error)
    if message.startswith("field larger than field limit"):
        return f"a field is longer than {csv.field_size_limit():,} characters"
    problem = _CSV_PROBLEMS.get(message, f"unreadable CSV ({message})")
    return f"{problem}: the quotes do not balance" if message in _CSV_PROBLEMS else problem


def _swallowed_line(cells: list[str], width: int) -> bool:
    """Whether a line wholly inside a quoted field reads as a record of `width` fields."""
    for cell in cells:
        inner_lines = _LINE_BREAK.split(cell)[1:-1]
        if any(len(next(csv.reader([line]), [])) >= width for line in inner_lines):
            return True
    return False


class RecordReader:
    """Records of a CSV file, as `Record` or `UnreadableRecord`; blank lines are skipped."""

    def __init__(self, handle: TextIO):
        self._lines = _Lines(handle)
        self._reader = csv.reader(self._lines, strict=True)

    def header(self) -> Record | UnreadableRecord | None:
        return next(self._records(width=0), None)

    def records(self, width: int) -> Iterator[Record | UnreadableRecord]:
        """The records after the header; `width` is the header's number of fields."""
        return self._records(width)

    def _records(self, width: int) -> Iterator[Record | UnreadableRecord]:
        lines = self._lines
        while True:
            lines.next_record()
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield UnreadableRecord(lines.record_start, _problem(error))
                lines.again_after_first()
                continue
            if not any(cells):
                continue
            start = lines.record_start
            if width and len(lines.taken) > 1 and _swallowed_line(cells, width):
                yield UnreadableRecord(start, "a quoted field runs over a line that reads as a record of its own: "
                                              "the quotes do not balance")
                lines.again_after_first()
                continue
            yield Record(start, cells)


CONTROL = control_characters(allowed=LINE_BREAKS_AND_TABS)  # what no cell may hold but line breaks and tabs


@contextmanager
def open_records(path: str | Path) -> Iterator[tuple[list[str], Iterator[Record | UnreadableRecord]]]:
    """A CSV file's header cells and its records after them; a file without a readable header, or
    with bytes that are not UTF-8, is refused as a whole (BadInput naming the file and line)."""
    # surrogateescape lets an undecodable byte surface in its own row, so the error names its line
    with open(path, newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        reader = RecordReader(handle)
        header = reader.header()
        if header is None:
            raise BadInput("the file is empty", where=f"{path}:1")
        where = f"{path}:{header.line}"
        if isinstance(header, UnreadableRecord):
            raise BadInput(f"unreadable header: {header.reason}", where=where)
        _check_utf8(header.cells, where)
        _check_header_text(header.cells, where)
        yield header.cells, _checked(reader.records(width=len(header.cells)), path)


def _checked(records: Iterator[Record | UnreadableRecord], path: str | Path) -> Iterator[Record | UnreadableRecord]:
    for record in records:
        if isinstance(record, Record):
            _check_utf8(record.cells, f"{path}:{record.line}")
        yield record


def _check_header_text(header: list[str], where: str) -> None:
    for number, column in enumerate(header, start=1):
        if found := CONTROL.search(column):
            raise BadInput(f"column {number} of the header holds a control character (U+{ord(found[0]):04X}); "
                           "save the file as UTF-8 text", where=where)


def _check_utf8(cells: list[str], where: str) -> None:
    for cell in cells:
        if not cell.isascii():
            try:
                cell.encode("utf-8")
            except UnicodeEncodeError as err:
                byte = ord(cell[err.start]) - 0xDC00
                raise BadInput(f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8",
                               where=where) from None
