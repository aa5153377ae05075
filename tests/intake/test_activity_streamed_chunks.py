"""The activities import's chunks handed over in pieces (parallel_read.stream_file_chunks): a piece never
crosses a chunk's boundary, a chunk left unread still leaves the next starting at its own rows, and the
reader process hands over the same rows as reading the file here."""

import tempfile

import pytest

from revteam.leads.intake import parallel_read
from revteam.leads.intake.activity_rows import ActivityFileRows, read_activity_rows

ROWS = 23


@pytest.fixture
def activities(write_csv):
    body = "".join(f"p{i}@company1.com,page_visit,2026-03-02T14:{i:02d}:00+02:00,web,,item {i},\n" for i in range(ROWS))
    return write_csv("email,type,at,channel,campaign,detail,count\n" + body + "bad@@x,page_visit,2026-03-02,,,,\n")


@pytest.mark.parametrize("in_child", [False, True], ids=["read here", "reader process"])
def test_chunks_come_in_pieces_within_their_boundaries(activities, monkeypatch, tmp_path, in_child):
    if in_child:
        monkeypatch.setattr(parallel_read, "PARALLEL_FROM_BYTES", 0)
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    chunks = parallel_read.stream_file_chunks(activities, ActivityFileRows(), size=10, piece=4)
    pieces = [[len(piece) for piece in chunk] for chunk in chunks]
    assert pieces == [[4, 4, 2], [4, 4, 2], [4]]  # 24 records: 23 touches and a refusal, by chunks of 10
    rows = [row for chunk in parallel_read.stream_file_chunks(activities, ActivityFileRows(), size=10, piece=4)
            for piece in chunk for row in piece]
    assert rows == list(read_activity_rows(activities))
    assert rows[0].at == "2026-03-02T12:00:00+00:00" and rows[-1].field == "email"  # the UTC moment as ISO text; a refusal


def test_a_chunk_left_unread_is_skipped_whole(activities):
    chunks = parallel_read.stream_file_chunks(activities, ActivityFileRows(), size=10, piece=4)
    next(chunks)  # landed before: not read
    second = next(chunks)
    assert [row.line for piece in second for row in piece] == list(range(12, 22)) and len(second) == 10
