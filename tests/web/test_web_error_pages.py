"""Every error a browser meets is a page inside the layout; the API keeps its JSON body. A fault of
ours is a 500 with an id that is also in the log beside the traceback, and nothing it began is saved."""

import logging

from sqlalchemy import func, select

from revteam.events.models import Event
from revteam.events.service import record
from revteam.web.auth import PageSession, PageUser


def _layout_page(response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html"), response.text
    assert '<header class="top">' in response.text, "the error page is inside the layout"
    for word in words:
        assert word in response.text, response.text
    return response.text


def test_a_path_with_a_file_suffix_is_the_not_found_page(client, sign_in, mia):
    sign_in(mia)
    _layout_page(client.get("/leads.csv"), 404, "there is no page at /leads.csv")


def test_an_unknown_state_is_a_400_page_listing_the_states(client, sign_in, mia):
    sign_in(mia)
    _layout_page(client.get("/leads", params={"state": "bogus"}), 400, "query.state", "&#39;cultivating&#39;",
                 "&#39;not_a_lead&#39;")


def test_a_known_state_still_filters(client, sign_in, mia, make_lead):
    make_lead(state="mql", first_name="Quinn")
    sign_in(mia)
    assert "Quinn" in client.get("/leads", params={"state": "mql"}).text
    assert "Quinn" not in client.get("/leads", params={"state": "won"}).text


def test_a_page_the_role_may_not_open_is_the_403_page(client, sign_in, mia):
    sign_in(mia)
    _layout_page(client.get("/admin"), 403, "Not allowed")


def test_the_403_page_names_the_user_not_their_address(client, sign_in, mia):
    sign_in(mia)
    refusal = client.get("/admin").text.split('class="flash error"')[1].split("</p>")[0]
    assert "Mia Marketing is marketing" in refusal and "mia@acme.io" not in refusal


def _breaks_after_writing():
    def broken(session: PageSession, _user: PageUser):
        record(session, type="test.half_done", subject_type="lead", subject_id=1, actor="test", data={})
        session.flush()
        raise RuntimeError("the disk caught fire")
    return broken


def _half_done_events(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Event).where(Event.type == "test.half_done"))


def test_a_fault_is_a_500_page_with_the_id_that_is_logged(client, sign_in, mia, engine, caplog):
    client.app.add_api_route("/broken-page", _breaks_after_writing())
    sign_in(mia)
    with caplog.at_level(logging.ERROR, logger="revteam.web.errors"):
        text = _layout_page(client.get("/broken-page"), 500, "Something broke", "quote error id", 'aria-label="Main"')
    error_id = text.split("data-error-id>")[1].split("<")[0]
    logged = [entry for entry in caplog.records if error_id in entry.getMessage()]
    assert logged and "the disk caught fire" in str(logged[0].exc_info[1])
    assert _half_done_events(engine) == 0


def test_a_fault_in_the_api_is_a_json_500_with_its_id(client, sign_in, mia, engine, caplog):
    client.app.add_api_route("/api/broken", _breaks_after_writing())
    sign_in(mia)
    with caplog.at_level(logging.ERROR, logger="revteam.web.errors"):
        response = client.get("/api/broken")
    assert response.status_code == 500 and response.json()["error"] == "ServerFault", response.text
    error_id = response.json()["detail"].split("error id ")[1].split()[0]
    assert any(error_id in entry.getMessage() for entry in caplog.records)
    assert _half_done_events(engine) == 0
