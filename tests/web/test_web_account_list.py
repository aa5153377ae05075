"""The /accounts list: what the viewer may see, searched and filtered, keyset pages and its CSV."""

import csv
import io
import re

RE_ROW = re.compile(r'<td><a href="/accounts/(\d+)">')


def _total(html: str) -> int:
    return int(re.search(r'id="account-list" data-total="(\d+)"', html).group(1))


def test_accounts_are_listed_searched_and_exported(client, sign_in, admin, make_lead):
    make_lead(industry="software")
    make_lead(industry="retail")
    sign_in(admin)
    html = client.get("/accounts").text
    assert _total(html) == 2
    assert '<a href="/accounts"' in html  # in the navigation
    html = client.get("/accounts?q=company2.com").text
    assert _total(html) == 1 and len(RE_ROW.findall(html)) == 1
    assert _total(client.get("/accounts?industry=software").text) == 1
    link = re.search(r'<a href="([^"]+)" type="text/csv"', client.get("/accounts?industry=retail").text).group(1)
    rows = list(csv.DictReader(io.StringIO(client.get(link.replace("&amp;", "&")).content.decode("utf-8-sig"))))
    assert [(row["name"], row["industry"], row["leads"]) for row in rows] == [("Company 2", "retail", "1")]


def test_a_rep_sees_only_the_accounts_of_leads_they_may_see(client, sign_in, alice, bob, make_lead):
    make_lead("accepted", owner=alice)
    make_lead("accepted", owner=bob)
    sign_in(alice)
    assert _total(client.get("/accounts?q=company1.com").text) == 1
    assert _total(client.get("/accounts?q=company2.com").text) == 0
    assert "Company 2" not in client.get("/accounts/export.csv").text


def test_pages_reach_every_account_and_bad_values_are_named(client, sign_in, admin, make_lead, monkeypatch):
    import revteam.web.routes_leads as routes

    monkeypatch.setattr(routes, "PAGE_SIZE", 2)
    for _ in range(5):
        make_lead()
    sign_in(admin)
    seen, url = [], "/accounts"
    while url:
        html = client.get(url).text
        seen += RE_ROW.findall(html)
        found = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = found and found.group(1).replace("&amp;", "&")
    assert len(seen) == len(set(seen)) == 5
    for query, named in (("owner=ghost@acme.io", "ghost@acme.io"), ("sort=up", "up"), ("after=abc", "abc")):
        response = client.get(f"/accounts?{query}")
        assert response.status_code == 400 and named in response.text, query
