import re
from datetime import timedelta

from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.routing.models import Offer


def _count_link(html: str, track: str) -> tuple[str, str]:
    """(track name, leads) of the board row whose count links to `track`."""
    row = re.search(r"<tr><td>[^<]*</td><td>([^<]*)</td>\s*<td class=\"num\"><a href=\"/leads\?state=cultivating&amp;"
                    rf"track={track}\"[^>]*>([\d,]+)</a>", html)
    assert row, f"no board row for {track}"
    return row.group(1), row.group(2)


def test_board_counts_cultivating_leads_by_stage_and_track(client, sign_in, mia, make_lead, run_sweep):
    for employees in (300, 300, 5000):
        make_lead("cultivating", employees=employees, score=20)
    run_sweep(utcnow())
    make_lead("cultivating", score=20)  # arrived after the sweep: not enrolled yet
    sign_in(mia)
    html = client.get("/cultivation").text
    assert _count_link(html, "mid_market_consideration") == ("Mid-market evaluation", "2")
    assert _count_link(html, "enterprise_consideration") == ("Enterprise evaluation", "1")
    assert _count_link(html, "near_mql_decision") == ("Close to ready - proof and pricing", "0")
    assert _count_link(html, "none") == ("Not enrolled yet", "1")
    assert "Rejected, waiting for evaluation" in html and "SLA breaches" in html


def test_board_counts_leads_that_finished_their_track_apart(client, sign_in, mia, make_lead, run_sweep, tick):
    make_lead("cultivating", employees=8, score=20)
    started = utcnow() - timedelta(days=60)
    run_sweep(started)
    tick(started + timedelta(days=20))
    tick(utcnow())
    sign_in(mia)
    html = client.get("/cultivation").text
    assert _count_link(html, "awareness_newsletter") == ("Newsletter and education", "0")
    assert 'aria-label="1 leads finished Newsletter and education"' in html
    assert _count_link(html, "none") == ("Not enrolled yet", "0")


def test_a_board_count_links_to_the_leads_in_that_track(client, sign_in, mia, make_lead, run_sweep):
    enterprise = make_lead("cultivating", employees=5000, score=20)
    make_lead("cultivating", employees=300, score=20)
    run_sweep(utcnow())
    sign_in(mia)
    html = client.get("/leads?state=cultivating&track=enterprise_consideration").text
    assert re.findall(r'href="/leads/(\d+)"', html) == [str(enterprise)]


def test_lead_page_shows_its_track_step_and_when_the_next_step_is_due(client, sign_in, mia, make_lead, run_sweep):
    lead = make_lead("cultivating", employees=300, score=20)
    run_sweep(utcnow())
    sign_in(mia)
    html = client.get(f"/leads/{lead}").text
    track = re.search(r'<p id="track">(.*?)</p>', html, re.S).group(1)
    assert "Mid-market evaluation" in track and "consideration stage" in track
    assert re.search(r"step 3 of 8: send webinar-invite, due in \d+ (d|h)<", track)


def test_a_managers_board_counts_only_the_leads_their_list_shows(client, sign_in, engine, mia, dana, bob, make_lead):
    make_lead("cultivating", score=20)
    elsewhere = make_lead("cultivating", score=20)
    with session_scope(engine) as session:  # once offered to another team's rep: not dana's to see
        session.add(Offer(lead_id=elsewhere, rep_id=bob.id, accept_by=utcnow(), outcome="rejected", decided_at=utcnow()))
    counts = {}
    for user in (mia, dana):
        sign_in(user)
        listed = re.findall(r'href="/leads/(\d+)"', client.get("/leads?state=cultivating&track=none").text)
        counts[user.email] = (_count_link(client.get("/cultivation").text, "none")[1], len(listed))
    assert counts == {mia.email: ("2", 2), dana.email: ("1", 1)}
