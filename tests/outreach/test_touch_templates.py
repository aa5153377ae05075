"""The playbook's touch templates: validated when the playbook is, at the template's line."""

from revteam.playbook.loader import load_default_playbook
from revteam.playbook.touch_schema import touch_context
from tests.playbook.test_playbook_loader import edited, line_of, problems_of


def test_a_template_reading_an_unknown_field_is_refused_at_its_line():
    text = edited("    subject: \"Pricing for {{ account.name or 'your team' }}\"",
                  "    subject: \"Pricing for {{ person.nickname }}\"")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "  pricing-guide:"), "touch_templates.pricing-guide")
    assert "subject: 'dict object' has no attribute 'nickname'" in message


def test_a_template_that_does_not_parse_is_refused():
    text = edited("      Here is how revteam is priced", "      Here is how {% if %} revteam is priced")
    [(_, key, message)] = problems_of(text)
    assert key == "touch_templates.pricing-guide" and message.startswith("body (line 3): ")


def test_a_touch_without_a_template_and_no_default_is_refused():
    text = edited("  default:\n    subject:", "  fallback:\n    subject:")
    [(_, key, message)] = problems_of(text)
    assert key == "touch_templates"
    assert "no template for touch analyst-report, benchmark-report" in message


def test_an_asset_without_its_own_template_uses_the_default():
    playbook = load_default_playbook()
    context = touch_context(person={"first_name": "Ana"}, account_name=None, asset="security-whitepaper")
    subject, body = playbook.touch_template("security-whitepaper").render(context)
    assert subject == "Security whitepaper for your team"
    assert body.startswith("Hello Ana,\n\nWe put together \"security whitepaper\" for teams like yours.")


def test_a_step_other_than_a_touch_may_not_say_via():
    text = edited("      - wait: {hours: 48}", "      - {wait: {hours: 48}, via: task}")
    [(_, _, message)] = problems_of(text)
    assert "only a touch step says `via`" in message
