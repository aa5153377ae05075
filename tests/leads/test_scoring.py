from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from revteam.leads.scoring.rules import engagement_score, fit_score, score_lead
from revteam.playbook.conditions import matches
from revteam.playbook.loader import load_default_playbook

PLAYBOOK = load_default_playbook()  # half-life 30 days, demo_request 40, webinar 10, threshold 60
NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
STRONG_FIT = {  # a VP at a 300-person US software company: 20 + 10 + 15 + 5
    "account.employees": 300,
    "account.industry": "Software",
    "person.title": "VP of Sales",
    "lead.country": "US",
}


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_fit_score_lists_each_matching_rule():
    result = fit_score(PLAYBOOK, STRONG_FIT)
    assert [(line.rule, line.points) for line in result.lines] == [
        ("mid_market_size", 20), ("target_industry", 10), ("senior_title", 15), ("target_country", 5),
    ]
    assert result.total == 50


def test_negative_rules_lower_the_fit():
    result = fit_score(PLAYBOOK, {**STRONG_FIT, "person.title": "Marketing Intern", "person.free_email": True})
    assert {line.rule: line.points for line in result.lines}["student_or_intern"] == -30
    assert result.total == 20 + 10 + 5 - 30 - 20


def test_missing_facts_score_nothing():
    assert fit_score(PLAYBOOK, {}).total == 0


def test_activity_is_worth_half_after_one_half_life():
    result = engagement_score(PLAYBOOK, [("demo_request", days_ago(30))], now=NOW)
    assert result.total == 20


def test_activity_is_worth_a_quarter_after_two_half_lives():
    assert engagement_score(PLAYBOOK, [("demo_request", days_ago(60))], now=NOW).total == 10


def test_activities_of_one_type_share_one_line():
    result = engagement_score(PLAYBOOK, [("email_click", NOW)] * 4, now=NOW)
    [line] = result.lines
    assert (line.rule, line.points) == ("email_click", 12)
    assert line.description.startswith("4 x email_click")


def test_small_decayed_points_add_up_before_rounding():
    # Ten opens worth 0.4 each would round to 0 one by one; summed per type they are worth 4.
    opens = [("email_open", days_ago(39.7))] * 10
    assert engagement_score(PLAYBOOK, opens, now=NOW).total == 4


def test_unknown_activity_scores_zero_and_is_listed():
    [line] = engagement_score(PLAYBOOK, [("tweet_liked", NOW)], now=NOW).lines
    assert (line.rule, line.points) == ("tweet_liked", 0)


def test_activity_stamped_in_the_future_counts_as_fresh():
    assert engagement_score(PLAYBOOK, [("demo_request", NOW + timedelta(days=5))], now=NOW).total == 40


def test_strong_fit_alone_is_not_an_mql():
    assert score_lead(PLAYBOOK, STRONG_FIT, [], now=NOW).is_mql is False


def test_strong_fit_with_a_webinar_is_an_mql():
    score = score_lead(PLAYBOOK, STRONG_FIT, [("webinar_attended", days_ago(1))], now=NOW)
    assert (score.total, score.is_mql) == (60, True)


@pytest.mark.parametrize(("threshold", "is_mql"), [(59, True), (60, True), (61, False)])
def test_mql_threshold_is_inclusive(threshold, is_mql):
    playbook = PLAYBOOK.model_copy(update={"mql_threshold": threshold})
    score = score_lead(playbook, STRONG_FIT, [("webinar_attended", NOW)], now=NOW)
    assert score.total == 60
    assert score.is_mql is is_mql


def test_explanation_names_kind_rule_and_points():
    score = score_lead(PLAYBOOK, {"account.employees": 5000}, [("form_submit", NOW)], now=NOW)
    assert score.explanation() == [
        {"kind": "fit", "rule": "enterprise_size", "description": "Enterprise (1,000+ employees)", "points": 20},
        {"kind": "engagement", "rule": "form_submit",
         "description": "1 x form_submit at 15 points each, decayed by age", "points": 15},
    ]


activity_types = st.sampled_from([*PLAYBOOK.engagement.points, "unknown_thing"])
activity_lists = st.lists(st.tuples(activity_types, st.floats(min_value=-10, max_value=2000)), max_size=30)
fact_sets = st.fixed_dictionaries({
    "account.employees": st.one_of(st.none(), st.integers(min_value=0, max_value=100_000)),
    "account.industry": st.sampled_from(["software", "mining", ""]),
    "person.title": st.sampled_from(["CEO", "Student", "Engineer", "Head of Ops"]),
    "person.free_email": st.booleans(),
    "lead.country": st.sampled_from(["US", "NO", "BR"]),
})


@given(facts=fact_sets, aged=activity_lists)
def test_explanation_always_sums_to_the_total(facts, aged):
    activities = [(kind, days_ago(age)) for kind, age in aged]
    score = score_lead(PLAYBOOK, facts, activities, now=NOW)
    assert sum(line["points"] for line in score.explanation()) == score.total
    assert score.is_mql == (score.total >= PLAYBOOK.mql_threshold and score.fit.total >= PLAYBOOK.mql_min_fit)


ENGAGED = [("demo_request", NOW)] * 3 + [ ("form_submit", NOW), ("webinar_attended", NOW)]


@pytest.mark.parametrize("who", [
    {"person.title": "Student"}, {"person.title": "Marketing Intern"},
    {"person.title": "Engineer", "person.free_email": True}, {"account.is_competitor": True},
])
def test_a_poor_fit_person_is_no_mql_however_engaged(who):
    score = score_lead(PLAYBOOK, {**STRONG_FIT, "person.title": "Engineer", **who}, ENGAGED, now=NOW)
    assert score.total >= PLAYBOOK.mql_threshold and score.fit.total < PLAYBOOK.mql_min_fit
    assert not score.is_mql


def test_a_good_fit_engaged_person_is_an_mql():
    assert score_lead(PLAYBOOK, STRONG_FIT, ENGAGED, now=NOW).is_mql


def test_without_a_minimum_fit_engagement_alone_qualifies():
    playbook = PLAYBOOK.model_copy(update={"mql_min_fit": None})
    assert score_lead(playbook, {**STRONG_FIT, "person.title": "Student"}, ENGAGED, now=NOW).is_mql


@given(kind=activity_types, age=st.floats(min_value=0, max_value=2000), older_by=st.floats(min_value=0, max_value=500))
def test_older_activity_is_never_worth_more(kind, age, older_by):
    newer = engagement_score(PLAYBOOK, [(kind, days_ago(age))], now=NOW).total
    older = engagement_score(PLAYBOOK, [(kind, days_ago(age + older_by))], now=NOW).total
    assert older <= newer


_FACT_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-20, 20_000), st.floats(-20, 20_000), st.just(1), st.just(1.0),
    st.sampled_from(["", "VP Sales", "Marketing Intern", "software", "Retail", "US", "de", "1", "True", "1000"]),
)
_FACTS = st.fixed_dictionaries({}, optional={
    name: _FACT_VALUES for name in ("account.employees", "account.industry", "person.title", "lead.country",
                                    "person.free_email", "account.is_competitor", "lead.source")})


@given(st.lists(_FACTS, min_size=1, max_size=30))
def test_a_fit_score_holds_whatever_was_scored_before(facts_in_turn):
    for facts in facts_in_turn:
        expected = [rule.id for rule in PLAYBOOK.icp.fit_rules if matches(rule.field, rule.op, rule.value, facts)]
        assert [line.rule for line in fit_score(PLAYBOOK, facts).lines] == expected
