"""Kept figures answer after the minute turned (web/figures_cache.py): the page says which minute they
are of, and a time-bound figure's link opens the list judged at that minute, so its count still
matches the list it opens."""

import re
from datetime import timedelta

from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.leads.flow import actions as flow
from revteam.routing.models import Offer
from revteam.users.models import User
from tests.web.test_numbers_match import CountedLinks

PERIOD = {"from": "2026-01", "to": "2026-03"}


def _routed(engine, make_lead, admin, now) -> Offer:
    lead_id = make_lead(industry="software", committee_role="decision_maker", score=70)
    with session_scope(engine) as session:
        actor = session.scalar(select(User).where(User.email == admin.email))
        offer = flow.route_lead(session, lead_id=lead_id, actor=actor, now=now)
        session.expunge(offer)
    return offer


def _accepted(engine, offer: Offer, now) -> None:
    with session_scope(engine) as session:
        rep = session.get(User, offer.rep_id)
        flow.accept_lead(session, lead_id=offer.lead_id, actor=rep, now=now)


def _accept_due_link(client) -> tuple[str, int, str]:
    page = client.get("/dashboard", params=PERIOD)
    assert page.status_code == 200
    as_of = re.search(r'data-as-of="([^"]+)"', page.text).group(1)
    links = [(href, count) for href, count in CountedLinks(page.text).links if "measure=accept_due" in href]
    assert links, "the dashboard shows the accept SLA figure"
    return *links[0], as_of


def _listed(client, href: str) -> int:
    return CountedLinks(client.get(href.replace("&amp;", "&")).text).totals[0]


def test_a_kept_figure_links_to_its_list_as_of_the_minute_it_is_of(engine, client, sign_in, app_clock, make_lead,
                                                                     admin, alice, mia):
    decided = _routed(engine, make_lead, admin, app_clock.now)
    _accepted(engine, decided, app_clock.now + timedelta(minutes=5))  # the team has a median: its row shows
    waiting = _routed(engine, make_lead, admin, app_clock.now)
    app_clock.now = waiting.accept_by - timedelta(seconds=30)
    sign_in(mia)
    client.get("/dashboard", params=PERIOD)  # the first view of the day is noted: a write
    href, count, as_of = _accept_due_link(client)
    assert count == _listed(client, href) == 1  # only the decided offer can be judged yet

    app_clock.now = waiting.accept_by + timedelta(minutes=1)  # the waiting offer is overdue now; nothing written
    kept_href, kept_count, kept_as_of = _accept_due_link(client)
    assert (kept_count, kept_as_of) == (count, as_of)  # the kept figures answered, saying of which minute
    assert "at=" in kept_href and _listed(client, kept_href) == kept_count
    assert _listed(client, re.sub(r"&(amp;)?at=[^&]+", "", kept_href)) == 2  # judged now, the list has moved on
