"""A combined visit through the gateway, as the booking page makes one: find a pair, book it, read it
with its token; and the gateway's OpenAPI document lists both routes."""
import importlib
import sys

import pytest
import requests

from bookings import create_app

from .conftest import NOW, PATIENT


def _gateway_create_app():
    """pytest's importlib mode may have registered gateway/ as a namespace package (see gateway/tests/conftest.py)."""
    placeholder = sys.modules.get("gateway")
    if placeholder is not None and getattr(placeholder, "__file__", None) is None:
        del sys.modules["gateway"]
    return importlib.import_module("gateway").create_app


@pytest.fixture
def gateway(test_env, make_app, serve, live_locations):
    bookings = serve(make_app(create_app, deps={"clock": lambda: NOW}, LOCATIONS_URL=live_locations)).url
    app = _gateway_create_app()({**test_env, "LOCATIONS_URL": live_locations, "BOOKINGS_URL": bookings,
                                 "NOTIFICATIONS_URL": bookings, "RATE_LIMIT_ENABLED": "false"})
    yield serve(app).url + "/api/v1"
    app.extensions["gateway"].pool.close()


def test_a_combined_visit_through_the_gateway(gateway):
    found = requests.get(f"{gateway}/availability/combined", timeout=10, params={
        "service_ids": "therapy-cbt,med-follow-up", "location_id": "jonesboro", "from": "2026-12-07",
        "to": "2026-12-07"})
    assert found.status_code == 200, found.text
    first, second = found.json()["options"][0]["parts"]
    services = {"hannah-brooks": "therapy-cbt", "grace-okafor": "med-follow-up"}
    body = {"patient": PATIENT, "location_id": "jonesboro",
            "parts": [{"service_id": services[p["provider_id"]], "provider_id": p["provider_id"], "start": p["start"]}
                      for p in (first, second)]}
    booked = requests.post(f"{gateway}/visits", json=body, timeout=10)
    assert booked.status_code == 201, booked.text
    assert [b["start"] for b in booked.json()["bookings"]] == [first["start"], second["start"]]
    again = requests.post(f"{gateway}/visits", json=body, timeout=10)
    assert again.status_code == 409 and again.headers["Content-Type"] == "application/problem+json"
    read = requests.get(f"{gateway}/visits/{booked.json()['id']}", timeout=10,
                        headers={"X-Manage-Token": booked.json()["manage_token"]})
    assert read.status_code == 200 and read.json()["status"] == "booked"
    paths = requests.get(f"{gateway}/openapi.json", timeout=10).json()["paths"]
    assert {"/api/v1/availability/combined", "/api/v1/visits", "/api/v1/visits/{visit_id}"} <= set(paths)
