"""Every role × every surface that reads or acts on a lead, an account or a customer, over the API,
the pages and the CLI, held against the policy table in the README (one test per row).

The story: a lead routed to alice (SDR, team na-sdr, pod east) and, at the same account, a lead
still in the routing queue. Every cell that changes something gets a lead of its own, so no cell
sees another's work.
"""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from revteam.accounts.models import Account, Person
from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.leads.flow.actions import reject_lead, route_lead
from revteam.leads.models import Lead
from revteam.users.models import User
from revteam.users.schemas import UserIn
from revteam.users.service import add_user, issue_token
from tests.web.conftest import PASSWORD, csrf_of

README = Path(__file__).parents[2] / "README.md"
CAST = {  # README column → (e-mail, role, sales role, team, pod)
    "alice": ("alice@acme.io", "sales", "sdr", "na-sdr", "east"),
    "carl": ("carl@acme.io", "sales", "sdr", "na-sdr", None),
    "dana": ("dana@acme.io", "manager", None, "na-sdr", None),
    "paula": ("paula@acme.io", "manager", None, "enterprise-ae", "east"),
    "erin": ("erin@acme.io", "manager", None, "smb-ae", None),
    "mia": ("mia@acme.io", "marketing", None, "demand-gen", None),
    "sam": ("sam@acme.io", "success", None, "success", None),
    "root": ("root@acme.io", "admin", None, None, None),
}


def policy_table() -> dict[str, dict[str, str]]:
    """The README's policy table: surface → column name → expected answer."""
    text = README.read_text().splitlines()
    start = next(i for i, line in enumerate(text) if line.startswith("| surface |"))
    lines = [text[start]]
    for line in text[start + 2:]:
        if not line.startswith("|"):
            break
        lines.append(line)
    header = [cell.split()[0] for cell in lines[0].strip("|").split("|")[1:]]
    rows = {}
    for line in lines[1:]:
        surface, *cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[surface.split("`")[1]] = dict(zip(header, cells, strict=True))
    return rows


TABLE = policy_table()


@pytest.fixture
def story(engine):
    """The cast, the base lead routed to alice and a queued lead at its account; `lead(state)` makes more."""
    with session_scope(engine) as session:
        for email, role, sales_role, team, pod in CAST.values():
            add_user(session, UserIn(email=email, name=email.split("@")[0].title(), role=role, sales_role=sales_role,
                                     team=team, pod=pod, territory="NA" if role == "sales" else None,
                                     capacity=0 if email.startswith("carl") else 100, password=PASSWORD),
                     actor="test")
    counter = iter(range(1, 1000))

    def lead(state: str = "routed", account_id: int | None = None) -> int:
        n = next(counter)
        with session_scope(engine) as session:
            if account_id is None:
                account = Account(name=f"Company {n}", name_normalized=f"company {n}", domain=f"company{n}.com",
                                  employees=300, country="US")
                session.add(account)
                session.flush()
                account_id = account.id
            person = Person(account_id=account_id, first_name="Pat", last_name=f"Buyer{n}", email=f"pat{n}@c{n}.com",
                            email_normalized=f"pat{n}@c{n}.com", country="US", title="VP Sales")
            session.add(person)
            session.flush()
            made = Lead(person_id=person.id, account_id=account_id, state="mql", source="webinar", version=1)
            session.add(made)
            session.flush()
            if state in ("routed", "rejected"):
                route_lead(session, lead_id=made.id, actor=_user(session, "mia"), now=utcnow())
                assert session.get(Lead, made.id).owner_id == _user(session, "alice").id
            if state == "rejected":
                reject_lead(session, lead_id=made.id, actor=_user(session, "alice"), reason="not_ready", now=utcnow())
            return made.id

    base = lead()
    with session_scope(engine) as session:
        account_id = session.get(Lead, base).account_id
    lead("mql", account_id=account_id)
    return {"lead": lead, "base": base, "account": account_id}


def _user(session, name: str) -> User:
    return session.scalar(select(User).where(User.email == CAST[name][0]))


@pytest.fixture
def api(engine, client):
    def call(name: str, method: str, path: str, json=None):
        with session_scope(engine) as session:
            token = issue_token(session, CAST[name][0], name="policy", actor="test")
        return client.request(method, path, json=json, headers={"Authorization": f"Bearer {token}"})
    return call


@pytest.fixture
def page(client):
    """Sign the client in as `name`; returns a function that GETs or POSTs (with the CSRF token)."""
    def as_user(name: str):
        token = csrf_of(client.get("/sign-in").text)
        client.post("/sign-in", data={"email": CAST[name][0], "password": PASSWORD, "csrf_token": token})
        token = csrf_of(client.get("/playbook").text)
        return lambda method, path: client.request(method, path, headers={"X-CSRF-Token": token, "HX-Request": "true"})
    return as_user


def listed(response, lead_id: int, key: str = "id") -> str:
    if response.status_code != 200:
        return str(response.status_code)
    found = any(row[key] == lead_id for row in response.json())
    return "listed" if found else "not listed"


def listed_on_page(response, lead_id: int) -> str:
    if response.status_code != 200:
        return str(response.status_code)
    return "listed" if f'href="/leads/{lead_id}"' in response.text else "not listed"


def account_answer(response) -> str:
    if response.status_code != 200:
        return str(response.status_code)
    hidden = re.search(r"(\d+) other (?:person|people) at this account", response.text)
    return f"200, {hidden.group(1)} hidden" if hidden else "200"


def _lead_for(story, surface: str) -> int:
    """The base lead for reads; a fresh lead in the state the surface names for writes."""
    if surface.startswith(("GET", "revteam leads show", "revteam leads list")):
        return story["base"]
    return story["lead"]("rejected" if "evaluate" in surface else "routed")


API_WRITES = {
    "POST /api/leads/{id}/accept": lambda lead: ("POST", f"/api/leads/{lead}/accept", None),
    "POST /api/leads/{id}/reject": lambda lead: ("POST", f"/api/leads/{lead}/reject", {"reason": "not_ready"}),
    "POST /api/leads/{id}/route": lambda lead: ("POST", f"/api/leads/{lead}/route", None),
    "POST /api/leads/{id}/touch": lambda lead: ("POST", f"/api/leads/{lead}/touch", None),
    "POST /api/leads/{id}/handoff": lambda lead: ("POST", f"/api/leads/{lead}/handoff", None),
    "POST /api/leads/{id}/dispose": lambda lead: ("POST", f"/api/leads/{lead}/dispose", {"outcome": "won"}),
    "POST /api/leads/{id}/evaluate": lambda lead: ("POST", f"/api/leads/{lead}/evaluate", {"to": "cultivation"}),
    "POST /api/opportunities": lambda lead: ("POST", "/api/opportunities",
                                             {"lead_id": lead, "amount_minor": 100, "expected_close": "2027-01-31"}),
}


def answer(surface: str, name: str, story, api, page, cli, db_url) -> str:
    """What the product answers `name` on `surface`, in the table's words."""
    lead, account = _lead_for(story, surface), story["account"]
    if surface in API_WRITES:
        return str(api(name, *API_WRITES[surface](lead)).status_code)
    email = CAST[name][0]
    match surface:
        case "GET /api/leads/{id}":
            return str(api(name, "GET", f"/api/leads/{lead}").status_code)
        case "GET /api/leads":
            return listed(api(name, "GET", "/api/leads"), lead)
        case "GET /api/customers/{account}":
            return str(api(name, "GET", f"/api/customers/{account}").status_code)
        case "POST /api/customers/{account}/health":
            body = {"success_signals": {}, "happiness": {"nps": 8}}
            return str(api(name, "POST", f"/api/customers/{account}/health", body).status_code)
        case "GET /leads/{id}":
            return str(page(name)("GET", f"/leads/{lead}").status_code)
        case "GET /leads":
            return listed_on_page(page(name)("GET", "/leads"), lead)
        case "GET /accounts/{id}":
            return account_answer(page(name)("GET", f"/accounts/{account}"))
        case "GET /inbox":
            return listed_on_page(page(name)("GET", "/inbox"), lead)
        case "POST /inbox/{id}/accept":
            return str(page(name)("POST", f"/inbox/{lead}/accept").status_code)
        case "revteam leads show --as":
            return f"exit {cli('leads', 'show', lead, '--as', email, '--db', db_url).code}"
        case "revteam leads list --as":
            result = cli("leads", "list", "--as", email, "--json", "--db", db_url)
            return "listed" if f'"id": {lead},' in result.out else "not listed"
        case "revteam leads accept --as":
            return f"exit {cli('leads', 'accept', lead, '--as', email, '--db', db_url).code}"
    raise AssertionError(f"the README's table names a surface this test does not know: {surface}")


@pytest.mark.parametrize("surface", list(TABLE))
def test_every_role_gets_what_the_policy_table_says(surface, story, api, page, cli, db_url):
    expected = TABLE[surface]
    actual = {name: answer(surface, name, story, api, page, cli, db_url) for name in expected}
    assert actual == expected


def test_the_table_covers_every_role_and_surface():
    assert len(TABLE) >= 20
    assert all(set(row) == set(CAST) for row in TABLE.values())


def test_a_lead_out_of_sight_answers_exactly_as_a_missing_one(story, api):
    hidden, missing = story["base"], story["base"] + 1000
    for path in ("/api/leads/{}", "/api/leads/{}/accept"):
        method = "POST" if path.endswith("accept") else "GET"
        seen = api("carl", method, path.format(hidden))
        absent = api("carl", method, path.format(missing))
        assert (seen.status_code, seen.json()["detail"].replace(str(hidden), "N")) == \
               (absent.status_code, absent.json()["detail"].replace(str(missing), "N")) == (404, "no lead N")
