"""Schemathesis over the whole OpenAPI document, signed in as an admin so operations pass auth:
no answer is a 5xx, and every answer (status, content type, body) is one the document declares.

A few examples per operation in the suite; `scripts/fuzz_api.py N` runs this test with N per operation."""

import os

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from revteam.api.app import create_app

EXAMPLES = int(os.environ.get("REVTEAM_FUZZ_EXAMPLES", "3"))
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


def test_no_operation_answers_a_server_error_or_off_its_document(db_url, as_root):
    operations = [result.ok() for result in schemathesis.openapi.from_asgi("/openapi.json", create_app(db_url))
                  .get_all_operations()]
    failures = [failure for operation in operations for failure in _failures(operation, as_root)]
    print(f"\n{len(operations)} operations, {EXAMPLES} examples each: {len(failures)} failing checks")
    assert len(operations) >= 20 and failures == [], "\n".join(failures)
