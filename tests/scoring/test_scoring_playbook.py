"""The playbook's `predictive:` section, and `lead.predicted` as a fact rules may read."""

from revteam.playbook.loader import load_playbook_text
from tests.playbook.test_playbook_loader import edited, line_of, problems_of


def test_the_default_playbook_trains_on_300_closed_leads_and_30_wins_over_a_30_day_window():
    predictive = load_playbook_text(edited("min_won: 30", "min_won: 30"), source="team.yaml").predictive
    assert (predictive.window_days, predictive.min_closed_leads, predictive.min_won) == (30, 300, 30)
    assert predictive.retrain_every_days is None


def test_a_bad_window_is_refused_at_its_line():
    text = edited("  window_days: 30", "  window_days: 0")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "window_days: 0"), "predictive.window_days")
    assert "greater than 0" in message


def test_routing_rules_may_read_the_prediction_and_fit_rules_may_not():
    routed = edited("{field: account.owner, op: present}", "{field: lead.predicted, op: gte, value: 0.5}")
    assert load_playbook_text(routed, source="team.yaml").routing.rules[0].when[0].field == "lead.predicted"
    [(_, _, message)] = problems_of(edited("field: account.industry", "field: lead.predicted"))
    assert "fit rules cannot read lead.predicted" in message
