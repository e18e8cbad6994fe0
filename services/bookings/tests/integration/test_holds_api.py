"""POST/DELETE /holds and POST /bookings with a hold, against live locations and the real datastore."""
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import requests

from bookings import create_app
from bookings.domain.holds import address_proof

from .conftest import NOW, booking_body

START = "2026-12-07T09:00:00-06:00"


def hold_body(start=START, provider="hannah-brooks", service="therapy-cbt", location="jonesboro", **extra):
    return {"service_id": service, "provider_id": provider, "location_id": location, "start": start, **extra}


def take(client, **kwargs):
    response = client.post("/api/v1/holds", json=hold_body(**kwargs))
    assert response.status_code == 201, response.json
    return response.json


def slots_at(client, day="2026-12-07"):
    answer = client.get(f"/api/v1/availability?service_id=therapy-cbt&location_id=jonesboro&from={day}&to={day}"
                        "&provider_id=hannah-brooks")
    assert answer.status_code == 200, answer.json
    return [slot["start"] for slot in answer.json["slots"]]


def test_a_hold_takes_the_slot_from_availability_and_from_other_bookings(client, db):
    assert START in slots_at(client)
    held = take(client)
    assert held["slot"] == {"service_id": "therapy-cbt", "provider_id": "hannah-brooks", "location_id": "jonesboro",
                            "modality": "in_person", "start": START, "end": "2026-12-07T09:50:00-06:00"}
    assert datetime.fromisoformat(held["expires_at"]) == NOW + timedelta(minutes=10)
    assert len(held["hold_token"]) >= 40 and held["hold_token"] not in str(db.holds.find_one())
    assert START not in slots_at(client)
    taken = client.post("/api/v1/bookings", json=booking_body())
    assert taken.status_code == 409 and taken.content_type == "application/problem+json"
    assert client.post("/api/v1/holds", json=hold_body()).status_code == 409


def test_the_holder_books_exactly_the_held_slot_with_the_token(client, db):
    held = take(client)
    body = {**booking_body(), "hold_id": held["id"]}
    booked = client.post("/api/v1/bookings", json=body, headers={"X-Hold-Token": held["hold_token"]})
    assert booked.status_code == 201, booked.json
    entries = db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]
    assert [(e["b"], "x" in e) for e in entries] == [(booked.json["id"], False)]
    assert db.holds.find_one({"_id": held["id"]})["used_by"] == booked.json["id"]
    again = client.post("/api/v1/bookings", json=body, headers={"X-Hold-Token": held["hold_token"]})
    assert again.status_code == 409 and "hold" in again.json["detail"]
    # the place the hold used is free again: two more holds fit
    take(client, start="2026-12-07T10:00:00-06:00")
    take(client, start="2026-12-07T11:00:00-06:00")


@pytest.mark.parametrize("headers, hold_id", [({}, None), ({"X-Hold-Token": "wrong"}, None),
                                              ({"X-Hold-Token": "x"}, "f" * 32), ({"X-Hold-Token": "x"}, "nope")])
def test_a_wrong_token_or_unknown_hold_is_404_and_nothing_is_written(client, db, headers, hold_id):
    held = take(client)
    body = {**booking_body(), "hold_id": hold_id or held["id"]}
    answer = client.post("/api/v1/bookings", json=body, headers=headers)
    assert answer.status_code == 404 and answer.content_type == "application/problem+json"
    assert db.bookings.count_documents({}) == 0
    gone = client.delete(f"/api/v1/holds/{hold_id or held['id']}", headers=headers)
    assert gone.status_code == 404 and gone.json["detail"] == answer.json["detail"]
    assert db.holds.find_one({"_id": held["id"]})["released_at"] is None


def test_a_booking_for_another_slot_than_the_held_one_is_422(client, db):
    held = take(client)
    body = {**booking_body(start="2026-12-07T10:00:00-06:00"), "hold_id": held["id"]}
    answer = client.post("/api/v1/bookings", json=body, headers={"X-Hold-Token": held["hold_token"]})
    assert answer.status_code == 422 and "start" in answer.json["errors"]
    assert db.bookings.count_documents({}) == 0


def test_an_expired_hold_is_free_at_once_and_cannot_be_booked(client, db, clock):
    held = take(client)
    clock.now = NOW + timedelta(minutes=10)
    assert START in slots_at(client)
    answer = client.post("/api/v1/bookings", json={**booking_body(), "hold_id": held["id"]},
                         headers={"X-Hold-Token": held["hold_token"]})
    assert answer.status_code == 409 and answer.json["type"].endswith("/problems/conflict")
    assert "ran out" in answer.json["detail"]
    assert client.post("/api/v1/bookings", json=booking_body()).status_code == 201  # no cleanup needed


def test_letting_a_hold_go_frees_the_slot_and_tells_the_waitlist_hook(client, db, app, clock):
    held = take(client)
    assert client.delete(f"/api/v1/holds/{held['id']}", headers={"X-Hold-Token": held["hold_token"]}).status_code == 204
    assert START in slots_at(client)
    assert client.delete(f"/api/v1/holds/{held['id']}", headers={"X-Hold-Token": held["hold_token"]}).status_code == 204
    answer = client.post("/api/v1/bookings", json={**booking_body(), "hold_id": held["id"]},
                         headers={"X-Hold-Token": held["hold_token"]})
    assert answer.status_code == 409
    expired = take(client, start="2026-12-07T11:00:00-06:00")
    clock.now = NOW + timedelta(minutes=30)
    with app.app_context():
        from clinic_common.web import resource
        ended = resource("holds").ended_unused(NOW - timedelta(minutes=1), clock.now)
    assert [h["_id"] for h in ended] == [held["id"], expired["id"]]
    assert {"provider_id", "start", "blocked_until", "service_id", "location_id"} <= set(ended[0])
    assert "token_hash" not in ended[0]


@pytest.mark.parametrize("changes, field", [
    ({"service": "no-such-service"}, "service_id"),
    ({"provider": "nobody"}, "provider_id"),
    ({"start": "2026-12-07T09:30:00-06:00"}, "start"),
    ({"start": "2026-11-30T09:00:00-06:00"}, "start"),
    ({"location": "telehealth", "provider": "rachel-kim", "service": "med-follow-up",
      "start": "2026-12-07T09:30:00-06:00"}, "patient_state"),
    ({"location": "telehealth", "provider": "rachel-kim", "service": "med-follow-up",
      "start": "2026-12-07T09:30:00-06:00", "patient_state": "AR"}, "provider_id"),
    ({"patient_state": "XX"}, "patient_state"),
    ({"start": "tomorrow"}, "start"),
])
def test_holding_a_slot_that_is_not_bookable_is_422_and_nothing_is_written(client, db, changes, field):
    answer = client.post("/api/v1/holds", json=hold_body(**changes))
    assert answer.status_code == 422, answer.json
    assert answer.content_type == "application/problem+json" and field in answer.json["errors"]
    assert db.holds.count_documents({}) == 0 and db.hold_client_places.count_documents({}) == 0
    assert all(not doc.get("busy") for doc in db.provider_ledgers.find())


def test_a_telehealth_hold_names_the_patient_state(client):
    held = take(client, location="telehealth", provider="rachel-kim", service="med-follow-up",
                start="2026-12-07T09:30:00-06:00", patient_state="MD")
    assert held["slot"]["modality"] == "telehealth"


def test_at_most_holds_per_client_live_holds_per_client_address(client, db, clock, app):
    secret = app.config["CLINIC_SETTINGS"].jwt_secret
    take(client, start="2026-12-07T09:00:00-06:00")
    take(client, start="2026-12-07T10:00:00-06:00")
    third = client.post("/api/v1/holds", json=hold_body(start="2026-12-07T11:00:00-06:00"))
    assert third.status_code == 429 and third.json["type"].endswith("/problems/too-many-holds")
    forged = client.post("/api/v1/holds", json=hold_body(start="2026-12-07T11:00:00-06:00"),
                         headers={"X-Client-Address": "203.0.113.9", "X-Client-Address-Proof": "0" * 64})
    assert forged.status_code == 429  # an unproven address is ignored: still the peer's count
    vouched = client.post("/api/v1/holds", json=hold_body(start="2026-12-07T11:00:00-06:00"),
                          headers={"X-Client-Address": "203.0.113.9",
                                   "X-Client-Address-Proof": address_proof(secret, "203.0.113.9")})
    assert vouched.status_code == 201
    assert db.holds.find_one({"_id": vouched.json["id"]})["client"] == "203.0.113.9"
    clock.now = NOW + timedelta(minutes=10)  # the first two ran out: their places are free
    take(client, start="2026-12-07T12:00:00-06:00")


def test_many_holds_and_bookings_race_for_one_slot_over_http_and_one_wins(make_app, live_locations, serve, db):
    app = make_app(create_app, deps={"clock": lambda: NOW}, LOCATIONS_URL=live_locations, HOLDS_PER_CLIENT="100")
    url = serve(app).url + "/api/v1"
    contenders = [("holds", hold_body())] * 25 + [("bookings", booking_body())] * 25 + [
        ("holds", hold_body(service="intake"))] * 5

    def go(item):
        path, body = item
        return requests.post(f"{url}/{path}", json=body, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=len(contenders)) as pool:
        statuses = list(pool.map(go, contenders))
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == len(contenders) - 1, statuses
    assert len(db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]) == 1
