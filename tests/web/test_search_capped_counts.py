"""The search page's counts: exact up to the cap, "more than" the cap beyond it (never a capped figure
shown as exact), while the list each group links to counts every row; and searches of the same shape
(compiled once) each find their own rows."""

import re

import pytest

import revteam.leads.search_all as search_all
from revteam.db.counts import count_rows
from revteam.db.session import session_scope
from revteam.leads.models import Lead

GROUPS = {"leads": "lead-list", "people": "people-list", "accounts": "account-list"}


def _heading(html: str, group: str) -> str:
    return re.search(rf'<h2 id="{group}-heading">.*?</h2>', html, re.S).group(0)


def _list_total(client, html: str, group: str) -> int:
    link = re.search(r'<a href="([^"]+)"', _heading(html, group)).group(1).replace("&amp;", "&")
    return int(re.search(rf'id="{GROUPS[group]}" data-total="(\d+)"', client.get(link).text).group(1))


def _quinns_page(client, make_lead, quinns: int) -> str:
    """The search page for "quinn" over this many Quinns."""
    for _ in range(quinns):
        make_lead(first_name="Quinn")
    return client.get("/search?q=quinn").text


@pytest.fixture
def cap_of_two(monkeypatch, sign_in, admin):
    monkeypatch.setattr(search_all, "COUNT_CAP", 2)
    sign_in(admin)


def test_past_the_cap_a_group_says_more_than_and_its_list_counts_every_row(client, make_lead, cap_of_two):
    html = _quinns_page(client, make_lead, 3)
    for group in GROUPS:
        heading = _heading(html, group)
        assert 'data-more-than="2"' in heading and "data-count" not in heading and ">more than 2</a>" in heading
        assert _list_total(client, html, group) == 3
    assert 'id="search-leads" data-more-than="2"' in html and 'data-total="' not in html
    assert '<a href="/leads?q=quinn">All leads →</a>' in html


def test_up_to_the_cap_a_group_counts_exactly(client, make_lead, cap_of_two):
    html = _quinns_page(client, make_lead, 2)
    for group in GROUPS:
        assert 'data-count="2"' in _heading(html, group) and "more than" not in _heading(html, group)
        assert _list_total(client, html, group) == 2


def test_the_api_gives_no_total_past_the_cap_and_says_how_far_it_counted(client, as_root, make_lead, monkeypatch):
    monkeypatch.setattr(search_all, "COUNT_CAP", 1)
    make_lead(first_name="Quinn")
    make_lead(first_name="Quinn")
    make_lead(first_name="Rosa")
    found = client.get("/api/search?q=quinn", headers=as_root).json()
    assert {group: (found[group]["total"], found[group]["more_than"]) for group in GROUPS} == {
        group: (None, 1) for group in GROUPS}
    one = client.get("/api/search?q=rosa", headers=as_root).json()
    assert {group: (one[group]["total"], one[group]["more_than"]) for group in GROUPS} == {
        group: (1, None) for group in GROUPS}


def test_a_capped_count_reads_one_row_past_the_cap(engine, make_lead):
    for _ in range(4):
        make_lead()
    with session_scope(engine) as session:
        assert count_rows(session, Lead, []) == 4
        assert count_rows(session, Lead, [], up_to=2) == 3
        assert count_rows(session, Lead, [], up_to=4) == 4
        assert count_rows(session, Lead, [Lead.id < 0], up_to=2) == 0


def test_searches_of_one_shape_each_find_their_own_rows(client, as_root, make_lead):
    """The terms are bound values of a statement compiled once per shape: a second search must not
    reuse the first one's words."""
    words = {name: make_lead(first_name=name) for name in ("Ingrid", "Jonas", "Bo", "Al")}
    for name, lead in [*words.items(), *reversed(words.items())]:
        found = client.get("/api/search", params={"q": name.lower()}, headers=as_root).json()
        assert [row["id"] for row in found["leads"]["rows"]] == [lead], name
    mail = client.get("/api/search", params={"q": "jonas@company2.com"}, headers=as_root).json()
    assert [row["id"] for row in mail["leads"]["rows"]] == [words["Jonas"]]
    other = client.get("/api/search", params={"q": "ingrid@company2.com"}, headers=as_root).json()
    assert other["leads"]["rows"] == []
