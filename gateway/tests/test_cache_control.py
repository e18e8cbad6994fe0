"""Responses that may carry patient data or a manage token must never sit in a shared or browser cache:
every /api/v1 answer and every problem document gets Cache-Control: no-store unless the service chose."""
from __future__ import annotations

import pytest

from clinic_common.auth import issue_token

SECRET = "gateway-test-secret-at-least-32-bytes-long"
API_ROUTES = ["/api/v1/bookings", "/api/v1/bookings/b-1", "/api/v1/appointment-requests",
              "/api/v1/notifications?booking_id=b-1", "/api/v1/locations", "/api/v1/availability?service_id=s"]


@pytest.mark.parametrize("path", API_ROUTES)
def test_api_answers_without_a_service_choice_are_no_store(gateway, services, path):
    for fake in services.values():
        fake.cache_control = None
    response = gateway.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_a_created_booking_with_its_manage_token_is_no_store(gateway, services):
    services["bookings"].cache_control = None
    response = gateway.post("/api/v1/bookings", json={"patient": {"name": "A. Patient"}})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"


def test_a_service_that_chose_its_own_caching_keeps_it(gateway, services):
    services["locations"].cache_control = "public, max-age=60"
    response = gateway.get("/api/v1/locations")
    assert response.headers.get_all("Cache-Control") == ["public, max-age=60"]


def test_a_service_problem_passed_through_is_no_store(gateway):
    response = gateway.get("/api/v1/bookings/b-1/conflict")
    assert response.status_code == 409
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path, headers, status", [
    ("/api/v1/nothing-here", {}, 404),
    ("/not-an-api-path", {}, 404),
    ("/api/v1/bookings", {"Authorization": "Bearer not-a-jwt"}, 401),
])
def test_the_gateways_own_problems_are_no_store(gateway, path, headers, status):
    response = gateway.get(path, headers=headers)
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    assert response.headers["Cache-Control"] == "no-store"


def test_unreachable_and_rate_limited_problems_are_no_store(make_gateway, dead_url):
    gateway = make_gateway(BOOKINGS_URL=dead_url, RATE_LIMIT_WRITES="1/minute")
    token = issue_token(SECRET, "staff-1", "staff")
    first = gateway.post("/api/v1/bookings", json={}, headers={"Authorization": f"Bearer {token}"})
    second = gateway.post("/api/v1/bookings", json={})
    assert (first.status_code, second.status_code) == (502, 429)
    assert first.headers["Cache-Control"] == second.headers["Cache-Control"] == "no-store"
