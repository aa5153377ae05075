"""`revteam leads show` tells a lead's story in words, with no Python values in it."""

from revteam.db.session import session_scope
from revteam.events.service import record


def test_the_timeline_reads_as_words(cli, db_url, engine, make_lead, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    lead_id = make_lead()
    with session_scope(engine) as session:
        record(session, type="lead.rejected", subject_type="lead", subject_id=lead_id, actor="alice@acme.io",
               data={"reason": "wrong_territory", "note": None, "then": "reroute"})
        record(session, type="lead.handed_off", subject_type="lead", subject_id=lead_id, actor="alice@acme.io",
               data={"from": "alice@acme.io", "criteria": ["budget", "need"]})
    result = cli("--db", db_url, "leads", "show", lead_id)
    assert result.code == 0, result.err
    assert "rejected: wrong territory" in result.out and "criteria: budget, need" in result.out
    assert "None" not in result.out and "['" not in result.out and "note=" not in result.out
