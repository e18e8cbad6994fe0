"""Appointment requests against the live locations service: created in public, relayed, worked by staff only."""
import pytest

from clinic_common.runner import build_relay

from bookings.config import OUTBOX_COLLECTIONS

PATIENT = {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"}
# As the API shows the patient: their zone and SMS consent, when not given, as null.
SHOWN_PATIENT = {**PATIENT, "timezone": None, "sms_consent": None}
PATH = "/api/v1/appointment-requests"
SLOT = {"provider_id": "hannah-brooks", "location_id": "jonesboro", "start": "2026-12-07T09:00:00-06:00"}


def request_body(**changes):
    return {"patient": dict(PATIENT), "service_id": "therapy-cbt", "modality": "in_person",
            "location_ids": ["paragould"], "preferred_days": ["tue"], "preferred_times": ["morning"],
            "notes": "Paragould on a Tuesday morning, please", **changes}


@pytest.fixture
def ask(client):
    def make(**changes):
        response = client.post(PATH, json=request_body(**changes))
        assert response.status_code == 201, response.json
        return response.json

    return make


def test_a_request_is_stored_with_its_event_and_relayed(settings, client, db, event_tap):
    tap = event_tap("appointment_request.*")
    response = client.post(PATH, json=request_body(), headers={"X-Request-ID": "req-ask-1"})
    assert response.status_code == 201, response.json
    created = response.json
    assert created["status"] == "open" and created["booking_id"] is None
    assert created["location_ids"] == ["paragould"] and created["preferred_days"] == ["tue"]
    assert created["patient"] == SHOWN_PATIENT and created["created_at"]
    stored = db.appointment_requests.find_one({"_id": created["id"]})
    assert [e["type"] for e in stored["outbox"]] == ["appointment_request.created"]

    relay = build_relay(settings, "bookings", OUTBOX_COLLECTIONS)
    assert relay.relay_once() == 1
    relay.close()
    [(props, body)] = tap.drain(1)
    assert props.headers["request_id"] == "req-ask-1" and body["type"] == "appointment_request.created"
    assert body["data"]["id"] == created["id"] and body["data"]["patient"]["email"] == PATIENT["email"]


def test_telehealth_defaults_to_the_telehealth_location(client):
    body = {k: v for k, v in request_body(modality="telehealth").items() if k != "location_ids"}
    response = client.post(PATH, json=body)
    assert response.status_code == 201, response.json
    assert response.json["location_ids"] == ["telehealth"]


@pytest.mark.parametrize("changes, field", [
    ({"service_id": "no-such-service"}, "service_id"),
    ({"location_ids": ["paragould", "no-such-place"]}, "location_ids"),
    ({"location_ids": ["telehealth"]}, "location_ids"),                      # telehealth is not in person
    ({"location_ids": []}, "location_ids"),
    ({"preferred_days": ["someday"]}, "preferred_days"),
    ({"modality": "carrier-pigeon"}, "modality"),
    ({"patient": {**PATIENT, "phone": "555 0123"}}, "patient"),
])
def test_a_refused_request_is_422_and_nothing_is_written(client, db, changes, field):
    response = client.post(PATH, json=request_body(**changes))
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json" and field in response.json["errors"]
    assert db.appointment_requests.count_documents({}) == 0


def test_the_same_idempotency_key_returns_the_same_request(client, db):
    headers = {"Idempotency-Key": "form-submit-1"}
    first = client.post(PATH, json=request_body(), headers=headers)
    again = client.post(PATH, json=request_body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert db.appointment_requests.count_documents({}) == 1
    other = client.post(PATH, json=request_body(notes="another body"), headers=headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.json["errors"]


def test_listing_and_reading_are_for_staff_only(client, ask, staff, clinician):
    first, second = ask(), ask(location_ids=["jonesboro"])
    listed = client.get(PATH, headers=staff).json["appointment_requests"]
    assert [r["id"] for r in listed] == [first["id"], second["id"]]
    at_jonesboro = client.get(f"{PATH}?location_id=jonesboro&status=open", headers=staff).json["appointment_requests"]
    assert [r["id"] for r in at_jonesboro] == [second["id"]]
    assert client.get(f"{PATH}?status=booked", headers=staff).json["appointment_requests"] == []
    assert client.get(f"{PATH}/{first['id']}", headers=staff).json == first
    for path in (PATH, f"{PATH}/{first['id']}"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers={"Authorization": "Bearer forged"}).status_code == 401
        refused = client.get(path, headers=clinician("hannah-brooks"))
        assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert client.get(f"{PATH}?status=bogus", headers=staff).status_code == 422
    assert client.get(f"{PATH}/not-an-id", headers=staff).status_code == 404
    assert client.get(f"{PATH}/{'0' * 32}", headers=staff).status_code == 404


def test_staff_book_a_request_into_a_booking(client, ask, staff, db):
    asked = ask()
    response = client.post(f"{PATH}/{asked['id']}/book", json=SLOT, headers=staff)
    assert response.status_code == 201, response.json
    booking, marked = response.json["booking"], response.json["appointment_request"]
    assert "warning" not in response.json and booking["manage_token"]
    assert marked["status"] == "booked" and marked["booking_id"] == booking["id"]
    seen = client.get(f"/api/v1/bookings/{booking['id']}", headers=staff)
    assert seen.status_code == 200 and seen.json["patient"] == SHOWN_PATIENT
    assert seen.json["service_id"] == "therapy-cbt" and seen.json["notes"] == asked["notes"]
    assert client.get(f"{PATH}/{asked['id']}", headers=staff).json["booking_id"] == booking["id"]
    stored = db.appointment_requests.find_one({"_id": asked["id"]})
    assert [e["type"] for e in stored["outbox"]] == ["appointment_request.created", "appointment_request.booked"]
    later = {**SLOT, "start": "2026-12-07T10:00:00-06:00"}
    again = client.post(f"{PATH}/{asked['id']}/book", json=later, headers=staff)
    assert again.status_code == 409 and db.bookings.count_documents({}) == 1


def test_a_taken_or_impossible_slot_leaves_the_request_open(client, ask, book, staff, db):
    book()  # someone booked 9:00 meanwhile
    asked = ask()
    taken = client.post(f"{PATH}/{asked['id']}/book", json=SLOT, headers=staff)
    assert taken.status_code == 409 and taken.content_type == "application/problem+json"
    tuesday = {**SLOT, "start": "2026-12-08T09:00:00-06:00"}  # Hannah is not in Jonesboro on Tuesdays
    never = client.post(f"{PATH}/{asked['id']}/book", json=tuesday, headers=staff)
    assert never.status_code == 422 and "start" in never.json["errors"]
    assert client.get(f"{PATH}/{asked['id']}", headers=staff).json["status"] == "open"
    assert db.bookings.count_documents({}) == 1
    assert len(db.appointment_requests.find_one({"_id": asked["id"]})["outbox"]) == 1


def test_staff_close_a_request_once(client, ask, staff, clinician):
    asked = ask()
    path = f"{PATH}/{asked['id']}/close"
    assert client.post(path, json={"reason": "found care elsewhere"}).status_code == 401
    assert client.post(path, json={}, headers=clinician("hannah-brooks")).status_code == 403
    closed = client.post(path, json={"reason": "found care elsewhere"}, headers=staff)
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    assert closed.json["close_reason"] == "found care elsewhere"
    assert client.post(path, json={}, headers=staff).status_code == 409
    assert client.post(f"{PATH}/{asked['id']}/book", json=SLOT, headers=staff).status_code == 409
    assert client.post(f"{PATH}/nope/close", json={}, headers=staff).status_code == 404


def test_every_read_and_change_is_audited_without_patient_data(client, ask, staff, db):
    asked = ask()
    client.get(f"{PATH}/{asked['id']}")
    client.get(f"{PATH}/{asked['id']}", headers=staff)
    booked = client.post(f"{PATH}/{asked['id']}/book", json=SLOT, headers=staff).json
    trail = list(db.audit.find({"target_ids": asked["id"]}, {"_id": 0}).sort("at", 1))
    assert [(e["action"], e["outcome"], e["actor"]) for e in trail] == [
        ("appointment_request.create", 201, "public"), ("appointment_request.read", 401, "public"),
        ("appointment_request.read", 200, "front-desk"), ("appointment_request.book", 201, "front-desk")]
    assert trail[-1]["target_ids"] == [asked["id"], booked["booking"]["id"]]
    assert all(PATIENT["name"] not in str(e) and PATIENT["email"] not in str(e) for e in db.audit.find())


def test_a_request_closed_while_being_booked_keeps_the_booking_and_says_so(client, ask, staff, db, monkeypatch):
    from bookings import operations

    asked, real_book = ask(), operations.book

    def book_then_lose_the_race(deps, wanted, booking_id):
        made = real_book(deps, wanted, booking_id)
        db.appointment_requests.update_one({"_id": asked["id"]}, {"$set": {"status": "closed"}, "$inc": {"version": 1}})
        return made

    monkeypatch.setattr(operations, "book", book_then_lose_the_race)
    response = client.post(f"{PATH}/{asked['id']}/book", json=SLOT, headers=staff)
    assert response.status_code == 201 and response.json["warning"]
    assert response.json["appointment_request"]["status"] == "closed"
    booking_id = response.json["booking"]["id"]
    assert client.get(f"/api/v1/bookings/{booking_id}", headers=staff).json["status"] == "confirmed"


def test_events_carry_no_patient_free_text_and_outcomes_no_patient_at_all(settings, client, ask, staff, event_tap):
    """Defect: `.booked` / `.closed` carried name, email, phone and notes, nothing consumed them, and
    they piled up in the unroutable queue. Events carry only what our consumers need."""
    tap = event_tap("#")
    booked = client.post(f"{PATH}/{ask()['id']}/book", json=SLOT, headers=staff)
    closed = client.post(f"{PATH}/{ask()['id']}/close", json={"reason": "Ana called back: moving away"}, headers=staff)
    assert booked.status_code == 201 and closed.status_code == 200
    relay = build_relay(settings, "bookings", OUTBOX_COLLECTIONS)
    relay.relay_once()
    relay.close()
    events = {body["type"]: body["data"] for _, body in tap.drain(5)}
    assert set(events) >= {"appointment_request.created", "appointment_request.booked", "appointment_request.closed",
                           "booking.confirmed"}
    assert all("notes" not in data for data in events.values())
    for outcome in ("appointment_request.booked", "appointment_request.closed"):
        assert "patient" not in events[outcome] and "close_reason" not in events[outcome]
        assert PATIENT["email"] not in str(events[outcome]) and "moving away" not in str(events[outcome])
    assert events["appointment_request.booked"]["booking_id"] == booked.json["booking"]["id"]
