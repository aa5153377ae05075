"""`GET /api/search?q=`: the leads, people and accounts the words find, as the token's user may see them."""

from revteam.db.session import session_scope
from revteam.users.service import issue_token


def _token(engine, user) -> dict:
    with session_scope(engine) as session:
        return {"Authorization": f"Bearer {issue_token(session, user.email, name='test', actor='test')}"}


def test_search_answers_every_group_with_its_total_rows_and_list(client, engine, as_root, make_lead):
    wanted = make_lead(first_name="Ingrid")
    make_lead(first_name="Jonas")
    found = client.get("/api/search", params={"q": "ingrid company1"}, headers=as_root).json()
    assert found["q"] == "ingrid company1"
    assert found["leads"]["total"] == 1 and found["leads"]["rows"][0]["id"] == wanted
    assert found["leads"]["rows"][0]["email"] == "ingrid@company1.com"
    assert found["leads"]["list"] == "/leads?q=ingrid+company1"
    assert [row["email"] for row in found["people"]["rows"]] == ["ingrid@company1.com"]
    assert found["people"]["rows"][0]["lead_id"] == wanted
    assert [(row["name"], row["leads"]) for row in found["accounts"]["rows"]] == [("Company 1", 1)]
    assert found["accounts"]["list"] == "/accounts?q=ingrid+company1"


def test_a_rep_finds_only_what_they_may_see(client, engine, as_root, alice, carl, make_lead):
    mine = make_lead("accepted", first_name="Quinn", owner=alice)
    make_lead("accepted", first_name="Quinn", owner=carl)
    found = client.get("/api/search?q=quinn", headers=_token(engine, alice)).json()
    assert {group: found[group]["total"] for group in ("leads", "people", "accounts")} == {
        "leads": 1, "people": 1, "accounts": 1}
    assert found["leads"]["rows"][0]["id"] == mine and found["accounts"]["rows"][0]["name"] == "Company 1"
    every = client.get("/api/search?q=quinn", headers=as_root).json()
    assert {every[group]["total"] for group in ("leads", "people", "accounts")} == {2}


def test_a_search_without_words_is_refused_and_one_needs_a_token(client, as_root):
    assert client.get("/api/search", headers=as_root).status_code == 422
    refused = client.get("/api/search", params={"q": "%% _"}, headers=as_root)
    assert refused.status_code == 400 and "no word to search for" in refused.text
    assert client.get("/api/search?q=quinn").status_code == 401
