"""`revteam people suppress EMAIL --reason`."""


def test_the_cli_suppresses_a_person_once(cli, db_url, pat_and_sam, suppressions, suppressed_events):
    first = cli("people", "suppress", "pat@company1.com", "--reason", "asked by phone", "--db", db_url)
    again = cli("people", "suppress", "pat@company1.com", "--reason", "again", "--db", db_url)
    assert first.code == 0 and "pat@company1.com: suppressed" in first.out
    assert again.code == 0 and "was suppressed already" in again.out
    assert [(kind, reason) for _, kind, reason in suppressions()] == [("admin", "asked by phone")]
    [event] = suppressed_events(pat_and_sam[0])
    assert event.actor == "cli"


def test_an_unknown_address_exits_2_and_says_so(cli, db_url, pat_and_sam, suppressions):
    result = cli("people", "suppress", "ghost@nowhere.com", "--reason", "x", "--db", db_url)
    assert result.code == 2 and "nobody known has the e-mail 'ghost@nowhere.com'" in result.err
    assert suppressions() == []
