"""A condition may read only a fact revteam builds; any other name would silently never match."""

import pytest

from revteam.playbook.facts import FACTS
from revteam.playbook.loader import load_playbook_text
from tests.playbook.test_playbook_loader import edited, line_of, problems_of


@pytest.mark.parametrize(("line_text", "known", "unknown", "key"), [
    ("field: account.industry", "account.industry", "account.industri", "icp.fit_rules[4].field"),
    ("{field: account.owner, op: present}", "account.owner", "account.owners", "routing.rules[0].when[0].field"),
    ("{field: account.employees, op: lt, value: 1000}", "account.employees", "account.employes",
     "routing.handoff_rules[1].when[0].field"),
    ("{field: lead.score, op: gte, value: 45}", "lead.score", "lead.scores", "tracks[0].when[0].field"),
    ("[{field: lead.score, op: gte, value: 60}]", "lead.score", "campaign.name",
     "tracks[0].steps[4].condition.when[0].field"),
])
def test_a_condition_on_an_unknown_fact_is_refused_in_every_section(line_text, known, unknown, key):
    text = edited(line_text, line_text.replace(known, unknown))
    [(line, found_key, message)] = problems_of(text)
    assert (line, found_key) == (line_of(text, unknown), key)
    assert message.startswith(f"unknown fact {unknown!r}") and ", ".join(FACTS) in message


def test_an_unknown_fact_names_the_nearest_known_one():
    [(_, _, message)] = problems_of(edited("field: account.industry", "field: account.industri"))
    assert "(did you mean 'account.industry'?)" in message


def test_a_fit_rule_cannot_read_the_score_it_makes():
    text = edited("field: account.industry", "field: lead.score")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "field: lead.score"), "icp.fit_rules[4].field")
    assert "fit rules cannot read lead.score" in message


def test_routing_rules_may_read_the_scores():
    text = edited("{field: account.owner, op: present}", "{field: lead.score, op: gte, value: 80}")
    assert load_playbook_text(text, source="team.yaml").routing.rules[0].when[0].field == "lead.score"
