"""The success lead's day in pages: the customers list with its total and next page, and a customer's
page where promises are confirmed or disputed (with a reason) and health is recorded, each writing its
event. bob (AE) sold the deal; sam is success; alice (SDR) sees none of bob's customers."""

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from revteam.accounts.models import Account
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.revenue import service
from revteam.revenue.models import Promise
from revteam.web import routes_customers
from tests.web.conftest import AppClock

HTMX = {"HX-Request": "true"}


@pytest.fixture
def customer(engine, make_lead, bob):
    """bob's won deal at Company N, promising SSO and a Salesforce sync; returns (account id, promise ids)."""

    def make(mrr: int = 50_000) -> tuple[int, list[int]]:
        lead_id = make_lead("accepted", owner=bob)
        with session_scope(engine) as session:
            opportunity = service.open_opportunity(session, lead_id=lead_id, amount_minor=mrr * 12,
                                                   expected_close=date(2025, 6, 1), actor=bob.email)
            made = service.close_won(session, opportunity_id=opportunity.id, plan="growth", seats=10, mrr_minor=mrr,
                                     term_months=12, start=date(2025, 6, 1), promises=["SSO", "Salesforce sync"],
                                     actor=bob.email)
            promises = list(session.scalars(select(Promise.id).where(Promise.handoff_id == made.id).order_by(Promise.id)))
            return made.account_id, promises

    return make


def _events(engine, type_):
    with session_scope(engine) as session:
        return [(e.actor, e.data) for e in session.scalars(select(Event).where(Event.type == type_).order_by(Event.id))]


def test_the_list_shows_each_customer_with_mrr_plan_and_renewal_and_says_how_many(client, sign_in, sam, customer):
    account, _ = customer()
    client.app.state.clock = AppClock(datetime(2026, 3, 10, tzinfo=UTC))
    sign_in(sam)
    page = client.get("/customers").text
    assert 'id="customer-list" data-total="1"' in page
    assert f'<a href="/customers/{account}">Company 1</a>' in page
    assert "$500" in page and "growth" in page and "2026-06-01" in page
    assert '<a href="/customers"' in page  # in the navigation


def test_the_list_links_its_next_page_until_every_customer_is_shown(client, sign_in, sam, customer, monkeypatch):
    made = {customer(mrr)[0] for mrr in (30_000, 20_000, 10_000)}
    monkeypatch.setattr(routes_customers, "PAGE_SIZE", 2)
    sign_in(sam)
    shown, html = set(), client.get("/customers", params={"sort": "name"}).text
    while True:
        assert 'data-total="3"' in html
        shown |= {int(n) for n in re.findall(r'<tr><td><a href="/customers/(\d+)">', html)}
        following = re.search(r'<a href="([^"]+)" rel="next">', html)
        if not following:
            break
        html = client.get(following.group(1).replace("&amp;", "&")).text
    assert shown == made


def test_success_confirms_one_promise_and_disputes_another_with_a_reason(client, engine, sign_in, sam, customer):
    account, (sso, sync) = customer()
    token = sign_in(sam)
    confirmed = client.post(f"/customers/{account}/promises/{sso}/confirm", data={}, headers={"X-CSRF-Token": token, **HTMX})
    assert confirmed.status_code == 200 and "Promise “SSO” confirmed." in confirmed.text
    refused = client.post(f"/customers/{account}/promises/{sync}/dispute", data={"note": " "},
                          headers={"X-CSRF-Token": token, **HTMX})
    assert refused.status_code == 400 and "needs a reason" in refused.text
    disputed = client.post(f"/customers/{account}/promises/{sync}/dispute", data={"note": "not on the roadmap"},
                           headers={"X-CSRF-Token": token, **HTMX})
    assert disputed.status_code == 200 and "not on the roadmap" in disputed.text
    assert [data["promise_id"] for _, data in _events(engine, "promise.confirmed")] == [sso]
    assert _events(engine, "promise.disputed")[0][1]["note"] == "not on the roadmap"


def test_recording_health_keeps_success_apart_from_happiness_and_flags_risk(client, engine, sign_in, sam, customer):
    account, _ = customer()
    token = sign_in(sam)
    answer = client.post(f"/customers/{account}/health", headers={"X-CSRF-Token": token, **HTMX},
                         data={"active_seat_share": "20", "key_feature_adoption": "10", "nps": "9"})
    assert answer.status_code == 200
    assert "Health recorded: success 11, happiness 90. At risk: happy not successful." in answer.text
    assert [data["risk"] for _, data in _events(engine, "health.recorded")] == ["happy_not_successful"]
    assert 'data-total="1"' in client.get("/customers", params={"at_risk": "true"}).text


def test_a_rep_sees_the_customer_without_forms_and_may_not_write(client, engine, sign_in, bob, customer):
    account, (sso, _) = customer()
    token = sign_in(bob)
    page = client.get(f"/customers/{account}").text
    assert "SSO" in page and "Record health" not in page and ">Confirm<" not in page
    refused = client.post(f"/customers/{account}/promises/{sso}/confirm", data={}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403
    assert _events(engine, "promise.confirmed") == []


def test_a_customer_the_viewer_may_not_see_is_not_found(client, sign_in, alice, customer):
    account, _ = customer()
    sign_in(alice)
    assert client.get(f"/customers/{account}").status_code == 404
    assert 'data-total="0"' in client.get("/customers").text


def _renamed(engine, account_id: int, name: str) -> None:
    with session_scope(engine) as session:
        session.get(Account, account_id).name = name


def _csv(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_list_exports_exactly_what_it_selects_with_formulas_neutralized(client, engine, sign_in, sam, alice,
                                                                           customer):
    first, _ = customer(30_000)
    customer(20_000)
    _renamed(engine, first, "=HYPERLINK(\"http://evil\")")
    sign_in(sam)
    page = client.get("/customers", params={"sort": "name"}).text
    link = re.search(r'<a href="([^"]+)" type="text/csv"', page).group(1).replace("&amp;", "&")
    assert link == "/customers/export.csv?sort=name"
    exported = client.get(link)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = _csv(exported.text)
    assert len(rows) == int(re.search(r'data-total="(\d+)"', page).group(1)) == 2
    assert rows[0]["name"] == "'=HYPERLINK(\"http://evil\")" and rows[0]["mrr"] == "300.00"
    assert rows[0]["plans"] == "growth" and rows[0]["renewal_date"]
    client.cookies.clear()
    sign_in(alice)
    assert _csv(client.get("/customers/export.csv").text) == []


def test_revteam_export_customers_writes_the_same_rows_and_refuses_a_bad_filter(cli, db_url, engine, customer):
    customer(30_000)
    customer(20_000)
    result = cli("export", "customers", "--filter", "sort=name", "--db", db_url)
    assert result.code == 0, result.err
    assert [row["mrr"] for row in _csv(result.out)] == ["300.00", "200.00"]
    refused = cli("export", "customers", "--filter", "status=gone", "--db", db_url)
    assert refused.code == 2 and "status" in refused.err
    unknown = cli("export", "customers", "--filter", "colour=red", "--db", db_url)
    assert unknown.code == 2 and "colour" in unknown.err
