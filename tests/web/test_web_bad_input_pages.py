"""Pages answer what they cannot take in HTML: an id that cannot be a record or a path with no page
is the 404 page, a bad period or query value a 400 page; the API keeps its JSON."""

import pytest

TOO_BIG = 9999999999999999999


def _is_page(response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html") and words in response.text, response.text


@pytest.mark.parametrize("path", ["/leads/abc", f"/leads/{TOO_BIG}", f"/accounts/{TOO_BIG}", "/accounts/0"])
def test_an_id_that_cannot_be_a_record_is_the_not_found_page(client, sign_in, mia, path):
    sign_in(mia)
    _is_page(client.get(path), 404, "Not found")


def test_an_unknown_path_is_the_not_found_page(client, sign_in, mia):
    sign_in(mia)
    _is_page(client.get("/no-such-page"), 404, "there is no page at /no-such-page")


def test_an_unknown_api_path_stays_json(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404 and response.json()["error"] == "NotFound"


def test_a_month_past_the_calendar_is_a_400_page(client, sign_in, mia):
    sign_in(mia)
    _is_page(client.get("/leads", params={"to": "9999-12"}), 400, "is not a month")


def test_a_bad_query_value_is_a_400_page_naming_it(client, sign_in, mia):
    sign_in(mia)
    _is_page(client.get("/leads", params={"mql": "maybe"}), 400, "query.mql")


def test_a_nul_in_a_query_is_a_400_page(client, sign_in, mia):
    sign_in(mia)
    _is_page(client.get("/leads", params={"source": "web\x00"}), 400, "control characters")


def test_an_admin_form_refuses_a_capacity_past_32_bits(client, sign_in, admin, alice):
    token = sign_in(admin)
    response = client.post(f"/admin/users/{alice.id}/capacity", data={"capacity": "3000000000", "csrf_token": token})
    _is_page(response, 400, "body.capacity")
