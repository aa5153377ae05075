import pytest

from fastapi.testclient import TestClient
from sqlalchemy import text

from intake_files import SF_HEADER
from revteam.api.app import create_app
from revteam.db.session import session_scope
from revteam.users.service import issue_token
from tests.conftest import BACKEND


def _count(engine, sql):
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def test_duplicates_in_one_file_merge_into_one_lead(import_json, write_csv, engine):
    body = SF_HEADER + "\n" + "\n".join([
        "Ann,Lee,Initech,ann@initech.com,,VP Sales,Web,Open,Software,300,US,,,initech.com,",
        "Ann,Lee,Initech,ANN@Initech.com ,,VP Sales,Webinar,Open,Software,300,US,,,initech.com,",
    ]) + "\n"
    report = import_json(write_csv(body))
    assert (report["new_leads"], report["merged"]) == (1, 1)
    assert _count(engine, "SELECT count(*) FROM leads") == 1
    assert _count(engine, "SELECT count(*) FROM activities") == 2


def test_the_same_person_in_a_later_file_merges_into_their_open_lead(import_json, write_csv, engine):
    row = "Ann,Lee,Initech,ann@initech.com,,VP Sales,{source},Open,Software,300,US,,,initech.com,"
    import_json(write_csv(SF_HEADER + "\n" + row.format(source="Web") + "\n"))
    later = import_json(write_csv(SF_HEADER + "\n" + row.format(source="Trade Show") + "\n"))
    assert (later["new_leads"], later["merged"]) == (0, 1)
    assert _count(engine, "SELECT count(*) FROM leads") == 1
    assert _count(engine, "SELECT count(*) FROM events WHERE type = 'lead.merged'") == 1


def test_api_then_file_merge_into_one_person(import_json, write_csv, engine, db_url, alice):
    with session_scope(engine) as session:
        token = issue_token(session, "alice@acme.io", name="t", actor="test")
    client = TestClient(create_app(db_url))
    response = client.post("/api/leads", json={"email": "ann@initech.com", "company": "Initech"},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201 and response.json()["new_leads"] == 1
    report = import_json(write_csv(SF_HEADER + "\nAnn,Lee,Initech,ann@initech.com,,,,,,,,,,,\n"))
    assert (report["new_leads"], report["merged"]) == (0, 1)
    assert _count(engine, "SELECT count(*) FROM people") == 1


def test_phone_only_leads_merge_only_on_exact_phone(import_json, write_csv, engine):
    body = SF_HEADER + "\n" + "\n".join([
        "Pat,One,Solo,,+1 415 555 0100,,,,,,US,,,,",
        "Pat,One,Solo,,(415) 555-0100,,,,,,US,,,,",
        "Pat,Two,Solo,,+1 415 555 0199,,,,,,US,,,,",
    ]) + "\n"
    report = import_json(write_csv(body))
    assert (report["new_leads"], report["merged"]) == (2, 1)


def test_a_person_never_has_two_open_leads(import_json, write_csv, engine):
    row = "Ann,Lee,Initech,ann@initech.com,,,Web,Open,,,,,,,"
    for _ in range(3):
        import_json(write_csv(SF_HEADER + "\n" + row + "\n" + row.replace("Web", "Ads") + "\n"))
    assert _count(engine, "SELECT count(*) FROM leads") == 1


def test_a_phone_only_row_merges_into_a_known_person_with_that_phone(import_json, write_csv, engine):
    import_json(write_csv(SF_HEADER + "\nAnn,Lee,Initech,ann@initech.com,+1 415 555 0100,,,,,,US,,,,\n"))
    report = import_json(write_csv(SF_HEADER + "\nAnn,Lee,Initech,,(415) 555-0100,,,,,,US,,,,\n"))
    assert (report["new_leads"], report["merged"]) == (0, 1)
    assert _count(engine, "SELECT count(*) FROM people") == 1


@pytest.mark.skipif(BACKEND != "sqlite", reason="the query plan checked is SQLite's")
def test_finding_known_people_reads_the_indexes_not_the_whole_people_table(session):
    """SQLite uses the partial open-lead index only when the query spells out its predicate with
    literal values; with bound values it scanned every person for each chunk of an import."""
    from revteam.accounts.models import Person
    from revteam.leads.intake.plan import people_with_open_lead

    query = people_with_open_lead(session, Person.email_normalized, ["ann@initech.com", "bob@globex.com"])
    compiled = query.compile(session.connection(), compile_kwargs={"render_postcompile": True})
    values = compiled.construct_params()
    parameters = tuple(values[name] for name in compiled.positiontup)  # bound as the driver binds them
    plan = " / ".join(row[3] for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}",
                                                                               parameters))
    assert "SEARCH people USING INDEX" in plan and "SEARCH leads USING INDEX uq_leads_open_person" in plan, plan
