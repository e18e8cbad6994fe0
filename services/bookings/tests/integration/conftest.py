"""Bookings against a live locations service (demo practice) and the real datastore, at a fixed 'now'."""
from datetime import datetime, timezone

import pytest


from bookings import create_app

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)  # a Tuesday; Monday 7 December is bookable
PATIENT = {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"}


def booking_body(start="2026-12-07T09:00:00-06:00", provider="hannah-brooks", service="therapy-cbt",
                 location="jonesboro", **patient):
    return {"service_id": service, "provider_id": provider, "location_id": location, "start": start,
            "patient": {**PATIENT, **patient}, "notes": "prefers mornings"}


@pytest.fixture(name="booking_body")
def booking_body_fixture():
    return booking_body


class Clock:
    """The app's clock: NOW unless a test moves it (`clock.now = ...`)."""

    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(make_app, live_locations, clock):
    return make_app(create_app, deps={"clock": clock}, LOCATIONS_URL=live_locations)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(service_db):
    return service_db("bookings")


@pytest.fixture
def book(client):
    def make(**kwargs):
        response = client.post("/api/v1/bookings", json=booking_body(**kwargs))
        assert response.status_code == 201, response.json
        return response.json

    return make
