"""GET /health: one verdict built from every service's /health, naming what is down."""
from __future__ import annotations

import pytest

ALL_COMPONENTS = ["mongo", "rabbitmq", "locations", "bookings", "notifications",
                  "bookings-relay", "locations-relay", "notifications-worker"]


def test_all_ok_is_200_with_every_component(gateway):
    response = gateway.get("/health")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body["status"] == "ok" and "failing" not in body
    assert sorted(body["components"]) == sorted(ALL_COMPONENTS)
    assert all(c == {"status": "ok"} for c in body["components"].values())
    assert response.headers["X-Request-ID"]


def test_a_service_that_is_not_running_is_named(make_gateway, dead_url):
    response = make_gateway(NOTIFICATIONS_URL=dead_url).get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "down"
    assert body["components"]["notifications"] == {"status": "down", "detail": "unreachable"}
    assert body["failing"] == ["notifications"]  # mongo and rabbitmq are vouched for by the others


def test_a_service_that_does_not_answer_in_time_is_named(make_gateway, services):
    services["locations"].health_delay_s = 0.5
    response = make_gateway(HEALTH_TIMEOUT_S="0.1").get("/health")
    assert response.status_code == 503
    assert response.get_json()["components"]["locations"] == {"status": "down", "detail": "timeout"}


def test_a_worker_reported_down_is_named_with_its_detail(gateway, services):
    fake = services["bookings"]
    fake.health_status = 503
    fake.health_body["status"] = "down"
    fake.health_body["components"]["bookings-relay"] = {"status": "down", "detail": "last heartbeat 93 s ago"}
    response = gateway.get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["components"]["bookings-relay"] == {"status": "down", "detail": "last heartbeat 93 s ago"}
    assert body["components"]["bookings"] == {"status": "down", "detail": "reports down"}
    assert body["failing"] == ["bookings", "bookings-relay"]


@pytest.mark.parametrize("infra", ["mongo", "rabbitmq"])
def test_shared_infrastructure_is_down_when_any_service_says_so(gateway, services, infra):
    fake = services["locations"]
    fake.health_status = 503
    fake.health_body["components"][infra] = {"status": "down", "detail": f"{infra} unreachable"}
    body = gateway.get("/health").get_json()
    assert body["components"][infra] == {"status": "down", "detail": f"{infra} unreachable"}
    assert body["failing"] == [infra, "locations"]


def test_when_no_service_answers_nothing_is_vouched_for(make_gateway, dead_url):
    gateway = make_gateway(LOCATIONS_URL=dead_url, BOOKINGS_URL=dead_url, NOTIFICATIONS_URL=dead_url)
    body = gateway.get("/health").get_json()
    assert body["failing"] == ["mongo", "rabbitmq", "locations", "bookings", "notifications"]


def test_health_is_never_rate_limited(make_gateway):
    gateway = make_gateway(RATE_LIMIT_DEFAULT="1/minute")
    assert [gateway.get("/health").status_code for _ in range(3)] == [200, 200, 200]
