import json

import pytest

from scoring_history import history_rows


@pytest.fixture
def import_history(cli, db_url, tmp_path):
    """Import a generated history (see scoring_history.py) through `revteam import leads`."""

    def run(count: int, **options) -> dict:
        path = tmp_path / f"history-{count}-{len(list(tmp_path.iterdir()))}.csv"
        path.write_text(history_rows(count, **options))
        result = cli("import", "leads", str(path), "--json", "--db", db_url)
        assert result.code == 0, result.err
        return json.loads(result.out)

    return run


@pytest.fixture
def scoring(cli, db_url):
    """Run `revteam scoring ARGS --db URL` and return the result."""

    def run(*args):
        return cli("scoring", *args, "--db", db_url)

    return run


@pytest.fixture
def import_text(cli, db_url, tmp_path):
    """Import this CSV text through `revteam import leads`."""

    def run(text: str) -> None:
        path = tmp_path / "leads.csv"
        path.write_text(text)
        result = cli("import", "leads", str(path), "--db", db_url)
        assert result.code == 0, result.err

    return run
