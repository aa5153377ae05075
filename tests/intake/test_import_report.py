import gc
import json

import pytest
from sqlalchemy import text

from intake_files import SF_HEADER
from revteam.errors import BadInput
from revteam.leads.intake.importer import import_file
from tests.conftest import BACKEND


def _invariants_hold(report: dict) -> None:
    assert report["landed"] == report["new_leads"] + report["merged"]
    assert report["rows"] == report["landed"] + len(report["refused"])


def test_salesforce_data_loader_export_imports_without_mapping(import_json, fixtures):
    report = import_json(fixtures / "salesforce_dataloader.csv")
    _invariants_hold(report)
    assert report["rows"] == 8 and report["landed"] == 5 and report["new_leads"] == 4 and report["merged"] == 1
    assert [r["line"] for r in report["refused"]] == [5, 7, 8]
    assert "jane@@globex.com" in report["refused"][0]["reason"]


def test_salesforce_report_with_bom_and_labels_imports(import_json, fixtures):
    report = import_json(fixtures / "salesforce_report.csv")
    _invariants_hold(report)
    assert report["landed"] >= 2
    assert any(r["reason"] == "no e-mail and no phone" for r in report["refused"])


def test_hubspot_export_imports_and_keeps_unknown_columns(import_json, fixtures, engine):
    report = import_json(fixtures / "hubspot_contacts.csv")
    _invariants_hold(report)
    with engine.connect() as connection:
        customs = [json.loads(c) if isinstance(c, str) else c
                   for c in connection.execute(text("SELECT custom FROM leads WHERE custom IS NOT NULL")).scalars()]
    assert {"Favorite Color": "teal"}.items() <= customs[0].items()


def test_only_stdout_json_is_printed(cli, db_url, fixtures):
    result = cli("import", "leads", str(fixtures / "canonical.csv"), "--json", "--db", db_url)
    assert json.loads(result.out)["rows"] == 1 and result.out.count("\n") == 1


def test_crlf_bom_unicode_and_embedded_newlines_keep_line_numbers(import_json, write_csv):
    body = (SF_HEADER + "\n"
            + 'Zoë,Ångström,Müller GmbH,zoe@mueller.de,,CEO,Web,Open,Software,50,Germany,,Berlin,mueller.de,\n'
            + '李,雷,"Acme, Inc.",li@acme.com,,"Head of\nIT",Web,Open,Software,500,China,,Beijing,acme.com,\n'
            + 'Bad,Row,Nope,not-an-email,,,,,,,,,,,\n')
    report = import_json(write_csv(body, bom=True, crlf=True))
    assert report["new_leads"] == 2
    assert report["refused"] == [{"line": 5, "reason": report["refused"][0]["reason"]}]
    assert "not-an-email" in report["refused"][0]["reason"]


def test_importing_the_same_file_again_lands_nothing_new(import_json, fixtures, engine):
    first = import_json(fixtures / "salesforce_dataloader.csv")
    with engine.connect() as connection:
        counts = lambda: connection.execute(text(
            "SELECT (SELECT count(*) FROM leads), (SELECT count(*) FROM people), (SELECT count(*) FROM events),"
            " (SELECT count(*) FROM activities)")).one()
        before = counts()
        again = import_json(fixtures / "salesforce_dataloader.csv")
        assert counts() == before
    assert first["already_imported"] is False
    assert again == {**first, "already_imported": True}


def test_a_non_utf8_file_is_refused_whole_with_its_line(cli, db_url, tmp_path, engine):
    path = tmp_path / "latin1.csv"
    path.write_bytes((SF_HEADER + "\nAna,Ok,X,ana@x.com,,,,,,,,,,,\nJosé,Bad,Y,jose@y.com,,,,,,,,,,,\n").encode("latin-1"))
    result = cli("import", "leads", str(path), "--db", db_url)
    assert result.code == 2 and "latin1.csv:3" in result.err and "UTF-8" in result.err
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM leads")).scalar() == 0


def test_a_file_without_contact_columns_is_refused(cli, db_url, write_csv):
    result = cli("import", "leads", str(write_csv("Name,Company\nA,B\n")), "--db", db_url)
    assert result.code == 2 and ":1" in result.err


def test_an_unknown_format_option_is_refused(cli, db_url, fixtures):
    result = cli("import", "leads", str(fixtures / "canonical.csv"), "--format", "excel", "--db", db_url)
    assert result.code == 2 and "excel" in result.err


def test_a_file_cut_inside_a_character_is_refused_with_one_line(cli, db_url, tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes((SF_HEADER + "\nZoë,Ok,X,zoe@x.com,,,,,,,,,,,\nAn").encode("utf-8") + "é".encode("utf-8")[:1])
    result = cli("import", "leads", str(path), "--db", db_url)
    assert result.code == 2 and "ends inside a character" in result.err and "Traceback" not in result.err


def test_the_garbage_collector_is_back_on_after_an_import_that_landed_or_failed(engine, write_csv):
    """Chunks land with the cyclic collector off; whatever happens, the process gets it back."""
    import_file(engine, write_csv(SF_HEADER + "\nAnn,Lee,Initech,ann@initech.com,,,,,,,,,,,\n"))
    assert gc.isenabled()
    with pytest.raises(BadInput):
        import_file(engine, write_csv("Name,Company\nA,B\n"))
    assert gc.isenabled()


@pytest.mark.skipif(BACKEND != "sqlite", reason="the page cache widened is SQLite's")
def test_the_import_leaves_its_database_connection_with_its_own_page_cache(engine, write_csv):
    """The import widens SQLite's page cache for its chunks; the pooled connection gets its size back."""
    def page_cache() -> int:
        with engine.connect() as connection:
            return connection.exec_driver_sql("PRAGMA cache_size").scalar_one()

    before = page_cache()
    import_file(engine, write_csv(SF_HEADER + "\nAnn,Lee,Initech,ann@initech.com,,,,,,,,,,,\n"))
    assert page_cache() == before
