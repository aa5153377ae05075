import json

from intake_files import SF_HEADER
from sqlalchemy import text


def _stored(engine, sql):
    with engine.connect() as connection:
        return connection.execute(text(sql)).one()


def test_values_longer_than_their_columns_land_cut_and_the_lead_history_says_so(import_json, write_csv, engine):
    title, company, source = "T" * 250, "C" * 400, "S" * 90
    body = SF_HEADER + f"\nAnn,Lee,{company},ann@initech.com,,{title},{source},Open,,,,,,,\n"
    report = import_json(write_csv(body))
    assert report["new_leads"] == 1 and report["refused"] == []
    lengths = _stored(engine, "SELECT length(p.title), length(a.name), length(l.source) FROM leads l "
                              "JOIN people p ON p.id = l.person_id JOIN accounts a ON a.id = l.account_id")
    assert lengths == (200, 300, 80)
    (data,) = _stored(engine, "SELECT data FROM events WHERE type = 'lead.captured'")
    arrival = json.loads(data) if isinstance(data, str) else data
    assert arrival["line"] == 2 and arrival["warnings"] == [
        f"title {'T' * 80!r}... (250 characters) (column Title) is too long; cut to the first 200 characters",
        f"company {'C' * 80!r}... (400 characters) (column Company) is too long; cut to the first 300 characters",
        f"source {'S' * 80!r}... (90 characters) (column LeadSource) is too long; cut to the first 80 characters",
    ]


def test_a_captured_lead_with_an_overlong_title_lands_cut(engine, session):
    from revteam.leads.intake.capture import capture
    from revteam.leads.schemas import LeadIn

    result = capture(session, [LeadIn(email="ann@initech.com", title="T" * 250)], actor="api")
    session.commit()
    assert result.new_leads == 1 and result.warnings[0]["warning"].startswith("title 'TTTT")
    assert _stored(engine, "SELECT length(title) FROM people") == (200,)


def test_the_import_summary_lists_refused_rows_and_rows_that_landed_with_a_warning(cli, db_url, write_csv):
    body = (SF_HEADER + f"\nAnn,Lee,Initech,ann@initech.com,,{'T' * 250},Web,Open,,lots,,,,,\n"
            "Bad,Row,X,bad@@x,,,,,,,,,,,\n")
    result = cli("import", "leads", str(write_csv(body)), "--db", db_url)
    assert result.code == 0
    assert "1 row(s) refused:" in result.out and "line 3: invalid e-mail 'bad@@x'" in result.out
    assert "1 row(s) landed with warnings:" in result.out
    printed = " ".join(result.out.split())  # as wrapped to the console's width
    assert "line 2: title 'TTTT" in printed and "cut to the first 200 characters" in printed
    assert "line 2: employees 'lots'" in result.out
