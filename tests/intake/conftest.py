import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def write_csv(tmp_path):
    """Write text as a CSV file exactly as given (line endings, BOM) and return its path."""
    counter = iter(range(1000))

    def write(text: str, *, name: str | None = None, bom: bool = False, crlf: bool = False) -> Path:
        path = tmp_path / (name or f"file{next(counter)}.csv")
        body = text.replace("\n", "\r\n") if crlf else text
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8"))
        return path

    return write


@pytest.fixture
def import_json(cli, db_url):
    """Run `revteam import leads FILE --json` and return (exit code, report)."""

    def run(path, *extra):
        result = cli("import", "leads", str(path), "--json", "--db", db_url, *extra)
        assert result.code == 0, result.err
        return json.loads(result.out)

    return run
