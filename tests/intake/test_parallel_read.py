import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from intake_files import SF_HEADER
from revteam.errors import BadInput
from revteam.leads.intake import parallel_read
from revteam.leads.intake.formats import read_rows
from tests.concurrency import wait_until


@pytest.fixture
def spool_root(tmp_path, monkeypatch):
    """Where the reader's spool folders go; every test checks none is left behind."""
    root = tmp_path / "spool"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def always_parallel(monkeypatch, spool_root):
    monkeypatch.setattr(parallel_read, "PARALLEL_FROM_BYTES", 0)


def test_the_reader_process_yields_the_same_rows_in_chunks(always_parallel, write_csv, spool_root):
    """Every field crosses intact: dates (with their zone), warnings and extra columns too."""
    rows = "\n".join(f"P{i},Ø,Initech,p{i}@initech.com,,,,,,{'many' if i % 7 else 40},,,,,"
                     f"2026-03-0{i % 9 + 1}T10:00:00+02:00,blue {i}" for i in range(25))
    path = write_csv(SF_HEADER + ",Favourite colour\n" + rows + "\nBad,Row,X,bad@@x,,,,,,,,,,,,\n")
    chunks = list(parallel_read.read_chunks(path, format="auto", mapping=None, size=10))
    assert [len(chunk) for chunk in chunks] == [10, 10, 6]
    read_here = list(read_rows(path))
    assert [row for chunk in chunks for row in chunk] == read_here
    assert read_here[0].created_at.utcoffset() is not None and read_here[1].warnings and read_here[0].custom
    assert list(spool_root.iterdir()) == []


def test_an_error_in_the_reader_process_reaches_the_caller(always_parallel, write_csv, spool_root):
    path = write_csv("Name,Company\nA,B\n")
    with pytest.raises(BadInput, match=":1"):
        list(parallel_read.read_chunks(path, format="auto", mapping=None, size=10))
    assert list(spool_root.iterdir()) == []


_IMPORTER_THAT_HANGS = """
import multiprocessing, sys
from pathlib import Path
from revteam.leads.intake import parallel_read
parallel_read.PARALLEL_FROM_BYTES = 0
chunks = parallel_read.read_chunks(Path(sys.argv[1]), format="auto", mapping=None, size=1000)
next(chunks)
print(multiprocessing.active_children()[0].pid, flush=True)
sys.stdin.read()
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_the_reader_process_ends_when_the_importing_process_is_killed(write_csv, spool_root):
    """...and removes its spool folder, which the killed importer can no longer do."""
    rows = "\n".join(f"P{i},Q,Initech,p{i}@initech.com,,,,,,,,,,," for i in range(20_000))
    path = write_csv(SF_HEADER + "\n" + rows + "\n")
    importer = subprocess.Popen([sys.executable, "-c", _IMPORTER_THAT_HANGS, str(path)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                env={**os.environ, "TMPDIR": str(spool_root)})
    reader = int(importer.stdout.readline())
    importer.kill()
    importer.wait()
    wait_until(lambda: not _alive(reader), what=f"the reader process {reader} to end after its importer was killed")
    assert list(spool_root.iterdir()) == []
