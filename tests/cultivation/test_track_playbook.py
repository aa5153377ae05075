from revteam.playbook.diff import diff_playbooks, format_changes
from revteam.playbook.loader import load_default_playbook, load_playbook_text
from tests.playbook.test_playbook_loader import edited, line_of, problems_of


def test_default_playbook_ships_tracks_for_every_buying_stage():
    playbook = load_default_playbook()
    assert playbook.buying_stages == ["awareness", "consideration", "decision"]
    assert {track.stage for track in playbook.tracks} == set(playbook.buying_stages)
    assert playbook.tracks[-1].when == []  # the last track takes every lead the others leave


def test_a_track_in_an_unknown_stage_is_refused_at_its_line():
    text = edited("    stage: decision", "    stage: purchase")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "stage: purchase"), "tracks[0].stage")
    assert "not one of buying_stages: awareness, consideration, decision" in message


def test_a_step_of_two_kinds_is_refused_at_its_line():
    text = edited("      - wait: {hours: 48}", "      - {wait: {hours: 48}, touch: flyer}")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "touch: flyer"), "tracks[2].steps[3]")
    assert message == "a step is exactly one of touch, wait or condition"


def test_a_wait_without_a_length_is_refused():
    text = edited("      - wait: {hours: 48}", "      - wait: {}")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "wait: {}"), "tracks[2].steps[3].wait")
    assert "exactly one of business_days or hours" in message


def test_a_misspelt_enrollment_fact_is_refused():
    text = edited("      - {field: lead.score, op: gte, value: 45}", "      - {field: leed.score, op: gte, value: 45}")
    [(line, key, _)] = problems_of(text)
    assert (line, key) == (line_of(text, "leed.score"), "tracks[0].when[0].field")


def test_two_tracks_with_one_id_are_refused_at_the_second():
    text = edited("  - id: awareness_newsletter", "  - id: near_mql_decision")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "  - id: near_mql_decision", occurrence=2), "tracks[3].id")
    assert "duplicate id 'near_mql_decision'" in message


def test_diff_names_the_track_and_step_that_changed():
    new = load_playbook_text(edited("      - wait: {business_days: 2}", "      - wait: {business_days: 3}"),
                             source="new.yaml")
    assert format_changes(diff_playbooks(load_default_playbook(), new)) == [
        "changed tracks[near_mql_decision].steps[1].wait.business_days: 2 -> 3"]


def test_diff_names_an_added_track():
    new = load_playbook_text(edited("tracks:\n", "tracks:\n  - id: webinar_followup\n    name: After a webinar\n"
                                     "    stage: consideration\n    steps:\n      - touch: webinar-recording\n"),
                             source="new.yaml")
    [change] = diff_playbooks(load_default_playbook(), new)
    assert (change.path, change.kind) == ("tracks[webinar_followup]", "added")
