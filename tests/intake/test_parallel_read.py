import subprocess
import sys
import time
from pathlib import Path

import pytest

from intake_files import SF_HEADER
from revteam.errors import BadInput
from revteam.leads import parallel_read
from revteam.leads.formats import read_rows


@pytest.fixture
def always_parallel(monkeypatch):
    monkeypatch.setattr(parallel_read, "PARALLEL_FROM_BYTES", 0)


def test_the_reader_process_yields_the_same_rows_in_chunks(always_parallel, write_csv):
    rows = "\n".join(f"P{i},Q,Initech,p{i}@initech.com,,,,,,,,,,," for i in range(25))
    path = write_csv(SF_HEADER + "\n" + rows + "\nBad,Row,X,bad@@x,,,,,,,,,,,\n")
    chunks = list(parallel_read.read_chunks(path, format="auto", mapping=None, size=10))
    assert [len(chunk) for chunk in chunks] == [10, 10, 6]
    assert [row for chunk in chunks for row in chunk] == list(read_rows(path))


def test_an_error_in_the_reader_process_reaches_the_caller(always_parallel, write_csv):
    path = write_csv("Name,Company\nA,B\n")
    with pytest.raises(BadInput, match=":1"):
        list(parallel_read.read_chunks(path, format="auto", mapping=None, size=10))


_IMPORTER_THAT_HANGS = """
import multiprocessing, sys
from pathlib import Path
from revteam.leads import parallel_read
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


def test_the_reader_process_ends_when_the_importing_process_is_killed(write_csv):
    rows = "\n".join(f"P{i},Q,Initech,p{i}@initech.com,,,,,,,,,,," for i in range(20_000))
    path = write_csv(SF_HEADER + "\n" + rows + "\n")
    importer = subprocess.Popen([sys.executable, "-c", _IMPORTER_THAT_HANGS, str(path)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    reader = int(importer.stdout.readline())
    importer.kill()
    importer.wait()
    deadline = time.monotonic() + 60
    while _alive(reader) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(reader)
