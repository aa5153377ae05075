"""A lead's events in words: what people read in the inbox, the timeline and the CLI."""

from revteam.leads.event_words import details, phrase, shown


def test_a_rejection_says_why_in_words():
    assert phrase("lead.rejected", {"reason": "wrong_territory", "note": None}) == "rejected: wrong territory"


def test_a_routing_names_the_rep_and_rule():
    assert phrase("lead.routed", {"rep": "alice@acme.io", "rule": "na_territory"}) == \
        "routed to alice@acme.io by rule na_territory"


def test_the_first_contact_is_told_apart():
    assert phrase("lead.contacted", {"first": True, "via": "call"}) == "first contact by call"
    assert phrase("lead.contacted", {"first": False, "kind": "meeting"}) == "contacted by meeting"


def test_a_cultivation_step_says_what_it_did():
    assert phrase("track.step", {"track": "nurture", "step": 2, "what": "send roi-calculator"}) == \
        "cultivation: send roi-calculator"


def test_an_unknown_event_type_is_still_words():
    assert phrase("lead.something_new", None) == "something new"


def test_values_carry_no_python_syntax():
    assert shown(["budget", "authority"]) == "budget, authority"
    assert shown(True) == "yes" and shown({"old": "A", "new": "B"}) == "old A, new B"


def test_details_leave_out_empty_values_and_machinery():
    assert details({"reason": "not_ready", "note": None, "offer": 7, "candidates": ["a"], "lines": [], "then": "reroute"}) \
        == [("reason", "not_ready"), ("then", "reroute")]
