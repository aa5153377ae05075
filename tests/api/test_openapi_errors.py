"""The OpenAPI document declares each operation's error statuses, all with the one error body."""

import pytest
from fastapi.testclient import TestClient

from revteam.api.app import create_app

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}


@pytest.fixture
def document(db_url) -> dict:
    return TestClient(create_app(db_url)).get("/openapi.json").json()


def _declared(document: dict, path: str, method: str) -> dict:
    return document["paths"][path][method]["responses"]


def test_a_lead_action_declares_every_status_it_can_answer(document):
    responses = _declared(document, "/api/leads/{lead_id}/accept", "post")
    assert {"400", "401", "403", "404", "409", "422"} <= set(responses)
    assert all(responses[status]["content"]["application/json"]["schema"] == ERROR_BODY
               for status in ("400", "401", "403", "404", "409", "422"))


def test_the_public_form_declares_its_rate_limit(document):
    assert _declared(document, "/forms/{key}", "post")["429"]["content"]["application/json"]["schema"] == ERROR_BODY


def test_the_error_body_names_error_detail_and_where(document):
    body = document["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"error", "detail", "where"} and set(body["required"]) == {"error", "detail"}


def test_bounds_are_in_the_document(document):
    limit = next(parameter for parameter in _declared_parameters(document, "/api/leads", "get")
                 if parameter["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 1000)


def _declared_parameters(document: dict, path: str, method: str) -> list[dict]:
    return document["paths"][path][method]["parameters"]
