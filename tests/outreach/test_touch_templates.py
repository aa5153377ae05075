"""The playbook's touch templates: validated when the playbook is, at the template's line."""

from revteam.playbook.loader import load_default_playbook
from revteam.playbook.touch_schema import touch_values
from tests.playbook.test_playbook_loader import edited, line_of, problems_of


def test_a_template_reading_an_unknown_field_is_refused_at_its_line():
    text = edited('    subject: "Pricing for {company:your team}"', '    subject: "Pricing for {nickname}"')
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "  pricing-guide:"), "touch_templates.pricing-guide")
    assert "subject: {nickname} is not a field: a template reads {first_name}" in message


def test_a_template_reaching_into_a_field_is_refused():
    text = edited('    subject: "Pricing for {company:your team}"', '    subject: "{company.__class__}"')
    [(_, key, message)] = problems_of(text)
    assert key == "touch_templates.pricing-guide" and "{company.__class__} is not a field" in message


def test_a_template_whose_braces_do_not_balance_is_refused():
    text = edited("      Here is how revteam is priced", "      Here is how {revteam is priced")
    [(_, key, message)] = problems_of(text)
    assert key == "touch_templates.pricing-guide" and message == "body: expected '}' before end of string"


def test_a_touch_without_a_template_and_no_default_is_refused():
    text = edited("  default:\n    subject:", "  fallback:\n    subject:")
    [(_, key, message)] = problems_of(text)
    assert key == "touch_templates"
    assert "no template for touch analyst-report, benchmark-report" in message


def test_an_asset_without_its_own_template_uses_the_default_and_its_empty_words():
    playbook = load_default_playbook()
    values = touch_values(person={"first_name": "Ana"}, company=None, asset="security-whitepaper")
    subject, body = playbook.touch_template("security-whitepaper").render(values)
    assert subject == "security-whitepaper for your team"
    assert body.startswith('Hello Ana,\n\nWe put together "security-whitepaper" for teams like yours.')


def test_a_step_other_than_a_touch_may_not_say_via():
    text = edited("      - wait: {hours: 48}", "      - {wait: {hours: 48}, via: task}")
    [(_, _, message)] = problems_of(text)
    assert "only a touch step says `via`" in message
