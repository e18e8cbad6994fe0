"""A 502 or 504 must tell the client what it can know: whether the service may have acted, and for a
write, to retry with the same Idempotency-Key rather than risk doing it twice."""
from __future__ import annotations

import socket
import threading

import pytest


@pytest.fixture
def hang_up_url():
    """A service that reads the whole request, then closes without answering: it may have acted."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()
    thread.join(timeout=5)


def test_a_write_that_timed_out_has_an_unknown_outcome_and_says_to_retry_with_the_same_key(make_gateway, services):
    services["bookings"].delay_s = 0.5
    gateway = make_gateway(UPSTREAM_READ_TIMEOUT_S="0.1")
    response = gateway.post("/api/v1/bookings", json={}, headers={"Idempotency-Key": "k-1"})
    problem = response.get_json()
    assert (response.status_code, problem["type"], problem["outcome"]) == (504, "/problems/upstream-timeout", "unknown")
    assert problem["detail"].startswith("bookings did not answer in time")
    assert "may have" in problem["detail"] and "same Idempotency-Key" in problem["detail"]


def test_a_write_cut_off_after_it_was_sent_has_an_unknown_outcome(make_gateway, hang_up_url):
    gateway = make_gateway(BOOKINGS_URL=hang_up_url)
    response = gateway.post("/api/v1/bookings/b-1/cancel", json={"reason": "x"})
    problem = response.get_json()
    assert (response.status_code, problem["type"], problem["outcome"]) == (502, "/problems/upstream-unavailable", "unknown")
    assert "same Idempotency-Key" in problem["detail"]


def test_a_write_never_delivered_is_known_not_processed(make_gateway, dead_url):
    gateway = make_gateway(BOOKINGS_URL=dead_url)
    response = gateway.post("/api/v1/bookings", json={})
    problem = response.get_json()
    assert (response.status_code, problem["outcome"]) == (502, "not-processed")
    assert problem["detail"].startswith("bookings is unavailable")
    assert "nothing was changed" in problem["detail"]


def test_a_read_that_timed_out_just_says_to_retry(make_gateway, services):
    services["bookings"].delay_s = 0.5
    response = make_gateway(UPSTREAM_READ_TIMEOUT_S="0.1").get("/api/v1/bookings")
    problem = response.get_json()
    assert (response.status_code, problem["outcome"]) == (504, "unknown")
    assert "Idempotency-Key" not in problem["detail"] and "retry" in problem["detail"].lower()


def test_the_merged_api_document_explains_502_and_504_on_every_operation(gateway):
    spec = gateway.get("/api/v1/openapi.json").get_json()
    assert "Idempotency-Key" in spec["info"]["description"]
    for status in ("502", "504"):
        described = spec["components"]["responses"][f"Gateway{status}"]
        assert "same Idempotency-Key" in described["description"]
        ref = described["content"]["application/problem+json"]["schema"]["$ref"]
        schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert schema["properties"]["outcome"]["enum"] == ["unknown", "not-processed"]
    operations = [op for item in spec["paths"].values() for op in item.values()]
    assert operations and all(op["responses"]["504"] == {"$ref": "#/components/responses/Gateway504"}
                              for op in operations)
