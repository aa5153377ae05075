"""Finding leads: search by name, e-mail, phone or company (kept current on every write path), filters
that refuse what names nothing, keyset pages that reach every record, and the list's CSV export.

Runs on the backend the suite runs on: FTS5 trigram tables on SQLite, pg_trgm on PostgreSQL."""

import csv
import io
import re

from sqlalchemy import select

from revteam.accounts.models import Account, Person
from revteam.db.session import session_scope
from revteam.leads.account_list import AccountFilter, filtered_accounts
from revteam.leads.edits import edit_lead
from revteam.leads.models import Lead
from revteam.users.models import User


def _listed(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td><a href="/leads/(\d+)">', html)]


def _total(html: str) -> int:
    return int(re.search(r'id="lead-list" data-total="(\d+)"', html).group(1))


def _person_of(engine, lead_id: int, **fields) -> None:
    with session_scope(engine) as session:
        person = session.get(Person, session.get(Lead, lead_id).person_id)
        for name, value in fields.items():
            setattr(person, name, value)


def test_search_finds_a_lead_by_name_email_phone_and_company(client, sign_in, admin, engine, make_lead):
    nguyen = make_lead(first_name="Linh")
    other = make_lead(first_name="Omar")
    _person_of(engine, nguyen, last_name="Nguyen", phone_e164="+12125550100")
    sign_in(admin)
    for query in ("Nguyen", "nguyen", "linh@company1", "+1 212 555 0100", "(212) 555-0100", "Company 1", "linh nguy"):
        html = client.get("/leads", params={"q": query}).text
        assert _listed(html) == [nguyen], query
        assert _total(html) == 1
    assert _listed(client.get("/leads", params={"q": "Omar"}).text) == [other]
    assert _listed(client.get("/leads", params={"q": "nobody-like-this"}).text) == []


def test_a_term_of_one_or_two_letters_matches_the_start_of_a_word(client, sign_in, admin, engine, make_lead):
    ngozi = make_lead(first_name="Ngozi")
    wang = make_lead(first_name="Wang")  # "ng" only inside a word
    _person_of(engine, wang, last_name="Li")
    sign_in(admin)

    def found(query: str) -> list[int]:
        return sorted(_listed(client.get("/leads", params={"q": query}).text))
    assert found("ng") == found("NG") == [ngozi]
    assert found("l") == found("wa li") == found("company 2") == [wang]
    assert found("co 1") == [ngozi]
    assert found("co") == [ngozi, wang]
    with session_scope(engine) as session:
        session.scalar(select(Account).where(Account.name == "Company 2")).name = "Zephyr Analytics"
    assert found("ze") == found("an") == [wang]
    with session_scope(engine) as session:
        accounts = filtered_accounts(session, viewer=None, account_filter=AccountFilter(q="ze"))["rows"]
    assert [account["name"] for account in accounts] == ["Zephyr Analytics"]
    assert client.get("/search", params={"q": "- ."}).status_code == 400


def test_an_email_is_found_whole_or_by_any_part_of_it(client, sign_in, admin, make_lead):
    first, second = make_lead(first_name="Anna"), make_lead(first_name="Anna")  # anna@company1.com, anna@company2.com
    sign_in(admin)

    def found(query: str) -> list[int]:
        return sorted(_listed(client.get("/leads", params={"q": query}).text))
    assert found("anna@company1.com") == found("ANNA@Company1.com") == found("nna@company1.c") == [first]
    assert found("anna@company") == found("@company") == [first, second]
    assert found("anna@company3.com") == found("anna@company1.org") == []


def test_search_follows_edits_and_account_renames(client, sign_in, admin, engine, make_lead):
    lead = make_lead(first_name="Pat")
    with session_scope(engine) as session:
        actor = session.scalar(select(User).where(User.email == admin.email))
        edit_lead(session, lead_id=lead, actor=actor, values={"last_name": "Okonkwo"})
    sign_in(admin)
    assert _listed(client.get("/leads?q=okonkwo").text) == [lead]
    with session_scope(engine) as session:
        session.scalar(select(Account).where(Account.name == "Company 1")).name = "Zephyr Analytics"
    assert _listed(client.get("/leads?q=zephyr").text) == [lead]
    with session_scope(engine) as session:
        session.scalar(select(Account).where(Account.name == "Zephyr Analytics")).name = "Yonder Labs"
    assert _listed(client.get("/leads?q=zephyr").text) == []
    assert _listed(client.get("/leads?q=yonder").text) == [lead]


def test_search_respects_who_may_see_a_lead(client, sign_in, alice, carl, make_lead):
    mine = make_lead("accepted", first_name="Quinn", owner=alice)
    make_lead("accepted", first_name="Quinn", owner=carl)
    sign_in(alice)
    html = client.get("/leads?q=quinn").text
    assert _listed(html) == [mine]
    assert _total(html) == 1


def test_filters_narrow_and_a_value_naming_nothing_is_a_400_naming_it(client, sign_in, admin, alice, make_lead):
    owned = make_lead("accepted", owner=alice, score=80, source="webinar")
    make_lead("mql", score=10, source="referral")
    sign_in(admin)
    assert _listed(client.get("/leads?owner=alice@acme.io").text) == [owned]
    assert _listed(client.get("/leads?team=na-sdr").text) == [owned]
    assert _listed(client.get("/leads?score_min=50").text) == [owned]
    assert _listed(client.get("/leads?score_max=50&source=referral").text) != [owned]
    for query, named in (("owner=nobody@acme.io", "nobody@acme.io"), ("team=moon", "moon"),
                         ("campaign=ghost", "ghost"), ("state=bogus", "query.state"), ("sort=sideways", "sideways"),
                         ("after=xyz", "xyz")):
        response = client.get(f"/leads?{query}")
        assert response.status_code == 400, query
        assert named in response.text


def test_keyset_pages_reach_every_lead_once(client, sign_in, admin, make_lead, monkeypatch):
    import revteam.web.routes_leads as routes

    monkeypatch.setattr(routes, "PAGE_SIZE", 3)
    made = {make_lead(score=score) for score in (5, 9, 9, 9, 1, 7, 3)}
    sign_in(admin)
    for sort in ("newest", "oldest", "score"):
        seen, url = [], f"/leads?sort={sort}"
        while url:
            html = client.get(url).text
            assert _total(html) == len(made)
            seen += _listed(html)
            found = re.search(r'<a href="([^"]+)" rel="next">', html)
            url = found and found.group(1).replace("&amp;", "&")
        assert sorted(seen) == sorted(made), sort
        assert len(seen) == len(made)


def test_the_list_links_its_csv_export_which_applies_the_filter(client, sign_in, admin, engine, make_lead):
    wanted = make_lead(first_name="Ursula", source="webinar")
    make_lead(first_name="Victor", source="referral")
    _person_of(engine, wanted, first_name="=HYPERLINK(\"x\")", title="@boss")
    sign_in(admin)
    html = client.get("/leads?source=webinar").text
    link = re.search(r'<a href="([^"]+)" type="text/csv"', html).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(row["id"]) for row in rows] == [wanted]
    assert rows[0]["first_name"] == "'=HYPERLINK(\"x\")"
    assert rows[0]["title"] == "'@boss"
    assert rows[0]["phone"] == ""


def test_a_bad_filter_on_the_export_is_a_400(client, sign_in, admin):
    sign_in(admin)
    response = client.get("/leads/export.csv?owner=ghost@acme.io")
    assert response.status_code == 400
    assert "ghost@acme.io" in response.text


def test_the_search_box_is_on_every_page(client, sign_in, admin):
    sign_in(admin)
    for page in ("/dashboard", "/playbook", "/leads"):
        assert re.search(r'<form class="search" method="get" action="/search"', client.get(page).text), page
