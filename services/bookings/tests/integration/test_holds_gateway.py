"""Holds through the gateway (in-process): the client's address reaches bookings vouched for, so holds
count per client even behind one gateway, and a client's own X-Client-Address is not believed."""
import importlib
import sys

import pytest
import requests

from bookings import create_app

from .conftest import NOW, booking_body


def _gateway_create_app():
    placeholder = sys.modules.get("gateway")
    if placeholder is not None and getattr(placeholder, "__file__", None) is None:
        del sys.modules["gateway"]
    return importlib.import_module("gateway").create_app


@pytest.fixture
def stack(test_env, make_app, serve, live_locations):
    bookings_app = make_app(create_app, deps={"clock": lambda: NOW}, LOCATIONS_URL=live_locations)
    bookings = serve(bookings_app).url
    app = _gateway_create_app()({**test_env, "LOCATIONS_URL": live_locations, "BOOKINGS_URL": bookings,
                                 "NOTIFICATIONS_URL": bookings, "RATE_LIMIT_ENABLED": "false", "TRUSTED_PROXIES": "1"})
    yield serve(app).url + "/api/v1", bookings
    app.extensions["gateway"].pool.close()


def hold(url, start, **headers):
    body = {"service_id": "therapy-cbt", "provider_id": "hannah-brooks", "location_id": "jonesboro", "start": start}
    return requests.post(f"{url}/holds", json=body, headers=headers, timeout=10)


def test_hold_then_book_through_the_gateway_counted_per_client(stack, db):
    gateway, bookings = stack
    ana = {"X-Forwarded-For": "203.0.113.1"}
    first = hold(gateway, "2026-12-07T09:00:00-06:00", **ana)
    assert first.status_code == 201, first.text
    assert hold(gateway, "2026-12-07T10:00:00-06:00", **ana).status_code == 201
    third = hold(gateway, "2026-12-07T11:00:00-06:00", **ana)
    assert third.status_code == 429 and third.headers["Content-Type"] == "application/problem+json"
    # another client behind the same gateway has places of its own, and a forged address changes nothing
    forged = {"X-Forwarded-For": "203.0.113.1", "X-Client-Address": "198.51.100.99",
              "X-Client-Address-Proof": "f" * 64}
    assert hold(gateway, "2026-12-07T11:00:00-06:00", **forged).status_code == 429
    assert hold(gateway, "2026-12-07T11:00:00-06:00", **{"X-Forwarded-For": "203.0.113.2"}).status_code == 201
    assert {d["client"] for d in db.holds.find()} == {"203.0.113.1", "203.0.113.2"}
    # straight to bookings (not through the gateway) an unproven address is ignored: the peer counts
    direct = hold(bookings + "/api/v1", "2026-12-07T12:00:00-06:00", **{"X-Client-Address": "198.51.100.99"})
    assert direct.status_code == 201 and db.holds.find_one({"_id": direct.json()["id"]})["client"] == "127.0.0.1"

    held = first.json()
    booked = requests.post(f"{gateway}/bookings", json={**booking_body(), "hold_id": held["id"]}, timeout=10,
                           headers={**ana, "X-Hold-Token": held["hold_token"]})
    assert booked.status_code == 201, booked.text
    paths = requests.get(f"{gateway}/openapi.json", timeout=10).json()["paths"]
    assert {"/api/v1/holds", "/api/v1/holds/{hold_id}"} <= set(paths)
