"""`GET /api/accounts/coverage` and `GET /api/accounts/{id}`: the committee coverage over HTTP."""

from revteam.accounts.models import Account, Person
from revteam.db.session import session_scope


def _initech(engine) -> int:
    with session_scope(engine) as session:
        account = Account(name="Initech", name_normalized="initech", domain="initech.com", tier="strategic")
        session.add(account)
        session.flush()
        session.add(Person(account_id=account.id, email="nora@initech.com", email_normalized="nora@initech.com",
                           title="Head of Sales"))
        return account.id


def test_the_coverage_lists_target_accounts(client, engine, as_root):
    _initech(engine)
    [row] = client.get("/api/accounts/coverage", headers=as_root).json()
    assert row["account"] == "Initech" and row["known"] == [] and "decision_maker" in row["missing"]
    assert row["roles"][0] == {"role": "decision_maker", "people": 0, "engaged": 0, "suggested": 1}


def test_an_account_shows_its_people_with_suggested_roles(client, engine, as_root):
    account_id = _initech(engine)
    view = client.get(f"/api/accounts/{account_id}", headers=as_root).json()
    assert view["people"][0]["suggested_role"] == "decision_maker"


def test_an_unknown_account_is_404(client, engine, as_root):
    assert client.get("/api/accounts/404", headers=as_root).status_code == 404
