"""Every number on the dashboard, the scorecards, the survey results and the cultivation board that
stands for records links to a list of exactly those records, for every role of the small demo: the
link's `data-count` is the opened list's `data-total`, and paging through the list (rel="next") shows
that many records: leads, or the customers behind the retention figures."""

import re
from datetime import UTC, date, datetime
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.demo.generator import generate
from revteam.demo.plan import DEMO_PASSWORD
from revteam.users.models import User
from tests.web.conftest import AppClock, sign_in_form

AS_OF = date(2026, 3, 1)
PERIOD = {"from": "2025-04", "to": "2026-03"}
BOARDS = {"/dashboard": set(), "/scorecards": set(), "/scorecards?by=team": set(), "/scorecards?by=pod": set(),
          "/scorecards?by=rep": set(), "/survey/alignment-2/results": set(),
          "/cultivation": {"marketing", "manager", "admin"}}  # roles beyond everyone
RECORD_ROW = re.compile(r'<tr><td><a href="/(?:leads|customers)/\d+">')
MRR_ROW = re.compile(r"<tr><td>(\d{4}-\d{2})</td>((?:<td class=\"num\">[^<]*</td>){7})</tr>")


class CountedLinks(HTMLParser):
    """The (href, data-count) of every link carrying a data-count, and the data-total and next page of a list."""

    def __init__(self, html: str):
        super().__init__()
        self.links, self.totals, self.next_page = [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "data-count" in attributes:
            self.links.append((attributes["href"], int(attributes["data-count"])))
        if "data-total" in attributes:
            self.totals.append(int(attributes["data-total"]))
        if tag == "a" and attributes.get("rel") == "next":
            self.next_page = attributes["href"]


@pytest.fixture
def demo_users(engine) -> list[User]:
    """The small demo, and one user of each kind: admin, marketing, success, manager, an SDR, an AE and an
    AE in a pod."""
    generate(engine, size="small", seed=7, as_of=AS_OF)
    with session_scope(engine) as session:
        users = list(session.scalars(select(User).order_by(User.id)))
        session.expunge_all()
    chosen: dict[tuple, User] = {}
    for user in users:
        kind = (user.role, user.sales_role, user.pod_id is not None)
        chosen.setdefault(kind, user)
    return list(chosen.values())


def _open(client, href: str, **params) -> str:
    page = client.get(unescape(href), params=params or None)  # an empty dict would drop href's own query
    assert page.status_code == 200, (href, page.status_code)
    return page.text


def _leads_on_every_page(client, href: str, first_page: str) -> int:
    shown, html = 0, first_page
    while True:
        shown += len(RECORD_ROW.findall(html))
        following = CountedLinks(html).next_page
        if following is None:
            return shown
        html = _open(client, following)


def _check_board(client, user: User, board: str) -> list[tuple[str, int]]:
    links = CountedLinks(_open(client, f"{board}{'&' if '?' in board else '?'}{urlencode(PERIOD)}")).links
    assert links, f"{board} shows {user.email} no counted link"
    for href, count in sorted(set(links)):
        opened = _open(client, href)
        assert f'title="{user.email}"' in opened, re.findall(r'<span title="[^"]*"', opened)
        totals = CountedLinks(opened).totals
        assert totals == [count], f"{user.role} {user.email} on {board}: {href} says {count}, the list {totals}"
        assert _leads_on_every_page(client, href, opened) == count, (user.email, href)
    return links


def test_every_counted_link_opens_a_list_of_exactly_that_many_records_for_every_role(client, demo_users):
    client.app.state.clock = AppClock(datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC))
    followed = 0
    for user in demo_users:
        client.cookies.clear()
        assert sign_in_form(client, user.email, DEMO_PASSWORD).status_code == 303
        lists = set()
        for board, extra_roles in BOARDS.items():
            if not extra_roles or user.role in extra_roles:
                links = _check_board(client, user, board)
                followed += len(links)
                lists |= {href.partition("?")[0] for href, _ in links}
        assert {"/leads", "/customers", "/offers"} <= lists, (user.email, lists)
    roles = {user.role for user in demo_users}
    assert roles == {"admin", "manager", "marketing", "sales", "success"} and followed > 100


def test_a_manager_sees_their_teams_own_figure_and_whose_it_is(client, demo_users):
    manager = next(user for user in demo_users if user.role == "manager")
    assert sign_in_form(client, manager.email, DEMO_PASSWORD).status_code == 303
    dashboard = _open(client, "/dashboard", **PERIOD)
    mine, team = map(int, re.search(r"your team: ([\d,]+) of ([\d,]+)", dashboard).groups())
    assert mine < team


def test_every_retention_figure_links_to_its_customers_for_every_role(client, demo_users):
    client.app.state.clock = AppClock(datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC))
    for user in demo_users:
        client.cookies.clear()
        assert sign_in_form(client, user.email, DEMO_PASSWORD).status_code == 303
        links = [(href, n) for href, n in CountedLinks(_open(client, "/dashboard", **PERIOD)).links
                 if href.startswith("/customers?")]
        assert {unescape(href).split("cohort_to=2026-03")[1] for href, _ in links} == {
            "", "&eligible=true", "&outcome=lost", "&outcome=lost&eligible=true", "&outcome=shrank",
            "&outcome=shrank&eligible=true"}, user.email
        for href, count in links:
            opened = _open(client, href)
            assert CountedLinks(opened).totals == [count], (user.email, href)
            assert len(RECORD_ROW.findall(opened)) == count, (user.email, href)


def _cents(cell: str) -> int:
    """'$1,234.50' or '-$3' in minor units, as the money filter writes them."""
    sign, digits = (-1, cell[1:]) if cell.startswith("-") else (1, cell)
    whole, _, cents = digits.replace("$", "").replace(",", "").partition(".")
    return sign * (int(whole) * 100 + int(cents or 0))


def test_every_row_of_the_demos_mrr_table_adds_up_with_its_reactivation(client, demo_users):
    admin = next(user for user in demo_users if user.role == "admin")
    assert sign_in_form(client, admin.email, DEMO_PASSWORD).status_code == 303
    dashboard = _open(client, "/dashboard", **PERIOD)
    assert "+ Reactivation" in dashboard
    rows = MRR_ROW.findall(dashboard)
    assert len(rows) == 12
    for month, cells in rows:
        start, new, expansion, reactivation, contraction, churn, end = map(_cents, re.findall(r'<td class="num">([^<]*)</td>', cells))
        assert start + new + expansion + reactivation - contraction - churn == end, month
