"""Schemathesis over the whole OpenAPI document, signed in as an admin so operations pass auth:
no answer is a 5xx, and every answer (status, content type, body) is one the document declares.

A few examples per operation in the suite; `scripts/fuzz_api.py N [--demo]` runs this test with N per
operation, over an empty database or over the small demo company (so ids and names hit real records)."""

import os
from datetime import date

import pytest

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from revteam.api.app import create_app
from revteam.db.session import session_scope
from revteam.demo.plan import DEMO_DOMAIN
from revteam.demo.generator import generate
from revteam.users.service import issue_token

EXAMPLES = int(os.environ.get("REVTEAM_FUZZ_EXAMPLES", "3"))
OVER_THE_DEMO = os.environ.get("REVTEAM_FUZZ_DEMO") == "1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _failures(operation, headers: dict) -> list[str]:
    """Every distinct failing check of one operation, after `EXAMPLES` generated requests."""
    found = []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def call(case) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except AssertionError as failure:  # schemathesis' failures are AssertionErrors; keep going to count them all
            found.append(f"{operation.label}: {str(failure).splitlines()[0] if str(failure) else type(failure).__name__}")

    call()
    return sorted(set(found))


def _schema(app):
    """The app's own OpenAPI document, its calls sent to the app (read in-process: fetching it over ASGI
    has a time limit a busy machine can exceed)."""
    schema = schemathesis.openapi.from_dict(app.openapi())
    schema.app = app
    return schema


@pytest.fixture
def signed_in(request, engine) -> dict:
    """An admin's token: the suite's root on an empty database, or the demo company's admin."""
    if not OVER_THE_DEMO:
        return request.getfixturevalue("as_root")
    generate(engine, size="small", seed=7, as_of=date.today())
    with session_scope(engine) as session:
        token = issue_token(session, f"admin@{DEMO_DOMAIN}", name="fuzz", actor="test")
    return {"Authorization": f"Bearer {token}"}


def test_no_operation_answers_a_server_error_or_off_its_document(db_url, signed_in):
    operations = [result.ok() for result in _schema(create_app(db_url)).get_all_operations()]
    failures = [failure for operation in operations for failure in _failures(operation, signed_in)]
    print(f"\n{len(operations)} operations, {EXAMPLES} examples each: {len(failures)} failing checks")
    assert len(operations) >= 20 and failures == [], "\n".join(failures)
