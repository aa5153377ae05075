"""The search page: leads, people and accounts in three groups, each with its count and a link to its
whole list that lists exactly that many, as the viewer may see them; and the /people list.

Runs on the backend the suite runs on: FTS5 trigram tables on SQLite, pg_trgm on PostgreSQL."""

import re

from revteam.accounts.models import Account, Person
from revteam.db.session import session_scope
from revteam.leads.models import Lead

GROUPS = {"leads": "lead-list", "people": "people-list", "accounts": "account-list"}


def _counts(html: str) -> dict[str, tuple[int, str]]:
    """Per group: the count its heading shows and the link it carries."""
    found = {}
    for group in GROUPS:
        heading = re.search(rf'<h2 id="{group}-heading">.*?<a href="([^"]+)" data-count="(\d+)"', html, re.S)
        found[group] = (int(heading.group(2)), heading.group(1).replace("&amp;", "&"))
    return found


def _total(html: str, table: str) -> int:
    return int(re.search(rf'id="{table}" data-total="(\d+)"', html).group(1))


def _linked(html: str, kind: str, table: str) -> list[int]:
    body = re.search(rf'<table id="{table}".*?</table>', html, re.S).group(0)
    return sorted({int(n) for n in re.findall(rf'href="/{kind}/(\d+)"', body)})


def _change(engine, lead_id: int, **person) -> None:
    with session_scope(engine) as session:
        lead = session.get(Lead, lead_id)
        for name, value in person.items():
            setattr(session.get(Person, lead.person_id), name, value)


def test_one_search_finds_leads_people_and_accounts_by_each_kind(client, sign_in, admin, engine, make_lead):
    wanted = make_lead(first_name="Linh")
    make_lead(first_name="Omar")
    _change(engine, wanted, last_name="Nguyen", phone_e164="+12125550100")
    account_id = _account_of(engine, wanted)
    sign_in(admin)
    for query in ("Nguyen", "linh@company1", "(212) 555-0100", "Company 1", "linh nguy"):
        html = client.get("/search", params={"q": query}).text
        assert {group: count for group, (count, _) in _counts(html).items()} == {"leads": 1, "people": 1,
                                                                                 "accounts": 1}, query
        assert _linked(html, "leads", "search-leads") == [wanted], query
        assert _linked(html, "accounts", "search-accounts") == [account_id], query
        assert "Nguyen" in re.search(r'<table id="search-people".*?</table>', html, re.S).group(0)
    html = client.get("/search", params={"q": "company2.com"}).text
    assert _counts(html)["accounts"][0] == 1 and _counts(html)["leads"][0] == 1
    assert _linked(html, "leads", "search-leads") != [wanted]
    nothing = client.get("/search", params={"q": "nobody-like-this"}).text
    assert {count for count, _ in _counts(nothing).values()} == {0}


def _account_of(engine, lead_id: int) -> int:
    with session_scope(engine) as session:
        return session.get(Lead, lead_id).account_id


def test_each_groups_link_lists_exactly_its_count(client, sign_in, admin, engine, make_lead, monkeypatch):
    import revteam.leads.search_all as search_all

    monkeypatch.setattr(search_all, "GROUP_ROWS", 2)
    for name in ("Quinn", "Quinn", "Quinn", "Other"):
        make_lead(first_name=name)
    sign_in(admin)
    html = client.get("/search?q=quinn").text
    assert len(_linked(html, "leads", "search-leads")) == 2  # the group's first rows...
    for group, (count, link) in _counts(html).items():
        assert count == 3, group
        assert f'<a href="{link.replace("&", "&amp;")}">All 3 {group} →</a>' in html  # ...and a link to all of them
        assert _total(client.get(link).text, GROUPS[group]) == 3, link


def test_a_rep_finds_only_what_they_may_see_in_every_group(client, sign_in, admin, alice, carl, make_lead):
    mine = make_lead("accepted", first_name="Quinn", owner=alice)
    theirs = make_lead("accepted", first_name="Quinn", owner=carl)
    sign_in(alice)
    html = client.get("/search?q=quinn").text
    assert {group: count for group, (count, _) in _counts(html).items()} == {"leads": 1, "people": 1, "accounts": 1}
    assert _linked(html, "leads", "search-leads") == [mine]
    assert f'href="/leads/{theirs}"' not in html and "Company 2" not in html
    for group, (_, link) in _counts(html).items():
        assert _total(client.get(link).text, GROUPS[group]) == 1, link
    client.post("/sign-out", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)})
    sign_in(admin)
    everyone = client.get("/search?q=quinn").text
    assert {count for count, _ in _counts(everyone).values()} == {2}


def test_a_person_of_a_hidden_lead_is_not_found_by_another_rep_even_at_a_shared_account(
        client, sign_in, alice, carl, engine, make_lead):
    mine = make_lead("accepted", first_name="Rosa", owner=alice)
    theirs = make_lead("accepted", first_name="Sunniva", owner=carl)
    with session_scope(engine) as session:  # Sunniva works at Rosa's company
        account_id = session.get(Lead, mine).account_id
        session.get(Person, session.get(Lead, theirs).person_id).account_id = account_id
        session.get(Lead, theirs).account_id = account_id
    sign_in(alice)
    html = client.get("/search?q=sunniva").text
    counts = {group: count for group, (count, _) in _counts(html).items()}
    assert counts == {"leads": 0, "people": 0, "accounts": 0}  # her name does not reveal where she works
    counts = {group: count for group, (count, _) in _counts(client.get("/search?q=rosa").text).items()}
    assert counts == {"leads": 1, "people": 1, "accounts": 1}


def test_an_empty_search_asks_for_words_and_one_without_words_is_a_400(client, sign_in, admin):
    sign_in(admin)
    page = client.get("/search")
    assert page.status_code == 200 and "Type a name" in page.text and "data-count" not in page.text
    response = client.get("/search", params={"q": "%%"})
    assert response.status_code == 400 and "no word to search for" in response.text


def test_the_people_list_pages_reach_everyone_and_a_bad_cursor_is_named(client, sign_in, admin, make_lead,
                                                                       monkeypatch):
    import revteam.web.routes_search as routes

    monkeypatch.setattr(routes, "PAGE_SIZE", 2)
    for _ in range(5):
        make_lead()
    sign_in(admin)
    seen, url = [], "/people"
    while url:
        html = client.get(url).text
        assert _total(html, "people-list") == 5
        seen += re.findall(r'<td><a href="/leads/(\d+)">', html)
        found = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = found and found.group(1).replace("&amp;", "&")
    assert len(seen) == len(set(seen)) == 5
    response = client.get("/people?after=abc")
    assert response.status_code == 400 and "abc" in response.text


def test_search_follows_an_account_rename_in_every_group(client, sign_in, admin, engine, make_lead):
    lead = make_lead(first_name="Pat")
    with session_scope(engine) as session:
        session.get(Account, session.get(Lead, lead).account_id).name = "Zephyr Analytics"
    sign_in(admin)
    html = client.get("/search?q=zephyr").text
    assert {count for count, _ in _counts(html).values()} == {1}


def test_short_words_and_quotes_are_searched_as_typed(client, sign_in, admin, engine, make_lead):
    """Words of three characters or more are FTS5 phrases on SQLite; shorter ones start a word, and one
    with no letter or digit is no word at all."""
    wanted = make_lead(first_name="Bo")
    _change(engine, wanted, last_name='O"Hara')
    make_lead(first_name="Omar")
    sign_in(admin)
    for query in ("bo", "bo o\"h", 'o"hara', "bo@company1"):
        html = client.get("/search", params={"q": query}).text
        assert _linked(html, "leads", "search-leads") == [wanted], query
    assert client.get("/search", params={"q": '"'}).status_code == 400
    # a short word beside a long one: SQLite 3.40's trigram table alone answered wrong rows, or crashed
    assert _linked(client.get("/search", params={"q": "bo company1"}).text, "leads", "search-leads") == [wanted]
    assert _linked(client.get("/search", params={"q": "bo company2"}).text, "leads", "search-leads") == []
