"""A hard bounce for an address nobody has yet is kept, not refused: the person who later arrives with
that address (API capture, lead import) is suppressed at once, on their lead's timeline, and the
tracks skip them with the reason. A bounce file is read by the one file reader: bytes that are not
UTF-8 refuse the whole file at their line, as a lead or activity file is refused."""

import json

from sqlalchemy import select

from revteam.accounts.models import Person
from revteam.cultivation.service import sweep
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.leads.models import Lead
from revteam.outreach.models import AddressSuppression
from revteam.outreach.suppression import why_not_touched

NEWCOMER = "ann@initech.com"
BOUNCE = {"email": "Ann@Initech.com", "at": "2026-02-20T09:00:00Z", "reason": "550 5.1.1 user unknown"}


def _lead_of(engine, email: str) -> Lead:
    with session_scope(engine) as session:
        return session.scalar(select(Lead).join(Person, Person.id == Lead.person_id)
                              .where(Person.email_normalized == email))


def _events(engine, lead_id: int, kind: str) -> list[Event]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Event).where(Event.subject_type == "lead", Event.subject_id == lead_id,
                                                        Event.type == kind).order_by(Event.id)))


def test_an_api_bounce_for_nobody_is_kept_and_stops_the_person_who_arrives_later(engine, client, as_root, clock):
    answer = client.post("/api/bounces", headers=as_root, json=BOUNCE)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["kept_for_unknown_address"], answer.json()["refused"]) == (1, [])
    again = client.post("/api/bounces", headers=as_root, json=[BOUNCE])
    assert (again.json()["kept_for_unknown_address"], again.json()["already_suppressed"]) == (0, 1)
    with session_scope(engine) as session:
        [kept] = session.scalars(select(AddressSuppression)).all()
        assert (kept.email_normalized, kept.kind) == (NEWCOMER, "bounce")
        assert session.scalar(select(Event.type).where(Event.subject_type == "address_suppression")) == \
            "address.suppressed"
    created = client.post("/api/leads", headers=as_root, json={"email": NEWCOMER, "title": "VP Sales", "country": "US"})
    assert created.status_code == 201, created.text
    lead = _lead_of(engine, NEWCOMER)
    [suppressed] = _events(engine, lead.id, "person.suppressed")
    assert suppressed.data["kind"] == "bounce"
    assert suppressed.data["reason"].startswith("hard bounce: 550 5.1.1 user unknown; reported 2026-02-20 09:00 UTC")
    with session_scope(engine) as session:
        assert why_not_touched(session, lead.person_id).startswith("bounce: hard bounce: 550 5.1.1 user unknown")
        row = session.get(Lead, lead.id)
        row.state, row.score = "cultivating", 50
    with session_scope(engine) as session:
        assert sweep(session, now=clock.now)["enrolled"] == 1
    skipped = _events(engine, lead.id, "touch.skipped")
    assert skipped and skipped[0].data["why"].startswith("bounce: hard bounce: 550 5.1.1 user unknown")


def test_a_bounce_file_for_nobody_is_kept_and_applies_when_a_lead_file_brings_the_person(
        engine, cli, db_url, tmp_path):
    bounces = tmp_path / "bounces.csv"
    bounces.write_text("email,at,reason\nann@initech.com,2026-02-20T09:00:00Z,550\n", encoding="utf-8")
    report = json.loads(cli("import", "bounces", bounces, "--json", "--db", db_url).out)
    assert (report["kept_for_unknown_address"], report["refused"]) == (1, [])
    leads = tmp_path / "leads.csv"
    leads.write_text("email,first_name,company\nann@initech.com,Ann,Initech\nbo@initech.com,Bo,Initech\n",
                     encoding="utf-8")
    result = cli("import", "leads", leads, "--db", db_url)
    assert result.code == 0, result.err
    ann, bo = _lead_of(engine, "ann@initech.com"), _lead_of(engine, "bo@initech.com")
    assert [event.data["kind"] for event in _events(engine, ann.id, "person.suppressed")] == ["bounce"]
    assert _events(engine, bo.id, "person.suppressed") == []
    assert cli("import", "leads", leads, "--db", db_url).code == 0  # a re-run adds nothing
    assert len(_events(engine, ann.id, "person.suppressed")) == 1


def test_a_bounce_file_with_bytes_that_are_not_utf8_is_refused_as_a_whole_at_their_line(
        engine, cli, db_url, tmp_path, make_lead):
    make_lead("cultivating")  # pat@company1.com
    path = tmp_path / "bounces.csv"
    path.write_bytes(b"email,at\npat@company1.com,2026-03-02T15:00:00Z\nj\xe9r\xf4me@acme.fr,2026-03-02T15:00:00Z\n")
    result = cli("import", "bounces", path, "--db", db_url)
    assert result.code == 2
    assert f"{path}:3: not UTF-8 text (byte 0xe9); save the file as UTF-8" in result.err
    with session_scope(engine) as session:
        assert session.scalar(select(Event.id).where(Event.type == "person.suppressed")) is None


def test_a_bounce_file_still_refuses_its_bad_rows_by_line(engine, cli, db_url, tmp_path):
    path = tmp_path / "bounces.csv"
    path.write_text('email,at\nnot-an-email,2026-03-02T15:00:00Z\n"ann@initech.com,2026-03-02\n', encoding="utf-8")
    report = json.loads(cli("import", "bounces", path, "--json", "--db", db_url).out)
    assert [row["line"] for row in report["refused"]] == [2, 3]
