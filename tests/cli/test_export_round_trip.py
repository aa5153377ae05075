"""`revteam export leads|accounts`: the filter applied, and Salesforce and HubSpot shapes that
`revteam import leads` reads back unchanged (export → import into a fresh database → export again)."""

import csv
import io

import pytest

SOURCE = """FirstName,LastName,Email,Phone,Title,Company,Website,Country,Industry,NumberOfEmployees,LeadSource,Campaign,CreatedDate
Linh,Nguyen,linh@zephyr.io,+1 212 555 0100,VP Sales,Zephyr Analytics,zephyr.io,US,software,300,webinar,Spring Launch,2026-03-05T14:22:01+00:00
Jörg,Müller,jorg@beispiel.de,+49 30 901820,CTO,Beispiel GmbH,beispiel.de,DE,manufacturing,1200,referral,,2026-04-01T09:00:00+00:00
Ana,Silva,ana@gmail.com,,Student,,,BR,,,organic,,2026-05-10T08:30:00+00:00
"""


def _export(cli, db, *args) -> str:
    result = cli("export", *args, "--db", db)
    assert result.code == 0, result.err
    return result.out


def _import(cli, db, path) -> None:
    result = cli("import", "leads", str(path), "--db", db, "--json")
    assert result.code == 0, result.err


@pytest.fixture
def second_db(cli, empty_db_url):
    assert cli("init", "--db", empty_db_url).code == 0
    return empty_db_url


@pytest.mark.parametrize("shape", ["salesforce", "hubspot"])
def test_an_export_reimports_unchanged(cli, db_url, second_db, tmp_path, shape):
    source = tmp_path / "source.csv"
    source.write_text(SOURCE, encoding="utf-8")
    _import(cli, db_url, source)
    exported = _export(cli, db_url, "leads", "--format", shape)
    assert len(list(csv.reader(io.StringIO(exported)))) == 4
    again = tmp_path / f"{shape}.csv"
    again.write_text(exported, encoding="utf-8")
    _import(cli, second_db, again)
    assert _export(cli, second_db, "leads", "--format", shape) == exported


def test_the_filter_applies_and_a_bad_one_is_refused_by_name(cli, db_url, tmp_path):
    source = tmp_path / "source.csv"
    source.write_text(SOURCE, encoding="utf-8")
    _import(cli, db_url, source)
    rows = list(csv.DictReader(io.StringIO(_export(cli, db_url, "leads", "--filter", "source=referral").lstrip("\ufeff"))))
    assert [row["last_name"] for row in rows] == ["Müller"]
    found = list(csv.DictReader(io.StringIO(_export(cli, db_url, "leads", "--filter", "q=+1 212 555 0100").lstrip("\ufeff"))))
    assert [row["email"] for row in found] == ["linh@zephyr.io"]
    assert found[0]["phone"] == "'+12125550100"
    accounts = list(csv.DictReader(io.StringIO(_export(cli, db_url, "accounts", "--filter", "q=zephyr").lstrip("\ufeff"))))
    assert [row["name"] for row in accounts] == ["Zephyr Analytics"]
    refused = cli("export", "leads", "--filter", "colour=red", "--db", db_url)
    assert refused.code == 2 and "colour" in refused.err
    refused = cli("export", "leads", "--format", "excel", "--db", db_url)
    assert refused.code == 2 and "excel" in refused.err
