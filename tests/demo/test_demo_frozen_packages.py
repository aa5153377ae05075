"""The demo freezes each graduation's package as of the moment it graduated, so a rep's inbox reads the
packages of its graduated offers in statements that do not grow with their number."""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, text

from revteam.api.app import create_app
from revteam.db.session import session_scope
from revteam.demo.generator import generate
from revteam.leads.models import Graduation
from tests.web.conftest import sign_in_form

AS_OF = date(2026, 3, 1)
DEMO_PASSWORD = "demo-password"
# A graduated lead's last offer went to the rep who owns the lead now.
GRADUATED_OFFERS = """
    SELECT o.id, o.rep_id, u.email FROM graduations g JOIN leads l ON l.id = g.lead_id
    JOIN offers o ON o.lead_id = l.id AND o.rep_id = l.owner_id JOIN users u ON u.id = o.rep_id
    WHERE o.id = (SELECT max(id) FROM offers last WHERE last.lead_id = l.id) ORDER BY o.rep_id, o.id"""


@pytest.fixture
def demo(engine) -> Engine:
    generate(engine, size="small", seed=7, as_of=AS_OF)
    return engine


def _rows(engine: Engine, query: str, **params) -> list:
    with engine.connect() as connection:
        return connection.execute(text(query), params).all()


def _open(engine: Engine, offer_ids: list[int]) -> None:
    """Put these decided offers back in their rep's inbox, as if the leads had just been offered."""
    with engine.begin() as connection:
        for offer_id in offer_ids:
            connection.execute(text("UPDATE offers SET outcome = 'open', decided_at = NULL WHERE id = :id"),
                               {"id": offer_id})


def _inbox_statements(client: TestClient) -> tuple[int, str]:
    seen = []

    def count(*_):
        seen.append(1)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        page = client.get("/inbox").text
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    return len(seen), page


def test_every_demo_graduation_has_its_package_frozen_at_that_moment(demo):
    with session_scope(demo) as session:
        graduations = session.scalars(select(Graduation)).all()
        assert graduations and all(graduation.package for graduation in graduations)
        for graduation in graduations:
            moment = graduation.package["frozen_at"]
            assert moment == graduation.graduated_at.isoformat() == graduation.package["graduated_at"]
            assert all(item["at"] <= moment for key in ("touches", "score_history", "rejections")
                       for item in graduation.package[key])


def test_the_demo_inbox_reads_its_graduated_offers_in_statements_that_do_not_grow(demo, db_url):
    offers = _rows(demo, GRADUATED_OFFERS)
    rep_email = next(email for _, rep_id, email in offers if sum(r == rep_id for _, r, _ in offers) >= 3)
    theirs = [offer_id for offer_id, _, email in offers if email == rep_email]
    client = TestClient(create_app(db_url))
    assert sign_in_form(client, rep_email, DEMO_PASSWORD).status_code == 303
    _open(demo, theirs[:1])
    one, page = _inbox_statements(client)
    assert page.count("As it stood at graduation") == 1
    _open(demo, theirs[1:3])
    three, page = _inbox_statements(client)
    assert page.count("As it stood at graduation") == 3
    assert three == one
