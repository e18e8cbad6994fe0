"""Routing, headers, request ids, body cap and upstream failures, against real HTTP services."""
from __future__ import annotations

import io
import json
import threading

import pytest
import requests
from werkzeug.serving import make_server

from clinic_common.auth import issue_token
from clinic_common.web import MAX_BODY_BYTES

SECRET = "gateway-test-secret-at-least-32-bytes-long"

ROUTES = [
    ("locations", "/api/v1/locations/loc-1/hours", "from=2026-12-07&to=2026-12-08"),
    ("locations", "/api/v1/services", "modality=telehealth"),
    ("locations", "/api/v1/providers/p-1", "language=es"),
    ("bookings", "/api/v1/availability", "service_id=s&location_id=l&patient_state=TX"),
    ("bookings", "/api/v1/bookings/b-1/cancel", ""),
    ("bookings", "/api/v1/appointment-requests", "status=open"),
    ("notifications", "/api/v1/notifications", "booking_id=b-1"),
]


@pytest.mark.parametrize("owner, path, query", ROUTES)
@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
def test_each_prefix_reaches_its_service_with_method_path_query_and_body(gateway, services, owner, path, query, method):
    body = json.dumps({"reason": "patient asked"}) if method in ("POST", "PATCH") else None
    response = gateway.open(f"{path}?{query}" if query else path, method=method, data=body,
                            headers={"Content-Type": "application/json", "X-Request-ID": "req-42"})
    seen = response.get_json()
    assert (seen["service"], seen["method"], seen["path"], seen["query"]) == (owner, method, path, query)
    assert seen["body"] == (body or "")
    assert seen["headers"]["X-Request-ID"] == "req-42" == response.headers["X-Request-ID"]
    assert [call["service"] for name, fake in services.items() for call in fake.calls] == [owner]


def test_the_headers_services_act_on_are_forwarded_and_others_are_not(gateway, services):
    token = issue_token(SECRET, "staff-1", "staff")
    sent = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k-1", "X-Manage-Token": "m-1",
            "Accept": "application/json", "Cookie": "session=secret", "X-Forwarded-For": "203.0.113.9"}
    seen = gateway.post("/api/v1/bookings", json={"a": 1}, headers=sent).get_json()["headers"]
    for name in ("Authorization", "Idempotency-Key", "X-Manage-Token", "Accept"):
        assert seen[name] == sent[name]
    assert seen["Content-Type"] == "application/json"
    assert "Cookie" not in seen
    assert seen["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"
    assert seen["X-Forwarded-Proto"] == "http"


def test_upstream_status_body_and_end_to_end_headers_come_back(gateway, services):
    response = gateway.post("/api/v1/bookings", json={"a": 1})
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/v1/bookings/new"  # the service's own address stays inside
    for name, value in {"ETag": '"v1"', "Cache-Control": "no-store", "Retry-After": "7", "X-Upstream-Only": "yes"}.items():
        assert response.headers[name] == value
    assert response.headers["Content-Type"] == "application/json"
    assert int(response.headers["Content-Length"]) == len(response.data)


def test_an_upstream_problem_passes_through_unchanged(gateway):
    response = gateway.post("/api/v1/bookings/b-1/conflict", json={})
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert response.get_json() == {"type": "/problems/conflict", "title": "Conflict", "status": 409, "detail": "taken"}


@pytest.mark.parametrize("path", ["/api/v1/locations", "/nowhere", "/api/v1/unknown-things", "/health"])
def test_every_response_carries_a_request_id_minted_when_absent_or_insane(gateway, path):
    minted = gateway.get(path).headers["X-Request-ID"]
    assert minted and minted.isalnum()
    assert gateway.get(path, headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    assert gateway.get(path, headers={"X-Request-ID": "bad id\u00e9<script>"}).headers["X-Request-ID"].isalnum()


@pytest.mark.parametrize("path", ["/nowhere", "/api/v1/unknown-things", "/api/v2/bookings"])
def test_an_unknown_route_is_a_404_problem(gateway, services, path):
    response = gateway.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.get_json()["status"] == 404
    assert not any(fake.calls for fake in services.values())


def test_a_body_over_one_mebibyte_is_a_413_problem_before_any_upstream_call(gateway, services):
    assert gateway.post("/api/v1/bookings", data=b"x" * MAX_BODY_BYTES).status_code == 201
    response = gateway.post("/api/v1/bookings", data=b"x" * (MAX_BODY_BYTES + 1))
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert response.headers["X-Request-ID"]
    assert len(services["bookings"].calls) == 1


@pytest.fixture
def served_gateway(make_gateway):
    """The gateway behind a real HTTP server, for what only a real socket shows (chunked bodies)."""
    app = make_gateway().application
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with requests.Session() as client:
        yield client, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _chunks(total: int, size: int = 256 * 1024):
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


@pytest.mark.parametrize("size, status", [(MAX_BODY_BYTES, 201), (MAX_BODY_BYTES + 1, 413)])
def test_a_chunked_body_is_counted_as_it_is_read(served_gateway, services, size, status):
    client, url = served_gateway
    response = client.post(f"{url}/api/v1/bookings", data=_chunks(size), timeout=5)
    assert response.status_code == status
    assert response.headers["X-Request-ID"]
    if status == 201:
        assert len(services["bookings"].calls[0]["body"]) == MAX_BODY_BYTES
    else:
        assert response.headers["Content-Type"] == "application/problem+json"
        assert services["bookings"].calls == []


def test_a_chunked_body_is_capped_under_the_test_client_too(gateway, services):
    response = gateway.post("/api/v1/bookings", input_stream=io.BytesIO(b"x" * (MAX_BODY_BYTES + 1)),
                            headers={"Transfer-Encoding": "chunked"},
                            environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert services["bookings"].calls == []


def test_an_unreachable_service_is_a_502_problem_naming_it(make_gateway, dead_url):
    gateway = make_gateway(BOOKINGS_URL=dead_url)
    response = gateway.post("/api/v1/bookings", json={"a": 1})
    assert response.status_code == 502
    assert response.content_type == "application/problem+json"
    assert response.get_json()["detail"].startswith("bookings is unavailable.")
    assert response.headers["X-Request-ID"]


def test_a_slow_service_is_a_504_problem(make_gateway, services):
    services["bookings"].delay_s = 0.5
    gateway = make_gateway(UPSTREAM_READ_TIMEOUT_S="0.1")
    response = gateway.get("/api/v1/availability?service_id=s")
    assert response.status_code == 504
    assert response.content_type == "application/problem+json"
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_body_that_stops_arriving_is_a_504_problem(make_gateway):
    response = make_gateway(UPSTREAM_READ_TIMEOUT_S="0.1").get("/api/v1/bookings/slow-body")
    assert response.status_code == 504
    assert response.get_json()["detail"].startswith("bookings did not answer in time.")


@pytest.mark.parametrize("authorization", ["Bearer not-a-jwt", "Basic dXNlcjpwYXNz", "Bearer",
                                           "Bearer " + issue_token("another-secret-that-is-long-enough-for-hs256", "u", "staff")])
def test_a_bad_token_is_refused_at_the_gateway(gateway, services, authorization):
    response = gateway.get("/api/v1/bookings", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert services["bookings"].calls == []


def test_an_expired_token_is_refused(gateway):
    expired = issue_token(SECRET, "u", "staff", ttl_s=-60)
    assert gateway.get("/api/v1/bookings", headers={"Authorization": f"Bearer {expired}"}).status_code == 401


def test_a_valid_token_and_no_token_both_pass_through(gateway, services):
    token = issue_token(SECRET, "clin-1", "clinician", provider_id="p-1")
    assert gateway.get("/api/v1/bookings", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert gateway.get("/api/v1/locations").status_code == 200
    assert services["bookings"].calls[0]["headers"]["Authorization"] == f"Bearer {token}"
    assert "Authorization" not in services["locations"].calls[0]["headers"]
