"""The merged OpenAPI document is true: schemathesis generates requests from it (valid and invalid),
sends them through the gateway to the real services, and runs every one of its checks on each answer.

Bounded (MAX_EXAMPLES per operation and mode, derandomized) so it takes a minute or two on 2 cores.
Asserted: no 5xx and no answer that breaks the document (status, content type, headers, body).
The other checks (is valid data accepted, invalid data refused, auth enforced) are counted and printed:
the document cannot promise that a random but well-formed booking finds a free slot.
"""
from __future__ import annotations

import collections
import importlib
import io
import sys
import uuid

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from pymongo import MongoClient

from clinic_common.auth import issue_token
from clinic_common.config import load_settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import Failure, FailureGroup
from testsupport.apps import ServedApp

MAX_EXAMPLES = 10
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
CONFORMANCE = ("status_code_conformance", "content_type_conformance", "response_headers_conformance",
               "response_schema_conformance")
pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


def _create_gateway_app():
    """pytest's importlib mode may have registered gateway/ as a namespace package (see gateway/tests/conftest.py)."""
    placeholder = sys.modules.get("gateway")
    if placeholder is not None and getattr(placeholder, "__file__", None) is None:
        del sys.modules["gateway"]
    return importlib.import_module("gateway").create_app


@pytest.fixture(scope="module")
def stack(mongo_url, amqp_url):
    """locations (demo practice), bookings and notifications, each over HTTP, behind a gateway."""
    from bookings import create_app as bookings_app
    from locations import create_app as locations_app
    from locations.seed import seed
    from notifications import create_app as notifications_app

    tag = "st" + uuid.uuid4().hex[:8]
    env = {"CLINIC_ENV": "development", "JWT_SECRET": f"schemathesis-secret-at-least-32-bytes-{tag}",
           "MONGO_URL": mongo_url, "AMQP_URL": amqp_url, "MONGO_DB_PREFIX": tag, "AMQP_NAMESPACE": tag,
           "OUTBOX_FAST_PATH": "false", "RATE_LIMIT_ENABLED": "false", "LOG_LEVEL": "CRITICAL"}
    client = MongoClient(mongo_url, tz_aware=True)
    seed(client[load_settings(env).db_name("locations")], out=io.StringIO())
    client.close()
    apps, served = [], []

    def serve(create_app, **overrides) -> str:
        apps.append(create_app({**env, **overrides}))
        served.append(ServedApp(apps[-1]))
        return served[-1].url

    urls = {"LOCATIONS_URL": serve(locations_app)}
    urls["BOOKINGS_URL"] = serve(bookings_app, **urls)
    urls["NOTIFICATIONS_URL"] = serve(notifications_app)
    gateway = serve(_create_gateway_app(), **urls)
    yield gateway, load_settings(env)
    for server in served:
        server.stop()
    for app in apps:
        context = app.extensions.get("clinic") or app.extensions["gateway"].pool
        context.close()


def _run_operation(operation, base_url: str, headers: dict, tally: collections.Counter, failures: list) -> None:
    checks = list(CHECKS.get_all())
    for mode in MODES:
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def exercise(case):
            tally["examples"] += 1
            response = case.call(base_url=base_url, headers=headers)
            tally[f"{response.status_code // 100}xx"] += 1
            try:
                case.validate_response(response, checks, headers=headers,
                                       transport_kwargs={"base_url": base_url, "headers": dict(headers)})
            except FailureGroup as group:
                failures.extend((case, failure) for failure in group.exceptions)
            except Failure as failure:
                failures.append((case, failure))

        try:
            exercise()
        except Unsatisfiable:  # nothing to make invalid (an operation without parameters or body)
            tally["modes without cases"] += 1


def _check_of(failure: Failure) -> str:
    return type(failure).checks[0] if type(failure).checks else type(failure).__name__


@pytest.mark.parametrize("as_staff", [False, True], ids=["no-token", "staff-token"])
def test_the_merged_openapi_document_holds(stack, as_staff):
    base_url, service_settings = stack
    load_all_checks()
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
    headers = {"Authorization": "Bearer " + issue_token(service_settings.jwt_secret, "contract", "staff")} if as_staff else {}
    tally, failures = collections.Counter(), []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        _run_operation(operation, base_url, headers, tally, failures)
    by_check = collections.Counter(_check_of(failure) for _, failure in failures)
    print(f"\nschemathesis {'staff' if as_staff else 'no token'}: {len(operations)} operations, "
          f"{tally['examples']} examples, statuses {dict(sorted((k, v) for k, v in tally.items() if 'xx' in k))}, "
          f"check failures {dict(by_check)}")
    for case, failure in failures:
        if _check_of(failure) in ("not_a_server_error", *CONFORMANCE):
            print(f"  {failure.operation}: {failure.title}\n    {case.as_curl_command(headers)}")
    others = collections.Counter((_check_of(f), f.operation, getattr(f, "status_code", "")) for _, f in failures)
    for (check, operation, status), count in sorted(others.items()):
        print(f"  {count} x {check} on {operation} ({status})")
    assert tally["examples"] > len(operations) * MAX_EXAMPLES
    assert by_check["not_a_server_error"] == 0 and tally["5xx"] == 0
    assert not [f for _, f in failures if _check_of(f) in CONFORMANCE]


def test_the_document_describes_problems_and_the_bearer_scheme(stack):
    spec = requests.get(f"{stack[0]}/api/v1/openapi.json", timeout=10).json()
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "application/problem+json" in spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    confirm = spec["paths"]["/api/v1/bookings/{booking_id}/confirm"]["post"]
    assert confirm["security"] == [{"bearerAuth": []}] and {"401", "403"} <= set(map(str, confirm["responses"]))
