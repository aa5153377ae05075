"""Lead quality by source, rejections and bookings over the hand-built story (test_gtm_story.py)."""

import json

import pytest

from revteam.metrics.gtm import nearest_rank

from test_gtm_story import outbox, story  # noqa: F401 - fixtures


def _report(cli, db_url, name: str) -> dict:
    result = cli("metrics", name, "--json", "--db", db_url)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_source_is_judged_by_acceptance_wins_revenue_and_retention(story, cli, db_url):
    [webinar] = _report(cli, db_url, "sources")["sources"]
    assert {k: v for k, v in webinar.items() if k != "campaigns"} == {
        "source": "webinar", "leads": 3, "accepted_leads": 2, "acceptance_rate": 0.666667, "won": 2,
        "win_rate": 1.0, "revenue_won": 180000, "mrr_won": 15000, "mrr_now": 5000, "nrr": 0.333333}


def test_reject_reasons_are_counted_by_source(story, cli, db_url):
    assert _report(cli, db_url, "rejections")["reasons"] == [
        {"reason": "not_ready", "rejections": 1, "by_source": {"webinar": 1}}]


def test_rejected_lead_won_by_another_rep_counts_as_fair_game_worked(story, cli, db_url):
    fair = _report(cli, db_url, "rejections")["fair_game"]
    assert (fair["rejected_leads"], fair["won_by_another_rep"], fair["share"], fair["revenue_won"]) == (1, 1, 1.0, 60000)


def test_bookings_show_booked_beside_realized_mrr(story, cli, db_url):
    [march] = _report(cli, db_url, "bookings")["months"]
    assert (march["month"], march["bookings"], march["mrr_booked"], march["mrr_realized"], march["realized_share"]) == (
        "2026-03", 2, 15000, 5000, 0.333333)


def test_booking_churned_inside_the_playbook_window_is_flagged(story, cli, db_url):
    report = _report(cli, db_url, "bookings")
    assert report["window_months"] == 6
    assert (report["total"]["churned_within_window"], report["total"]["mrr_churned_within_window"]) == (1, 10000)


@pytest.mark.parametrize(("share", "expected"), [(0.5, 0.5), (0.9, 2.0), (0.25, 0.1)])
def test_nearest_rank_reads_tenths_from_a_histogram(share, expected):
    assert nearest_rank({1: 1, 5: 1, 20: 2}, share) == expected


def test_nearest_rank_of_nothing_is_none():
    assert nearest_rank({}, 0.5) is None
