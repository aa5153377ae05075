"""The stage bands, the gaps between teams and the anonymity threshold, as pure functions."""

import pytest

from revteam.playbook.loader import default_playbook_path, load_playbook_text
from revteam.errors import BadInput
from revteam.survey.results import gaps, summarize
from revteam.survey.rules import TEAMS

from survey_answers import answers_totalling


@pytest.mark.parametrize(("total", "stage"), [
    (20, "Undefined"), (39, "Undefined"), (39.99, "Undefined"), (40, "Defined"), (59, "Defined"),
    (60, "Aligned"), (79, "Aligned"), (80, "Integrated"), (100, "Integrated")])
def test_a_total_falls_in_its_band(survey, total, stage):
    assert survey.stage(total) == stage


def test_the_default_survey_has_twenty_scored_statements_and_an_extension(survey):
    assert len(survey.statements) == 20 and len(survey.extension) == 4 and survey.min_group == 3


def _with_bands(bands: str) -> str:
    text = default_playbook_path().read_text(encoding="utf-8")
    old = text[text.index("  bands:\n"):text.index("  statements:\n")]
    return text.replace(old, bands)


def test_bands_with_a_gap_are_refused_at_their_line():
    text = _with_bands("  bands:\n    - {stage: Low, low: 20, high: 50}\n    - {stage: High, low: 52, high: 100}\n")
    with pytest.raises(BadInput, match=r"survey\.bands.*band 1 starts at 52, expected 51") as error:
        load_playbook_text(text, source="pb.yaml")
    assert "pb.yaml:" in str(error.value)


def test_bands_that_miss_the_possible_totals_are_refused():
    text = _with_bands("  bands:\n    - {stage: Low, low: 20, high: 50}\n    - {stage: High, low: 51, high: 90}\n")
    with pytest.raises(BadInput, match="20 statements give totals 20-100"):
        load_playbook_text(text, source="pb.yaml")


def _responses(survey, team: str, *totals: int) -> list[tuple[str, dict[str, int]]]:
    return [(team, answers_totalling(survey, total)) for total in totals]


def test_team_and_overall_scores_are_mean_totals_with_their_stage(survey):
    responses = (_responses(survey, "marketing", 80, 90, 100) + _responses(survey, "sales", 30, 40, 50)
                 + _responses(survey, "success", 60, 61, 62))
    report = summarize(survey, responses, TEAMS)
    assert report["teams"] == {"marketing": {"score": 90.0, "stage": "Integrated", "answers": 3},
                               "sales": {"score": 40.0, "stage": "Defined", "answers": 3},
                               "success": {"score": 61.0, "stage": "Aligned", "answers": 3}}
    assert report["overall"] == {"score": 63.67, "stage": "Aligned", "answers": 9}


def test_a_team_of_two_never_shows(survey):
    responses = _responses(survey, "marketing", 80, 90, 100) + _responses(survey, "sales", 20, 22)
    report = summarize(survey, responses, TEAMS)
    assert report["teams"]["sales"] == {"score": None, "stage": None, "answers": 2}
    assert report["teams"]["success"] == {"score": None, "stage": None, "answers": 0}
    assert report["gaps"] == []  # one team at the threshold: nobody to compare it with
    # 62.4 overall beside marketing's 90 would give the two sales answers away: 21
    assert report["overall"] == {"score": None, "stage": None, "answers": 5}
    assert set(report["statements"].values()) == {None}


def test_hidden_teams_pooled_to_the_threshold_leave_the_overall_figure(survey):
    responses = (_responses(survey, "marketing", 80, 90, 100) + _responses(survey, "sales", 20, 22)
                 + _responses(survey, "success", 40))
    report = summarize(survey, responses, TEAMS)
    assert [report["teams"][team]["score"] for team in TEAMS] == [90.0, None, None]
    assert report["overall"] == {"score": 58.67, "stage": "Defined", "answers": 6}


def test_fewer_than_three_answers_overall_show_nothing(survey):
    report = summarize(survey, _responses(survey, "marketing", 80, 90), TEAMS)
    assert report["overall"] == {"score": None, "stage": None, "answers": 2}
    assert set(report["statements"].values()) == {None}


def test_gap_is_the_spread_of_team_means_per_statement_largest_first(survey):
    first, second = survey.statements[0].id, survey.statements[1].id
    base = {statement.id: 3 for statement in survey.every_statement()}
    by_team = {"marketing": [base | {first: 5, second: 4}] * 3,
               "sales": [base | {first: 1, second: 2}, base | {first: 2, second: 2}, base | {first: 1, second: 3}],
               "success": [base] * 2}  # below the threshold: left out of every gap
    rows = gaps(survey, by_team)
    assert [(row["statement"], row["spread"]) for row in rows[:2]] == [(first, 3.67), (second, 1.67)]
    assert rows[0]["teams"] == {"marketing": 5.0, "sales": 1.33}
    assert {row["spread"] for row in rows[2:]} == {0.0} and len(rows) == len(survey.every_statement())
