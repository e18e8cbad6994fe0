"""POST and GET /bookings against the real datastore; the event reaches the exchange through the relay."""
import pytest
from pymongo import MongoClient

from clinic_common.auth import issue_token
from clinic_common.runner import build_relay

from bookings import create_app
from bookings.config import OUTBOX_COLLECTIONS, SERVICE

BODY = {
    "service_id": "svc-1", "provider_id": "prov-1", "location_id": "loc-1",
    "start": "2026-12-07T09:00:00-06:00", "notes": "prefers mornings",
    "patient": {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"},
}


@pytest.fixture
def app(make_app):
    return make_app(create_app)


@pytest.fixture
def bookings(settings):
    client = MongoClient(settings.mongo_url)
    yield client[settings.db_name(SERVICE)].bookings
    client.close()


def test_a_booking_is_stored_with_its_pending_event_and_relayed(settings, app, bookings, event_tap):
    tap = event_tap("booking.*")
    response = app.test_client().post("/api/v1/bookings", json=BODY, headers={"X-Request-ID": "req-book-1"})
    assert response.status_code == 201
    created = response.json
    assert created["status"] == "confirmed" and created["manage_token"]
    stored = bookings.find_one({"_id": created["id"]})
    assert [e["type"] for e in stored["outbox"]] == ["booking.confirmed"]
    assert created["manage_token"] not in str(stored)

    relay = build_relay(settings, SERVICE, OUTBOX_COLLECTIONS)
    assert relay.relay_once() == 1
    relay.close()

    [(props, body)] = tap.drain(1)
    assert props.headers["request_id"] == "req-book-1" and props.message_id == body["id"]
    assert body["type"] == "booking.confirmed" and body["data"]["id"] == created["id"]
    assert "manage_token" not in body["data"] and "manage_token_hash" not in body["data"]
    assert bookings.find_one({"_id": created["id"]})["outbox"] == []


def test_only_staff_or_the_booking_own_token_can_read_it(settings, app):
    client = app.test_client()
    first = client.post("/api/v1/bookings", json=BODY).json
    second = client.post("/api/v1/bookings", json=BODY).json
    staff = {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "desk", "staff")}

    assert client.get(f"/api/v1/bookings/{first['id']}", headers={"X-Manage-Token": first["manage_token"]}).status_code == 200
    assert client.get(f"/api/v1/bookings/{first['id']}", headers=staff).json["patient"]["name"] == "Ana Diaz"
    for headers in ({}, {"X-Manage-Token": second["manage_token"]}, {"X-Manage-Token": "wrong"}):
        refused = client.get(f"/api/v1/bookings/{first['id']}", headers=headers)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json"
    assert client.get("/api/v1/bookings/not-an-id", headers=staff).status_code == 404


@pytest.mark.parametrize("payload, status", [
    ("{broken", 400),
    ('{"service_id": "svc-1"}', 422),
    ('[1, 2]', 422),
])
def test_bad_input_is_refused_and_nothing_is_written(app, bookings, payload, status):
    before = bookings.count_documents({})
    response = app.test_client().post("/api/v1/bookings", data=payload, content_type="application/json")
    assert response.status_code == status and response.content_type == "application/problem+json"
    assert response.json["status"] == status and response.json["request_id"]
    assert bookings.count_documents({}) == before
