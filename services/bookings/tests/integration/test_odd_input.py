"""Odd but cheap input to bookings: a 4xx problem that changes nothing, never a 500 or a 503."""
import json

import pytest

from .conftest import PATIENT, booking_body

AVAILABILITY = "/api/v1/availability?service_id=therapy-cbt&location_id=jonesboro"


def _problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.content_type == "application/problem+json"
    return response.json


@pytest.mark.parametrize("first, last", [("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-02"),
                                         ("2199-12-31", "2200-01-01")])
def test_availability_at_the_calendars_edges_is_422(client, first, last):
    assert _problem(client.get(f"{AVAILABILITY}&from={first}&to={last}"), 422)["errors"]


@pytest.mark.parametrize("start", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"])
def test_instants_at_the_calendars_edges_are_4xx_and_book_nothing(client, db, staff, start):
    # The field is named: refused by the schema's date range, not by the OverflowError fallback.
    assert "start" in _problem(client.post("/api/v1/bookings", json=booking_body(start=start)), 422)["errors"]
    assert "from" in _problem(client.get("/api/v1/bookings?from=" + start.replace("+", "%2B"), headers=staff),
                              422)["errors"]
    assert db.bookings.count_documents({}) == 0


@pytest.mark.parametrize("path, text", [
    ("/api/v1/bookings", json.dumps(booking_body(name="Ana \ud800"))),
    ("/api/v1/bookings", json.dumps(booking_body())[:-1] + ', "notes": %s}' % ("7" * 4400)),
    ("/api/v1/appointment-requests", json.dumps({"patient": {**PATIENT, "name": "\udfffAna"}, "service_id": "therapy-cbt",
                                                 "modality": "in_person", "location_ids": ["jonesboro"]})),
    ("/api/v1/appointment-requests", "[" * 10_000 + "]" * 10_000),
])
def test_odd_bodies_are_400_and_store_nothing(client, db, path, text):
    _problem(client.post(path, data=text, headers={"Content-Type": "application/json"}), 400)
    assert db.bookings.count_documents({}) == 0 and db.appointment_requests.count_documents({}) == 0
