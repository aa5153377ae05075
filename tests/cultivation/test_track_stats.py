"""`revteam cultivation stats` and GET /api/cultivation/stats on a hand-built history: each track judged by
what graduated, what sales accepted after graduating, what was won and for how much (exact figures)."""

import json
import re
from datetime import date

import pytest

from revteam.cultivation.graduation import confirm_criteria
from revteam.db.session import session_scope
from revteam.leads.flow import actions as flow
from revteam.leads.models import Lead
from revteam.revenue import service as revenue
from revteam.users.models import User

BANT = ["budget", "authority", "need", "timing"]


@pytest.fixture
def history(engine, admin, alice, mia, make_lead, run_sweep, tick, move_lead, clock):
    """January: a small company's lead joins the newsletter, completes it, graduates in March and is won
    (9,000.00). March: four mid-market leads join their track: one graduates and is won (12,000.00), one
    graduates and is rejected, one stays, one became an MQL by score and left; an enterprise lead
    graduates, is accepted and lost. A lead in no track graduates too (accepted)."""

    def lead(employees: int) -> int:
        lead_id = make_lead("cultivating", employees=employees, committee_role="decision_maker", score=30)
        with session_scope(engine) as session:
            session.get(Lead, lead_id).fit_score = 35
        return lead_id

    def graduate(lead_id: int, at) -> None:
        with session_scope(engine) as session:
            assert confirm_criteria(session, lead_id=lead_id, actor=session.get(User, mia.id), criteria=BANT,
                                    now=at)["graduated"]

    def as_alice(action, lead_id: int, at, **kwargs) -> None:
        with session_scope(engine) as session:
            action(session, lead_id=lead_id, actor=session.get(User, alice.id), now=at, **kwargs)

    def win(lead_id: int, amount_minor: int) -> None:
        with session_scope(engine) as session:
            opportunity = revenue.open_opportunity(session, lead_id=lead_id, amount_minor=amount_minor,
                                                   expected_close=date(2026, 4, 30), actor=alice.email)
            revenue.close_won(session, opportunity_id=opportunity.id, plan="team", seats=5, mrr_minor=amount_minor // 12,
                              term_months=12, start=date(2026, 4, 1), promises=[], actor=alice.email)

    newsletter = lead(8)
    run_sweep(clock.after(days=-59))  # 2 January
    tick(clock.after(days=-40))
    tick(clock.after(days=-10))  # its three touches ran: completed
    won_mid, rejected_mid, waiting_mid, left_mid, enterprise = lead(300), lead(300), lead(300), lead(300), lead(5000)
    run_sweep(clock.now)
    move_lead(left_mid, "mql")
    run_sweep(clock.after(minutes=15))
    no_track = lead(300)
    for number, lead_id in enumerate((newsletter, won_mid, rejected_mid, enterprise, no_track)):
        graduate(lead_id, clock.after(hours=1 + number))
    for lead_id in (newsletter, won_mid, enterprise, no_track):
        as_alice(flow.accept_lead, lead_id, clock.after(hours=7))
    as_alice(flow.reject_lead, rejected_mid, clock.after(hours=7), reason="not_ready", note="no budget before Q3")
    as_alice(flow.dispose_lead, enterprise, clock.after(days=2), outcome="lost", reason="price")
    win(won_mid, 1_200_000)
    win(newsletter, 900_000)
    return {"waiting": waiting_mid}


def _row(report: dict, track: str) -> dict:
    return next(row for row in report["tracks"] if row["track"] == track)


FIGURES = ("entered", "active", "completed", "exited", "graduated", "accepted", "won", "revenue_minor")


def test_stats_count_each_track_from_entry_to_revenue(history, cli, db_url):
    result = cli("cultivation", "stats", "--json", "--db", db_url)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    figures = {row["track"]: tuple(row[name] for name in FIGURES) for row in report["tracks"]}
    assert figures == {
        "near_mql_decision": (0, 0, 0, 0, 0, 0, 0, 0),
        "enterprise_consideration": (1, 0, 0, 1, 1, 1, 0, 0),
        "mid_market_consideration": (4, 1, 0, 3, 2, 1, 1, 1_200_000),
        "awareness_newsletter": (1, 0, 1, 0, 1, 1, 1, 900_000),
        "none": (0, 0, 0, 0, 1, 1, 0, 0),
    }
    assert tuple(report["total"][name] for name in FIGURES) == (6, 1, 1, 4, 5, 4, 2, 2_100_000)
    mid = _row(report, "mid_market_consideration")
    assert (mid["graduation_rate"], mid["acceptance_rate"], mid["win_rate"]) == (0.5, 0.5, 0.5)


def test_a_period_keeps_the_cohort_that_entered_in_it(history, cli, db_url):
    report = json.loads(cli("cultivation", "stats", "--from", "2026-03", "--to", "2026-03", "--json",
                            "--db", db_url).out)
    assert report["period"] == ["2026-03", "2026-03"]
    assert (_row(report, "awareness_newsletter")["entered"], _row(report, "awareness_newsletter")["won"]) == (0, 0)
    assert _row(report, "mid_market_consideration")["revenue_minor"] == 1_200_000
    table = cli("cultivation", "stats", "--db", db_url).out
    assert "mid_market_consideration" in table and "12,000.00" in table and "21,000.00" in table


def test_the_api_answers_the_same_figures_and_refuses_a_bad_month(history, client, as_root):
    answer = client.get("/api/cultivation/stats", headers=as_root)
    assert answer.status_code == 200
    assert _row(answer.json(), "awareness_newsletter")["revenue_minor"] == 900_000
    bad = client.get("/api/cultivation/stats?from=2026-13", headers=as_root)
    assert bad.status_code == 400 and "2026-13" in bad.text  # as every period of the API


def test_the_board_shows_each_track_judged_downstream(history, client, sign_in, mia):
    sign_in(mia)
    html = client.get("/cultivation").text
    row = re.search(r'<tr data-track="mid_market_consideration">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["4", "1", "0", "3", "2", "1", "1", "$12,000"]
    march = client.get("/cultivation?from=2026-03&to=2026-03").text
    newsletter = re.search(r'<tr data-track="awareness_newsletter">(.*?)</tr>', march, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', newsletter)[0] == "0"
    assert client.get("/cultivation?from=March").status_code == 400
