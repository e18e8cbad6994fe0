"""Holds at the gateway: routed to bookings with their token, limited as writes, and the client's address
passed with a proof that only the gateway can make (a client's own copy never reaches a service)."""
from bookings.domain.holds import vouched_address
from gateway.client_address import address_proof

from .conftest import SECRET


def test_holds_reach_bookings_with_the_hold_token(gateway, services):
    seen = gateway.delete("/api/v1/holds/h-1", headers={"X-Hold-Token": "t-1"}).get_json()
    assert seen["service"] == "bookings" and seen["path"] == "/api/v1/holds/h-1"
    assert seen["headers"]["X-Hold-Token"] == "t-1"
    booked = gateway.post("/api/v1/bookings", json={"hold_id": "h-1"}, headers={"X-Hold-Token": "t-1"}).get_json()
    assert booked["headers"]["X-Hold-Token"] == "t-1"


def test_the_client_address_comes_with_a_proof_bookings_accepts(gateway, services):
    headers = gateway.post("/api/v1/holds", json={}).get_json()["headers"]
    assert headers["X-Client-Address"] == "127.0.0.1"
    assert vouched_address(SECRET, headers["X-Client-Address"], headers["X-Client-Address-Proof"]) == "127.0.0.1"


def test_a_forged_client_address_from_a_client_is_replaced(gateway, services):
    forged = {"X-Client-Address": "203.0.113.50", "X-Client-Address-Proof": address_proof("guessed", "203.0.113.50")}
    headers = gateway.post("/api/v1/holds", json={}, headers=forged,
                           environ_base={"REMOTE_ADDR": "198.51.100.7"}).get_json()["headers"]
    assert headers["X-Client-Address"] == "198.51.100.7"
    assert vouched_address(SECRET, "203.0.113.50", forged["X-Client-Address-Proof"]) is None
    assert vouched_address(SECRET, "198.51.100.7", headers["X-Client-Address-Proof"]) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_client_is_the_one_it_names(make_gateway, services):
    gateway = make_gateway(TRUSTED_PROXIES="1")
    headers = gateway.post("/api/v1/holds", json={}, headers={"X-Forwarded-For": "203.0.113.7"}).get_json()["headers"]
    assert headers["X-Client-Address"] == "203.0.113.7"
    assert headers["X-Client-Address-Proof"] == address_proof(SECRET, "203.0.113.7")


def test_taking_holds_counts_against_the_write_limit(make_gateway, services):
    gateway = make_gateway(RATE_LIMIT_WRITES="2/minute")
    statuses = [gateway.post("/api/v1/holds", json={}).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert gateway.delete("/api/v1/holds/h-1").status_code == 200  # letting go is not a creating write
