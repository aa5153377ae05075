"""Files a careless user or an attacker would import: every one lands or is refused cleanly."""

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from revteam.errors import SHOWN_CHARACTERS, BadInput
from revteam.leads.intake.formats import CSV_COLUMNS, SALESFORCE_COLUMNS
from revteam.leads.intake.importer import import_file

HEADER = "first_name,last_name,email,company,website,employees,created_at,title"


def _one(engine, sql):
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar_one()


def _warnings_of(engine, email):
    with engine.connect() as connection:
        data = connection.execute(text(
            "SELECT e.data FROM events e JOIN leads l ON l.id = e.subject_id JOIN people p ON p.id = l.person_id "
            "WHERE e.type = 'lead.captured' AND e.subject_type = 'lead' AND p.email = :email"), {"email": email}).scalar_one()
    return (json.loads(data) if isinstance(data, str) else data)["warnings"]


@pytest.mark.parametrize("employees", ["99999999999999999999", "2147483648", "9" * 5000])
def test_a_company_size_out_of_range_lands_empty_with_a_warning_and_the_chunk_lands(
        import_json, write_csv, engine, employees):
    body = (HEADER + f"\nAnn,Lee,ann@initech.com,Initech,,{employees},,\n"
            "Bob,Roe,bob@globex.com,Globex,,12,,\n")
    report = import_json(write_csv(body))
    assert report["new_leads"] == 2 and report["refused"] == []
    assert _one(engine, "SELECT count(*) FROM accounts WHERE employees IS NULL") == 1
    assert _one(engine, "SELECT employees FROM accounts WHERE domain = 'globex.com'") == 12
    (warning,) = _warnings_of(engine, "ann@initech.com")
    assert "employees" in warning and "left empty" in warning and len(warning) < 2 * SHOWN_CHARACTERS + 80


@pytest.mark.parametrize("created_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-05:00", "10000-01-01",
                                        "1899-12-31", "3000-01-01T00:00:00Z"])
def test_a_date_out_of_range_lands_empty_with_a_warning(import_json, write_csv, engine, created_at):
    body = HEADER + f"\nAnn,Lee,ann@initech.com,Initech,,,{created_at},\nBob,Roe,bob@globex.com,Globex,,,2024-03-05,\n"
    report = import_json(write_csv(body))
    assert report["new_leads"] == 2
    (warning,) = _warnings_of(engine, "ann@initech.com")
    assert warning.startswith(f"created_at {created_at!r}") and "1900-01-01 to 2999-12-31; left empty" in warning


def test_control_characters_are_dropped_from_text_with_a_warning(import_json, write_csv, engine):
    body = HEADER + "\nAn\x00n,Lee,ann@initech.com,Ini\x07tech\x85,,,,\"Head of\tIT\nOps\"\n"
    report = import_json(write_csv(body))
    assert report["new_leads"] == 1 and report["refused"] == []
    with engine.connect() as connection:
        person = connection.execute(text("SELECT first_name, title FROM people")).one()
    assert tuple(person) == ("Ann", "Head of\tIT\nOps")  # tab and line breaks are text, not control
    assert _one(engine, "SELECT name FROM accounts") == "Initech"
    assert _warnings_of(engine, "ann@initech.com") == [
        "'An\\x00n' (column first_name) holds control characters (U+0000); dropped them",
        "'Ini\\x07tech\\x85' (column company) holds control characters (U+0007, U+0085); dropped them"]


def test_a_header_with_control_characters_is_refused(cli, db_url, tmp_path):
    path = tmp_path / "utf16ish.csv"
    path.write_bytes("email\x00,company\nann@initech.com,Initech\n".encode())
    result = cli("import", "leads", str(path), "--db", db_url)
    assert result.code == 2 and "utf16ish.csv:1" in result.err and "U+0000" in result.err
    assert "Traceback" not in result.err


def test_a_quote_that_never_closes_is_refused_by_its_line_and_the_records_after_it_land(import_json, write_csv):
    body = (HEADER + '\nAnn,Lee,ann@initech.com,"Initech,,,,\n'
            "Bob,Roe,bob@globex.com,Globex,,,,\n"
            "Cy,Poe,cy@hooli.com,Hooli,,,,\n")
    report = import_json(write_csv(body))
    assert report["new_leads"] == 2 and report["rows"] == 3
    assert report["refused"] == [{"line": 2, "reason": "a quoted field that starts here never closes: "
                                                       "the quotes do not balance"}]


def test_a_quoted_field_swallowing_whole_records_is_refused_by_the_line_it_starts_on(import_json, write_csv):
    body = (HEADER + '\nAnn,Lee,ann@initech.com,"Initech,,,,\n'
            "Bob,Roe,bob@globex.com,Globex,,,,\n"
            'Cy,Poe,cy@hooli.com,Hooli",,,,\n'
            'Di,Fox,di@umbrella.com,"Umbrella, Inc.",,,,\n')
    report = import_json(write_csv(body))
    assert [refusal["line"] for refusal in report["refused"]] == [2]
    assert "reads as a record of its own" in report["refused"][0]["reason"]
    # Bob and Di land; Cy's line, read alone, still carries the stray quote but is a record
    assert report["new_leads"] == 3 and report["rows"] == 4


def test_text_after_a_closing_quote_is_refused_by_its_line(import_json, write_csv):
    body = HEADER + '\nAnn,Lee,ann@initech.com,"Initech" Corp,,,,\nBob,Roe,bob@globex.com,Globex,,,,\n'
    report = import_json(write_csv(body))
    assert report["new_leads"] == 1
    assert report["refused"] == [{"line": 2, "reason": "text follows the closing quote of a quoted field: "
                                                       "the quotes do not balance"}]


def test_a_multi_line_quoted_value_still_lands(import_json, write_csv, engine):
    body = HEADER + '\nAnn,Lee,ann@initech.com,"Initech\nEurope",,,,"Head of\nIT, Ops"\n'
    report = import_json(write_csv(body))
    assert report["new_leads"] == 1 and report["refused"] == []


def test_a_refusal_quotes_at_most_the_first_characters_of_a_huge_value(import_json, write_csv):
    huge = "x" * 100_000 + "@@example.com"
    report = import_json(write_csv(HEADER + f"\nAnn,Lee,{huge},Initech,,,,\n"))
    (refusal,) = report["refused"]
    assert f"{'x' * SHOWN_CHARACTERS!r}... (100,013 characters)" in refusal["reason"]
    assert len(refusal["reason"]) < 400


def test_a_field_over_the_csv_limit_is_refused_by_its_line(import_json, write_csv):
    body = HEADER + f"\nAnn,Lee,ann@initech.com,{'I' * 200_000},,,,\nBob,Roe,bob@globex.com,Globex,,,,\n"
    report = import_json(write_csv(body))
    assert report["new_leads"] == 1 and report["refused"][0]["line"] == 2
    assert "longer than 131,072 characters" in report["refused"][0]["reason"]


NORTHWIND_FOUNDER = "Ann,Lee,ann@northwind.com,Northwind Traders Inc.,northwind.com,,,"
NORTHWIND_FREE_MAIL = "Bob,Roe,bob@gmail.com,Northwind Traders,,,,"


def _northwind_account_of_bob(engine):
    return _one(engine, "SELECT a.name FROM leads l JOIN people p ON p.id = l.person_id "
                        "LEFT JOIN accounts a ON a.id = l.account_id WHERE p.email = 'bob@gmail.com'")


@pytest.mark.parametrize("chunk_rows", ["20000", "1"])
def test_a_free_mail_row_matches_the_account_an_earlier_row_of_the_same_file_created(
        import_json, write_csv, engine, chunk_rows):
    body = f"{HEADER}\n{NORTHWIND_FOUNDER}\nCy,Poe,cy@hooli.com,Hooli,hooli.com,,,\n{NORTHWIND_FREE_MAIL}\n"
    report = import_json(write_csv(body), "--chunk-rows", chunk_rows)
    assert report["accounts_created"] == 2 and report["accounts_matched"] == 1
    assert _northwind_account_of_bob(engine) == "Northwind Traders Inc."


def test_a_free_mail_row_does_not_see_the_account_a_later_row_creates(import_json, write_csv, engine):
    report = import_json(write_csv(f"{HEADER}\n{NORTHWIND_FREE_MAIL}\n{NORTHWIND_FOUNDER}\n"))
    assert report["accounts_created"] == 1 and report["accounts_matched"] == 0
    assert _northwind_account_of_bob(engine) is None


# --- random files ----------------------------------------------------------------------------

_KNOWN_COLUMNS = sorted({*CSV_COLUMNS, *SALESFORCE_COLUMNS})
_HOSTILE_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
_CELLS = st.one_of(
    _HOSTILE_TEXT,
    st.sampled_from(["ann@initech.com", "bob@gmail.com", "bad@@x", "+1 212 555 0100", "99999999999999999999",
                     "0001-01-01T00:00:00+14:00", "10000-01-01", "3/5/2024 2:22 PM", "Northwind Traders", '"',
                     'a"b', '"open', "x\x00y", "\r", "\n", ""]),
    st.emails().map(str),
    st.just("h" * 140_000),
)


@st.composite
def _lead_files(draw) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    header = draw(st.lists(st.sampled_from([*_KNOWN_COLUMNS, "favorite color", ""]), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(_CELLS, max_size=len(header) + 2), max_size=8))
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))).writerows([header, *rows])
        body = out.getvalue()
    else:  # written by hand, quotes and all
        body = "".join(",".join(cells) + draw(st.sampled_from(["\n", "\r\n", "\r"])) for cells in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return body.encode(encoding, errors="replace")


def _counts(engine) -> tuple[int, ...]:
    with engine.connect() as connection:
        return tuple(connection.execute(text(
            "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM leads), (SELECT count(*) FROM activities),"
            " (SELECT count(*) FROM import_chunks WHERE chunk_no >= 0)")).one())


@settings(max_examples=40, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(content=_lead_files())
def test_any_file_lands_or_is_refused_cleanly_and_leaves_a_consistent_database(engine, tmp_path, content):
    path = tmp_path / "random.csv"
    path.write_bytes(content)
    people, leads, touches, chunks = before = _counts(engine)
    try:
        report = import_file(engine, path, chunk_rows=3)
    except BadInput:
        assert _counts(engine) == before
        return
    result = report.result
    assert result.rows == result.landed + len(result.refused)
    assert result.landed == result.new_leads + result.merged
    if report.already_imported:
        assert _counts(engine) == before
        return
    # every landed row is one touch; every new person one lead; every chunk landed whole
    assert _counts(engine) == (people + result.new_leads, leads + result.new_leads, touches + result.landed,
                               chunks + report.chunks_landed)
    assert report.chunks_landed == -(-result.rows // 3)
